"""A check-in's dates: bounded when it is made, movable until it closes (its page, the API's
PATCH, `truenorth checkin dates`), final once it has closed."""

import re
import zoneinfo
from datetime import datetime, timedelta

import pytest
from click.testing import CliRunner
from django.utils import timezone

from tests.api import api_request
from truenorth.checkins.actions import create_alignment_pulse
from truenorth.checkins.measure import close_checkin
from truenorth.checkins.models import CheckIn, SourceKind
from truenorth.cli import main
from truenorth.strategy.actions import publish_vision
from truenorth.strategy.models import Vision

MINUTE = "%Y-%m-%dT%H:%M"


def pulse(workspace, opens_in_days: float, days_open: float = 14) -> CheckIn:
    opens = timezone.now() + timedelta(days=opens_in_days)
    return create_alignment_pulse(workspace, "Pulse", opens, opens + timedelta(days=days_open))


def local(moment) -> str:
    return timezone.localtime(moment).strftime(MINUTE)


def dates_page(checkin) -> str:
    return f"/w/{checkin.workspace.slug}/checkins/{checkin.pk}/dates/"


def in_days(days: float) -> str:
    return local(timezone.now() + timedelta(days=days))


# --- the page ---


def test_an_editor_moves_the_closing_of_an_open_checkin(client_for, workspace):
    checkin = pulse(workspace, -1)
    opened = checkin.opens_at
    client = client_for("editor")
    page = client.get(f"/w/acme/checkins/{checkin.pk}/").content.decode()
    assert f'href="{dates_page(checkin)}"' in page
    closes = in_days(20)
    response = client.post(dates_page(checkin), {"closes_at": closes})
    assert response.status_code == 302
    checkin.refresh_from_db()
    assert local(checkin.closes_at) == closes and checkin.opens_at == opened
    assert "It now closes" in client.get(response.url).content.decode()


def test_a_move_is_announced_to_a_screen_reader(client_for, workspace):
    """A success message is a status, as an error is an alert: read out, not only shown."""
    checkin = pulse(workspace, -1)
    client = client_for("editor")
    response = client.post(dates_page(checkin), {"closes_at": in_days(20)}, follow=True)
    said = re.search(r'<p class="message success"([^>]*)>([^<]*)</p>', response.content.decode())
    assert said and said[1] == ' role="status"' and "It now closes" in said[2]


def test_an_open_checkin_keeps_its_opening_whatever_is_posted(client_for, workspace):
    checkin = pulse(workspace, -1)
    opened = checkin.opens_at
    client = client_for("editor")
    form = client.get(dates_page(checkin)).content.decode()
    opening = re.search(r'<input[^>]*name="opens_at"[^>]*>', form).group()
    assert "disabled" in opening and f'value="{local(opened)}"' in opening
    client.post(dates_page(checkin), {"opens_at": in_days(3), "closes_at": in_days(20)})
    checkin.refresh_from_db()
    assert checkin.opens_at == opened


@pytest.mark.parametrize(
    "closes_in_days, message",
    [
        (-0.5, "It cannot close in the past; “Close now” closes it."),
        (400, "A check-in stays open a year at most."),
    ],
)
def test_a_closing_it_cannot_have_is_refused_and_nothing_moves(
    client_for, workspace, closes_in_days, message
):
    checkin = pulse(workspace, -1)
    before = checkin.closes_at
    response = client_for("owner").post(dates_page(checkin), {"closes_at": in_days(closes_in_days)})
    assert response.status_code == 400
    assert message in response.content.decode()
    checkin.refresh_from_db()
    assert checkin.closes_at == before


def test_the_opening_moves_until_it_opens_but_not_into_the_past(client_for, workspace):
    checkin = pulse(workspace, 10)
    client = client_for("editor")
    opens = in_days(3)
    moved = client.post(dates_page(checkin), {"opens_at": opens, "closes_at": in_days(17)})
    assert moved.status_code == 302
    checkin.refresh_from_db()
    assert local(checkin.opens_at) == opens
    assert "It now opens" in client.get(moved.url).content.decode()
    back = client.post(dates_page(checkin), {"opens_at": in_days(-2), "closes_at": in_days(17)})
    assert back.status_code == 400
    assert "It cannot open in the past" in back.content.decode()
    now = client.post(dates_page(checkin), {"opens_at": in_days(0), "closes_at": in_days(17)})
    assert now.status_code == 302
    checkin.refresh_from_db()
    assert checkin.is_open()


def test_a_checkin_not_open_yet_has_nothing_to_close(client_for, workspace):
    checkin = pulse(workspace, 10)
    planned = checkin.closes_at
    client = client_for("editor")
    page = client.get(f"/w/acme/checkins/{checkin.pk}/").content.decode()
    assert "Close now" not in page and f'href="{dates_page(checkin)}"' in page
    refused = client.post(f"/w/acme/checkins/{checkin.pk}/close/", follow=True)
    assert "has not opened yet" in refused.content.decode()
    checkin.refresh_from_db()
    assert checkin.closes_at == planned and checkin.opens_later()


def test_a_new_opening_reads_the_vision_in_force_then(client_for, workspace, strategy):
    checkin = pulse(workspace, 10)  # written under v1
    v2 = publish_vision(
        Vision(workspace=workspace, created_at=timezone.now(), statement="Version two.")
    )
    client_for("editor").post(
        dates_page(checkin), {"opens_at": in_days(5), "closes_at": in_days(19)}
    )
    question = checkin.questions.get(source_kind=SourceKind.VISION)
    assert question.source_vision == v2


def test_a_closed_checkin_keeps_its_dates(client_for, workspace):
    checkin = pulse(workspace, -3)
    close_checkin(checkin)
    closed = CheckIn.objects.get(pk=checkin.pk).closes_at
    client = client_for("editor")
    page = client.get(f"/w/acme/checkins/{checkin.pk}/").content.decode()
    assert dates_page(checkin) not in page
    assert "its dates are final" in client.get(dates_page(checkin)).content.decode()
    response = client.post(dates_page(checkin), {"closes_at": in_days(5)})
    assert response.status_code == 400 and "It has closed" in response.content.decode()
    assert CheckIn.objects.get(pk=checkin.pk).closes_at == closed


@pytest.mark.parametrize("role", ["member", "viewer", "partner"])
def test_only_owners_and_editors_move_dates(client_for, workspace, role):
    checkin = pulse(workspace, -1)
    before = checkin.closes_at
    client = client_for(role)
    assert client.get(dates_page(checkin)).status_code == 403
    assert client.post(dates_page(checkin), {"closes_at": in_days(20)}).status_code == 403
    assert CheckIn.objects.get(pk=checkin.pk).closes_at == before


# --- bounds when it is made ---


def test_a_new_pulse_closing_in_9999_is_refused(client_for, workspace):
    response = client_for("editor").post(
        "/w/acme/checkins/new/",
        {"title": "Typo", "opens_at": in_days(0), "closes_at": "9999-01-15T09:00"},
    )
    assert response.status_code == 400
    assert "A check-in stays open a year at most." in response.content.decode()
    far = client_for("editor").post(
        "/w/acme/checkins/new/",
        {"title": "Typo", "opens_at": in_days(400), "closes_at": in_days(414)},
    )
    assert "A check-in opens within a year from now." in far.content.decode()
    assert not CheckIn.objects.exists()


def test_a_new_pulse_that_closed_already_is_asked_about_first(client_for, workspace):
    """A year typed wrong had made a check-in closed from the start, with nobody asked."""
    client = client_for("editor")
    dates = {"title": "Last year", "opens_at": in_days(-370), "closes_at": in_days(-363)}
    asked = client.post("/w/acme/checkins/new/", dates)
    page = asked.content.decode()
    assert asked.status_code == 200 and not CheckIn.objects.exists()
    assert "which has passed. Nobody can be asked or answer" in page
    assert "Create it anyway" in page
    confirmed = re.search(r'name="confirmed" value="([^"]*)"', page)[1]
    moved = client.post(
        "/w/acme/checkins/new/", {**dates, "closes_at": in_days(-360), "confirmed": confirmed}
    )
    assert "Create it anyway" in moved.content.decode()  # other dates: asked again
    made = client.post("/w/acme/checkins/new/", {**dates, "confirmed": confirmed})
    assert made.status_code == 302 and CheckIn.objects.get().title == "Last year"


# --- the API ---


def patch(client, user, checkin, body, scope="write"):
    url = f"/api/v1/workspaces/acme/checkins/{checkin.pk}"
    return api_request(client, user, "patch", url, body, scope)


def test_the_api_moves_a_closing_in_the_workspace_time_zone(client, users, workspace):
    workspace.time_zone = "Europe/Paris"
    workspace.save()
    checkin = pulse(workspace, -1)
    closes = (timezone.now() + timedelta(days=20)).strftime("%Y-%m-%dT09:00:00")
    response = patch(client, users["editor"], checkin, {"closes_at": closes})
    assert response.status_code == 200, response.content
    assert response.json()["closes_at"].startswith(closes.replace("T09", "T08"))
    checkin.refresh_from_db()
    assert checkin.closes_at.isoformat() == closes.replace("T09", "T08") + "+00:00"


def test_the_api_refuses_what_the_page_refuses_with_a_400(client, users, workspace):
    checkin = pulse(workspace, -1)
    before = checkin.closes_at
    past = (timezone.now() - timedelta(days=1)).isoformat()
    response = patch(client, users["owner"], checkin, {"closes_at": past})
    assert response.status_code == 400
    assert response.json()["field"] == "closes_at"
    assert "Close now" in response.json()["detail"]
    assert patch(client, users["owner"], checkin, {"closes_at": "soon"}).status_code in (400, 422)
    assert patch(client, users["member"], checkin, {"closes_at": in_days(20)}).status_code == 403
    assert patch(client, users["owner"], checkin, {}, scope="read").status_code == 403
    assert CheckIn.objects.get(pk=checkin.pk).closes_at == before


# --- the CLI ---


def test_the_cli_moves_the_closing_and_says_why_it_will_not(workspace, users):
    checkin = pulse(workspace, -1)
    closes = (timezone.now() + timedelta(days=20)).strftime("%Y-%m-%d 17:00")
    result = CliRunner().invoke(main, ["checkin", "dates", str(checkin.pk), "--closes", closes])
    assert result.exit_code == 0, result.output
    checkin.refresh_from_db()
    assert timezone.localtime(checkin.closes_at).strftime("%Y-%m-%d %H:%M") == closes
    assert "“Pulse” is open" in result.output
    late = CliRunner().invoke(main, ["checkin", "dates", str(checkin.pk), "--opens", "2030-01-01"])
    assert late.exit_code == 1 and "its opening can no longer move" in late.output
    none = CliRunner().invoke(main, ["checkin", "dates", str(checkin.pk)])
    assert none.exit_code == 1 and "say --opens, --closes or both" in none.output


@pytest.mark.parametrize(
    "command", [["checkin", "close", "{pk}"], ["analyze", "--checkin", "{pk}", "--close"]]
)
def test_the_cli_will_not_close_a_checkin_not_open_yet(workspace, users, command):
    checkin = pulse(workspace, 10)
    planned = checkin.closes_at
    args = [part.format(pk=checkin.pk) for part in command]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1 and "has not opened yet" in result.output
    checkin.refresh_from_db()
    assert checkin.closes_at == planned


def test_the_date_fields_say_which_time_zone_they_are_read_in(client_for, workspace):
    """A datetime field has no zone of its own: the page reads it in the workspace's."""
    checkin = pulse(workspace, -1)
    client = client_for("editor")
    said = f"In the workspace&#x27;s time zone, {workspace.time_zone}."
    assert said in client.get("/w/acme/checkins/new/").content.decode()
    assert said in client.get(dates_page(checkin)).content.decode()


def test_a_new_check_in_proposes_opening_now_for_a_week_in_the_workspaces_time_zone(
    client_for, workspace
):
    """Its dates were required and empty: an editor typed two moments before anything else."""
    workspace.time_zone = "Asia/Tokyo"
    workspace.save()
    page = client_for("editor").get("/w/acme/checkins/new/").content.decode()
    proposed = dict(re.findall(r'name="(opens_at|closes_at)" value="([^"]+)"', page))
    tokyo = timezone.localtime(timezone.now(), zoneinfo.ZoneInfo("Asia/Tokyo"))
    opens = datetime.strptime(proposed["opens_at"], MINUTE)
    assert abs(opens - tokyo.replace(tzinfo=None)) < timedelta(minutes=2)
    assert datetime.strptime(proposed["closes_at"], MINUTE) - opens == timedelta(days=7)
