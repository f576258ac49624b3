"""The large workspace that speed is measured against, built here at a small scale."""

import pytest

from truenorth.checkins.measure import current_report
from truenorth.demo.large import SLUG, build_large, sizes


@pytest.fixture
def large(db):
    return build_large(scale=0.02)


def test_it_builds_every_object_at_scale(large):
    count = sizes(0.02)
    assert large.people.count() == count["people"] == 100
    assert large.teams.filter(parent__isnull=False).count() == count["teams"]
    assert large.initiatives.count() == count["initiatives"]
    assert large.work_items.count() == count["work_items"]
    assert large.claims.exclude(verdict="").count() == count["claims"]
    assert large.initiatives.filter(changes__field="target_date").exists()


def test_its_pulse_is_published_with_everyone_answering(large):
    checkin = large.checkins.get()
    report = current_report(checkin).data
    assert report["respondents"] == 100 and not report.get("suppressed")


def test_the_pages_open_for_its_owner(client, large):
    client.login(username="large", password="demo")
    for page in ("", "roadmap/", "roadmap/overruns/", "work/orphans/", "claims/", "alignment/"):
        assert client.get(f"/w/{SLUG}/{page}").status_code == 200, page
