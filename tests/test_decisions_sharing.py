"""Sharing a decision with partners shares its words: an editor is warned, on the decision's page
and its form, of each internal name those words hold. And the log says how long a decision
took, not how long is left."""

import csv
import io
import re
from datetime import date

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
