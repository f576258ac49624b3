"""Rituals' actions: numbering, attendees, notes and attendance, ratings, skipping, decisions
in the decision log, and the health rules on fixed data."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.utils import timezone

from truenorth.decisions.models import Status as DecisionStatus
from truenorth.rituals import actions, agenda, health, recurrence
from truenorth.rituals.models import Attendance, Occurrence, Ritual
from truenorth.rituals.recurrence import BadRule
from truenorth.workspaces.actions import change_settings
from truenorth.workspaces.models import Function, Person, SettingChange, Team


@pytest.fixture
def people(workspace, team):
    sales = Team.objects.create(workspace=workspace, name="Sales team")
    make = Person.objects.create
    return {
        "ana": make(workspace=workspace, name="Ana", email="ana@a.test", function=Function.PRODUCT),
        "ben": make(
            workspace=workspace, name="Ben", email="ben@a.test", function="engineering", team=team
        ),
        "cy": make(workspace=workspace, name="Cy", email="cy@a.test", function="sales", team=sales),
        "dee": make(workspace=workspace, name="Dee", email="dee@a.test", function="design"),
        "gone": make(
            workspace=workspace, name="Gone", email="g@a.test", function="product", active=False
        ),
    }


def new(workspace, **fields):
    values = {
        "workspace": workspace,
        "name": "Weekly update",
        "purpose": "One picture.",
        "first_date": date(2026, 1, 5),
        "start_time": time(9, 30),
        "time_zone": "Europe/Berlin",
        "rrule": "FREQ=WEEKLY;BYDAY=MO",
    }
    return Ritual(**(values | fields))


def test_rituals_are_numbered_per_workspace_and_rules_checked(workspace):
    first = actions.create_ritual(new(workspace, rrule=" RRULE:FREQ=WEEKLY; BYDAY=mo "))
    second = actions.create_ritual(new(workspace, name="Review"))
    assert (first.number, second.number) == (1, 2)
    assert first.rrule == "FREQ=WEEKLY;BYDAY=MO"
    with pytest.raises(BadRule):
        actions.create_ritual(new(workspace, rrule="every monday"))
    assert Ritual.objects.count() == 2


@pytest.mark.parametrize(
    "rule", ["FREQ=HOURLY", "FREQ=SECONDLY", "FREQ=DAILY;BYHOUR=9,17", "FREQ=WEEKLY;BYMINUTE=5"]
)
def test_a_ritual_meets_at_most_once_a_day_at_its_start_time(rule):
    """A session is known by its day; a rule by the second, counted from its first date years
    back, would keep a page counting for half an hour."""
    with pytest.raises(BadRule, match="at most daily|start time"):
        recurrence.check_rule(rule)
    assert recurrence.check_rule("FREQ=DAILY;INTERVAL=3") == "FREQ=DAILY;INTERVAL=3"


def test_attendees_by_person_team_and_function(workspace, team, people):
    ritual = actions.create_ritual(
        new(workspace, functions=[Function.PRODUCT]), people=[people["dee"]], teams=[team]
    )
    assert [p.name for p in actions.attendees(ritual)] == ["Ana", "Ben", "Dee"]  # not Gone
    actions.save_ritual(ritual, people=[], teams=None)
    assert [p.name for p in actions.attendees(ritual)] == ["Ana", "Ben"]


def test_an_occurrence_must_be_one_of_the_rituals_starts(workspace, people):
    ritual = actions.create_ritual(new(workspace))
    monday = recurrence.on_day(ritual, date(2026, 1, 12))
    assert actions.occurrence(ritual, monday) is None
    row = actions.occurrence(ritual, monday, create=True)
    assert actions.occurrence(ritual, monday) == row
    with pytest.raises(ValueError):
        actions.occurrence(ritual, monday + timedelta(hours=1))


def soon_after(row):
    """An hour after the session started: while its ratings were open."""
    return row.starts_at + timedelta(hours=1)


def held(ritual, day, came):
    row = actions.occurrence(ritual, recurrence.on_day(ritual, day), create=True)
    return actions.record_notes(row, "notes", came)


def test_notes_mark_it_held_freeze_the_agenda_and_record_who_came(workspace, people, team):
    ritual = actions.create_ritual(new(workspace, functions=["product", "engineering"]))
    row = held(ritual, date(2026, 1, 12), [people["ana"]])
    assert row.status == Occurrence.Status.HELD
    assert [s["key"] for s in row.agenda["sections"]] == [
        "changed",
        "decisions",
        "slips",
        "signals",
        "pulse",
    ]
    came = dict(row.attendances.values_list("person__name", "attended"))
    assert came == {"Ana": True, "Ben": False}
    # Recorded again: who came changes, the frozen agenda does not.
    frozen = row.agenda
    row = actions.record_notes(row, "better notes", [people["ben"]])
    assert dict(row.attendances.values_list("person__name", "attended")) == {
        "Ana": False,
        "Ben": True,
    }
    assert row.agenda == frozen


def test_rating_is_one_click_and_can_change(workspace, people):
    ritual = actions.create_ritual(new(workspace, functions=["product"]))
    row = actions.occurrence(ritual, recurrence.on_day(ritual, date(2026, 1, 12)), create=True)
    actions.rate(row, people["ana"], True, at=soon_after(row))
    actions.rate(row, people["ana"], False, at=soon_after(row))
    rating = Attendance.objects.get(occurrence=row, person=people["ana"])
    assert (rating.worth_it, rating.attended) == (False, True)


def test_skip(workspace):
    ritual = actions.create_ritual(new(workspace))
    starts_at = recurrence.on_day(ritual, date(2026, 1, 12))
    assert actions.skip(ritual, starts_at).status == Occurrence.Status.SKIPPED
    assert Occurrence.objects.get(ritual=ritual).status == Occurrence.Status.SKIPPED


def test_a_held_session_stays_held_when_someone_skips_it(workspace):
    """The page and the command both refuse: an editor who opened the page before another
    recorded the notes does not turn a held session into a skipped one."""
    ritual = actions.create_ritual(new(workspace))
    starts_at = recurrence.on_day(ritual, date(2026, 1, 12))
    actions.record_notes(actions.occurrence(ritual, starts_at, create=True), "Agreed.", [])
    with pytest.raises(actions.HeldAlready, match="notes are recorded"):
        actions.skip(ritual, starts_at)
    assert Occurrence.objects.get(ritual=ritual).status == Occurrence.Status.HELD


def test_ending_stops_the_dates(workspace):
    ritual = actions.create_ritual(new(workspace))
    actions.end_ritual(ritual, date(2026, 1, 19))
    found = recurrence.starts(ritual)
    assert [recurrence.local(ritual, s).date() for s in found] == [
        date(2026, 1, 5),
        date(2026, 1, 12),
    ]


def test_a_decision_lands_in_the_decision_log(workspace, people):
    ritual = actions.create_ritual(new(workspace, name="Roadmap review"))
    row = held(ritual, date(2026, 1, 12), [])
    decision = actions.record_decision(
        row, "Wizard waits", "Ship the wizard first?", "No.", "Reliability.", owner=people["ana"]
    )
    assert decision.number == 1 and decision.status == DecisionStatus.DECIDED
    assert decision.decided_on == date(2026, 1, 12) == decision.raised_on
    assert "Roadmap review" in decision.context
    assert list(row.decisions.all()) == [decision]
    assert workspace.decisions.count() == 1


def test_the_agenda_keeps_results_to_results_readers(workspace):
    full = {
        "since": "2026-01-05",
        "sections": [
            {
                "key": "signals",
                "title": "Signals",
                "items": [{"text": "Vision understood: 40", "results": True}],
                "empty": "All good.",
                "members_empty": "Shown to results readers.",
            },
            {"key": "slips", "title": "Slips", "items": [{"text": "X slipped"}], "empty": ""},
        ],
    }
    member = agenda.for_reader(full, results=False)
    assert member["sections"][0]["items"] == []
    assert member["sections"][0]["empty"] == "Shown to results readers."
    assert member["sections"][1]["items"] == [{"text": "X slipped"}]
    assert agenda.for_reader(full, results=True) == full


@pytest.mark.parametrize(
    "frozen_under, raised_since, shown",
    [
        (5, False, True),
        (7, False, True),
        (3, False, False),
        (None, False, True),
        (None, True, False),
    ],
)
def test_a_frozen_agenda_shows_its_themes_only_under_its_threshold_or_a_lower_one(
    workspace, people, frozen_under, raised_since, shown
):
    """Frozen under 3, the pulse's theme of 3 people would outlive a threshold raised to 5. An
    agenda frozen before agendas recorded their threshold is read under its day's (None): the
    settings history says whether it was raised since."""
    ritual = actions.create_ritual(new(workspace, functions=["product", "engineering"]))
    row = held(ritual, date(2026, 1, 12), [people["ana"]])
    theme = {"text": "“ledger” (3 people) is read 2 ways", "results": True}
    row.agenda["sections"][-1]["items"] = [{"text": "Q1 pulse"}, theme]
    row.agenda.pop("threshold")
    if frozen_under is not None:
        row.agenda["threshold"] = frozen_under
    row.save()
    if raised_since:
        change_settings(workspace, None, anonymity_threshold=3)
        SettingChange.objects.update(changed_at=row.starts_at - timedelta(days=1))
        change_settings(workspace, None, anonymity_threshold=5)  # now, after the session
    assert workspace.anonymity_threshold == 5
    found = agenda.for_occurrence(ritual, row.starts_at, row, results=True)
    pulse = found["sections"][-1]["items"]
    assert (theme in pulse) is shown
    assert any("lower anonymity threshold" in item["text"] for item in pulse) is not shown
    member = agenda.for_occurrence(ritual, row.starts_at, row, results=False)
    assert member["sections"][-1]["items"] == [{"text": "Q1 pulse"}]


def test_the_live_agenda_says_what_slipped_and_what_waits(workspace, strategy):
    from truenorth.decisions.actions import add_decision
    from truenorth.decisions.models import Decision
    from truenorth.roadmap.models import InitiativeChange, Status

    ritual = actions.create_ritual(new(workspace, first_date=date(2026, 6, 1)))
    initiative = strategy["initiatives"]["internal"]
    initiative.status = Status.COMMITTED
    initiative.save()
    InitiativeChange.objects.create(
        initiative=initiative,
        field=InitiativeChange.Field.TARGET_DATE,
        old_value="2026-11-01",
        new_value="2026-12-01",
        changed_at=datetime(2026, 6, 10, 12, tzinfo=UTC),
    )
    waiting = add_decision(
        Decision(workspace=workspace, title="Who owns GL", question="?", raised_on=date(2026, 6, 1))
    )
    waiting.blocks.add(initiative)
    found = agenda.build(ritual, recurrence.on_day(ritual, date(2026, 6, 15)))
    sections = {s["key"]: s for s in found["sections"]}
    assert found["since"] == "2026-06-08"
    assert sections["slips"]["items"][0]["text"].startswith(f"{initiative.title} slipped 30 days")
    [pending] = sections["decisions"]["items"]
    assert "Who owns GL" in pending["text"] and initiative.title in pending["text"]
    assert sections["pulse"]["items"] == []
    # The week before, the slip had not happened yet.
    before = agenda.build(ritual, recurrence.on_day(ritual, date(2026, 6, 8)))
    assert {s["key"]: s for s in before["sections"]}["slips"]["items"] == []


def test_an_agenda_without_slips_still_says_how_many_are_late(workspace):
    from truenorth.roadmap.models import Initiative, InitiativeChange, Status

    today = timezone.localdate()
    ritual = actions.create_ritual(new(workspace, first_date=today - timedelta(days=70)))
    late = Initiative.objects.create(
        workspace=workspace, title="Bank feeds", status=Status.IN_PROGRESS,
        target_date=today + timedelta(days=90),
    )  # fmt: skip
    InitiativeChange.objects.create(
        initiative=late,
        field=InitiativeChange.Field.TARGET_DATE,
        old_value=(today + timedelta(days=30)).isoformat(),
        new_value=late.target_date.isoformat(),
        changed_at=timezone.now() - timedelta(days=60),  # before the last session
    )
    starts = recurrence.next_start(ritual, timezone.now())

    [item] = {s["key"]: s for s in agenda.build(ritual, starts)["sections"]}["slips"]["items"]

    assert item["text"].startswith("No committed date moved later since")
    assert "none is past its target" in item["text"]
    assert "1 of 1 committed initiatives are late" in item["text"]
    assert item["path"] == "/w/acme/roadmap/overruns/"
    assert {s["key"]: s for s in agenda.build(ritual, starts)["sections"]}["slips"]["empty"]


def test_a_day_late_reads_in_the_singular(workspace):
    from truenorth.roadmap.models import Initiative, Status

    ritual = actions.create_ritual(new(workspace, first_date=date(2026, 6, 1)))
    Initiative.objects.create(
        workspace=workspace, title="Bank feeds", status=Status.COMMITTED,
        target_date=date(2026, 6, 14),
    )  # fmt: skip
    found = agenda.build(ritual, recurrence.on_day(ritual, date(2026, 6, 15)))
    texts = [i["text"] for i in {s["key"]: s for s in found["sections"]}["slips"]["items"]]
    assert "Bank feeds is 1 day past its target of 2026-06-14" in texts


# --- Health, on fixed data: (said worth it, rated) per session; (came, expected) per session.


def test_too_early_below_three_rated_sessions():
    found = health.judged([(0, 5), (0, 5)], [(1, 5), (1, 5)])
    assert found.worth_it is None and found.attendance is None and found.level == "ok"
    assert found.verdict.startswith("Too early")


def test_worth_it_falling_by_25_points_suggests_reshaping():
    found = health.judged([(4, 5)] * 3 + [(4, 5), (3, 5), (2, 5)], [(5, 5)] * 6)
    assert (found.worth_it_before, found.worth_it) == (80.0, 60.0)  # 20 points: holds
    assert found.level == "ok"
    found = health.judged([(4, 5)] * 3 + [(3, 5), (2, 5), (2, 5)], [(5, 5)] * 6)
    assert (found.worth_it_before, found.worth_it) == (80.0, 46.7)
    assert found.level == "reshape"
    assert "fell from 80% to 47%" in found.suggestion


def test_worth_it_under_half_suggests_reshaping_without_history():
    found = health.judged([(4, 6), (2, 6), (1, 6)], [(5, 8)] * 3)
    assert found.worth_it == 38.9 and found.worth_it_before is None
    assert found.level == "reshape" and "Only 7 of the 18 ratings" in found.suggestion


def test_falling_attendance_and_low_ratings_suggest_cancelling():
    found = health.judged([(1, 4)] * 6, [(9, 10)] * 3 + [(5, 10)] * 3)
    assert (found.attendance_before, found.attendance) == (90.0, 50.0)
    assert found.level == "cancel" and "cancelling" in found.suggestion


def test_a_rating_counts_though_its_rater_is_marked_absent_after(workspace, people):
    ritual = actions.create_ritual(new(workspace, functions=["product", "design"]))
    now = datetime(2026, 3, 1, tzinfo=UTC)
    for day in (date(2026, 1, 12), date(2026, 1, 19), date(2026, 1, 26)):
        row = held(ritual, day, [people["ana"], people["dee"]])
        actions.rate(row, people["ana"], True, at=soon_after(row))
        actions.rate(row, people["dee"], False, at=soon_after(row))
        actions.record_notes(row, "Held.", [people["ana"]])  # Dee marked absent afterwards
    found = health.assess(ritual, now)
    # Two ratings a session are below the threshold (5): left out, Dee's too.
    assert (found.rated, found.worth_it, found.attendance) == (0, None, 50.0)
    assert found.left_out == 6 and found.level == "ok"
    workspace.anonymity_threshold = 3
    workspace.save(update_fields=["anonymity_threshold"])
    for row in ritual.occurrences.all():
        actions.rate(row, people["ben"], True, at=soon_after(row))
    found = health.assess(Ritual.objects.get(pk=ritual.pk), now)
    assert (found.rated, found.worth_it, found.left_out) == (3, 66.7, 0)
