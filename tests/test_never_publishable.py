"""An open round sent to people a few apart from those of a check-in published near it can never
be published (walk 89, 2026-12-07). It warned every later round and back-brief that differed
from it ("only the first of the two to be published can be … or open it from 13 Jan 2027 on")
though it could never be the first; it was sent with one click, listed as plain "Open", and once
sent could not be ended. Now it warns nobody, sending it takes a tick of "Send anyway", the list
says it can never be published, and its page closes it without publishing. Whatever is published
is still audited beside what is published by then: no two rounds a few people apart are ever
both published. Real database, the real model, Django's test client."""

import csv
import io
from datetime import date, timedelta
from html import unescape

import pytest
from django.utils import timezone

from tests.api import caller
from tests.test_subtraction_between_checkins import answered_pulse, teams  # noqa: F401 (a fixture)
from truenorth.checkins.actions import create_alignment_pulse, issue_links, submit_response
from truenorth.checkins.measure import analyze, close_checkin
from truenorth.checkins.models import CheckIn, Delivery, Report
from truenorth.checkins.overlaps import (
    WouldDisclose,
    can_have_results,
    never_publishable,
    too_close,
    warnings,
)
from truenorth.decisions import actions as decisions
from truenorth.decisions.models import Decision

OPEN_REFUSED = "Open — can never be published"
SEND_ANYWAY = "Send anyway: its results will never be shown"
TIGER_APART = "differs from “Tiger pulse” by 3 people"


def sent_round(workspace, title, asked, answering: int = 2) -> tuple[CheckIn, dict]:
    """A pulse of `asked`, open since yesterday for a week, its links sent and `answering` of
    its people's answers in; with each person's token."""
    opens = timezone.now() - timedelta(days=1)
    checkin = create_alignment_pulse(
        workspace, title, opens, opens + timedelta(days=8), teams=asked
    )
    links = issue_links(checkin)
    questions = {q.role: q for q in checkin.questions.all()}
    for n, link in enumerate(links[:answering]):
        answers = {
            questions["vision"]: f"Finance teams close their books in {n + 2} days.",
            questions["priorities"]: "1. Touchless invoices 2. Payments 3. SOC 2",
            questions["purpose"]: "My work gets invoices approved without anyone touching them.",
            questions["direction"]: 4,
        }
        submit_response(link.invitation, link.token, answers)
    return checkin, {link.person.pk: link.token for link in links}


def later_round(workspace, title, asked, opens_in=timedelta(days=1)) -> CheckIn:
    """A pulse of `asked`, not sent yet, opening after `opens_in` (before now, when negative)."""
    opens = timezone.now() + opens_in
    return create_alignment_pulse(workspace, title, opens, opens + timedelta(days=7), teams=asked)


OPEN_NOW = timedelta(minutes=-1)


@pytest.fixture
def press(client_for, django_capture_on_commit_callbacks):
    """Post to a check-in's send button as an editor; the sending queued on commit runs."""

    def press(checkin, **posted):
        with django_capture_on_commit_callbacks(execute=True):
            return client_for("editor").post(
                f"/w/acme/checkins/{checkin.pk}/send/", {"what": "invitations", **posted}
            )

    return press


def decided_for(workspace, people) -> Decision:
    decision = decisions.add_decision(
        Decision(workspace=workspace, title="Pricing", question="How?", raised_on=date.today())
    )
    decisions.decide(decision, date.today(), "Per entity.", "Seats stopped matching usage.")
    decision.informed.add(*people)
    return decision


def page(client, path: str) -> str:
    return unescape(client.get(path).content.decode())


@pytest.fixture
def sales_published(workspace, teams):  # noqa: F811
    """“Sales pulse”, asked of Sales (5), answered and published."""
    sales = answered_pulse(workspace, "Sales pulse", [teams["Sales"]])
    analyze(sales)
    return sales


@pytest.fixture
def tiger_refused(workspace, teams, sales_published):  # noqa: F811
    """“Tiger pulse”, sent to Tiger and Sales (8), 3 apart from the published “Sales pulse”: it
    can never be published, and 2 of its people have answered."""
    tiger, _ = sent_round(workspace, "Tiger pulse", [teams["Tiger"], teams["Sales"]])
    return tiger


def test_a_round_that_can_never_be_published_warns_no_later_round_nor_back_brief(
    workspace,
    teams,  # noqa: F811
    users,
    client_for,
    sales_published,
    tiger_refused,
):
    assert never_publishable(tiger_refused).startswith(
        "“Tiger pulse” cannot be published: its audience differs from “Sales pulse” by 3 people"
    )
    assert not can_have_results(tiger_refused)
    again = later_round(workspace, "Sales pulse again", [teams["Sales"]])  # as “Sales pulse”
    assert warnings(again) == [] and too_close(again) == []
    editor = client_for("editor")
    assert TIGER_APART not in page(editor, f"/w/acme/checkins/{again.pk}/")
    decision = decided_for(workspace, teams["Sales"].people.all())
    assert TIGER_APART not in page(editor, f"/w/acme/decisions/{decision.number}/")

    # The later round publishes; the refused one still never does, beside either.
    sent, _ = sent_round(workspace, "Sales round two", [teams["Sales"]], answering=5)
    close_checkin(sent)
    assert analyze(CheckIn.objects.get(pk=sent.pk)).data["respondents"] == 5
    close_checkin(tiger_refused)
    with pytest.raises(WouldDisclose, match="differs from “Sales pulse” by 3 people"):
        analyze(CheckIn.objects.get(pk=tiger_refused.pk))
    assert not Report.objects.filter(checkin=tiger_refused).exists()


def test_a_round_that_can_still_be_published_is_warned_of_and_then_refused(
    workspace,
    teams,  # noqa: F811
    users,
    client_for,
):
    """No round is published yet: “Tiger pulse” may be published first, so a round 3 people
    apart from it is warned of it, and whichever is published second is refused."""
    tiger, _ = sent_round(workspace, "Tiger pulse", [teams["Tiger"], teams["Sales"]], answering=8)
    assert never_publishable(tiger) == "" and can_have_results(tiger)
    again = later_round(workspace, "Sales pulse", [teams["Sales"]])
    (warned,) = warnings(again)
    assert TIGER_APART in warned and "only the first of the two to be published can be" in warned
    decision = decided_for(workspace, teams["Sales"].people.all())
    assert TIGER_APART in page(client_for("editor"), f"/w/acme/decisions/{decision.number}/")

    close_checkin(tiger)
    assert analyze(CheckIn.objects.get(pk=tiger.pk)).data["respondents"] == 8
    sales = answered_pulse(workspace, "Sales round", [teams["Sales"]])
    with pytest.raises(WouldDisclose, match=TIGER_APART):
        analyze(sales)


def test_the_list_its_csv_and_the_api_say_it_can_never_be_published(
    workspace,
    teams,  # noqa: F811
    users,
    client,
    client_for,
    tiger_refused,
):
    sent_round(workspace, "Sales round two", [teams["Sales"]])  # open, and publishable
    editor = client_for("editor")
    listed = page(editor, "/w/acme/checkins/")
    assert f'data-label="Stage">{OPEN_REFUSED}<' in listed
    assert 'data-label="Stage">Open<' in listed  # “Sales round two”
    rows = csv.DictReader(io.StringIO(editor.get("/w/acme/checkins.csv").content.decode()))
    stages = {row["check-in"]: row["stage"] for row in rows}
    assert stages == {
        "Tiger pulse": OPEN_REFUSED,
        "Sales round two": "Open",
        "Sales pulse": "Results published",
    }
    api = caller(client, users, "/api/v1/workspaces/acme/checkins")
    items = {c["title"]: c for c in api("get", "").json()["items"]}
    assert items["Tiger pulse"]["stage"] == OPEN_REFUSED
    assert items["Tiger pulse"]["state"] == "open"
    assert items["Sales round two"]["stage"] == "Open"


def test_sending_a_round_that_could_never_be_published_takes_a_tick(
    workspace,
    teams,  # noqa: F811
    users,
    client_for,
    press,
    sales_published,
):
    tiger = later_round(workspace, "Tiger pulse", [teams["Tiger"], teams["Sales"]], OPEN_NOW)
    editor = client_for("editor")
    shown = page(editor, f"/w/acme/checkins/{tiger.pk}/")
    said = (
        "Sent as it is, its results could never be shown: its audience differs from “Sales "
        "pulse” by 3 people: publishing both would let anyone subtract one from the other and "
        "read those 3 people's answers. More answers would not change this"
    )
    assert shown.count(said) == 1 and SEND_ANYWAY in shown
    assert "only the first of the two to be published can be" not in shown  # it never can be

    refused = press(tiger)
    assert refused.status_code == 409
    told = unescape(refused.content.decode())
    assert "Nothing was sent. Sent as it is, its results could never be shown" in told
    assert f"To send it all the same, tick “{SEND_ANYWAY}”." in told
    assert not tiger.invitations.exists()

    assert press(tiger, anyway="on").status_code == 302
    assert tiger.invitations.filter(status=Delivery.SENT).count() == 8


def test_a_round_that_can_be_published_sends_with_one_click(
    workspace,
    teams,  # noqa: F811
    users,
    client_for,
    press,
    sales_published,
):
    again = later_round(workspace, "Sales pulse again", [teams["Sales"]], OPEN_NOW)
    assert SEND_ANYWAY not in page(client_for("editor"), f"/w/acme/checkins/{again.pk}/")
    assert press(again).status_code == 302
    assert again.invitations.filter(status=Delivery.SENT).count() == 5


def test_a_sent_round_that_can_never_be_published_closes_without_publishing(
    workspace,
    teams,  # noqa: F811
    users,
    client,
    client_for,
    sales_published,
):
    tiger, tokens = sent_round(workspace, "Tiger pulse", [teams["Tiger"], teams["Sales"]])
    editor = client_for("editor")
    path = f"/w/acme/checkins/{tiger.pk}/"
    shown = page(editor, path)
    assert "Close now without publishing…" in shown
    assert "Close now and publish the results" not in shown
    assert "The 2 answers given stay unpublished, for good" in shown

    left = editor.post(f"{path}close/", follow=True)  # the publishing close of a stale page
    assert "So it was left open" in unescape(left.content.decode())
    assert "“Close now without publishing” on its page closes it now." in unescape(
        left.content.decode()
    )
    closed = editor.post(f"{path}close/", {"publish": "no"}, follow=True)
    told = unescape(closed.content.decode())
    assert (
        "Closed “Tiger pulse” without publishing: no more answers are taken, nobody is "
        "reminded, and its links say it has closed; its 2 answers stay unpublished, for good."
    ) in told
    tiger.refresh_from_db()
    assert not tiger.is_open() and tiger.finalised_at is None
    assert tiger.refused_because.startswith("“Tiger pulse” cannot be published: its audience")
    assert not Report.objects.filter(checkin=tiger).exists()
    assert 'id="publication-refused"' in told and ">Publish the results</button>" not in told

    reminded = editor.post(f"{path}send/", {"what": "reminders"}, follow=True)
    assert "The check-in is not open, so no links were sent." in unescape(reminded.content.decode())
    rows = csv.DictReader(io.StringIO(editor.get("/w/acme/checkins.csv").content.decode()))
    assert {r["check-in"]: r["stage"] for r in rows}["Tiger pulse"].startswith("Closed, not")
    link = client.post("/c/open/", {"link": next(iter(tokens.values()))}, follow=True)
    assert "This check-in closed" in unescape(link.content.decode())


def test_the_api_closes_it_without_publishing_as_the_page_does(
    workspace,
    teams,  # noqa: F811
    users,
    client,
    sales_published,
):
    tiger, _ = sent_round(workspace, "Tiger pulse", [teams["Tiger"], teams["Sales"]])
    api = caller(client, users, "/api/v1/workspaces/acme/checkins")
    left = api("post", f"/{tiger.pk}/close")
    assert left.status_code == 409
    assert left.json()["detail"].endswith(
        "it closes on its date. Close it with ?publish=false to close it now."
    )
    assert api("post", f"/{tiger.pk}/close?publish=later").status_code == 400
    closed = api("post", f"/{tiger.pk}/close?publish=false")
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    tiger.refresh_from_db()
    assert not tiger.is_open() and tiger.finalised_at is None
    assert not Report.objects.filter(checkin=tiger).exists()
    assert api("post", f"/{tiger.pk}/close?publish=false").status_code == 409


def test_the_api_leaves_open_a_round_that_can_be_published(
    workspace,
    teams,  # noqa: F811
    users,
    client,
):
    tiger, _ = sent_round(workspace, "Tiger pulse", [teams["Tiger"], teams["Sales"]])
    api = caller(client, users, "/api/v1/workspaces/acme/checkins")
    kept = api("post", f"/{tiger.pk}/close?publish=false")
    assert kept.status_code == 409
    assert kept.json()["detail"].startswith("“Tiger pulse” can be published after all")
    tiger.refresh_from_db()
    assert tiger.is_open()


def test_closing_without_publishing_leaves_open_a_round_that_can_be_published(
    workspace,
    teams,  # noqa: F811
    users,
    client_for,
):
    tiger, _ = sent_round(workspace, "Tiger pulse", [teams["Tiger"], teams["Sales"]])
    editor = client_for("editor")
    path = f"/w/acme/checkins/{tiger.pk}/"
    assert "Close now without publishing" not in page(editor, path)
    kept = editor.post(f"{path}close/", {"publish": "no"}, follow=True)
    assert "“Tiger pulse” can be published after all, so it was left open" in unescape(
        kept.content.decode()
    )
    assert editor.post(f"{path}close/", {"publish": "later"}).status_code == 400
    tiger.refresh_from_db()
    assert tiger.is_open()
