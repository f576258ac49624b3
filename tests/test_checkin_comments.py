"""What becomes of the answers to "Anything else you want to say? (optional)": once published,
the check-in's page, report.json and the API show them grouped into themes, quoted only where at
least the threshold of people wrote in the same way and counted otherwise, never by function or
team (real database, the real model reads the answers)."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from truenorth.checkins.actions import create_alignment_pulse, save_answers
from truenorth.checkins.measure import analyze, close_checkin
from truenorth.checkins.models import Response, Role
from truenorth.workspaces.models import Function

pytestmark = pytest.mark.usefixtures("no_notifications")

SHARED = "ZEBRAFISH release notes reach support only after the launch"
# Said once each: no reading of them is shared, so none may be quoted.
OWN = [
    "The parking garage floods whenever it rains.",
    "Please bring back the Friday breakfast for the night shift.",
    "My laptop battery dies before lunch every day.",
]
SAID_NOTHING = ["nothing", "n/a"]


def answered_pulse(workspace, comments: list[str], people: int = 12):
    """A pulse `people` answered, the first of them with the given comments, then closed."""
    opens = timezone.now() - timedelta(days=2)
    pulse = create_alignment_pulse(workspace, "Q4 pulse", opens, opens + timedelta(days=7))
    questions = {q.role: q for q in pulse.questions.all()}
    functions = [Function.SALES, Function.ENGINEERING]
    for i in range(people):
        answers = {
            questions[Role.VISION]: "Finance teams close their books faster with us.",
            questions[Role.PRIORITIES]: "Faster close\nFewer manual touches",
            questions[Role.PURPOSE]: "My work makes the close faster.",
            questions[Role.DIRECTION]: 4,
            questions[Role.COMMENT]: comments[i] if i < len(comments) else "",
        }
        save_answers(Response(checkin=pulse, function=functions[i % 2]), answers)
    close_checkin(pulse)
    return pulse


def test_comments_are_themed_quoted_where_shared_and_otherwise_counted(workspace, client_for):
    shared = [f"{SHARED} ({i})" for i in range(6)]
    pulse = answered_pulse(workspace, [*shared, *OWN, *SAID_NOTHING])
    report = analyze(pulse).data
    [comments] = report["comments"]
    assert comments["prompt"] == "Anything else you want to say? (optional)"
    assert comments["n"] == 11 and comments["themes"]["no_answer"] == 2
    themed = comments["themes"]["groups"]
    assert themed and all(t["size"] >= report["threshold"] for t in themed)
    quotes = [q for t in themed for q in t["quotes"]]
    assert quotes and all(q.startswith(SHARED) for q in quotes)
    assert comments["quoted"] == len(set(quotes))
    assert all(t["functions"] == {} for t in themed)  # never by function or team
    assert "by" not in comments

    client = client_for("owner")
    page = client.get(f"/w/acme/checkins/{pulse.pk}/").content.decode()
    assert "Comments: Anything else you want to say? (optional)</h2>" in page
    assert f"11 comments, {comments['quoted']} quoted." in page
    assert SHARED in page
    twin = client.get(f"/w/acme/checkins/{pulse.pk}/report.json").json()
    assert twin["report"]["comments"] == report["comments"]
    for said_once in OWN:
        assert said_once not in page and said_once not in json.dumps(twin)


def test_fewer_comments_than_the_threshold_are_neither_shown_nor_counted(workspace, client_for):
    pulse = answered_pulse(workspace, OWN)
    [comments] = analyze(pulse).data["comments"]
    assert comments == {
        "key": comments["key"],
        "prompt": "Anything else you want to say? (optional)",
        "role": "comment",
        "suppressed": True,
    }
    page = client_for("owner").get(f"/w/acme/checkins/{pulse.pk}/").content.decode()
    assert "Fewer than 5 people wrote a comment: none is shown" in page
    assert not any(said_once in page for said_once in OWN)


def test_a_threshold_raised_since_publishing_cuts_the_comments_to_it(workspace, client_for):
    shared = [f"{SHARED} ({i})" for i in range(6)]
    pulse = answered_pulse(workspace, [*shared, *OWN])
    analyze(pulse)
    workspace.anonymity_threshold = 8  # under the nine who commented, above the six alike
    workspace.save()
    twin = client_for("owner").get(f"/w/acme/checkins/{pulse.pk}/report.json").json()
    [comments] = twin["report"]["comments"]
    assert comments["n"] == 9 and comments["themes"]["groups"] == [] and comments["quoted"] == 0
    assert SHARED not in json.dumps(twin)
