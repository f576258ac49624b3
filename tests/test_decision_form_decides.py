"""The new-decision form saved with what was decided records it as decided today, through the
checks and the notice of "Decide"; an open decision edited stays open until "Decide". The
lists of several choices say how to choose more than one."""

import html

from django.utils import timezone
from django.utils.formats import date_format

from tests.api import api_request
from truenorth.decisions.models import Status
from truenorth.notifications.models import Event, Notification
from truenorth.roadmap.models import Visibility

TYPED = {"title": "Per seat or per entity?", "question": "How do we price?"}
CHOOSE_SEVERAL = (
    "Choose several: on a computer hold Ctrl (⌘ on a Mac) while you click; on a phone, tap each."
)


def test_a_new_decision_saved_with_its_outcome_is_decided_today(client_for, workspace, users):
    today = timezone.localdate()
    typed = {
        **TYPED,
        "raised_on": today.isoformat(),
        "outcome": "Per entity.",
        "rationale": "Fair.",
    }
    typed["informed"] = [users["member"].memberships.get().person.pk]
    response = client_for("editor").post("/w/acme/decisions/new/", typed, follow=True)
    made = workspace.decisions.get()
    assert (made.status, made.decided_on, made.outcome) == (Status.DECIDED, today, "Per entity.")
    page = html.unescape(response.content.decode())
    assert f"Decision 1 saved as decided on {date_format(today)}." in page
    assert "Open: not decided yet." not in page
    assert Notification.objects.filter(event=Event.DECISION_MADE).count() == 1  # as Decide tells


def test_a_new_decision_without_its_outcome_stays_open(client_for, workspace):
    typed = {**TYPED, "raised_on": timezone.localdate().isoformat(), "rationale": "Fair."}
    response = client_for("editor").post("/w/acme/decisions/new/", typed, follow=True)
    made = workspace.decisions.get()
    assert (made.status, made.decided_on) == (Status.PROPOSED, None)
    assert "Decision 1 saved." in response.content.decode()


def test_an_open_decision_edited_with_an_outcome_stays_open_until_decide(client_for, workspace):
    client = client_for("editor")
    client.post("/w/acme/decisions/new/", {**TYPED, "raised_on": "2026-02-01"})
    page = html.unescape(client.get("/w/acme/decisions/1/edit/").content.decode())
    assert "It stays open (proposed) until you use “Decide” on its page" in page
    edited = {**TYPED, "raised_on": "2026-02-01", "outcome": "Per entity."}
    assert client.post("/w/acme/decisions/1/edit/", edited).status_code == 302
    assert workspace.decisions.get().status == Status.PROPOSED


def test_the_new_form_says_what_filling_the_decision_does(client_for, strategy):
    page = html.unescape(client_for("editor").get("/w/acme/decisions/new/").content.decode())
    today = date_format(timezone.localdate(), "j M Y")
    assert f"Filled in, the decision is saved as decided today ({today})" in page
    for name in ("deciders", "consulted", "informed", "goals", "initiatives", "blocks"):
        hint = page[page.index(f'id="id_{name}_helptext"') :][:300]
        assert CHOOSE_SEVERAL in hint, name
    assert "Hold Ctrl" not in page  # no Ctrl key on a phone


def test_the_glossary_related_terms_say_how_to_choose_several(client_for, workspace):
    page = html.unescape(client_for("editor").get("/w/acme/glossary/new/").content.decode())
    hint = page[page.index('id="id_related_helptext"') :][:300]
    assert f"Terms to read with this one. {CHOOSE_SEVERAL}" in hint
    assert "hold Ctrl for several" not in page


def test_the_api_raises_a_decision_with_its_outcome_as_decided(client, workspace, users, strategy):
    body = {
        **TYPED,
        "outcome": "Per entity.",
        "initiatives": [strategy["initiatives"][Visibility.INTERNAL].pk],
    }
    made = api_request(
        client, users["editor"], "post", "/api/v1/workspaces/acme/decisions", body, "write"
    )
    assert made.status_code == 201, made.content
    assert made.json()["status"] == "decided"
    assert made.json()["decided_on"] == timezone.localdate().isoformat()
