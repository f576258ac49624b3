"""What the customer heard stays on record: a claim said live before its initiative shipped keeps
a verdict that says so once it ships, counted with the over-promises as said; and the committed
claims whose date the customer heard has moved since are counted where "good while the dates
hold" is said, with a filter to list them. Real model, real pages, API and command line."""

import csv
import io
import json
from datetime import UTC, date, datetime

import pytest
from click.testing import CliRunner
from django.utils import timezone
from django.utils.html import escape

from tests.api import api_request
from tests.test_claims import VERIFICATION, claim, payments  # noqa: F401 (a fixture)
from truenorth.claims.actions import recheck_all
from truenorth.claims.models import DATE_MOVED_SINCE_SAID, Claim, Verdict
from truenorth.claims.verdicts import committed_dates_moved, promise_summary
from truenorth.claims.wording import says_live_now
from truenorth.cli import main
from truenorth.dashboard.signals import promises as over_promise_signal
from truenorth.roadmap.actions import save_initiative
from truenorth.roadmap.models import Initiative, Status
from truenorth.workspaces.models import Workspace

API = "/api/v1/workspaces/acme/claims"
# The demo's RFP answer to Tidewater Foods, said while RM-09 was being built.
SEGMENTS = "RFP: invoices are posted to the right NetSuite subsidiary and custom segments today."
SAID_ON = date(2026, 9, 17)
SHIPPED_AT = datetime(2026, 10, 16, 10, tzinfo=UTC)
SAID_EARLY = (
    "Said live before it shipped — shipped since: when said it was being built, due 8 Oct 2026. "
    "Nothing to correct with the customer now, but the claim was not true when made."
)


@pytest.fixture
def integrations(workspace):
    def initiative(key, title, status, target=None):
        return Initiative.objects.create(
            workspace=workspace, key=key, title=title, status=status, target_date=target
        )

    return {
        "segments": initiative(
            "RM-09",
            "NetSuite subsidiaries and custom segments mapping",
            Status.IN_PROGRESS,
            date(2026, 10, 8),
        ),
        "slack": initiative("RM-11", "Approve invoices from Slack", Status.SHIPPED),
        "ach": initiative("RM-19", "ACH payment runs", Status.IN_PROGRESS, date(2027, 2, 26)),
    }


def ship(initiative):
    initiative.status = Status.SHIPPED
    save_initiative(initiative, at=SHIPPED_AT)


def tile(page: str, verdict: str) -> str:
    """The claims page's tile of one verdict, as HTML."""
    return page.partition(f'id="count-{verdict}"')[2].partition("</a>")[0]


def rows(client, query: str = "") -> list[dict]:
    export = client.get(f"/w/acme/claims/export.csv{query}").content.decode()
    return list(csv.DictReader(io.StringIO(export)))


@pytest.mark.parametrize(
    ("text", "live"),
    [
        (SEGMENTS, True),
        ("Slack approvals work today.", True),
        ("Talked to them today about the custom segments mapping.", False),
        ("We will show them the segments mapping today.", False),
        ("Told them today the segments mapping is on the roadmap.", False),
    ],
)
def test_today_said_of_the_product_reads_as_live_now_and_the_day_of_the_call_does_not(text, live):
    assert says_live_now(text) is live


def test_a_claim_said_live_before_it_shipped_keeps_a_verdict_that_says_so_everywhere(
    workspace, integrations, users, client_for, client
):
    said = claim(workspace, SEGMENTS, "Tidewater Foods", said_on=SAID_ON, source="RFP answer")
    assert said.verdict == Verdict.OVER_PROMISE  # not live when said, nor when checked

    ship(integrations["segments"])
    recheck_all(workspace)
    said.refresh_from_db()
    assert said.verdict == Verdict.SAID_EARLY and said.said_status == Status.IN_PROGRESS
    assert said.reason == said.verdict_meaning == SAID_EARLY
    # Recorded only after it shipped, the claim reads the same: the roadmap as it was that day.
    late = claim(workspace, SEGMENTS, "Marlow Outdoor", said_on=SAID_ON)
    assert late.verdict == Verdict.SAID_EARLY and late.reason == SAID_EARLY

    member = client_for("member")
    page = member.get("/w/acme/claims/").content.decode()
    assert '<span class="verdict verdict-said_early"' in page
    assert f'<small class="reason">{escape(SAID_EARLY)}</small>' in page
    [row, _] = rows(member, "?verdict=said_early")
    assert (row["verdict"], row["reason"]) == ("said_early", SAID_EARLY)
    shown = api_request(client, users["member"], "get", f"{API}/{said.pk}").json()
    assert (shown["verdict"], shown["reason"]) == ("said_early", SAID_EARLY)
    listed = CliRunner().invoke(main, ["claims", "list", "--verdict", "said_early", "-w", "acme"])
    assert listed.exit_code == 0 and "said early" in listed.output
    assert "Tidewater Foods" in listed.output and "Marlow Outdoor" in listed.output


@pytest.mark.parametrize(
    "text",
    [
        "Told them NetSuite subsidiaries and custom segments will be mapped by October.",
        "Said approvers can approve invoices straight from Slack today.",  # shipped when said
    ],
)
def test_a_claim_that_did_not_say_live_before_it_shipped_is_available(
    workspace, integrations, text
):
    ship(integrations["segments"])
    said = claim(workspace, text, said_on=SAID_ON)
    assert said.verdict == Verdict.AVAILABLE and said.reason == ""


def test_an_over_promise_as_said_counts_on_the_dashboard_and_the_tile_says_what_it_leaves_out(
    workspace, integrations, users, client_for, client
):
    """The dashboard counted 8 of 20 (40%) and the claims page the same: the RFP answer that
    called RM-09 live a month before it shipped had become "Available" in every figure."""
    claim(workspace, SEGMENTS, "Tidewater Foods", said_on=SAID_ON)
    claim(workspace, "Told them ACH payment runs are live today.", "Pinebrook", said_on=SAID_ON)
    claim(workspace, "Said approvers can approve invoices from Slack.", "Globex", said_on=SAID_ON)
    ship(integrations["segments"])
    recheck_all(workspace)

    summary = promise_summary(workspace)
    assert summary["by_verdict"] == {
        "available": 1,
        "committed": 0,
        "over_promise": 2,  # as said: the one still wrong and the one shipped since
        "no_capability": 0,
    }
    assert summary["said_early"] == 1 and summary["over_promise_share"] == round(2 / 3, 3)
    assert summary["trend"] == [("2026-09", 3, 2)]
    signal = over_promise_signal(workspace)
    assert round(signal.value) == 67 and "2 over-promise" in signal.note
    # Its two figures named, so that the claims page's smaller one reads as part of it.
    assert (
        "(counted as said: 1 still wrong today, the claims page's “Over-promise”, and 1 said "
        "live before it shipped)" in signal.note
    )

    page = client_for("member").get("/w/acme/claims/").content.decode()
    over = tile(page, "over_promise")  # what is still wrong today
    assert '<div class="signal-value">33%</div>' in over and "1 of 3 checked claims" in over
    note = (
        "Still wrong today. Counting what was said, 2 of 3 (67%, the alignment dashboard&#x27;s "
        "figure): 1 more was said live before shipping."
    )
    assert f'<p class="signal-words" id="count-over_promise-note">{note}</p>' in page
    assert "1 of 3 checked claims" in tile(page, "said_early")  # its own tile, which lists it
    assert api_request(client, users["member"], "get", f"{API}/summary").json()["said_early"] == 1


AFTER = "Said ACH payment runs are due by 30 April."


@pytest.fixture
def dates_moved(workspace, payments):  # noqa: F811
    """Four committed claims: three told a date that has moved since (two to one account, in two
    spellings), one to that account said after the move."""
    told = [
        claim(workspace, VERIFICATION, "Alder & Finch", said_on=date(2026, 12, 1)),
        claim(workspace, "Said ACH payment runs are due by 26 February.", "Pinebrook Clinics"),
        claim(workspace, "Told them ACH payment runs ship in February.", "PINEBROOK CLINICS"),
    ]
    payments["verification"].target_date = date(2027, 3, 20)
    payments["ach"].target_date = date(2027, 4, 30)
    for moved in ("verification", "ach"):
        save_initiative(payments[moved])
    recheck_all(workspace)
    after = claim(workspace, AFTER, "Pinebrook Clinics", said_on=timezone.localdate())
    assert all(c.verdict == Verdict.COMMITTED for c in workspace.claims.all())
    return {"told": told, "after": after}


def test_the_committed_tile_counts_the_claims_whose_date_moved_and_links_to_them(
    workspace, dates_moved, client_for
):
    """It said "5 of 20 checked claims — good while the dates hold" while the customers of 3 of
    them had been told a date that had moved."""
    assert committed_dates_moved(workspace.claims.all()) == {
        "committed": 4,
        "moved": 3,
        "accounts": 2,
    }
    flagged = {c.pk for c in workspace.claims.all() if c.moved_since_said.startswith("date moved")}
    moved = workspace.claims.filter(DATE_MOVED_SINCE_SAID)  # the query behind the filter
    assert flagged == set(moved.values_list("pk", flat=True))
    assert dates_moved["after"].pk not in flagged

    member = client_for("member")
    page = member.get("/w/acme/claims/").content.decode()
    note = "3 of 4: the date the customer heard has moved, 2 accounts."
    assert f'<p class="signal-words" id="count-committed-note">{note}</p>' in page
    assert '<a href="?verdict=committed&amp;moved=1" id="dates-moved"' in page
    assert "Committed, date moved since said (3)</a>" in page
    listed = member.get("/w/acme/claims/?verdict=committed&moved=1").content.decode()
    assert "Alder &amp; Finch" in listed and "PINEBROOK CLINICS" in listed
    assert AFTER not in listed and 'id="dates-moved" class="current"' in listed
    account = member.get("/w/acme/claims/accounts/Pinebrook%20Clinics/?moved=1").content.decode()
    assert account.count('data-label="Said on"') == 2 and AFTER not in account
    assert "2 of 3: the date the customer heard has moved, 1 account." in account


def test_the_claims_whose_date_moved_are_counted_and_filtered_alike_everywhere(
    workspace, dates_moved, users, client_for, client
):
    member = client_for("member")
    exported = rows(member, "?verdict=committed&moved=1")
    assert len(exported) == 3 and all(r["moved_since_said"] for r in exported)
    response = member.get("/w/acme/claims/export.csv?moved=1")
    assert response["Content-Disposition"].endswith('acme-claims-date-moved.csv"')

    counted = {"committed": 4, "moved": 3, "accounts": 2}
    summary = json.loads(member.get("/w/acme/claims/summary.json").content)
    assert summary["committed_dates_moved"] == counted
    answer = api_request(client, users["member"], "get", f"{API}/summary").json()
    assert answer["committed_dates_moved"] == counted
    assert answer == summary  # one function behind both
    listed = api_request(client, users["member"], "get", f"{API}?moved=true").json()
    assert listed["count"] == 3
    command = CliRunner().invoke(main, ["claims", "list", "--moved", "-w", "acme"])
    assert command.exit_code == 0 and command.output.count("date moved since said") == 3


@pytest.mark.parametrize(
    "url",
    [
        "/w/acme/claims/?moved=yes",
        "/w/acme/claims/export.csv?moved=2",
        "/w/acme/claims/accounts/Globex/?moved=true",
    ],
)
def test_a_malformed_moved_filter_is_refused_with_a_message(workspace, client_for, url):
    Claim.objects.create(workspace=workspace, said_on=SAID_ON, account="Globex", text="x")
    response = client_for("member").get(url)
    assert response.status_code == 400 and b"moved" in response.content


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_what_was_said_of_claims_checked_before_it():
    from tests.migrating import migrate

    before = [("claims", "0002_date_as_said")]
    executor = migrate(before)
    try:
        old = executor.loader.project_state(before[0]).apps
        space = Workspace.objects.create(name="Old", slug="old")  # its app is not moved back

        def stored(text, said_status):
            return old.get_model("claims", "Claim").objects.create(
                workspace_id=space.pk,
                said_on=SAID_ON,
                account="Tidewater Foods",
                text=text,
                verdict="available",
                matched=True,
                said_status=said_status,
            )

        early = stored(SEGMENTS, "in_progress")
        shipped_then = stored(SEGMENTS, "shipped")
        promised = stored("Said the segments mapping will ship in October.", "in_progress")
        migrate(None)
        verdicts = dict(Claim.objects.values_list("pk", "verdict"))
        assert verdicts[early.pk] == Verdict.SAID_EARLY
        assert verdicts[shipped_then.pk] == verdicts[promised.pk] == Verdict.AVAILABLE
    finally:
        migrate(None)
