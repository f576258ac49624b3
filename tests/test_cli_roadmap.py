"""`truenorth roadmap list / set / history / archive / restore`: the initiative form's rules and
roadmap.actions, as on the roadmap page. Every refusal is a message and a failing exit code, and
changes nothing."""

import json
from datetime import date

import pytest
from click.testing import CliRunner

from truenorth.cli import main
from truenorth.roadmap.models import Initiative, InitiativeChange, Status
from truenorth.workspaces.models import Team


def run(*args):
    return CliRunner().invoke(main, ["roadmap", *args, "-w", "acme"])


@pytest.fixture
def initiatives(workspace):
    def initiative(key, title, status, target=None, **fields):
        return Initiative.objects.create(
            workspace=workspace, key=key, title=title, status=status, target_date=target, **fields
        )

    return {
        "portal": initiative("RM-3", "Supplier portal", Status.PLANNED, estimate_weeks=4),
        "feeds": initiative("RM-2", "Bank feeds", Status.COMMITTED, date(2027, 3, 1)),
        "slack": initiative(
            "RM-1",
            "Slack approvals",
            Status.SHIPPED,
            date(2026, 9, 1),
            actual_date=date(2026, 9, 3),
        ),
    }


def test_list_orders_by_target_date_and_filters(initiatives):
    listed = run("list")
    assert listed.exit_code == 0, listed.output
    header, *lines = listed.output.splitlines()
    assert header.split() == ["ID", "KEY", "STATUS", "DATE", "TITLE"]
    rows = [line.split() for line in lines]
    assert [row[1] for row in rows] == ["RM-1", "RM-2", "RM-3"]  # undated last
    # Shipped: the day it shipped, not the target it had.
    assert rows[0][2:5] == ["shipped", "shipped", "2026-09-03"]
    assert rows[1][:4] == [str(initiatives["feeds"].pk), "RM-2", "committed", "2027-03-01"]
    assert rows[2][2:4] == ["planned", "—"]
    committed = run("list", "--status", "committed", "--json")
    [row] = [json.loads(line) for line in committed.output.splitlines()]
    assert (row["id"], row["key"], row["target_date"]) == (
        initiatives["feeds"].pk,
        "RM-2",
        "2027-03-01",
    )
    assert row["status_meaning"] and row["archived"] is False


def test_set_changes_only_what_is_given_and_prints_the_history_it_recorded(initiatives):
    portal = initiatives["portal"]
    result = run("set", str(portal.pk), "--status", "committed", "--target", "2027-05-31")
    assert result.exit_code == 0, result.output
    portal.refresh_from_db()
    assert (portal.status, portal.target_date) == (Status.COMMITTED, date(2027, 5, 31))
    assert (portal.title, portal.estimate_weeks) == ("Supplier portal", 4)
    assert result.output.splitlines() == [
        f"Saved initiative {portal.pk}: Supplier portal (committed).",
        "  Status: planned → committed",
        "  Target date: — → 2027-05-31",
    ]
    undated = run("set", str(portal.pk), "--target", "none")
    assert "--target: A committed initiative needs its target date." in undated.output
    cleared = run(
        "set", str(portal.pk), "--status", "planned", "--target", "none", "--estimate", "6"
    )
    assert cleared.exit_code == 0, cleared.output
    portal.refresh_from_db()
    assert (portal.target_date, portal.estimate_weeks) == (None, 6)
    assert portal.changes.count() == 5


def test_shipping_needs_the_day_it_shipped(initiatives):
    feeds = initiatives["feeds"]
    refused = run("set", str(feeds.pk), "--status", "shipped")
    assert refused.exit_code == 1
    assert "not changed: --shipped: A shipped initiative needs the date it shipped." in (
        refused.output
    )
    shipped = run("set", str(feeds.pk), "--status", "shipped", "--shipped", "2026-11-20")
    assert shipped.exit_code == 0, shipped.output
    feeds.refresh_from_db()
    assert (feeds.status, feeds.actual_date) == (Status.SHIPPED, date(2026, 11, 20))


def test_set_team_names_a_team_in_any_case_and_none_clears_it(initiatives, workspace):
    payments = Team.objects.create(workspace=workspace, name="Payments")
    Team.objects.create(workspace=workspace, name="Ledger")
    feeds = initiatives["feeds"]
    result = run("set", str(feeds.pk), "--team", "payments")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"Saved initiative {feeds.pk}: Bank feeds (committed, team Payments)."
    ]
    feeds.refresh_from_db()
    assert feeds.team == payments
    moved_on = run("set", str(feeds.pk), "--status", "in_progress")
    assert moved_on.exit_code == 0, moved_on.output
    feeds.refresh_from_db()
    assert (feeds.team, feeds.status) == (payments, Status.IN_PROGRESS)  # kept unless given
    unknown = run("set", str(feeds.pk), "--team", "Warehouse")
    assert unknown.exit_code == 1
    assert "no team named 'Warehouse'; the teams: Ledger, Payments" in unknown.output
    feeds.refresh_from_db()
    assert feeds.team == payments
    cleared = run("set", str(feeds.pk), "--team", "none")
    assert cleared.exit_code == 0, cleared.output
    feeds.refresh_from_db()
    assert feeds.team is None


def test_history_lists_the_changes_oldest_first(initiatives):
    portal = initiatives["portal"]
    run("set", str(portal.pk), "--status", "exploring")
    run("set", str(portal.pk), "--status", "planned")
    result = run("history", str(portal.pk))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Supplier portal (planned)"
    assert [line.split(None, 1)[1] for line in lines[1:]] == [
        "Status: planned → exploring",
        "Status: exploring → planned",
    ]
    quiet = run("history", str(initiatives["feeds"].pk))
    assert "No change of status, target date or estimate recorded." in quiet.output


def test_archive_and_restore(initiatives):
    portal = initiatives["portal"]
    assert run("archive", str(portal.pk)).exit_code == 0
    assert not Initiative.objects.filter(pk=portal.pk).exists()
    assert run("list", "--archived").output.split()[5:7] == [str(portal.pk), "RM-3"]
    assert "RM-3" not in run("list").output
    unchanged = run("set", str(portal.pk), "--status", "committed")
    assert "an archived one cannot be changed" in unchanged.output
    assert "archived already" in run("archive", str(portal.pk)).output
    assert run("restore", str(portal.pk)).exit_code == 0
    assert Initiative.objects.filter(pk=portal.pk).exists()
    assert "is not archived" in run("restore", str(portal.pk)).output


@pytest.mark.parametrize(
    "args, error",
    [
        (["set", "999", "--status", "planned"], "there is no initiative 999"),
        (["history", "999"], "there is no initiative 999"),
        (["set", "{portal}", "--target", "31/03/2027"], "is not a date; write it as"),
        (["set", "{portal}", "--target", "9999-01-01"], "--target: 9999-01-01 is not between"),
        (["set", "{portal}", "--estimate", "-1"], "--estimate: An estimate cannot be negative."),
        (["set", "{portal}", "--title", ""], "--title: This field is required."),
        (["set", "{portal}", "--status", "done"], "Invalid value for '--status'"),
    ],
)
def test_refusals_are_messages_and_change_nothing(initiatives, args, error):
    portal = initiatives["portal"]
    result = run(*(arg.format(portal=portal.pk) for arg in args))
    assert result.exit_code != 0
    assert error in result.output and "Traceback" not in result.output
    portal.refresh_from_db()
    assert (portal.status, portal.target_date, portal.title) == (
        Status.PLANNED,
        None,
        "Supplier portal",
    )
    assert not InitiativeChange.objects.exists()
