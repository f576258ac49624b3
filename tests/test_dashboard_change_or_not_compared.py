"""A figure read against the vision says one thing about its change: after the demo's Q3 pulse
(Vision v2), its Q4 pulse and two December pulses (Vision v3), the dashboard read "Agree without
understanding 97% … −3 pts better" followed by "not compared: the earlier answers restated
Vision v2, these Vision v3", a note about the Q3 pulse, two rounds back. Now a change is given
between the two latest rounds of one version, with no note; the note only where the round just
before restated another version, with no change. The page, its JSON twin and the API agree.
Real database, real model, Django's test client."""

from datetime import timedelta

import pytest
from django.utils import timezone

from truenorth.api.models import ApiToken
from truenorth.checkins.actions import create_alignment_pulse, issue_links, submit_response
from truenorth.checkins.measure import analyze
from truenorth.checkins.models import CheckIn
from truenorth.dashboard.signals import of_one_version
from truenorth.demo import pulse as demo_pulse
from truenorth.workspaces.models import Membership

READ_AGAINST_THE_VISION = ("vision.fidelity", "quadrant.faux_alignment")
V2_TO_V3 = "the earlier answers restated Vision v2, these Vision v3"


@pytest.fixture
def demo(analysed_demo):
    return analysed_demo


def december_pulse(workspace, title: str, days_ago: int, direction: int | None = None):
    """A company-wide pulse after the demo's Q4 one, answered as Q4 was by the same people
    (`direction`, when given, in place of each one's score), closed and published."""
    opens = timezone.now() - timedelta(days=days_ago)
    checkin = create_alignment_pulse(workspace, title, opens, timezone.now() + timedelta(days=1))
    links = {link.person.email: link.token for link in issue_links(checkin)}
    questions = {q.role: q for q in checkin.questions.all()}
    for answer in demo_pulse.ANSWERS:
        given = {
            questions["vision"]: answer["vision"],
            questions["priorities"]: answer["priorities"],
            questions["purpose"]: answer["why_my_work"],
            questions["direction"]: direction or answer["direction"],
        }
        invitation = checkin.invitations.get(person__email=answer["email"])
        submit_response(invitation, links[answer["email"]], given)
    CheckIn.objects.filter(pk=checkin.pk).update(closes_at=opens + timedelta(days=1))
    checkin.refresh_from_db()
    analyze(checkin)
    return checkin


def boards(demo_client, demo) -> list[dict]:
    """The dashboard as its JSON twin and the API give it."""
    client = demo_client(demo, "viewer")
    user = Membership.objects.filter(workspace=demo, role="viewer").first().user
    token = ApiToken.issue(user, "test", "read")[1]
    api = client.get(
        f"/api/v1/workspaces/{demo.slug}/alignment", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    return [client.get(f"/w/{demo.slug}/alignment.json").json(), api.json()]


def every_signal(board: dict):
    yield from board["individual"]
    for row in board["team"]:
        yield from row["signals"]


def test_two_rounds_of_one_version_give_a_change_and_no_note(db, demo_client, demo):
    december_pulse(demo, "December pulse 1", 5)
    december_pulse(demo, "December pulse 2", 3, direction=5)
    for board in boards(demo_client, demo):
        assert board["checkin"]["title"] == "December pulse 2"
        for signal in every_signal(board):
            # One true thing: a change, or why there is none, never both.
            assert signal["change"] is None or not signal["not_compared"], signal["name"]
        for key in READ_AGAINST_THE_VISION:
            shown = next(s for s in board["individual"] if s["key"] == key)
            assert shown["not_compared"] == ""
            assert shown["change"] is not None
            assert shown["trend_sources"] == ["Vision v3"] * len(shown["trend"])
            assert "Alignment pulse — Q3 2026" not in [label for label, _ in shown["trend"]]
    faux = next(s for s in board["individual"] if s["key"] == "quadrant.faux_alignment")
    assert faux["change"]  # everyone agreeing more moved it
    page = demo_client(demo, "viewer").get(f"/w/{demo.slug}/alignment/").content.decode()
    card = page[page.index(f'<div class="signal-name">{faux["name"]}</div>') :]
    card = card[: card.index('class="evidence"')]
    assert 'class="change' in card and "not compared" not in card
    assert "not compared: " + V2_TO_V3 not in page


def test_the_round_just_after_a_new_version_gives_the_note_and_no_change(db, demo_client, demo):
    """The demo as built: Q3 restated Vision v2, Q4 Vision v3."""
    for board in boards(demo_client, demo):
        for key in READ_AGAINST_THE_VISION:
            shown = next(s for s in board["individual"] if s["key"] == key)
            assert shown["change"] is None and shown["not_compared"] == V2_TO_V3


@pytest.mark.parametrize(
    "sources, kept, note",
    [
        (["Vision v2", "Vision v3"], 1, V2_TO_V3),
        (["Vision v2", "Vision v3", "Vision v3"], 2, ""),
        (["Vision v2", "Vision v2", "Vision v3", "Vision v3", "Vision v3"], 3, ""),
        (["Vision v3", "Vision v3"], 2, ""),
        (["Vision v3"], 1, ""),
    ],
)
def test_the_note_is_only_for_a_value_with_no_point_before_of_its_version(sources, kept, note):
    trend = [(f"R{i}", 50.0 + i) for i in range(len(sources))]
    points, of, why = of_one_version("vision.fidelity", trend, sources)
    assert (len(points), of, why) == (kept, sources[-kept:], note)
