"""The first administrator of a new server, made in the browser rather than a shell.

While the server has no administrator, `truenorth serve` prints a setup link, /setup/#<key>.
Whoever opens it chooses the administrator's login. The key is derived from the server's secret
key, so every process agrees on it and nothing is stored; it opens nothing once an administrator
exists. It follows '#', which browsers never send, so it reaches no request line and no log but
the console that printed it.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "truenorth.workspaces.first_run"


def needs_administrator() -> bool:
    return not administrators().exists()


def administrators():
    return get_user_model().objects.filter(is_staff=True, is_active=True)


def administrators_in_words() -> str:
    """Whom to ask about the server's mail ("ada (ada@acme.test)"), for someone who is not one:
    '' while the server has none."""
    found = administrators().order_by("username")
    return ", ".join(f"{a.username} ({a.email})" if a.email else a.username for a in found)


def who_sets_mail(user) -> str:
    """Who can mend the server's mail, said to `user` as the check-in's "Nothing was sent" page
    says it: an administrator is sent to the page, anyone else given the administrators' names,
    or told how the server gets its first one."""
    if user.is_staff:
        return "Set it on the Mail server page of this server."
    if found := administrators_in_words():
        return f"An administrator of this server sets it on the Mail server page: {found}."
    return (
        "This server has no administrator yet: whoever runs it chooses one with the setup link "
        "truenorth serve prints on starting (truenorth user setup-link prints it again)."
    )


def setup_key() -> str:
    return salted_hmac(SALT, "first administrator").hexdigest()[:32]


def is_setup_key(given: str) -> bool:
    return constant_time_compare(given.strip(), setup_key())


def setup_link(site: str) -> str:
    return f"{site.rstrip('/')}/setup/#{setup_key()}"


def setup_invitation(site: str | None = None, demo: bool = False) -> str | None:
    """What the server says on starting while it has no administrator; None once it has one.
    A demo server says how to get the link, not the link: the demo needs no administrator, its
    console is most often a log file others read, and the link in it let whoever read the log
    claim the server (/admin/ included) for as long as the demo ran."""
    if not needs_administrator():
        return None
    if demo:
        return (
            "No administrator: the demo needs none. `truenorth user setup-link` prints the link "
            "that makes one; it is not written here, where anyone who reads this log could use it."
        )
    return (
        f"No administrator yet: open {setup_link(site or settings.SITE_URL)} to choose one "
        "(it works until one exists; `truenorth user setup-link` prints it again)."
    )
