"""Every question tied to a source keeps the version it was asked about, so a later vision or an
edited goal never moves a check-in's scores."""

import importlib
from datetime import timedelta

import numpy as np
import pytest
from django.apps import apps
from django.utils import timezone

from truenorth.analysis import fidelity
from truenorth.analysis.report import source_parts
from truenorth.checkins.actions import (
    add_question,
    create_alignment_pulse,
    issue_links,
    send_links,
    submit_response,
)
from truenorth.checkins.measure import analyze, close_checkin, compared_trend
from truenorth.checkins.models import Question, SourceKind
from truenorth.checkins.sources import vision_in_force
from truenorth.cli import figure_line
from truenorth.embeddings.cache import configured_embedder
from truenorth.strategy.actions import publish_vision
from truenorth.strategy.models import Vision
from truenorth.workspaces.models import DataVersion, Person, Team

V2 = {
    "statement": "We sell premium dog food by subscription to pet owners in Europe.",
    "destination": "The first choice for dog food subscriptions",
    "measures_of_progress": "",
    "target_user": "Dog owners",
    "user_benefit": "Never running out of food",
    "business_outcome": "A million subscribers",
    "horizon": "2030",
}


def new_version(workspace, days_ago=0, **fields) -> Vision:
    at = timezone.now() - timedelta(days=days_ago)
    return publish_vision(Vision(workspace=workspace, created_at=at, **{**V2, **fields}))


def pulse(workspace, opened_days_ago, days_open=10):
    opens = timezone.now() - timedelta(days=opened_days_ago)
    return create_alignment_pulse(workspace, "Pulse", opens, opens + timedelta(days=days_open))


def vision_question(checkin) -> Question:
    return checkin.questions.get(source_kind=SourceKind.VISION)


def test_a_question_asked_under_v1_keeps_v1_after_v2_is_published(workspace, strategy):
    v1 = strategy["vision"]
    question = vision_question(pulse(workspace, 0))
    new_version(workspace)
    question = Question.objects.get(pk=question.pk)
    assert question.source_vision == v1
    assert question.source() == v1.statement
    assert question.source_label() == "Vision v1"
    assert question.source_parts == {
        "destination": v1.destination,
        "measures_of_progress": v1.measures_of_progress,
        "target_user": v1.target_user,
        "user_benefit": v1.user_benefit,
        "business_outcome": v1.business_outcome,
        "horizon": v1.horizon,
    }


def test_the_version_asked_about_is_the_one_in_force_when_the_checkin_opens(workspace, strategy):
    strategy["vision"].created_at = timezone.now() - timedelta(days=300)
    strategy["vision"].save()
    v2 = new_version(workspace, days_ago=30)
    new_version(workspace, days_ago=0, statement="Version three.")
    # Written today, about a quarter ago: the version of a quarter ago, as in the demo.
    assert vision_question(pulse(workspace, 100)).source_label() == "Vision v1"
    assert vision_question(pulse(workspace, 20)).source_vision == v2
    # Opening later: today's version, until something newer comes before anyone answers.
    assert vision_question(pulse(workspace, -5)).source_label() == "Vision v3"


def test_a_version_published_before_the_invitations_go_out_counts_until_the_first_answer(
    workspace, strategy, users
):
    checkin = pulse(workspace, 0)  # written under v1
    new_version(workspace, days_ago=1)  # published after that, before the check-in opened
    send_links(checkin)
    assert vision_question(checkin).source_label() == "Vision v2"
    links = {link.person.email: link.token for link in issue_links(checkin, only_unanswered=True)}
    invitation = checkin.invitations.get(person__email="owner@acme.test")
    answer = {vision_question(checkin): "Close the books fast."}
    submit_response(invitation, links["owner@acme.test"], answer)
    new_version(workspace, days_ago=1, statement="Version three.")
    send_links(checkin, reminder=True)
    assert vision_question(checkin).source_label() == "Vision v2"


def test_a_version_published_after_the_opening_but_before_anyone_is_asked_counts(
    workspace, strategy
):
    # Opened at eight this morning, written and sent at ten, v2 published at nine: people are
    # asked about v2, the version they know, not about the first one.
    checkin = pulse(workspace, opened_days_ago=2 / 24)
    new_version(workspace, days_ago=1 / 24)
    send_links(checkin)
    assert vision_question(checkin).source_label() == "Vision v2"


def test_a_goal_question_keeps_the_goal_as_it_was_asked(workspace, strategy):
    goal = strategy["goals"][0]
    checkin = pulse(workspace, 0)
    question = add_question(
        Question(checkin=checkin, prompt="Why this goal?", source_kind="goal", source_goal=goal)
    )
    goal.title, goal.why = "Something else", "Another reason"
    goal.save()
    question = Question.objects.get(pk=question.pk)
    assert question.source() == "Faster close. why"
    assert question.source_label() == "Goal: Faster close"
    assert list(question.parts()) == ["what", "why", "why_now", "metric", "target"]
    text = add_question(
        Question(checkin=checkin, prompt="Say it back", source_kind="text", source_text="Ship it.")
    )
    assert text.source_parts == {"text": "Ship it."}
    assert text.source() == "Ship it." and text.source_label() == "Text: “Ship it.”"


def test_the_migration_pins_what_was_asked_before(workspace, strategy):
    """checkins 0004 runs pin_every_question on the rows written before it."""
    v1, goal = strategy["vision"], strategy["goals"][0]
    v1.created_at = timezone.now() - timedelta(days=300)
    v1.save()
    new_version(workspace, days_ago=100)
    new_version(workspace, days_ago=0, statement="Version three.")
    before_any = pulse(workspace, 400)
    under_v2 = pulse(workspace, 50)
    asked_goal = add_question(
        Question(checkin=under_v2, prompt="Goal?", source_kind="goal", source_goal=goal)
    )
    Question.objects.update(source_vision=None, source_parts={})  # as the rows were
    goal.why = "Edited since"
    goal.save()
    migration = importlib.import_module("truenorth.checkins.migrations.0004_source_in_force")
    migration.pin_every_question(apps, None)
    assert vision_question(before_any).source_label() == "Vision v1"  # the lowest number
    assert vision_question(under_v2).source_label() == "Vision v2"
    assert Question.objects.get(pk=asked_goal.pk).source() == "Faster close. Edited since"
    assert not DataVersion.objects.exists()  # cached figures are computed again
    visions = workspace.visions.all()
    assert vision_in_force(visions, timezone.now() - timedelta(days=500)).number == 1
    assert vision_in_force(visions, timezone.now()).number == 3


@pytest.fixture
def answered_pulse(workspace, strategy):
    """A closed pulse of ten engineers who restated v1, asked before v2 was published."""
    team = Team.objects.create(workspace=workspace, name="Squad")
    people = [
        Person.objects.create(
            workspace=workspace,
            name=f"P{i}",
            email=f"p{i}@acme.test",
            function="engineering",
            team=team,
        )
        for i in range(10)
    ]
    checkin = create_alignment_pulse(
        workspace, "Pulse", timezone.now() - timedelta(days=2), timezone.now() + timedelta(days=1)
    )
    links = {link.person.pk: link.token for link in issue_links(checkin)}
    vision = vision_question(checkin)
    restatements = [
        "Finance teams close their books in three days.",
        "Month-end close takes three days for finance teams.",
        "We help finance close the month faster, in about three days.",
        "Closing the books quickly so controllers get their evenings back.",
        "A three-day month-end close for every finance team.",
    ]
    for n, person in enumerate(people):
        invitation = checkin.invitations.get(person=person)
        submit_response(invitation, links[person.pk], {vision: restatements[n % 5]})
    close_checkin(checkin)
    return checkin, restatements


def test_analysing_after_a_new_version_scores_against_the_version_asked(workspace, answered_pulse):
    checkin, restatements = answered_pulse
    new_version(workspace)
    report = analyze(checkin).data
    vision = next(q for q in report["questions"] if q["role"] == "vision")
    assert vision["source"] == "Vision v1"
    embedder = configured_embedder()
    v1_question = analysis_question(vision_question(checkin))
    v2_question = analysis_question(vision_question(checkin))
    v2_question.parts = {k: V2[k] for k in V2 if k != "statement" and V2[k]}
    v2_question.source = V2["statement"]
    against = {
        name: np.mean(
            [
                fidelity.read(r, source_parts(q), embedder.encode, q.source).fidelity
                for r in restatements * 2
            ]
        )
        for name, q in (("v1", v1_question), ("v2", v2_question))
    }
    assert vision["fidelity"] == pytest.approx(against["v1"], abs=0.1)
    assert abs(vision["fidelity"] - against["v2"]) > 10


def analysis_question(question: Question):
    """The question as the analysis reads it: its pinned parts."""
    from truenorth.analysis.report import Question as Asked

    return Asked("q", question.prompt, "vision", question.source(), {}, question.parts())


# --- The pages: the demo's two pulses were asked under v2 and v3 ---


@pytest.fixture
def demo(analysed_demo):
    return analysed_demo


def test_the_demo_pins_each_pulse_to_the_version_of_its_dates(db, demo):
    older, latest = demo.checkins.filter(template="alignment_pulse").order_by("opens_at")
    for checkin in (older, latest):
        in_force = demo.visions.filter(created_at__lte=checkin.opens_at).order_by("-number")[0]
        assert vision_question(checkin).source_vision == in_force
    assert vision_question(older).source_label() == "Vision v2"
    assert vision_question(latest).source_label() == "Vision v3"


def test_the_dashboard_and_its_json_name_the_version_of_each_point(db, demo_client, demo):
    """A figure read against the vision keeps only the points of its own version on its line,
    and says why the earlier pulse (of Vision v2) is not on it."""
    client = demo_client(demo, "viewer")
    board = client.get(f"/w/{demo.slug}/alignment.json").json()
    signals = {s["key"]: s for s in board["individual"]}
    for key in ("vision.fidelity", "quadrant.faux_alignment"):
        assert signals[key]["source"] == "Vision v3"
        assert signals[key]["trend_sources"] == ["Vision v3"]
        assert (
            signals[key]["not_compared"]
            == "the earlier answers restated Vision v2, these Vision v3"
        )
    sight = signals["line_of_sight.linked"]
    assert sight["source"] == "" and not sight["trend_sources"] and not sight["not_compared"]
    html = client.get(f"/w/{demo.slug}/alignment/").content.decode()
    assert "of Vision v3</small>" in html
    # "How alike functions read the vision" is compared across versions and names its Vision v2
    # point; the cards of understanding, not compared, name none.
    cards = html.split("<section")
    understanding = [c for c in cards if "Understand the vision" in c or "Agree without" in c]
    alike = [c for c in cards if "How alike functions read the vision" in c]
    assert understanding and not any("(of Vision v2)" in c for c in understanding)
    assert any("(of Vision v2)" in c for c in alike)


def test_the_checkin_page_and_its_json_name_the_versions(db, demo_client, demo):
    latest = demo.checkins.order_by("-opens_at").first()
    client = demo_client(demo, "owner")
    report = client.get(f"/w/{demo.slug}/checkins/{latest.pk}/report.json").json()["report"]
    fidelity = report["trend"]["vision.fidelity"]
    assert (fidelity["before_of"], fidelity["now_of"]) == ("Vision v2", "Vision v3")
    assert "before_of" not in report["trend"]["line_of_sight.linked"]
    html = client.get(f"/w/{demo.slug}/checkins/{latest.pk}/").content.decode()
    assert "answers, against Vision v3)" in html
    assert "understands Vision v3" in html
    assert "<small>of Vision v2</small>" in html
    assert "compared with Vision v3" in html


def test_the_checkin_pages_since_table_does_not_compare_across_versions(db, demo_client, demo):
    """ "Understand and agree 12% of Vision v2 → 46% of Vision v3 +34 pts better" beside
    "Understand the vision … no change" and an update saying "Not compared"."""
    latest = demo.checkins.order_by("-opens_at").first()
    client = demo_client(demo, "owner")
    trend = client.get(f"/w/{demo.slug}/checkins/{latest.pk}/report.json").json()["report"]["trend"]
    said = "the earlier answers restated Vision v2, these Vision v3"
    for key in ("vision.fidelity", "vision.contradicts", "quadrant.aligned"):
        assert trend[key]["change"] is None and trend[key]["not_compared"] == said
    assert trend["direction.agree"]["change"] and not trend["direction.agree"]["not_compared"]
    html = client.get(f"/w/{demo.slug}/checkins/{latest.pk}/").content.decode()
    since = html[html.index('id="since"') : html.index("</table>", html.index('id="since"'))]
    row = since[since.index("Understand and agree") :]
    row = row[: row.index("</tr>")]
    assert f"not compared: {said}" in row and "pts" not in row


def test_a_report_published_before_the_rule_is_shown_by_it():
    """A stored trend keeps its figures; its change is worked out again from the figures shown."""
    stored = {
        "vision.fidelity": {
            "now": 53.6,
            "before": 53.6,
            "change": 0.0,
            "before_of": "Vision v2",
            "now_of": "Vision v3",
        },
        "vision.contradicts": {"now": 0.171, "before": 0.038, "change": 0.133},
        "quadrant.aligned": {
            "now": 0.457,
            "before": 0.115,
            "change": 0.342,
            "before_of": "Vision v2",
            "now_of": "Vision v3",
        },
        "purpose.coherence": {"now": 12.4, "before": 11.5, "change": 0.9},
        "direction.agree": {"now": 0.856, "before": 0.574, "change": 0.282},
    }
    shown = compared_trend(stored)
    for key in ("vision.fidelity", "vision.contradicts", "quadrant.aligned"):
        assert shown[key]["change"] is None
        assert (
            shown[key]["not_compared"] == "the earlier answers restated Vision v2, these Vision v3"
        )
    assert shown["vision.contradicts"]["before_of"] == "Vision v2"
    assert shown["purpose.coherence"]["change"] == 0  # 12 / 100 and 12 / 100: no change, not +1
    assert shown["direction.agree"]["change"] == 0.29  # 57% → 86%: the 29 points shown apart
    line = figure_line("quadrant.aligned", 0.457, None, shown["quadrant.aligned"]["not_compared"])
    assert line.endswith("(not compared: the earlier answers restated Vision v2, these Vision v3)")
