"""The demo's "What did you hear?": a back-brief that heard the decision but not its reason, one
reading that reverses it, and the same question raised again (real model). Its own module: the
demo's logins share names with the users fixture's, so no test here creates those."""

import pytest

from truenorth.checkins.measure import analyze
from truenorth.checkins.models import BACK_BRIEF


@pytest.mark.django_db
def test_the_demo_shows_a_misread_rationale_and_a_repeated_question(analysed_demo, demo_client):
    checkin = analysed_demo.checkins.get(template=BACK_BRIEF)
    analyze(checkin)
    heard = analysed_demo.decisions.get(title="Payments provider for supplier payouts")
    client = demo_client(analysed_demo, "editor")
    data = client.get(f"/w/{analysed_demo.slug}/decisions/{heard.number}.json").json()
    reading = data["back_brief"]
    assert reading["state"] == "shown" and reading["n"] == 7
    outcome, rationale, _, whole = reading["parts"]
    assert whole["key"] == "statement"
    assert outcome["conveys"] > 0.5 > rationale["conveys"]  # the decision heard, not its reason
    # One of seven reverses it: counted, never quoted (one person could be picked out).
    assert reading["contradicting_count"] == 1 and reading["contradicting"] == []
    again = analysed_demo.decisions.get(title="Payments provider, again")
    data = client.get(f"/w/{analysed_demo.slug}/decisions/{again.number}.json").json()
    assert [r["number"] for r in data["repeated_conversation"]] == [heard.number]


@pytest.mark.django_db
def test_a_back_briefs_results_say_nothing_untrue_of_its_groups(analysed_demo, demo_client):
    """The pulse's table by function and team reads its vision question, which a back-brief has
    not: under the part-by-part table's "5 functions (7 people) not shown" it had said "No
    function or team is shown: no answer came with one"."""
    checkin = analysed_demo.checkins.get(template=BACK_BRIEF)
    analyze(checkin)
    client = demo_client(analysed_demo, "editor")
    page = client.get(f"/w/{analysed_demo.slug}/checkins/{checkin.pk}/").content.decode()
    assert "functions (7 people) not shown" in page
    assert "no answer came with one" not in page and 'id="by-function-and-team"' not in page
    pulse = analysed_demo.checkins.filter(template="alignment_pulse").order_by("-opens_at")[0]
    page = client.get(f"/w/{analysed_demo.slug}/checkins/{pulse.pk}/").content.decode()
    assert 'id="by-function-and-team"' in page
