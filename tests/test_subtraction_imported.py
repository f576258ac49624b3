"""Check-ins whose answers were imported from another survey tool send no links, so they have
no invitations: both of two pulses asked of everyone counted as asked of all 41 people, and
the second was published although it held one answer fewer (41 × 3.93 − 40 × 4.0 was that
person's answer). Their figures are over the people who answered. Analyses run with the real
model."""

import io
from datetime import timedelta

import pytest
from click.testing import CliRunner
from django.utils import timezone

from tests.conftest import team_of
from truenorth.api.checkins import CheckInOut
from truenorth.checkins.actions import create_alignment_pulse
from truenorth.checkins.imports import import_responses
from truenorth.checkins.measure import analyze, close_checkin
from truenorth.checkins.models import CheckIn
from truenorth.checkins.overlaps import WouldDisclose, too_close, warnings
from truenorth.cli import main
from truenorth.workspaces.models import Function, Person, Team
from truenorth.workspaces.people import erase

HEADER = "email,function,team,vision,priorities,purpose,direction"


@pytest.fixture
def everyone(workspace):
    """41 people: Sales (12), Platform (15 engineers) and Support (14)."""
    people = []
    for name, function, size in (
        ("Sales", Function.SALES, 12),
        ("Platform", Function.ENGINEERING, 15),
        ("Support", Function.SUPPORT, 14),
    ):
        people += team_of(workspace, name, function, size)[1]
    return people


def row(person, n: int, by: str) -> str:
    who = f"{person.email},," if by == "email" else f",{person.function},{person.team.name}"
    return (
        f"{who},Finance teams close their books in {n % 4 + 2} days,"
        f"1. Touchless invoices 2. Payments,Invoices approved untouched,{1 + n % 5}"
    )


def imported_pulse(workspace, title, people, by="email", anonymous=True, days_ago=3):
    """A pulse asked of everyone, its answers imported for `people`, closed."""
    opens = timezone.now() - timedelta(days=days_ago)
    checkin = create_alignment_pulse(
        workspace, title, opens, opens + timedelta(days=7), anonymous=anonymous
    )
    rows = [row(person, n, by) for n, person in enumerate(people)]
    import_responses(checkin, io.StringIO("\n".join([HEADER, *rows]) + "\n"))
    close_checkin(checkin)
    return CheckIn.objects.get(pk=checkin.pk)


REFUSED = (
    "“Company pulse F” cannot be published: its audience differs from “Company pulse E” by "
    "1 person: publishing both would let anyone subtract one from the other and read that "
    "person's answers"
)


@pytest.mark.parametrize(
    ("by_e", "by_f", "anonymous"),
    [
        ("email", "email", False),  # each answer its author's
        ("email", "email", True),  # an anonymous check-in keeps only their groups
        ("team", "team", True),  # imported by function and team
        ("email", "team", False),
    ],
)
def test_two_imports_one_answer_apart_are_not_both_published(
    workspace, everyone, by_e, by_f, anonymous
):
    e = imported_pulse(workspace, "Company pulse E", everyone, by_e, anonymous, days_ago=3)
    without_one = [p for p in everyone if p != everyone[20]]
    f = imported_pulse(workspace, "Company pulse F", without_one, by_f, anonymous, days_ago=2)
    assert analyze(e).response_count == 41
    with pytest.raises(WouldDisclose, match=REFUSED) as refused:
        analyze(f)
    # Importing answers from others would change who counts: it is not said it would not.
    assert "Its answers were imported, so what counts is who answered" in str(refused.value)
    assert "More answers would not change this" not in str(refused.value)
    f.refresh_from_db()
    assert f.finalised_at is None and not hasattr(f, "report")


def test_analyze_close_refuses_the_second_import(workspace, everyone):
    e = imported_pulse(workspace, "Company pulse E", everyone, days_ago=3)
    f = imported_pulse(workspace, "Company pulse F", everyone[1:], days_ago=2)
    runner = CliRunner()
    published = runner.invoke(main, ["analyze", "--checkin", str(e.pk), "--close"])
    assert published.exit_code == 0, published.output
    refused = runner.invoke(main, ["analyze", "--checkin", str(f.pk), "--close"])
    assert refused.exit_code == 1 and REFUSED in refused.output


@pytest.mark.parametrize("by", ["email", "team"])
def test_imports_apart_by_the_threshold_are_both_published(workspace, everyone, by):
    e = imported_pulse(workspace, "Company pulse E", everyone, by, days_ago=3)
    f = imported_pulse(workspace, "Company pulse F", everyone[5:], by, days_ago=2)
    assert workspace.anonymity_threshold == 5
    assert analyze(e).response_count == 41
    assert analyze(f).response_count == 36


# Imported answers have no date of their own: the same file imports alike into a check-in given
# any dates. An editor gave a copy of a published import, one answer short, the dates of last
# spring, and it was published beside the first: 41 × 3.37 − 40 × 3.42 was one person's answer.

NO_DATE_HELPS = (
    "Imported answers have no date of their own, so a check-in holding them is compared with "
    "every other, whatever the dates it is given."
)


def test_a_backdated_import_one_answer_short_is_refused(workspace, everyone):
    a = imported_pulse(workspace, "Imported A", everyone, days_ago=3)
    assert analyze(a).response_count == 41
    without_one = [p for p in everyone if p != everyone[20]]
    b4 = imported_pulse(workspace, "Imported B4 spring", without_one, days_ago=220)
    with pytest.raises(WouldDisclose, match="by 1 person") as refused:
        analyze(b4)
    assert NO_DATE_HELPS in str(refused.value)
    assert "open it from" not in str(refused.value)  # no later date would help


def test_two_imports_a_year_apart_one_answer_apart_are_refused_either_way(workspace, everyone):
    this_year = imported_pulse(workspace, "Company pulse F", everyone[1:], days_ago=3)
    assert analyze(this_year).response_count == 40  # the later one published first
    last_year = imported_pulse(workspace, "Company pulse E", everyone, days_ago=368)
    with pytest.raises(WouldDisclose, match="differs from “Company pulse F” by 1 person"):
        analyze(last_year)


def test_an_ordinary_checkin_a_year_after_an_import_is_compared_with_it(workspace, everyone):
    imported = imported_pulse(workspace, "Company pulse E", everyone[1:], days_ago=368)
    assert analyze(imported).response_count == 40
    asked = create_alignment_pulse(
        workspace, "Pulse asked", timezone.now(), timezone.now() + timedelta(days=7)
    )
    refused = "Its audience differs from “Company pulse E” by 1 person"
    assert any(refused in warning for warning in warnings(asked))  # before it is sent


@pytest.mark.parametrize("by", ["email", "team"])
def test_imports_a_year_apart_by_the_threshold_are_both_published(workspace, everyone, by):
    e = imported_pulse(workspace, "Company pulse E", everyone, by, days_ago=368)
    f = imported_pulse(workspace, "Company pulse F", everyone[5:], by, days_ago=3)
    assert analyze(e).response_count == 41
    assert analyze(f).response_count == 36


# An editor published an import by email, was refused a copy one answer short imported by
# function and team, then moved five engineers to another team, and the copy was published:
# its answers' stand-ins followed today's teams. What a published check-in's figures sum over
# is kept as it was published.


def moved_to(workspace, people, team_name):
    design = Team.objects.create(workspace=workspace, name=team_name)
    for person in people:
        person.team = design
        person.save(update_fields=["team"])


def test_moving_people_after_an_import_is_published_does_not_let_its_copy_through(
    workspace, everyone
):
    a = imported_pulse(workspace, "Import A2 spring", everyone, "email", False, days_ago=220)
    assert analyze(a).response_count == 41
    without_one = [p for p in everyone if p != everyone[20]]  # a Platform engineer
    b = imported_pulse(workspace, "Import B2", without_one, "team", False, days_ago=2)
    refused = "its audience differs from “Import A2 spring” by 1 person"
    with pytest.raises(WouldDisclose, match=refused):
        analyze(b)
    moved_to(workspace, everyone[22:27], "Design")  # five other Platform engineers
    with pytest.raises(WouldDisclose, match=refused):
        analyze(b)
    b.refresh_from_db()
    assert b.finalised_at is None and not hasattr(b, "report")


def test_erasing_people_between_two_imports_keeps_the_second_refused_alike(workspace, everyone):
    a = imported_pulse(workspace, "Import A2 spring", everyone, "email", False, days_ago=220)
    assert analyze(a).response_count == 41
    erase(everyone[13])  # two Platform engineers: the refusal read "by 3 people" after it
    erase(everyone[14])
    without_one = [p for p in everyone if p != everyone[20]]
    b = imported_pulse(workspace, "Import B2", without_one, "team", False, days_ago=2)
    with pytest.raises(WouldDisclose, match="differs from “Import A2 spring” by 1 person"):
        analyze(b)


def test_who_a_published_import_stands_for_is_kept_as_it_was_published(workspace, everyone):
    a = imported_pulse(workspace, "Company pulse E", everyone, "team", True, days_ago=3)
    analyze(a)
    a.refresh_from_db()
    kept = {tuple(group[:2]): set(group[2]) for group in a.people_when_published}
    assert kept[(None, None)] == {str(person.pk) for person in everyone}
    assert kept[("team", "Platform")] == {str(person.pk) for person in everyone[12:27]}
    assert "people_when_published" not in CheckInOut.model_fields  # the API never shows it


# Round 1 of a pulse of the Alpha team (4 engineers, 2 designers) and the Beta team (5 engineers)
# was imported by email into an anonymous check-in and published; an Alpha engineer then moved
# to Beta, and round 2 imported the same eleven people's answers. It was refused as differing
# "by 2 people": the mover stood for one of Alpha's three engineers' answers, which left Alpha's
# fourth engineer out and Beta's sixth answer to a made-up person. The same people answered
# both; only the teams subtract (Alpha's 6 then less its 5 now is the mover), and those are
# withheld.


def test_the_same_people_imported_again_after_one_moved_team_are_published_without_teams(
    workspace,
):
    alpha, engineers = team_of(workspace, "Alpha", Function.ENGINEERING, 4)
    designers = [
        Person.objects.create(
            workspace=workspace,
            name=f"Designer {i}",
            email=f"ad{i}@acme.test",
            function=Function.DESIGN,
            team=alpha,
        )
        for i in range(2)
    ]
    beta, others = team_of(workspace, "Beta", Function.ENGINEERING, 5)
    everyone = engineers + designers + others

    def round_of(title, days_ago):
        opens = timezone.now() - timedelta(days=days_ago)
        checkin = create_alignment_pulse(
            workspace, title, opens, opens + timedelta(days=1), teams=[alpha, beta]
        )
        rows = [row(person, n, "email") for n, person in enumerate(everyone)]
        import_responses(checkin, io.StringIO("\n".join([HEADER, *rows]) + "\n"))
        return CheckIn.objects.get(pk=checkin.pk)

    first = analyze(round_of("R1 AB", days_ago=4))
    assert {g["name"] for g in first.data["questions"][0]["by"]["team"]["groups"]} == {
        "Alpha",
        "Beta",
    }
    engineers[0].team = beta
    engineers[0].save(update_fields=["team"])
    second = round_of("R2 AB", days_ago=2)
    assert too_close(second) == []
    report = analyze(second)
    assert report.response_count == 11
    teams = report.data["questions"][0]["by"]["team"]
    assert teams["groups"] == [] and teams["hidden_n"] == 11
