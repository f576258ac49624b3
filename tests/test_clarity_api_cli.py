"""The clarity check outside its pages: /api/v1/ and `truenorth vision` / `truenorth goals
check` give the score the vision and goals pages show, with the same parts and suggestions."""

import re

import pytest
from click.testing import CliRunner

from tests.api import api_request
from truenorth.analysis.clarity import LABELS
from truenorth.cli import main
from truenorth.glossary.models import Term

API = "/api/v1/workspaces/acme"
DRAFT = {"statement": "A world-class, seamless close.", "horizon": "by 2028"}


def page_score(client, users, path: str) -> int:
    client.force_login(users["viewer"])
    page = client.get(f"/w/acme/{path}").content.decode()
    return int(re.search(r"Clarity (?:<span class=\"clarity-score\">)?(\d+)/100", page)[1])


def cli(*args):
    return CliRunner().invoke(main, [*args, "-w", "acme"])


def test_the_vision_in_force_scores_as_on_its_page(client, users, strategy):
    answer = api_request(client, users["member"], "get", f"{API}/vision/clarity")
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["score"] == page_score(client, users, "vision/")
    assert [p["name"] for p in data["parts"]][:2] == ["destination", "measures_of_progress"]
    assert all(p["present"] == (p["label"] not in data["missing"]) for p in data["parts"])
    printed = cli("vision", "check")
    assert printed.exit_code == 0, printed.output
    assert printed.output.startswith(f"Clarity {data['score']}/100")


def test_a_goal_scores_as_on_its_card(client, users, strategy):
    goal = strategy["goals"][0]
    data = api_request(client, users["viewer"], "get", f"{API}/goals/{goal.pk}/clarity").json()
    assert data["score"] == page_score(client, users, "goals/")  # the first card's
    printed = cli("goals", "check", str(goal.pk))
    assert printed.output.splitlines()[:2] == [
        f"Goal {goal.pk}: Faster close",
        f"Clarity {data['score']}/100 (a wording checklist, not a judgement of the strategy)",
    ]
    for label in data["missing"]:
        assert f"✗ missing: {label}" in printed.output


def test_a_draft_is_checked_and_nothing_is_saved(client, users, strategy, workspace):
    answer = api_request(client, users["editor"], "post", f"{API}/vision/clarity", DRAFT, "write")
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert {f["phrase"] for f in data["findings"]} == {"world-class", "seamless"}
    horizon = next(p for p in data["parts"] if p["name"] == "horizon")
    assert (horizon["present"], horizon["found_in"], horizon["evidence"]) == (
        True,
        "field",
        "by 2028",
    )
    printed = cli("vision", "check", "--statement", DRAFT["statement"], "--horizon", "by 2028")
    assert printed.output.startswith(f"Clarity {data['score']}/100")
    assert "“world-class” (buzzword): " in printed.output
    assert workspace.visions.count() == 1


def test_a_draft_needs_a_writer_and_a_statement(client, users, strategy):
    url = f"{API}/vision/clarity"
    assert api_request(client, users["member"], "post", url, DRAFT, "write").status_code == 403
    assert api_request(client, users["editor"], "post", url, DRAFT, "read").status_code == 403
    no_statement = api_request(client, users["editor"], "post", url, {"horizon": "2028"}, "write")
    assert no_statement.status_code == 400
    refused = cli("vision", "check", "--horizon", "2028")
    assert refused.exit_code == 2 and "a draft needs its --statement" in refused.output


def test_before_a_vision_is_written(client, users, workspace):
    assert api_request(client, users["viewer"], "get", f"{API}/vision/clarity").status_code == 404
    for args in (("vision", "show"), ("vision", "check")):
        result = cli(*args)
        assert result.exit_code == 1 and "acme has no vision yet" in result.output


@pytest.mark.parametrize("path", ["vision/clarity", "goals/{goal}/clarity"])
def test_partners_read_no_clarity(client, users, strategy, path):
    url = f"{API}/{path.format(goal=strategy['goals'][0].pk)}"
    assert api_request(client, users["partner"], "get", url).status_code == 403


def test_show_prints_the_vision_in_force(strategy):
    shown = cli("vision", "show")
    assert shown.exit_code == 0, shown.output
    lines = shown.output.splitlines()
    assert lines[0].startswith("Vision, version 1 of ")
    assert lines[1] == "Every finance team closes its books in 3 days."
    assert "  Destination: Month-end close in three days" in lines


def test_an_acronym_the_glossary_defines_is_no_longer_jargon(client, users, strategy, workspace):
    """The clarity panel says "Spell out ERP or add it to the glossary"; adding it must work."""
    goal = strategy["goals"][0]
    goal.title = "Make ERP sync reliable for every finance team"
    goal.save()
    url = f"{API}/goals/{goal.pk}/clarity"
    before = api_request(client, users["viewer"], "get", url).json()
    assert [f["phrase"] for f in before["findings"]] == ["ERP"]
    term = Term.objects.create(
        workspace=workspace, name="ERP", canonical_definition="The customer's ledger system."
    )
    after = api_request(client, users["viewer"], "get", url).json()
    assert after["findings"] == [] and after["score"] == before["score"] + 3
    assert (before["explained"], after["explained"]) == ([], ["ERP"])
    assert "Defined in the glossary: ERP" in cli("goals", "check", str(goal.pk)).output
    client.force_login(users["viewer"])
    page = client.get("/w/acme/goals/").content.decode()
    assert f"Clarity {after['score']}/100" in page and "Spell out ERP" not in page
    term.archived_at = term.created_at  # an archived term explains nothing any more
    term.save()
    assert api_request(client, users["viewer"], "get", url).json()["score"] == before["score"]


def test_the_command_line_names_parts_in_the_pages_words(client, users, strategy):
    """`vision check` once printed "in user_benefit"; the page, the API and the command line now
    take the part's name from the same labels (analysis.clarity.LABELS)."""
    draft = {
        "statement": "Every finance team closes its books in 3 days.",
        "user_benefit": "Controllers stop retyping invoices into the ERP.",
        "business_outcome": "Better outcomes for everyone.",
    }
    answer = api_request(client, users["editor"], "post", f"{API}/vision/clarity", draft, "write")
    data = answer.json()
    (erp,) = data["findings"]
    assert (erp["where"], erp["where_label"]) == ("user_benefit", LABELS["user_benefit"])
    outcome = next(p for p in data["parts"] if p["name"] == "business_outcome")
    assert (outcome["present"], outcome["says_nothing"]) == (False, True)
    printed = cli("vision", "check", *(f"--{k.replace('_', '-')}={v}" for k, v in draft.items()))
    assert printed.exit_code == 0, printed.output
    assert "“ERP” (jargon, in user benefit): Spell out ERP" in printed.output
    assert "user_benefit" not in printed.output
    assert "  ✗ says nothing concrete: Business outcome" in printed.output
    assert (
        "Business outcome: “Better outcomes for everyone.” says nothing concrete" in printed.output
    )
    client.force_login(users["editor"])
    fragment = client.post("/w/acme/vision/clarity/", draft).content.decode()
    assert "jargon, in user benefit" in fragment
    assert "Business outcome <small>says nothing concrete</small>" in fragment
