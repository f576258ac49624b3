"""The check-ins list says which closed check-ins will never have results. A round whose
publication was refused beside a check-in near it read "Closed, results not published", as one
waiting for an editor, and its report through the API answered "No results yet"; one closed by its
date without ever being sent read "Closed, results not published" and its page offered "Publish
the results", which then said nobody was asked. Real database, Django's test client, the real
model for the analysis."""

import csv
import io
import re
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from tests.api import caller
from tests.conftest import team_of
from truenorth.checkins.actions import create_alignment_pulse, issue_links, submit_response
from truenorth.checkins.measure import analyze, close_checkin
from truenorth.checkins.models import CLOSED_UNSENT, CheckIn
from truenorth.checkins.overlaps import WouldDisclose
from truenorth.workspaces.models import Function

API = "/api/v1/workspaces/acme/checkins"
REFUSED = "Closed, not published: its figures would give a few people's answers away"


@pytest.fixture
def call(client, users):
    return caller(client, users, API)


def stages(client) -> dict[str, str]:
    """Each check-in's stage, by title, as the list page shows it."""
    page = unescape(client.get("/w/acme/checkins/").content.decode())
    rows = page.split('<td class="lead">')[1:]
    return {
        re.sub(r"<a [^>]*>", "", row).split("<")[0]: row.split('data-label="Stage">')[1].split("<")[
            0
        ]
        for row in rows
    }


def csv_stages(client) -> dict[str, str]:
    rows = csv.DictReader(io.StringIO(client.get("/w/acme/checkins.csv").content.decode()))
    return {row["check-in"]: row["stage"] for row in rows}


def answered_pulse(workspace, title, teams):
    """A pulse asked of `teams`, answered by all of them, closed."""
    opens = timezone.now() - timedelta(days=2)
    checkin = create_alignment_pulse(
        workspace, title, opens, opens + timedelta(days=7), teams=teams
    )
    questions = {q.role: q for q in checkin.questions.all()}
    for n, link in enumerate(issue_links(checkin)):
        answers = {
            questions["vision"]: f"Finance teams close their books in {n + 2} days.",
            questions["priorities"]: "1. Touchless invoices 2. Payments 3. SOC 2",
            questions["purpose"]: "My work gets invoices approved without anyone touching them.",
            questions["direction"]: 1 + n % 5,
        }
        submit_response(link.invitation, link.token, answers)
    close_checkin(checkin)
    return CheckIn.objects.get(pk=checkin.pk)


def test_a_refused_check_in_is_listed_as_never_to_be_published(workspace, users, client_for, call):
    tiger, _ = team_of(workspace, "Tiger", Function.SUPPORT, 3)
    sales, _ = team_of(workspace, "Sales", Function.SALES, 5)
    analyze(answered_pulse(workspace, "Sales pulse", [sales]))
    both = answered_pulse(workspace, "Tiger pulse", [tiger, sales])
    with pytest.raises(WouldDisclose):
        analyze(both)
    editor = client_for("editor")

    assert stages(editor) == {"Sales pulse": "Results published", "Tiger pulse": REFUSED}
    assert csv_stages(editor)["Tiger pulse"] == REFUSED
    assert stages(client_for("member"))["Tiger pulse"] == "Closed"  # reads no results

    listed = {c["title"]: c for c in call("get").json()["items"]}
    assert listed["Tiger pulse"]["state"] == "closed" and listed["Tiger pulse"]["refused"] is True
    assert listed["Tiger pulse"]["stage"] == REFUSED
    assert listed["Sales pulse"]["refused"] is False
    member = {c["title"]: c for c in call("get", role="member", scope="read").json()["items"]}
    assert member["Tiger pulse"]["refused"] is None and member["Tiger pulse"]["stage"] == "Closed"
    detail = call("get", f"/{both.pk}").json()
    assert detail["refused"] is True and detail["warning"].startswith("“Tiger pulse” cannot be")

    report = call("get", f"/{both.pk}/report")
    assert report.status_code == 409
    assert report.json()["title"] == "Will not be published"
    assert report.json()["detail"].startswith("“Tiger pulse” cannot be published: its audience")


def test_a_check_in_closed_unsent_is_listed_so_and_offers_no_publishing(
    workspace, users, client_for, call
):
    opened = timezone.now() - timedelta(days=10)
    unsent = create_alignment_pulse(workspace, "Autumn pulse", opened, opened + timedelta(days=7))
    editor = client_for("editor")

    page = unescape(editor.get(f"/w/acme/checkins/{unsent.pk}/").content.decode())
    assert ">Publish the results</button>" not in page and "press “Publish the results”" not in page
    assert "No results: it closed without being sent, so nobody was asked" in page
    assert stages(editor) == {"Autumn pulse": "Closed without being sent"}
    assert csv_stages(editor) == {"Autumn pulse": "Closed without being sent"}
    listed = call("get").json()["items"][0]
    assert (listed["state"], listed["stage"], listed["refused"]) == (
        "closed",
        "Closed without being sent",
        False,
    )
    assert call("get", f"/{unsent.pk}").json()["warning"] == CLOSED_UNSENT
    report = call("get", f"/{unsent.pk}/report")
    assert report.status_code == 409 and report.json()["title"] == "No results: nobody was asked"
    assert "Publish the results" not in report.json()["detail"]

    # Published anyway (the command line still can): it reads the same, not "without results".
    analyze(unsent)
    assert stages(editor) == {"Autumn pulse": "Closed without being sent"}
    assert call("get").json()["items"][0]["stage"] == "Closed without being sent"


def test_a_closed_check_in_that_asked_people_still_offers_publishing(
    workspace, users, client_for, call
):
    opened = timezone.now() - timedelta(days=10)
    asked = create_alignment_pulse(workspace, "Autumn pulse", opened, opened + timedelta(days=7))
    issue_links(asked)
    editor = client_for("editor")

    assert (
        ">Publish the results</button>"
        in editor.get(f"/w/acme/checkins/{asked.pk}/").content.decode()
    )
    assert stages(editor) == {"Autumn pulse": "Closed, results not published"}
    report = call("get", f"/{asked.pk}/report")
    assert report.json()["title"] == "No results yet"
