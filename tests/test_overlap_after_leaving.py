"""A check-in's audience differing from a published one's only by people erased or deactivated
since: every new pulse of the same people was told to "Ask the same people as “Sales pulse”",
which no check-in can any more. The warning says so, and gives what works: a date, or a clearly
different audience. Real database, real model."""

from datetime import timedelta
from html import unescape

import pytest
from click.testing import CliRunner
from django.utils import timezone

from tests.api import caller
from tests.test_subtraction_between_checkins import answered_pulse, teams  # noqa: F401 (a fixture)
from truenorth.checkins.actions import create_alignment_pulse
from truenorth.checkins.measure import analyze
from truenorth.checkins.models import CheckIn
from truenorth.checkins.overlaps import (
    WouldDisclose,
    not_near_from,
    publication_refused,
    warnings,
)
from truenorth.checkins.views import never_published_once_sent
from truenorth.cli import main
from truenorth.workspaces import people


def later_pulse(workspace, title, asked):
    opens = timezone.now() + timedelta(days=1)
    return create_alignment_pulse(workspace, title, opens, opens + timedelta(days=7), teams=asked)


@pytest.mark.parametrize("leave", [people.erase, people.deactivate])
def test_it_says_when_those_making_the_difference_have_left(
    workspace,
    teams,  # noqa: F811
    users,
    client,
    client_for,
    leave,
):
    asked = [teams["Sales"], teams["Ops"]]
    sales = answered_pulse(workspace, "Sales pulse", asked)
    analyze(sales)
    leave(teams["Sales"].people.first())
    again = later_pulse(workspace, "Sales pulse again", asked)
    said = (
        "Its audience differs from “Sales pulse” by 1 person: publishing both would let anyone "
        "subtract one from the other and read that person's answers, so only the first of the "
        "two to be published can be. 1 person “Sales pulse” asked has left since (erased or "
        "deactivated), so no check-in can ask the same people again: open this one from "
        f"{not_near_from([sales])} on, or ask at least 5 more or fewer."
    )
    assert warnings(again) == [said]
    # Its page says it the way of a round that could never be published (“Sales pulse” is):
    # sent as it is, not "only the first of the two to be published" (test_never_publishable).
    page = unescape(client_for("editor").get(f"/w/acme/checkins/{again.pk}/").content.decode())
    assert (
        "Sent as it is, its results could never be shown: its audience differs from “Sales "
        "pulse” by 1 person"
    ) in page
    assert (
        "1 person “Sales pulse” asked has left since (erased or deactivated), so no check-in can "
        "ask the same people again. To hear from these people, ask them in a new check-in: open "
        f"it from {not_near_from([sales])} on, or ask at least 5 more or fewer."
    ) in page
    assert "Ask the same people as" not in page and "ask the same people as" not in page
    # The API's warning says what the page says, not "only the first of the two".
    call = caller(client, users, "/api/v1/workspaces/acme/checkins")
    warning = call("get", f"/{again.pk}").json()["warning"]
    assert warning == never_published_once_sent(again, "invitations")
    assert f'<p class="note before-sending">{warning}</p>' in page
    result = CliRunner().invoke(
        main,
        [
            "checkin",
            "new",
            "-w",
            "acme",
            "--title",
            "Third",
            "--audience",
            "Sales",
            "--audience",
            "Ops",
        ],
    )
    # The command line too: sent as it is, it could never be published.
    third = CheckIn.objects.get(title="Third")
    never = never_published_once_sent(third, "invitations")
    assert never.startswith("Sent as it is, its results could never be shown")
    assert result.exit_code == 0 and f"Warning: {never}" in result.output
    assert "only the first of the two" not in result.output


def test_the_warning_gives_the_date_from_which_it_is_not_compared(workspace, teams):  # noqa: F811
    sales = answered_pulse(workspace, "Sales pulse", [teams["Sales"]])
    analyze(sales)
    tiger = later_pulse(workspace, "Tiger pulse", [teams["Tiger"], teams["Sales"]])
    closes = CheckIn.objects.get(pk=sales.pk).closes_at
    (said,) = warnings(tiger)
    assert said.endswith(
        "Ask the same people as “Sales pulse”, or at least 5 more or fewer before sending it, "
        f"or open it from {not_near_from([sales])} on, when the two are no longer compared."
    )
    assert not_near_from([sales]) == f"{timezone.localtime(closes + timedelta(days=30)):%-d %b %Y}"


@pytest.mark.parametrize("leave", [people.erase, people.deactivate])
def test_the_refusal_says_so_too(workspace, teams, client_for, leave):  # noqa: F811
    """Publishing a pulse of the same teams after one of them left was refused with "ask the
    same people as “Sales pulse”", which no check-in can any more."""
    asked = [teams["Sales"], teams["Ops"]]
    sales = answered_pulse(workspace, "Sales pulse", asked, days_ago=4)
    analyze(sales)
    leave(teams["Sales"].people.first())
    again = answered_pulse(workspace, "Sales pulse again", asked)
    said = (
        "“Sales pulse again” cannot be published: its audience differs from “Sales pulse” by 1 "
        "person: publishing both would let anyone subtract one from the other and read that "
        "person's answers. Its answers stay unpublished. More answers would not change this, "
        "since what counts is who was asked, and “Sales pulse” is published for good. 1 person "
        "“Sales pulse” asked has left since (erased or deactivated), so no check-in can ask the "
        "same people again. To hear from these people, ask them in a new check-in: open it from "
        f"{not_near_from([sales])} on, or ask at least 5 more or fewer."
    )
    with pytest.raises(WouldDisclose) as refused:
        analyze(again)
    assert str(refused.value) == said
    twin = client_for("editor").get(f"/w/acme/checkins/{again.pk}/report.json")
    assert twin.status_code == 409 and twin.json()["error"] == said
    page = unescape(client_for("editor").get(f"/w/acme/checkins/{again.pk}/").content.decode())
    assert said in page and "ask the same people as" not in page


def test_one_who_left_of_its_own_audience_leaves_the_same_people_to_ask(
    workspace,
    teams,  # noqa: F811
):
    """The people “Sales pulse” asked can all be asked again: the one who left was asked only
    by the refused pulse."""
    sales = answered_pulse(workspace, "Sales pulse", [teams["Sales"]], days_ago=4)
    analyze(sales)
    both = answered_pulse(workspace, "Tiger pulse", [teams["Tiger"], teams["Sales"]])
    people.deactivate(teams["Tiger"].people.first())
    why = publication_refused(both)
    assert "ask them in a new check-in: ask the same people as “Sales pulse”, or at least 5" in why
    assert "left since" not in why
