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
