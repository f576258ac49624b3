"""The claims page's period filters: the claims on an item whose target date moved in a period
(said by its end), and those on an item that shipped in one. The page shows each as a plain
filter with a link that removes it, the CSV export, the API and `truenorth claims list` take
the same, and a malformed one is a 400 (or the command's usage error) that says why. The
executives' update links its counts to them (tests/test_updates_executives_figures.py). Real
database and pages, Django's test client."""

import csv
import io
from datetime import date

import pytest
from click.testing import CliRunner

from tests.api import api_request
from tests.test_updates_executives_figures import claim, initiative, moved
from truenorth.claims.models import Verdict
from truenorth.cli import main
from truenorth.roadmap.models import Status

PAGE = "/w/acme/claims/"
API = "/api/v1/workspaces/acme/claims"
MOVED_IN = "moved_from=2026-11-07&moved_to=2026-12-06"
SHIPPED_IN = "shipped_from=2026-11-01&shipped_to=2026-11-30"


@pytest.fixture
def claims(workspace):
    """Committed claims on an item whose date moved on 12 Nov and on one whose date moved on 23
    Oct, and claims said live before their item shipped, on 9 Nov and on 5 Oct."""
    wizard = initiative(
        workspace, "Connection wizard", Status.COMMITTED, target_date=date(2027, 1, 28)
    )
    audit = initiative(workspace, "SOC 2 audit", Status.COMMITTED, target_date=date(2027, 1, 16))
    moved(wizard, "2026-12-21", "2027-01-28", date(2026, 11, 12))
    moved(audit, "2026-12-17", "2027-01-16", date(2026, 10, 23))
    # Scored as a check scores them, for the export's score column.
    heard = {"said_status": Status.COMMITTED, "said_target_date": date(2026, 12, 21), "score": 70}
    claim(workspace, wizard, "Alder & Finch", date(2026, 10, 10), Verdict.COMMITTED, **heard)
    holds = {**heard, "said_target_date": date(2027, 1, 28)}
    claim(workspace, wizard, "Pinebrook", date(2026, 11, 20), Verdict.COMMITTED, **holds)
    # Said after the period: its date did not move in the period for this customer.
    claim(workspace, wizard, "Latecomer", date(2026, 12, 20), Verdict.COMMITTED, **holds)
    early = {**heard, "said_target_date": date(2026, 12, 17)}
    claim(workspace, audit, "Globex", date(2026, 10, 1), Verdict.COMMITTED, **early)
    slack = initiative(
        workspace, "Approve from Slack", Status.SHIPPED, actual_date=date(2026, 11, 9)
    )
    export = initiative(workspace, "Bulk export", Status.SHIPPED, actual_date=date(2026, 10, 5))
    said = {"said_status": Status.IN_PROGRESS, "score": 70}
    claim(workspace, slack, "Northwind Dental", date(2026, 10, 20), Verdict.SAID_EARLY, **said)
    claim(workspace, export, "Initech", date(2026, 9, 1), Verdict.SAID_EARLY, **said)


def accounts(html: str) -> list[str]:
    """The accounts of the claims the page lists, in its order."""
    return [
        row.split("</a>")[0].split(">")[-1] for row in html.split('<td data-label="Account">')[1:]
    ]


def test_the_date_moved_period_lists_the_claims_on_items_whose_date_moved_in_it(claims, client_for):
    member = client_for("member")
    listed = member.get(f"{PAGE}?{MOVED_IN}").content.decode()
    assert sorted(accounts(listed)) == ["Alder &amp; Finch", "Pinebrook"]
    flagged = member.get(f"{PAGE}?verdict=committed&moved=1&{MOVED_IN}").content.decode()
    assert accounts(flagged) == ["Alder &amp; Finch"]
    # Shown as a plain filter; removing it keeps the others.
    said = "Date moved between 7 Nov 2026 and 6 Dec 2026"
    assert (
        f'<p id="filter-moved">{said}. <a href="?verdict=committed&amp;moved=1" '
        f'aria-label="Remove this filter: {said}">Remove this filter</a></p>'
    ) in flagged
    every = member.get(f"{PAGE}?verdict=committed&moved=1").content.decode()
    assert sorted(accounts(every)) == ["Alder &amp; Finch", "Globex"]
    assert 'id="filter-moved"' not in every


def test_the_shipped_period_lists_the_claims_on_items_that_shipped_in_it(claims, client_for):
    listed = client_for("member").get(f"{PAGE}?verdict=said_early&{SHIPPED_IN}").content.decode()
    assert accounts(listed) == ["Northwind Dental"]
    said = "Shipped between 1 Nov 2026 and 30 Nov 2026"
    assert f'<p id="filter-shipped">{said}. <a href="?verdict=said_early"' in listed


@pytest.mark.parametrize(
    "query, said, listed",
    [
        ("moved_from=2026-11-01", "Date moved on or after 1 Nov 2026", 3),
        ("moved_to=2026-10-31", "Date moved on or before 31 Oct 2026", 1),
        ("shipped_to=2026-10-31", "Shipped on or before 31 Oct 2026", 1),
    ],
)
def test_a_period_open_at_one_end_says_so(claims, client_for, query, said, listed):
    page = client_for("member").get(f"{PAGE}?{query}").content.decode()
    assert f"{said}. <a" in page
    assert len(accounts(page)) == listed


def test_the_export_and_the_api_take_the_same_periods(claims, client_for, client, users):
    member = client_for("member")
    for query, expected in [
        (f"verdict=committed&moved=1&{MOVED_IN}", ["Alder & Finch"]),
        (f"verdict=said_early&{SHIPPED_IN}", ["Northwind Dental"]),
    ]:
        exported = member.get(f"{PAGE}export.csv?{query}").content.decode()
        assert [row["account"] for row in csv.DictReader(io.StringIO(exported))] == expected
        api_query = query.replace("moved=1", "moved=true")
        answer = api_request(client, users["member"], "get", f"{API}?{api_query}").json()
        assert [item["account"] for item in answer["items"]] == expected


@pytest.mark.parametrize(
    "query, field, why",
    [
        ("moved_from=2026-13-01", "moved_from", "Enter a valid date."),
        ("moved_to=yesterday", "moved_to", "Enter a valid date."),
        (
            "shipped_from=2026-12-01&shipped_to=2026-11-01",
            "shipped_to",
            "The end of the period comes before its start.",
        ),
    ],
)
def test_a_malformed_period_is_refused_with_a_message(
    claims, client_for, client, users, query, field, why
):
    member = client_for("member")
    for url in (f"{PAGE}?{query}", f"{PAGE}export.csv?{query}"):
        response = member.get(url)
        assert response.status_code == 400
        assert f"Bad filter: {field}: {why}" in response.content.decode()
    twin = member.get(f"{PAGE}?{query}", headers={"Accept": "application/json"})
    assert twin.status_code == 400 and twin.json() == {"error": f"Bad filter: {field}: {why}"}
    answer = api_request(client, users["member"], "get", f"{API}?{query}")
    assert answer.status_code == 400 and field in answer.json()["detail"]


def listed_by_command(*options: str):
    return CliRunner().invoke(main, ["claims", "list", "-w", "acme", *options])


def test_the_command_line_lists_the_same_periods(claims):
    period = ["--moved-from", "2026-11-07", "--moved-to", "2026-12-06"]
    flagged = listed_by_command("--verdict", "committed", "--moved", *period)
    assert flagged.exit_code == 0 and "Alder & Finch" in flagged.output
    assert "Globex" not in flagged.output and "Pinebrook" not in flagged.output
    shipped = listed_by_command("--verdict", "said_early", "--shipped-from", "2026-11-01")
    assert "Northwind Dental" in shipped.output and "Initech" not in shipped.output


@pytest.mark.parametrize(
    "options, said",
    [
        (["--moved-from", "2026-13-01"], "--moved-from: Enter a valid date."),
        (
            ["--shipped-from", "2026-12-01", "--shipped-to", "2026-11-01"],
            "--shipped-to: The end of the period comes before its start.",
        ),
    ],
)
def test_the_command_line_refuses_a_malformed_period(claims, options, said):
    refused = listed_by_command(*options)
    assert refused.exit_code == 2 and said in refused.output


def test_the_command_line_says_which_period_found_nothing(claims):
    empty = listed_by_command("--shipped-from", "2030-01-01", "--shipped-to", "2030-02-01")
    assert empty.exit_code == 0
    assert "No claims on an item that shipped between 1 Jan 2030 and 1 Feb 2030." in empty.output


def test_an_accounts_list_takes_the_periods_too(claims, client_for):
    """It ignored them: the account's page listed every claim under a period it did not apply."""
    member = client_for("member")
    page = member.get(f"/w/acme/claims/accounts/Globex/?{MOVED_IN}").content.decode()
    assert accounts(page) == [] and "Date moved between 7 Nov 2026 and 6 Dec 2026" in page
    page = member.get("/w/acme/claims/accounts/Globex/?moved_from=2026-10-01").content.decode()
    assert accounts(page) == ["Globex"]
    refused = member.get("/w/acme/claims/accounts/Globex/?shipped_to=2026-02-30")
    assert refused.status_code == 400 and "shipped_to" in refused.content.decode()


def test_an_accounts_page_and_the_list_filtered_to_it_keep_their_own_headings(claims, client_for):
    """Their heads were kept under one name: whichever was read first headed the other."""
    member = client_for("member")
    assert "<h1>Claims to Globex" in member.get("/w/acme/claims/accounts/Globex/").content.decode()
    listed = member.get(f"{PAGE}?account=Globex").content.decode()
    assert "<h1>Claims to customers" in listed and accounts(listed) == ["Globex"]
