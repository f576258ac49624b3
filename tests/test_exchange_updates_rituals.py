"""Updates and rituals travel in the workspace file: a published update reads the same after
an import, and a ritual keeps its cadence, notes, decisions and ratings."""

from datetime import UTC, date, datetime, time

import pytest

from truenorth.decisions.models import Decision
from truenorth.exchange import ExchangeError, export_workspace, import_workspace
from truenorth.rituals.models import Attendance, CalendarFeed, Kind, Occurrence, Ritual
from truenorth.updates import actions as updates
from truenorth.updates import audiences
from truenorth.workspaces.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def ritual(workspace, strategy, users):
    owner = Person.objects.get(workspace=workspace, email="owner@acme.test")
    editor = Person.objects.get(workspace=workspace, email="editor@acme.test")
    ritual = Ritual.objects.create(
        workspace=workspace,
        number=1,
        name="Weekly product update",
        kind=Kind.WEEKLY_UPDATE,
        purpose="Everyone hears what moved and why.",
        owner=owner,
        functions=["engineering", "sales"],
        first_date=date(2026, 3, 2),
        start_time=time(9, 30),
        time_zone="Europe/Berlin",
        rrule="FREQ=WEEKLY;BYDAY=MO",
    )
    ritual.people.set([owner, editor])
    ritual.teams.set(workspace.teams.all()[:1])
    decision = Decision.objects.create(
        workspace=workspace,
        number=1,
        title="Keep the Monday slot",
        question="Move it?",
        raised_on=date(2026, 3, 9),
    )
    held = Occurrence.objects.create(
        ritual=ritual,
        starts_at=datetime(2026, 3, 9, 8, 30, tzinfo=UTC),
        status=Occurrence.Status.HELD,
        agenda={"since": "2026-03-02", "sections": []},
        notes="Bank feeds slipped a week.",
    )
    held.decisions.set([decision])
    Attendance.objects.create(occurrence=held, person=owner, worth_it=True, rated_at=held.starts_at)
    Attendance.objects.create(occurrence=held, person=editor, attended=False)
    CalendarFeed.issue(workspace, owner)
    return ritual


def test_updates_and_rituals_survive_a_round_trip(workspace, ritual):
    update = updates.open_draft(workspace, date(2026, 3, 1), date(2026, 3, 31))
    updates.save_texts(update, "March moved the bank feeds.", "Bank feeds are coming along.")
    updates.publish(update, today=date(2026, 4, 1))
    updates.open_draft(workspace, date(2026, 4, 1), date(2026, 4, 30))

    data = export_workspace(workspace)
    assert [u["number"] for u in data["updates"]] == [1, 2]
    assert data["updates"][0]["published_at"] and not data["updates"][1]["published_at"]
    assert data["rituals"][0]["occurrences"][0]["decisions"] == [1]
    copy = import_workspace(data, slug="acme-copy").workspace

    moved = export_workspace(copy)
    for key in ("updates", "rituals"):
        assert moved[key] == data[key]
    published = copy.updates.get(number=1)
    for audience in audiences.Audience:
        assert audiences.markdown(audiences.version(published, audience)) == audiences.markdown(
            audiences.version(update, audience)
        )
    occurrence = copy.rituals.get().occurrences.get()
    assert occurrence.decisions.get().workspace == copy
    assert {a.person.workspace for a in occurrence.attendances.all()} == {copy}
    # Feeds are secrets of the server that issued them.
    assert not CalendarFeed.objects.filter(workspace=copy).exists()


def test_no_ones_worth_it_rating_leaves_the_server(workspace, ritual):
    """A rating is said to the ritual, not to the room: the owner's export carries who came,
    never what each of them answered."""
    attendances = export_workspace(workspace)["rituals"][0]["occurrences"][0]["attendances"]
    assert {a["person"]: a["attended"] for a in attendances} == {
        "owner@acme.test": True,
        "editor@acme.test": False,
    }
    assert all(set(a) == {"person", "attended"} for a in attendances)


@pytest.mark.parametrize(
    "breakage, message",
    [
        (lambda r: r.update(rrule="FREQ=SOMETIMES"), r"rituals\.0\.rrule"),
        (lambda r: r.update(time_zone="Mars/Olympus"), r"rituals\.0\.time_zone"),
        (lambda r: r["people"].append("nobody@acme.test"), r"rituals\.0\.people\.2 refers"),
        (
            lambda r: r["occurrences"][0]["decisions"].append(9),
            r"rituals\.0\.occurrences\.0\.decisions\.1 refers to decision 9",
        ),
    ],
)
def test_a_broken_ritual_in_a_file_imports_nothing(workspace, ritual, breakage, message):
    data = export_workspace(workspace)
    breakage(data["rituals"][0])
    with pytest.raises(ExchangeError, match=message):
        import_workspace(data, slug="acme-copy")
    assert not Ritual.objects.filter(workspace__slug="acme-copy").exists()
