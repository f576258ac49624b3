"""One settings module, read from environment variables; with nothing set it runs on SQLite."""

import os
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


DATA_DIR = Path(os.getenv("TRUENORTH_DATA_DIR", "var")).resolve()
DEBUG = envbool("TRUENORTH_DEBUG", "false")
SECRET_KEY = os.getenv(
    "TRUENORTH_SECRET_KEY", "insecure-dev-key-set-TRUENORTH_SECRET_KEY-in-production"
)
ALLOWED_HOSTS = envlist("TRUENORTH_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("TRUENORTH_CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.getenv("TRUENORTH_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",  # its table is the queue when TRUENORTH_TASKS_BACKEND=database
    "truenorth.workspaces",
    "truenorth.strategy",
    "truenorth.roadmap",
    "truenorth.work",
    "truenorth.checkins",
    "truenorth.claims",
    "truenorth.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "truenorth.ids.IdsInRangeMiddleware",
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
    url = os.getenv("DATABASE_URL")
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
            "timeout": 20,
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
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
# How long an emailed link to set a password (an invitation, a reset) works: long enough for
# someone away for a weekend, short enough that a forwarded or forgotten email goes stale.
# Setting the password, or logging in, ends the link sooner.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 60 * 60
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
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

EMAIL_HOST = os.getenv("TRUENORTH_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("TRUENORTH_EMAIL_PORT", "25")
EMAIL_HOST_USER = os.getenv("TRUENORTH_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.getenv("TRUENORTH_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = envbool("TRUENORTH_EMAIL_TLS", "false")
DEFAULT_FROM_EMAIL = os.getenv("TRUENORTH_EMAIL_FROM", "truenorth@localhost")


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
