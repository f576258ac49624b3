"""One settings module, read from environment variables; with nothing set it runs on SQLite."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent


def envbool(name: str, default: str) -> bool:
    value = os.getenv(name, default)
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: str) -> int:
    value = os.getenv(name, default)
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


def envsecret(name: str, default: str = "") -> str:
    """NAME's value, or the content of the file NAME_FILE names (a Docker or systemd secret),
    so the secret itself stays out of the process environment and `ps e`."""
    path = os.getenv(f"{name}_FILE")
    if not path:
        return os.getenv(name, default)
    if os.getenv(name):
        raise ValueError(f"set {name} or {name}_FILE, not both")
    try:
        return Path(path).read_text(encoding="utf-8").strip()
    except OSError as error:
        raise ValueError(f"{name}_FILE: cannot read {path}: {error.strerror}") from None


DATA_DIR = Path(os.getenv("TRUENORTH_DATA_DIR", "var")).resolve()
DEBUG = envbool("TRUENORTH_DEBUG", "false")
# Everyone can read this key, so anyone could sign a password link with it: the server refuses
# to start with it unless debug is on (truenorth/startup.py).
DEVELOPMENT_SECRET_KEY = "insecure-dev-key-set-TRUENORTH_SECRET_KEY-in-production"
SECRET_KEY = envsecret("TRUENORTH_SECRET_KEY") or DEVELOPMENT_SECRET_KEY
ALLOWED_HOSTS = envlist("TRUENORTH_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("TRUENORTH_CSRF_TRUSTED_ORIGINS", "")


def served_at(data_dir: Path) -> str:
    """The address `truenorth serve` last served this data directory at (truenorth.cli), so that
    the links the command line and the workers email open on that server, whatever its port."""
    try:
        return (data_dir / "site-url").read_text(encoding="utf-8").strip()
    except OSError:
        return ""


SITE_URL = os.getenv("TRUENORTH_SITE_URL") or served_at(DATA_DIR) or "http://127.0.0.1:8000"

# Served over HTTPS (the default when the site's address starts with https://): cookies only
# travel encrypted, plain HTTP is redirected, and browsers are told to use HTTPS only (HSTS).
# The demo on http://127.0.0.1:8000 has none of it, or its login cookie would never come back.
HTTPS = envbool("TRUENORTH_HTTPS", "true" if SITE_URL.startswith("https://") else "false")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = envbool("TRUENORTH_SSL_REDIRECT", str(HTTPS))
SECURE_HSTS_SECONDS = envint("TRUENORTH_HSTS_SECONDS", "31536000" if HTTPS else "0")
# Both bind the whole domain and its subdomains, for months: the operator decides, not a default.
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("TRUENORTH_HSTS_INCLUDE_SUBDOMAINS", "false")
SECURE_HSTS_PRELOAD = envbool("TRUENORTH_HSTS_PRELOAD", "false")


def proxy_ssl_header(name: str) -> tuple[str, str] | None:
    """TRUENORTH_PROXY_SSL_HEADER=X-Forwarded-Proto: the proxy in front terminates TLS and sets
    this header to "https". Only for a proxy that overwrites the header a client sends."""
    header = os.getenv(name, "").strip()
    if not header:
        return None
    return "HTTP_" + header.upper().replace("-", "_"), "https"


SECURE_PROXY_SSL_HEADER = proxy_ssl_header("TRUENORTH_PROXY_SSL_HEADER")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",  # its table is the queue when TRUENORTH_TASKS_BACKEND=database
    "axes",  # login throttling: AXES_* below
    "truenorth.workspaces",
    "truenorth.embeddings",
    "truenorth.strategy",
    "truenorth.roadmap",
    "truenorth.work",
    "truenorth.checkins",
    "truenorth.claims",
    "truenorth.glossary",
    "truenorth.decisions",
    "truenorth.updates",
    "truenorth.rituals",
    "truenorth.notifications",
    "truenorth.feedback",
    "truenorth.api",
    "ninja",  # the API's interactive docs, served from its own static files (no CDN)
    "truenorth.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "truenorth.headers.SecurityHeadersMiddleware",
    "truenorth.api.middleware.ApiConditionalGetMiddleware",
    "truenorth.api.middleware.ApiAddressProblemMiddleware",
    "truenorth.api.middleware.ApiTimeZoneMiddleware",
    "truenorth.api.middleware.ApiJsonBodyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF's check, so that a PUT to a page is told the method is wrong, not the token.
    "truenorth.refusals.PageMethodsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "truenorth.ids.IdsInRangeMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: turns a lock-out into its page
]

ROOT_URLCONF = "truenorth.urls"
WSGI_APPLICATION = "truenorth.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "truenorth.workspaces.context_processors.membership",
            ],
        },
    },
]


def database_config() -> dict:
    url = envsecret("DATABASE_URL")
    if url:
        return dj_database_url.parse(url, conn_max_age=60)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "truenorth.sqlite3",
        # WAL lets readers go on while one writer writes; IMMEDIATE avoids
        # "database is locked" upgrades from read to write mid-transaction. The server's worker
        # processes write sessions and cached figures at once: one waits up to `timeout`
        # seconds for another's write (Python's default is 5).
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": envint("TRUENORTH_SQLITE_TIMEOUT", "20"),
        },
    }


DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Heavy figures are computed once per change of the data (truenorth/workspaces/figures.py) and
# kept in the database, where every server process finds them. Their keys hold the date, so a
# day's timeout leaves none behind for long.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "truenorth_cache",
        "TIMEOUT": 24 * 60 * 60,
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
] + [{"NAME": "truenorth.passwords.NameInPasswordValidator"}]
AUTHENTICATION_BACKENDS = [
    "truenorth.throttling.LoginThrottleBackend",  # refuses a locked-out login before checking it
    "django.contrib.auth.backends.ModelBackend",
]
# After TRUENORTH_LOGIN_FAILURES wrong passwords in a row for one username, that username cannot
# log in for TRUENORTH_LOGIN_COOLOFF_MINUTES (each further try starts the wait again), or until
# `truenorth user unlock USERNAME`. Counted per username, not per address: behind a proxy every
# client has the proxy's address, and one guesser would lock everyone out.
AXES_FAILURE_LIMIT = envint("TRUENORTH_LOGIN_FAILURES", "5")
AXES_COOLOFF_TIME = timedelta(minutes=envint("TRUENORTH_LOGIN_COOLOFF_MINUTES", "15"))
AXES_LOCKOUT_PARAMETERS = ["username"]
# django-axes warns when the address is not part of the key; its concern (rotating user agents or
# cookies) does not apply to a username, and an address behind a proxy would lock everyone out.
# Guessing one common password for many usernames is what the password validators stop.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True  # only failures in a row count
AXES_LOCKOUT_CALLABLE = "truenorth.throttling.locked_out"
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True  # keep the failures only, not a row for every login
# How long an emailed link to set a password (an invitation, a reset) works: long enough for
# someone away for a weekend, short enough that a forwarded or forgotten email goes stale.
# Setting the password, or logging in, ends the link sooner.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 60 * 60
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
# Dates read "12 Mar 2026" on every page (truenorth/formats/en_GB/formats.py).
FORMAT_MODULE_PATH = ["truenorth.formats"]
TIME_ZONE = os.getenv("TRUENORTH_TIME_ZONE", "UTC")
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Set only for `collectstatic` behind a web server; whitenoise serves from the apps otherwise.
STATIC_ROOT = os.getenv("TRUENORTH_STATIC_ROOT") or None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Errors, with their tracebacks, go to standard error (gunicorn's, or the service's journal) and
# to a rotating file under the data directory; warnings too. A request's path is written with
# password tokens redacted (truenorth/serving.py); answer tokens never travel in a path.
LOG_FILE = DATA_DIR / "logs" / "truenorth.log"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "redacted": {
            "()": "truenorth.serving.RedactingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s",
        }
    },
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "redacted"},
        "file": {
            "class": "truenorth.serving.LogFileHandler",
            "filename": str(LOG_FILE),
            "maxBytes": 10 * 1024 * 1024,
            "backupCount": 5,
            "formatter": "redacted",
        },
    },
    "root": {"handlers": ["stderr", "file"], "level": "WARNING"},
    "loggers": {
        # Django's own handlers would print errors a second time, or only with debug on.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # A 404 or 403 is the visitor's mistake, already in the access log: only 5xx here.
        "django.request": {"level": "ERROR"},
    },
}

# The mail server: the Mail server page's (workspaces.mailserver), unless the environment names
# a host, which then wins and the page only shows it.
EMAIL_BACKEND = os.getenv("TRUENORTH_EMAIL_BACKEND", "truenorth.workspaces.mailserver.Backend")
EMAIL_FROM_ENVIRONMENT = bool(os.getenv("TRUENORTH_EMAIL_HOST"))
EMAIL_HOST = os.getenv("TRUENORTH_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("TRUENORTH_EMAIL_PORT", "25")
EMAIL_HOST_USER = os.getenv("TRUENORTH_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = envsecret("TRUENORTH_EMAIL_PASSWORD")
EMAIL_USE_TLS = envbool("TRUENORTH_EMAIL_TLS", "false")
DEFAULT_FROM_EMAIL = os.getenv("TRUENORTH_EMAIL_FROM", "truenorth@localhost")
# Webhooks' addresses must be https://; true allows http:// too, for receivers on an internal
# network (the signature still shows a post is genuine, but anyone on the way can read it).
WEBHOOK_ALLOW_HTTP = envbool("TRUENORTH_WEBHOOK_ALLOW_HTTP", "false")


def envchoice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.getenv(name, default)
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


EMBEDDING_MODEL = os.getenv("TRUENORTH_EMBEDDING_MODEL", "all-MiniLM-L6-v2")
# onnx: ONNX Runtime, int8 where accepted (no torch at run time); onnx-fp32; sentence-transformers.
EMBEDDING_ENGINE = envchoice(
    "TRUENORTH_EMBEDDING_ENGINE", "onnx", ("onnx", "onnx-fp32", "sentence-transformers")
)
# Exported ONNX models, made once from the installed model files.
EMBEDDING_STORE = DATA_DIR / "models"

# Background work (analysis, link suggestions, claim re-checks, email) runs inline by default;
# TRUENORTH_TASKS_BACKEND=database queues it in the database for `truenorth worker` processes.
TASK_BACKENDS = {
    "inline": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASKS_BACKEND = os.getenv("TRUENORTH_TASKS_BACKEND", "inline")
TASKS = {"default": {"BACKEND": TASK_BACKENDS.get(TASKS_BACKEND, TASKS_BACKEND)}}
