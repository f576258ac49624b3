"""The demo's rituals: a weekly update held four times, its ratings falling; the agenda's pulse
section read from the demo's analysed pulse."""

import pytest
from django.utils import timezone

from truenorth.decisions.models import Status as DecisionStatus
from truenorth.rituals import actions, agenda, health, recurrence
from truenorth.rituals.models import Occurrence


def weekly(workspace):
    return workspace.rituals.get(name="Weekly product update")


def test_the_demo_has_three_rituals_with_cadences(db, analysed_demo):
    names = list(analysed_demo.rituals.values_list("name", "rrule"))
    assert names == [
        ("Weekly product update", "FREQ=WEEKLY;BYDAY=MO"),
        ("Monthly roadmap review", "FREQ=MONTHLY;BYDAY=1TU"),
        ("Quarterly strategy session", "FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY=1WE"),
    ]


def test_the_weekly_update_was_held_four_times_with_notes_and_attendance(db, analysed_demo):
    ritual = weekly(analysed_demo)
    held = ritual.occurrences.filter(status=Occurrence.Status.HELD)
    assert held.count() == 4
    expected = len(actions.attendees(ritual))
    for occurrence in held:
        assert occurrence.notes
        assert occurrence.starts_at < timezone.now()
        assert occurrence.attendances.count() == expected
        assert 0 < occurrence.attendances.filter(attended=True).count() < expected
        assert [s["key"] for s in occurrence.agenda["sections"]] == [
            "changed",
            "decisions",
            "slips",
            "signals",
            "pulse",
        ]


def test_its_health_suggests_reshaping_it(db, analysed_demo):
    """From the three sessions whose ratings have closed; the latest's are open a week."""
    found = health.assess(weekly(analysed_demo), timezone.now())
    assert found.rated == 3 and found.left_out == 0
    assert found.level == "reshape"
    assert "worth it" in found.suggestion
    assert found.worth_it is not None and found.worth_it < health.LOW_SHARE


def test_the_other_rituals_are_too_early_to_judge(db, analysed_demo):
    for ritual in analysed_demo.rituals.exclude(name="Weekly product update"):
        found = health.assess(ritual, timezone.now())
        assert found.level == "ok" and found.worth_it is None


def test_a_decision_landed_in_the_log_and_the_summary_went(db, analysed_demo):
    latest = weekly(analysed_demo).occurrences.order_by("-starts_at").first()
    decision = latest.decisions.get()
    assert decision.status == DecisionStatus.DECIDED
    assert analysed_demo.decisions.filter(pk=decision.pk).exists()
    assert latest.summary_sent_at is not None


def test_the_held_agendas_carry_the_demos_slips_and_open_decisions(db, analysed_demo):
    frozen = [o.agenda for o in weekly(analysed_demo).occurrences.order_by("starts_at")]
    slipped = [
        item["text"]
        for a in frozen
        for s in a["sections"]
        if s["key"] == "slips"
        for item in s["items"]
    ]
    assert any("slipped" in text for text in slipped)
    waiting = [s for s in frozen[-1]["sections"] if s["key"] == "decisions"][0]["items"]
    assert waiting and "open" in waiting[0]["text"]


def test_the_agenda_is_built_live_for_the_next_session(db, analysed_demo):
    ritual = weekly(analysed_demo)
    upcoming = recurrence.next_start(ritual, timezone.now())
    shown = agenda.build(ritual, upcoming)
    assert shown["since"] < shown["day"]
    assert [s["key"] for s in shown["sections"]][-1] == "pulse"


def test_the_pulse_gives_results_readers_themes_and_members_a_link(db, analysed_demo):
    import json

    from truenorth.checkins.measure import current_report

    ritual = weekly(analysed_demo)
    upcoming = recurrence.next_start(ritual, timezone.now())
    full = agenda.build(ritual, upcoming, results=True)
    pulse = [s for s in full["sections"] if s["key"] == "pulse"][0]
    checkin = analysed_demo.checkins.exclude(template="back_brief").order_by("-closes_at").first()
    assert pulse["items"][0]["path"].endswith(f"/checkins/{checkin.pk}/")
    themes = pulse["items"][1:]
    assert themes and all(item["results"] for item in themes)
    # No quote of any answer reaches the agenda: only theme labels and group sizes.
    report = current_report(checkin).data
    quotes = [
        quote
        for q in report.get("questions", [])
        if not q.get("suppressed") and q.get("themes")
        for t in q["themes"]["groups"]
        for quote in t.get("quotes", [])
    ]
    assert quotes
    shown = json.dumps(full)
    assert not any(quote in shown for quote in quotes)
    member = agenda.build(ritual, upcoming, results=False)
    pulse = [s for s in member["sections"] if s["key"] == "pulse"][0]
    assert len(pulse["items"]) == 1 and "results" not in pulse["items"][0]
    signals = [s for s in member["sections"] if s["key"] == "signals"][0]
    assert signals["items"] == [] and "results" in signals["empty"]


def test_the_signals_short_of_good_are_on_the_agenda_whatever_their_level(db, analysed_demo):
    """How well people understand the vision is the first signal a ritual should discuss; the
    agenda read only the organisation level's, and called everything fine beside a 51/100."""
    from truenorth.dashboard.signals import cached_dashboard

    board = cached_dashboard(analysed_demo)
    short = [s.name for s in [*board.individual, *board.market] if agenda.below_good(s)]
    assert short  # the demo's pulse has people short of understanding, and claims at odds
    upcoming = recurrence.next_start(weekly(analysed_demo), timezone.now())
    shown = agenda.build(weekly(analysed_demo), upcoming, results=True)
    items = [s for s in shown["sections"] if s["key"] == "signals"][0]["items"]
    assert all(any(item["text"].startswith(f"{name}:") for item in items) for name in short)


def test_every_held_session_names_the_pulse_published_before_it(db, analysed_demo):
    """The sessions were held while the demo was built, before its pulses were analysed: their
    agendas said no pulse had published results, while the Q3 pulse had closed in September.
    Which pulse each names depends on the day the demo is built (near the year's end the Q4
    pulse closes before the last session): the latest to close before it."""
    pulses = analysed_demo.checkins.filter(title__startswith="Alignment pulse")
    for occurrence in weekly(analysed_demo).occurrences.filter(status=Occurrence.Status.HELD):
        before = pulses.filter(closes_at__lt=occurrence.starts_at).order_by("-closes_at").first()
        pulse = [s for s in occurrence.agenda["sections"] if s["key"] == "pulse"][0]
        assert pulse["items"], occurrence.starts_at
        assert pulse["items"][0]["text"].startswith(f"{before.title}, closed "), (
            occurrence.starts_at
        )


@pytest.mark.parametrize("role", ["owner", "editor", "viewer", "member"])
def test_every_link_on_an_agenda_opens_for_its_reader(db, analysed_demo, demo_client, role):
    """A member was linked to the pulse's results, which answer them 403: where the reader may
    not open the page, the item says whose it is instead."""
    client = demo_client(analysed_demo, role)
    ritual = weekly(analysed_demo)
    days = [o.starts_at for o in ritual.occurrences.order_by("starts_at")]
    days += actions.coming_sessions(ritual, timezone.now(), 30)[:2]
    paths = set()
    for starts_at in days:
        day = recurrence.local(ritual, starts_at).date().isoformat()
        found = client.get(f"/w/{analysed_demo.slug}/rituals/{ritual.number}/{day}.json").json()
        paths |= {i["path"] for s in found["agenda"]["sections"] for i in s["items"] if "path" in i}
        pulse = [s for s in found["agenda"]["sections"] if s["key"] == "pulse"][0]["items"][0]
        if role == "member":
            assert "path" not in pulse and "owners, editors and viewers" in pulse["note"]
    assert paths
    for path in sorted(paths):
        assert client.get(path.split("#")[0]).status_code == 200, (role, path)
