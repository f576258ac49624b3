"""Raising the anonymity threshold hides, in an update published before, what only the threshold
of then allowed: the executives' lines naming the demo's 5-person Sales function and team, and
their figures, leave the page, its Markdown and JSON twins, the API and an email sent after the
raise. Left as it was, or lowered back, the update reads as it was published."""

import html

import pytest

from tests.api import api_request
from truenorth.updates import audiences, delivery
from truenorth.updates.models import Audience
from truenorth.workspaces.actions import change_settings
from truenorth.workspaces.models import Membership, Workspace

RAISED = (
    "The anonymity threshold was raised to 6 after these figures were gathered, so no change "
    "since an earlier check-in is given and no function or team is named."
)


def group_lines(workspace) -> list[str]:
    """The published update's lines that name a function or team, as its facts hold them."""
    facts = workspace.updates.get(number=1).facts
    return [w["text"] for c in facts["checkins"] for w in c["where_not"] if w["groups"]]


def everywhere(workspace, demo_client) -> dict[str, str]:
    """The executives' version of update 1 as each way of reading it gives it, in plain text."""
    client = demo_client(workspace, "viewer")
    base = f"/w/{workspace.slug}/updates/1/executives"
    user = Membership.objects.filter(workspace=workspace, role="viewer").first().user
    api = f"/api/v1/workspaces/{workspace.slug}/updates/1/versions/executives"
    email = delivery.audience_email(workspace.updates.get(number=1), Audience.EXECUTIVES)
    return {
        "page": html.unescape(client.get(f"{base}/").content.decode()),
        "markdown": client.get(f"{base}.md").content.decode(),
        "json": lines_of(client.get(f"{base}.json").json()),
        "api": lines_of(api_request(client, user, "get", api).json()),
        "email": email.text,
        "email html": html.unescape(email.html),
    }


def lines_of(version: dict) -> str:
    return "\n".join(
        f"{line['text']} {line['note']}" for s in version["sections"] for line in s["lines"]
    )


@pytest.mark.parametrize(
    "thresholds, hidden",
    [((), False), ((6,), True), ((6, 5), False)],
    ids=["unchanged", "raised", "lowered back"],
)
def test_groups_under_todays_threshold_leave_every_reading_of_the_update(
    db, analysed_demo, demo_client, thresholds, hidden
):
    workspace = Workspace.objects.get(pk=analysed_demo.pk)  # the module's copy is not changed
    named = group_lines(workspace)
    # Published under 5: Sales (5 people) is furthest from the vision, and where most
    # contradict a part.
    assert any("Furthest from the vision: Sales" in line for line in named)
    assert any("most in Sales (" in line for line in named)
    for threshold in thresholds:
        change_settings(workspace, None, anonymity_threshold=threshold)
    for way, text in everywhere(workspace, demo_client).items():
        assert "Alignment pulse — Q4 2026: 35 answers." in text, way  # whole-check-in stays
        for line in named:
            assert (line in text) is not hidden, (way, line)
        assert (RAISED in text) is hidden, way
        # Sales' understanding of the vision, the figure of a group now under the threshold.
        assert ("understand the vision 9 / 100" in text) is not hidden, way


def entry(**changes) -> dict:
    """A check-in's entry in an update's facts, gathered under a threshold of 5."""
    where_not = [
        {"text": "Agree without understanding: 40%.", "note": "", "groups": False},
        {"text": "Furthest from the vision: Sales — 9 / 100.", "note": "", "groups": True},
    ]
    found = {
        "id": 2,
        "title": "Pulse",
        "respondents": 35,
        "suppressed": False,
        "threshold": 5,
        "figures": [],
        "compared_with": {"id": 1, "title": "Pulse before"},
        "where_not": where_not,
    }
    return {**found, **changes}


def test_an_entry_gathered_under_todays_threshold_or_a_higher_one_is_shown_as_gathered():
    for gathered in (entry(), entry(threshold=7)):
        assert audiences.checkin_shown_now(gathered, 5) is gathered
    facts = {"checkins": [entry(threshold=2)]}  # read as 3, the least threshold there is
    assert audiences.as_shown_now(facts, 3)["checkins"] == facts["checkins"]


def test_a_raised_threshold_keeps_whole_checkin_lines_only():
    shown = audiences.checkin_shown_now(entry(), 6)
    assert [w["text"] for w in shown["where_not"]] == ["Agree without understanding: 40%."]
    assert shown["compared_with"] is None and not shown["suppressed"]
    assert audiences.hidden_words(shown["hidden"]) == RAISED


def test_an_entry_with_no_threshold_recorded_or_lines_not_marked_is_taken_as_naming_groups():
    """Stored before the entry or its lines said so: whether the threshold changed since cannot
    be told, so what may name a group is hidden, and the sentence says why."""
    unmarked = [{"text": "Agree without understanding: 40%.", "note": ""}]
    shown = audiences.checkin_shown_now(entry(threshold=None), 5)
    assert [w["groups"] for w in shown["where_not"]] == [False]
    assert "before updates recorded their anonymity threshold" in audiences.hidden_words(
        shown["hidden"]
    )
    assert audiences.checkin_shown_now(entry(threshold=4, where_not=unmarked), 5)["where_not"] == []


def test_a_threshold_raised_above_who_answered_hides_every_figure():
    shown = audiences.checkin_shown_now(entry(), 36)
    assert shown["suppressed"] and shown["figures"] == [] and shown["where_not"] == []
    line = audiences.alignment_lines({"checkins": [{**shown, "path": "/c/2/"}]})[0]
    assert line.text == "Pulse: too few people answered to show its results."
