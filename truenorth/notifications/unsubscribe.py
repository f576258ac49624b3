"""Stopping notification emails with no login: every email's footer and List-Unsubscribe header
carry a link for its person and event, signed with the server's secret key, so that someone
without a login can stop what they get, and a link changed by hand stops nothing.

The link is the key to one person's choices: it never reaches a log (serving.SECRET_IN_PATH),
and its page shows nothing of the person. No database row backs it: it works for as long as
the server keeps its secret key.
"""

from django.core import signing
from django.urls import reverse

from truenorth.notifications.models import Event
from truenorth.sending import absolute
from truenorth.workspaces.models import Person

SALT = "truenorth.notifications.unsubscribe"


def token(person: Person, event: str) -> str:
    return signing.Signer(salt=SALT).sign_object([person.pk, event])


def link(person: Person, event: str) -> str:
    return absolute(reverse("unsubscribe", args=[token(person, event)]))


def read(signed: str) -> tuple[Person, str] | None:
    """The person and event a link was made for; None when it was not made here, or its person
    is gone."""
    try:
        person_id, event = signing.Signer(salt=SALT).unsign_object(signed)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if event not in Event.values:
        return None
    person = Person.objects.select_related("workspace").filter(pk=person_id).first()
    return (person, event) if person is not None else None
