"""The demo's decision log shows each signal. A module of its own: the demo is built once for
the module, outside the tests' transactions, and its logins would clash with the shared ones."""

from collections import Counter
from datetime import date, timedelta

from django.utils import timezone

from truenorth.decisions import speed
from truenorth.decisions.models import Comment, Status
from truenorth.demo import content
from truenorth.demo.decisions import day_of_month_back


def test_the_demo_shows_each_decision_signal(db, analysed_demo, demo_client):
    log = analysed_demo.decisions.all()
    assert log.count() >= 8
    today = timezone.localdate()
    waiting = speed.open_ageing(log, today)
    assert waiting[0].days_open >= 21 and waiting[0].blocks  # blocked for weeks
    assert log.filter(status=Status.SUPERSEDED, superseded_by__isnull=False).exists()
    assert min(d for d in map(speed.latency_days, log) if d is not None) <= 2  # decided quickly
    routine = {spec["title"] for spec in content.ROUTINE_DECISIONS}  # the speed line's months
    assert all(
        d.comments.exists() for d in log if d.category != "vendor" and d.title not in routine
    )
    assert Comment.objects.filter(decision__workspace=analysed_demo, disagree_and_commit=True)
    taken_back = log.get(status=Status.REVERSED)  # with why, kept on the record
    assert "would not pay" in taken_back.reversed_because and taken_back.closed_on < today
    # Shared with partners: the partner's menu offers Decisions, and they see only those.
    partner = demo_client(analysed_demo, "partner")
    page = partner.get(f"/w/{analysed_demo.slug}/decisions/").content.decode()
    assert "Approver reminders" in page and "Mobile approvals" not in page
    assert ">Decisions</a>" in page


def test_the_demo_has_a_decision_drawing_more_questions_than_objections(db, analysed_demo):
    """Sorted by the real classifier, as `truenorth demo` sorts them after the build."""
    from truenorth.decisions.actions import sort_unsorted

    mobile = analysed_demo.decisions.get(title__startswith="Mobile approvals")
    sort_unsorted(mobile.comments.all())
    kinds = list(mobile.comments.values_list("kind", flat=True))
    assert kinds.count("question") > kinds.count("objection") >= 1


def test_the_demo_flags_the_jargon_in_a_decision(db, analysed_demo, demo_client):
    """A demo decision's title leaves "GL" unexplained: editors are offered a glossary entry."""
    gl = analysed_demo.decisions.get(title__startswith="Who owns GL mapping")
    url = f"/w/{analysed_demo.slug}/decisions/{gl.number}"
    page = demo_client(analysed_demo, "editor").get(f"{url}/").content.decode()
    assert 'id="jargon"' in page and "Add GL to the glossary</a>" in page
    data = demo_client(analysed_demo, "editor").get(f"{url}.json").json()
    assert {"word": "GL", "where": "the title", "term_url": None} in data["jargon"]


def test_the_demo_draws_a_line_of_days_to_decide(db, analysed_demo, demo_client):
    """Before 2026-12-07 no month of the demo held three decisions, so its speed page and the
    dashboard's card drew no line: the capability was there and the demo did not show it."""
    twin = demo_client(analysed_demo, "viewer").get(f"/w/{analysed_demo.slug}/decisions/speed.json")
    trend = twin.json()["trend"]
    assert len(trend) >= 2
    assert all(point["decisions"] >= speed.FEWEST_DECISIONS_A_MONTH for point in trend)
    assert trend[0]["median_days"] > trend[-1]["median_days"]  # slow in summer, faster by autumn


def test_the_demo_months_keep_their_decisions_whatever_day_it_is_built():
    """Each month of content.ROUTINE_DECISIONS holds three decisions on any day of a year, and
    all were decided before the published update's period (the last 30 days)."""
    for offset in range(366):
        today = date(2026, 1, 1) + timedelta(days=offset)
        decided = [day_of_month_back(today, *s["decided_in"]) for s in content.ROUTINE_DECISIONS]
        per_month = Counter((d.year, d.month) for d in decided)
        assert len(per_month) == 2 and set(per_month.values()) == {3}, today
        assert max(decided) <= today - timedelta(days=35), today
