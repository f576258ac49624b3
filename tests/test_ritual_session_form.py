"""A session's page keeps what was typed: notes typed before recording a decision are saved with
it, the header says a session with a decision was recorded, and who missed it is kept."""

import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.utils import timezone

from tests.api import api_request
from tests.rituals import weekly_ritual
from truenorth.rituals import actions, recurrence
from truenorth.rituals.models import Occurrence
from truenorth.workspaces.models import Function, Person

DECIDED = {
    "title": "Ship the ledger import first",
    "question": "Which import comes first?",
    "outcome": "The ledger import.",
}


@pytest.fixture
def ritual(workspace, users, team):
    return weekly_ritual(workspace, team)


@pytest.fixture
def url(ritual):
    held = recurrence.previous_starts(ritual, timezone.now(), 1)[0]
    day = recurrence.local(ritual, held).date().isoformat()
    return f"/w/acme/rituals/{ritual.number}/{day}"


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_notes_typed_before_recording_a_decision_are_kept(client_for, ritual, url):
    client = client_for("editor")
    page = client.get(f"{url}/").content.decode()
    assert "Nothing recorded" in page
    # One form: the decision's button posts the notes and who came with it.
    form = page[
        page.index('id="notes-form"') : page.index("</form>", page.index('id="notes-form"'))
    ]
    assert 'name="notes"' in form and 'name="title"' in form and "formaction=" in form
    member = Person.objects.get(email="member@acme.test")
    came = [p.pk for p in actions.attendees(ritual) if p != member]
    posted = {**DECIDED, "notes": "Close time is down.", "attended": came}
    response = client.post(f"{url}/decision/", posted)
    assert response.status_code == 302
    row = Occurrence.objects.get(ritual=ritual)
    assert row.notes == "Close time is down." and row.decisions.count() == 1
    assert not row.attendances.get(person=member).attended
    page = client.get(f"{url}/").content.decode()
    assert "Close time is down." in page and "Nothing recorded" not in page


def test_a_decision_alone_makes_the_session_recorded(client_for, ritual, url):
    client = client_for("editor")
    assert client.post(f"{url}/decision/", {**DECIDED, "notes": ""}).status_code == 302
    row = Occurrence.objects.get(ritual=ritual)
    assert row.notes == "" and row.status == Occurrence.Status.SCHEDULED
    page = client.get(f"{url}/").content.decode()
    assert "Nothing recorded" not in page and ">Recorded<" in page


def test_a_decision_typed_before_saving_the_notes_is_recorded_too(client_for, ritual, url):
    client = client_for("editor")
    came = [p.pk for p in actions.attendees(ritual)]
    response = client.post(f"{url}/notes/", {**DECIDED, "notes": "Agreed.", "attended": came})
    assert response.status_code == 302
    row = Occurrence.objects.get(ritual=ritual)
    assert row.status == Occurrence.Status.HELD and row.decisions.count() == 1


def test_a_bad_decision_gives_back_the_notes_typed(client_for, ritual, url):
    response = client_for("editor").post(
        f"{url}/decision/", {"title": "No question", "notes": "Half an hour of notes."}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Half an hour of notes." in page and "question" in page
    assert not Occurrence.objects.filter(ritual=ritual).exists()


def stamp_on(page: str) -> str:
    found = re.search(r'name="stamp" value="([^"]+)"', page)
    assert found, "no stamp on the notes form"
    return found[1]


def test_unticking_someone_who_did_not_come_is_kept(client_for, ritual, url):
    client = client_for("editor")
    viewer = Person.objects.get(email="viewer@acme.test")
    everyone = [p.pk for p in actions.attendees(ritual)]
    client.post(f"{url}/notes/", {"notes": "Held.", "attended": everyone})
    others = [pk for pk in everyone if pk != viewer.pk]
    stamp = stamp_on(client.get(f"{url}/").content.decode())
    client.post(f"{url}/notes/", {"notes": "Held.", "attended": others, "stamp": stamp})
    row = Occurrence.objects.get(ritual=ritual)
    assert not row.attendances.get(person=viewer).attended
    page = client.get(f"{url}/").content.decode()
    box = re.search(rf'<input type="checkbox" name="attended" value="{viewer.pk}"[^>]*>', page)
    assert box and "checked" not in box[0]  # the form comes back with the untick kept
    assert "Viewer — missed it" in page


def test_a_summary_with_nobody_absent_says_why_and_is_not_marked_sent(
    client_for, ritual, url, django_capture_on_commit_callbacks
):
    client = client_for("owner")
    everyone = [p.pk for p in actions.attendees(ritual)]
    client.post(f"{url}/notes/", {"notes": "Held.", "attended": everyone})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{url}/summary/")
    assert response.status_code == 302
    assert any("every attendee is marked as having come" in m for m in said(response)), said(
        response
    )
    assert not any("0 of 0" in m for m in said(response))
    assert Occurrence.objects.get(ritual=ritual).summary_sent_at is None
    assert mail.outbox == []


def test_the_header_names_people_invited_by_name(client_for, ritual, workspace):
    named = [
        Person.objects.create(
            workspace=workspace, name=f"Lead {n}", email=f"lead{n}@acme.test", function="leadership"
        )
        for n in range(7)
    ]
    ritual.functions = [Function.LEADERSHIP]
    actions.save_ritual(ritual, people=named[:2])
    page = client_for("member").get(f"/w/acme/rituals/{ritual.number}/").content.decode()
    assert "Functions: Leadership." in page and "Invited by name: Lead 0, Lead 1." in page
    actions.save_ritual(ritual, people=named)
    page = client_for("member").get(f"/w/acme/rituals/{ritual.number}/").content.decode()
    assert "Invited by name: Lead 0, Lead 1, Lead 2, Lead 3, Lead 4 and 2 more." in page


def test_notes_recorded_since_the_page_was_opened_are_not_overwritten(
    client, client_for, users, ritual, url
):
    editor = client_for("editor")
    stamp = stamp_on(editor.get(f"{url}/").content.decode())  # opened: nothing recorded
    everyone = [p.pk for p in actions.attendees(ritual)]
    # Meanwhile the owner records the session through the API: two of them came.
    on = url.rsplit("/", 1)[1]
    recorded = {"notes": "The owner's write-up.", "attended": everyone[:2]}
    put = f"/api/v1/workspaces/acme/rituals/{ritual.number}/occurrences/{on}/notes"
    assert api_request(client, users["owner"], "put", put, recorded, "write").status_code == 200
    typed = {"notes": "My own notes, typed for ten minutes.", "attended": everyone}
    response = editor.post(f"{url}/notes/", {**typed, "stamp": stamp})
    assert response.status_code == 409
    row = Occurrence.objects.get(ritual=ritual)
    assert (
        row.notes == "The owner's write-up." and row.attendances.filter(attended=True).count() == 2
    )
    page = response.content.decode()
    assert "My own notes, typed for ten minutes." in page  # nothing typed is lost
    assert "this session was recorded since you opened the page" in page
    assert "The owner’s write-up." in page or "The owner&#x27;s write-up." in page
    assert f"2 of {len(everyone)} came" in page
    # Saving again from the page as it came back replaces what was recorded, knowingly.
    again = editor.post(f"{url}/notes/", {**typed, "stamp": stamp_on(page)})
    assert again.status_code == 302
    row.refresh_from_db()
    assert row.notes == typed["notes"]


def test_a_form_without_its_stamp_does_not_overwrite_recorded_notes(client_for, ritual, url):
    editor = client_for("editor")
    everyone = [p.pk for p in actions.attendees(ritual)]
    assert (
        editor.post(f"{url}/notes/", {"notes": "First.", "attended": everyone}).status_code == 302
    )
    response = editor.post(f"{url}/notes/", {"notes": "Second.", "attended": everyone})
    assert response.status_code == 409
    assert Occurrence.objects.get(ritual=ritual).notes == "First."


def test_the_skip_section_says_what_skipping_does(client_for, ritual):
    coming = recurrence.next_start(ritual, timezone.now())
    day = recurrence.local(ritual, coming).date().isoformat()
    page = client_for("editor").get(f"/w/acme/rituals/{ritual.number}/{day}/").content.decode()
    assert page.count("Skip this one") == 1  # the button, not its heading too
    assert "Skipping takes this date out of the calendars" in page
