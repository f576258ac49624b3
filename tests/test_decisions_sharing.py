"""Sharing a decision with partners shares its words: an editor is warned, on the decision's page
and its form, of each internal name those words hold. And the log says how long a decision
took, not how long is left."""

import csv
import io
import re
from datetime import date

from tests.api import api_request
from truenorth.decisions import actions
from truenorth.decisions.models import Decision
from truenorth.roadmap.models import Visibility

WARNING = 'id="partners-will-read"'


def shared_decision(workspace, outcome: str, shared=True) -> Decision:
    decision = Decision(
        workspace=workspace,
        title="Reminders by Slack",
        question="Do reminders go by Slack?",
        raised_on=date(2026, 1, 5),
        shared_with_partners=shared,
    )
    actions.add_decision(decision)
    return actions.decide(decision, date(2026, 1, 7), outcome)


def test_an_editor_is_warned_of_the_internal_names_a_shared_decision_gives_partners(
    client_for, workspace, strategy
):
    internal = strategy["initiatives"][Visibility.INTERNAL].title
    goal = strategy["goals"][0].title
    theirs = strategy["initiatives"][Visibility.PARTNER].title
    shared_decision(workspace, f"Ship it with the {internal} and {theirs}; it serves {goal}.")
    editor = client_for("editor")
    for url in ("/w/acme/decisions/1/", "/w/acme/decisions/1/edit/"):
        page = editor.get(url).content.decode()
        warned = re.search(rf'<p class="note" {WARNING}>(.*?)</p>', page).group(1)
        # The partner initiative's name is theirs to read: not warned of.
        assert warned.startswith(
            f"Partners will read: “{internal}” (internal initiative), “{goal}” (goal). This"
        ), url
    # Partners read the words the editor chose to share, without the warning.
    partner = client_for("partner").get("/w/acme/decisions/1/").content.decode()
    assert internal in partner and WARNING not in partner


def test_the_warning_follows_the_choice_and_the_words(client_for, workspace, strategy):
    internal = strategy["initiatives"][Visibility.INTERNAL].title
    decision = shared_decision(workspace, f"Ship it with the {internal}.", shared=False)
    editor = client_for("editor")
    assert WARNING not in editor.get("/w/acme/decisions/1/").content.decode()  # not shared
    decision.shared_with_partners = True
    decision.outcome = "Reminders go by Slack where it is connected."
    decision.save()
    assert WARNING not in editor.get("/w/acme/decisions/1/").content.decode()  # nothing internal
    # Saving the form with an internal name lands on the page that warns of it.
    form = {
        "title": decision.title,
        "question": decision.question,
        "raised_on": "2026-01-05",
        "shared_with_partners": "on",
        "outcome": f"Ship it with the {internal}.",
    }
    saved = editor.post("/w/acme/decisions/1/edit/", form, follow=True)
    assert saved.status_code == 200 and WARNING in saved.content.decode()


def test_the_log_says_how_long_a_decision_took(client_for, workspace):
    shared_decision(workspace, "Yes.")
    page = client_for("viewer").get("/w/acme/decisions/").content.decode()
    assert "Took 2 days to decide" in page and ">2 to decide<" not in page
    assert 'data-label="How long"' in page
    csv_text = client_for("viewer").get("/w/acme/decisions.csv").content.decode()
    [row] = csv.DictReader(io.StringIO(csv_text))
    assert row["days_taken_to_decide"] == "2"


def test_a_partner_s_csv_has_the_rows_of_their_json_without_internal_columns(client_for, workspace):
    shared_decision(workspace, "Yes.")
    hidden = shared_decision(workspace, "Not for partners.", shared=False)
    later = shared_decision(workspace, "Replaces the hidden one.")
    actions.supersede(hidden, later, date(2026, 1, 8))
    partner = client_for("partner")
    response = partner.get("/w/acme/decisions.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    numbers = [d["number"] for d in partner.get("/w/acme/decisions.json").json()["decisions"]]
    assert sorted(int(r["number"]) for r in rows) == sorted(numbers) == [1, 3]
    assert "owner" not in rows[0] and "blocks" not in rows[0]
    assert all(r["supersedes"] == "" for r in rows)  # the unshared record it replaces stays unnamed
    assert "Not for partners" not in response.content.decode()
    inside = client_for("viewer").get("/w/acme/decisions.csv").content.decode()
    assert "owner" in inside.splitlines()[0] and len(inside.splitlines()) == 4


NOTICE = "Partners will see this decision without its link to"


def test_a_partner_never_sees_an_unshared_initiative_through_a_shared_decision(
    client, users, client_for, workspace, strategy
):
    planned = strategy["initiatives"][Visibility.INTERNAL]  # planned, not shared
    decision = shared_decision(workspace, "Reminders go by Slack.")
    decision.initiatives.add(planned)
    decision.blocks.add(planned)
    partner = client_for("partner")
    for url in (
        "/w/acme/decisions/1/",
        "/w/acme/decisions/1.json",
        "/w/acme/decisions/1.md",
        "/w/acme/decisions/",
        "/w/acme/decisions.json",
        "/w/acme/decisions.md",
        "/w/acme/decisions.csv",
    ):
        response = partner.get(url)
        assert response.status_code == 200, url
        seen = response.content.decode()
        assert "Reminders by Slack" in seen, url
        assert planned.title not in seen and f"/roadmap/{planned.pk}/" not in seen, url
    for path in ("decisions", "decisions/1"):
        read = api_request(client, users["partner"], "get", f"/api/v1/workspaces/acme/{path}")
        assert read.status_code == 200 and planned.title not in read.content.decode(), path
    # Inside the organisation the link stays.
    assert planned.title in client_for("viewer").get("/w/acme/decisions/1/").content.decode()


def test_an_editor_sharing_a_decision_linked_to_unshared_initiatives_is_told_on_save(
    client_for, workspace, strategy
):
    internal = strategy["initiatives"][Visibility.INTERNAL]
    theirs = strategy["initiatives"][Visibility.PARTNER]
    shared_decision(workspace, "Reminders go by Slack.", shared=False)
    form = {
        "title": "Reminders by Slack",
        "question": "Do reminders go by Slack?",
        "raised_on": "2026-01-05",
        "initiatives": [internal.pk, theirs.pk],
        "blocks": [internal.pk],
    }
    editor = client_for("editor")
    kept = editor.post("/w/acme/decisions/1/edit/", form, follow=True).content.decode()
    assert NOTICE not in kept  # not shared: partners see nothing of it
    shared = editor.post(
        "/w/acme/decisions/1/edit/", {**form, "shared_with_partners": "on"}, follow=True
    )
    page = shared.content.decode()
    assert shared.status_code == 200
    assert f"{NOTICE} “{internal.title}”, which is not shared with them." in page
    assert f"“{theirs.title}”, which" not in page
