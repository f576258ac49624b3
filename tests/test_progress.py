"""Progress of background work, as the waiting page reads it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from truenorth.checkins.actions import create_alignment_pulse
from truenorth.workspaces import progress

pytestmark = pytest.mark.django_db


def test_it_reports_how_far_the_work_has_got_and_forgets_it_when_done():
    assert progress.current("analysis", 7) is None
    progress.started("analysis", 7, "Reading the answers")
    assert progress.current("analysis", 7)["percent"] == 0
    report = progress.reporter("analysis", 7, "Reading the answers")
    report(250, 1000)
    assert progress.current("analysis", 7) == {
        "label": "Reading the answers",
        "done": 250,
        "total": 1000,
        "percent": 25,
    }
    report(500, 1000)  # within a second of the last write: not written
    assert progress.current("analysis", 7)["done"] == 250
    report(1000, 1000)  # the end always is
    assert progress.current("analysis", 7)["percent"] == 100
    progress.finished("analysis", 7)
    assert progress.current("analysis", 7) is None


def test_each_piece_of_work_has_its_own_progress():
    progress.reporter("analysis", 1, "a")(1, 2)
    progress.reporter("import", 1, "b")(1, 4)
    assert progress.current("analysis", 1)["percent"] == 50
    assert progress.current("import", 1)["percent"] == 25


def test_the_checkin_page_and_its_json_show_a_running_analysis(workspace, users, client_for):
    opened = timezone.now() - timedelta(days=3)
    checkin = create_alignment_pulse(workspace, "Pulse", opened, opened + timedelta(days=1))
    progress.reporter("analysis", checkin.pk, "Reading the answers")(300, 1200)

    page = client_for("editor").get(f"/w/acme/checkins/{checkin.pk}/").content.decode()
    assert "300 of 1200 texts" in page and 'value="25"' in page
    assert 'data-poll-state="running"' in page  # the page follows the work by itself
    body = client_for("editor").get(f"/w/acme/checkins/{checkin.pk}/report.json").json()
    assert body["progress"]["percent"] == 25 and "running" in body["error"]

    progress.finished("analysis", checkin.pk)
    page = client_for("editor").get(f"/w/acme/checkins/{checkin.pk}/").content.decode()
    assert "analysis-progress" not in page and "data-poll" not in page
