"""The demo's decision log shows each signal. A module of its own: the demo is built once for
the module, outside the tests' transactions, and its logins would clash with the shared ones."""

from django.utils import timezone

from truenorth.decisions import speed
from truenorth.decisions.models import Comment, Status


def test_the_demo_shows_each_decision_signal(db, analysed_demo, demo_client):
    log = analysed_demo.decisions.all()
    assert log.count() >= 8
    today = timezone.localdate()
    waiting = speed.open_ageing(log, today)
    assert waiting[0].days_open >= 21 and waiting[0].blocks  # blocked for weeks
    assert log.filter(status=Status.SUPERSEDED, superseded_by__isnull=False).exists()
    assert min(d for d in map(speed.latency_days, log) if d is not None) <= 2  # decided quickly
    assert all(d.comments.exists() for d in log if d.category != "vendor")
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
