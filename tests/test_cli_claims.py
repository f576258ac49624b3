"""`truenorth claims list / add / edit / delete / check`: the claim form's rules and the real
model's verdict, as on the claims page. Every refusal is a message and a failing exit code."""

import json
from datetime import date

import pytest
from click.testing import CliRunner

from tests.test_claims import PORTAL, SLACK, claim, roadmap  # noqa: F401 (a fixture)
from truenorth.claims.models import Claim, Verdict
from truenorth.cli import main

pytestmark = pytest.mark.usefixtures("roadmap")  # the claims are checked against it


def run(*args):
    return CliRunner().invoke(main, ["claims", *args, "-w", "acme"])


def test_a_claim_added_is_checked_and_its_verdict_printed(workspace, users):
    result = run("add", PORTAL, "--account", "Globex", "--by", "EDITOR@acme.test", "--on",
                 "2026-10-12", "--source", "deck")  # fmt: skip
    assert result.exit_code == 0, result.output
    saved = Claim.objects.get()
    assert (saved.account, saved.said_on, saved.source) == ("Globex", date(2026, 10, 12), "deck")
    assert saved.said_by == users["editor"].memberships.get().person
    assert (
        saved.verdict == Verdict.OVER_PROMISE
        and saved.initiative_title == "Supplier portal for invoice submission"
    )
    assert result.output.startswith(f"Recorded claim {saved.pk}: Over-promise: Supplier portal")
    assert "(exploring, score " in result.output


def test_a_name_not_in_truenorth_is_kept_as_written(workspace):
    result = run("add", SLACK, "--account", "Northwind", "--by", "Pat Outside")
    assert result.exit_code == 0, result.output
    saved = Claim.objects.get()
    assert (saved.said_by, saved.said_by_name) == (None, "Pat Outside")
    assert saved.said_on == date.today() and saved.verdict == Verdict.AVAILABLE


def test_an_edit_changes_only_what_is_given_and_checks_again(workspace, users):
    saved = claim(workspace, SLACK, said_by_name="Pat Outside", source="call")
    assert saved.verdict == Verdict.AVAILABLE
    result = run("edit", str(saved.pk), "--text", PORTAL)
    assert result.exit_code == 0, result.output
    saved.refresh_from_db()
    assert (saved.text, saved.said_by_name, saved.source) == (PORTAL, "Pat Outside", "call")
    assert saved.verdict == Verdict.OVER_PROMISE
    assert f"Corrected claim {saved.pk}: Over-promise" in result.output
    moved = run("edit", str(saved.pk), "--by", "member@acme.test", "--on", "2026-09-01")
    assert moved.exit_code == 0, moved.output
    saved.refresh_from_db()
    assert saved.said_by == users["member"].memberships.get().person
    assert (saved.said_by_name, saved.said_on) == ("", date(2026, 9, 1))


def test_list_filters_and_its_json_is_the_apis(workspace):
    available = claim(workspace, SLACK, said_on=date(2026, 10, 1))
    over = claim(workspace, PORTAL, account="Globex", said_on=date(2026, 11, 1))
    listed = run("list")
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert lines[0].split()[:3] == [str(over.pk), "2026-11-01", "over"]
    assert lines[1].split()[:3] == [str(available.pk), "2026-10-01", "available"]
    assert run("list", "--account", "Northwind").output.splitlines() == [lines[1]]
    as_json = run("list", "--verdict", "over_promise", "--json")
    [row] = [json.loads(line) for line in as_json.output.splitlines()]
    assert (row["id"], row["verdict"], row["account"]) == (over.pk, "over_promise", "Globex")
    assert (
        row["evidence"]["title"] == "Supplier portal for invoice submission"
        and row["evidence"]["matched"]
    )


def test_delete_removes_the_claim(workspace):
    saved = claim(workspace, SLACK)
    result = run("delete", str(saved.pk))
    assert result.exit_code == 0, result.output
    assert f"Deleted claim {saved.pk} (Northwind, 2026-11-02: " in result.output
    assert not Claim.objects.exists()


def test_check_and_its_first_name_count_the_verdicts(workspace):
    claim(workspace, SLACK)
    claim(workspace, PORTAL)
    for args in (["claims", "check"], ["check-claims"]):
        result = CliRunner().invoke(main, [*args, "-w", "acme"])
        assert result.exit_code == 0, result.output
        counts = dict(line.rsplit(None, 1) for line in result.output.strip().splitlines())
        assert {k.strip(): int(v) for k, v in counts.items()} == {
            "Available": 1, "Committed": 0, "Over-promise": 1, "Said live before it shipped": 0,
            "No such capability": 0, "Said as not promised": 0,
        }  # fmt: skip


@pytest.mark.parametrize(
    "args, error",
    [
        (["edit", "99", "--text", "x"], "there is no claim 99"),
        (["delete", "99"], "there is no claim 99"),
        (["add", SLACK, "--account", "N", "--by", "nobody@acme.test"], "no person with email"),
        (["add", SLACK, "--account", "N", "--by", "partner@acme.test"], "is a partner"),
        (["add", SLACK, "--account", "N", "--on", "12/10/2026"], "is not a date"),
        (["add", SLACK, "--account", " "], "the claim was not saved: --account:"),
        (["add", "x" * 2001, "--account", "N"], "text: Ensure this value has at most 2000"),
    ],
)
def test_refusals_are_messages_and_save_nothing(workspace, users, args, error):
    result = run(*args)
    assert result.exit_code != 0
    assert error in result.output and "Traceback" not in result.output
    assert not Claim.objects.exists()
