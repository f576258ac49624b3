"""Rounds of a check-in asked of chosen teams: which round a team's figures on the alignment
dashboard come from, what a withheld trend says would allow one, each team's row since the round
before, `truenorth analyze` saying what the page says, and one default for how long a new
check-in stays open. Real database, real model, Django's test client, Click's runner."""

import copy
import re
from datetime import timedelta
from html import unescape

import pytest
from click.testing import CliRunner
from django.utils import timezone

from tests.api import api_request
from truenorth.api.models import ApiToken
from truenorth.checkins import DEFAULT_OPEN_DAYS
from truenorth.checkins.actions import create_alignment_pulse, issue_links, submit_response
from truenorth.checkins.measure import (
    AUDITED_BY_ANSWERERS,
    TEAMS_JUDGED_BY_PEOPLE,
    analyze,
    current_report,
)
from truenorth.checkins.models import CheckIn, Invitation, Report
from truenorth.checkins.overlaps import (
    WouldDisclose,
    answerers_by_group,
    not_near_from,
    people_by_group,
    publication_refused,
)
from truenorth.cli import main
from truenorth.workspaces.models import Function, Membership, Person, Team

FAITHFUL = "Every finance team closes its books in three days, with invoices approving themselves."
ELSEWHERE = "We sell a chat app to restaurants."
WOULD_COMPARE = (
    "the two compare once the same people answer both, or the people answering one and not the "
    "other number 5 or more"
)


@pytest.fixture
def teams(workspace, strategy):
    """Six engineers in Workflow and six salespeople in Capture, beside the strategy's vision."""
    found = {}
    for function, name in ((Function.ENGINEERING, "Workflow"), (Function.SALES, "Capture")):
        team = Team.objects.create(workspace=workspace, name=name)
        people = [
            Person.objects.create(
                workspace=workspace,
                name=f"{name} {i}",
                email=f"{name.lower()}{i}@acme.test",
                function=function,
                team=team,
            )
            for i in range(6)
        ]
        found[name] = (team, people)
    return found


def pulse(workspace, title, days_ago, who, teams=(), vision=FAITHFUL):
    """An anonymous pulse that opened `days_ago` and closed a day later, answered by `who` with
    `vision` as their restatement; asked of `teams` (everyone when none)."""
    opens = timezone.now() - timedelta(days=days_ago)
    checkin = create_alignment_pulse(
        workspace, title, opens, timezone.now() + timedelta(days=1), teams=list(teams)
    )
    links = {link.person.pk: link.token for link in issue_links(checkin)}
    answer_as(checkin, links, who, vision)
    CheckIn.objects.filter(pk=checkin.pk).update(closes_at=opens + timedelta(days=1))
    checkin.refresh_from_db()
    return checkin


def answer_as(checkin, links: dict, who, vision: str = FAITHFUL) -> None:
    """Each of `who` answers through their link (`links`: person id → token), restating the
    vision as `vision`."""
    questions = {q.role: q for q in checkin.questions.all()}
    for person in who:
        answers = {
            questions["vision"]: vision,
            questions["priorities"]: "1. Touchless invoices 2. Payments 3. SOC 2",
            questions["purpose"]: "My work gets invoices approved without anyone touching them.",
            questions["direction"]: 4,
        }
        submit_response(checkin.invitations.get(person=person), links[person.pk], answers)


def closed(checkin) -> str:
    return f"{timezone.localtime(checkin.closes_at):%-d %b %Y}"


def team_signal(board: dict, team: str, key: str) -> dict:
    row = next(row for row in board["team"] if row["team"] == team)
    return next(signal for signal in row["signals"] if signal["key"] == key)


# --- 1. The alignment dashboard's team view: a team's own later round counts, and is named ---


def test_a_teams_own_later_round_is_its_latest_figure_and_is_named(workspace, teams, client_for):
    (workflow, wf), (capture, cap) = teams["Workflow"], teams["Capture"]
    company = pulse(workspace, "Q4 pulse", 100, wf + cap, vision=ELSEWHERE)
    own = pulse(workspace, "Team pulse R1", 40, wf + cap, teams=[workflow, capture])
    analyze(company), analyze(own)
    viewer = client_for("viewer")
    board = viewer.get("/w/acme/alignment.json?team=Workflow").json()
    understood = team_signal(board, "Workflow", "team.vision_fidelity")
    ours = next(g for g in own.report.data["questions"][0]["by"]["team"]["groups"])
    assert understood["value"] == ours["fidelity"] > 60  # the team's round, not the company's
    assert understood["measured_in"] == f"Team pulse R1, closed {closed(own)}"
    assert board["source"]["checkin"]["title"] == "Q4 pulse"  # the company's figures stay
    page = unescape(viewer.get("/w/acme/alignment/?team=Workflow").content.decode())
    assert f"from Team pulse R1, closed {closed(own)}" in page
    whole = unescape(viewer.get("/w/acme/alignment/").content.decode())
    assert f"Q4 pulse</a> (closed {closed(company)})" in whole
    assert "A team's figures of the vision come from the latest check-in that asked the team" in (
        whole
    )
    # Pinned, the company's check-in is the last point: a team's later round waits.
    editor = client_for("editor")
    editor.post(f"/w/acme/checkins/{company.pk}/pin/", {"pin": "1"})
    board = editor.get("/w/acme/alignment.json?team=Capture").json()
    understood = team_signal(board, "Capture", "team.vision_fidelity")
    assert understood["measured_in"] == f"Q4 pulse, closed {closed(company)}"
    assert understood["value"] < 35


# --- 2. What a withheld trend says would allow one ---


def test_a_withheld_trend_says_what_would_allow_a_comparison(workspace, teams, client_for):
    workflow, wf = teams["Workflow"]
    pulse(workspace, "Team pulse R1", 100, wf, teams=[workflow])
    later = pulse(workspace, "Team pulse R2", 3, wf[:-1], teams=[workflow])
    why = (
        "not compared with Team pulse R1: the people who answered differ by fewer than 5, so a "
        f"change could be one person's answer; {WOULD_COMPARE}"
    )
    assert analyze(later).data["trend_withheld"] == why
    page = unescape(client_for("viewer").get(f"/w/acme/checkins/{later.pk}/").content.decode())
    assert f"No trend: {why}." in page
    result = CliRunner().invoke(main, ["analyze", "--checkin", str(later.pk)])
    assert f"  No trend: {why}." in result.output


def test_a_report_published_before_says_it_too(workspace, teams):
    workflow, wf = teams["Workflow"]
    checkin = pulse(workspace, "Team pulse R1", 100, wf, teams=[workflow])
    report = analyze(checkin)
    old = "not compared with X: the people who answered differ by fewer than 5, so a change "
    Report.objects.filter(pk=report.pk).update(
        data={**report.data, "trend_withheld": old + "could be one person's answer"}
    )
    shown = current_report(CheckIn.objects.get(pk=checkin.pk)).data["trend_withheld"]
    assert shown == f"{old}could be one person's answer; {WOULD_COMPARE}"


# --- 3. Each team since the round before, privacy rules allowing ---


def test_each_team_shown_both_times_has_its_before_figure_and_change(workspace, teams, client_for):
    (workflow, wf), (capture, cap) = teams["Workflow"], teams["Capture"]
    pulse(workspace, "R1", 100, wf, teams=[workflow, capture], vision=ELSEWHERE)
    later = pulse(workspace, "R2", 3, wf + cap, teams=[workflow, capture])
    rows = {row["team"]: row for row in analyze(later).data["trend_by_team"]}
    understood = rows["Workflow"]["figures"][0]
    assert understood["figure"] == "vision.fidelity"
    assert understood["before"] < 35 < 60 < understood["now"] and understood["change"] > 25
    assert rows["Workflow"]["n_before"] == 6
    assert rows["Capture"]["not_compared"] == (
        "R1 does not show the Capture team (fewer than 5 of it answered, or it was hidden with a "
        "smaller group)"
    )
    page = unescape(client_for("viewer").get(f"/w/acme/checkins/{later.pk}/").content.decode())
    assert "Each team since R1" in page
    assert "No before figure: R1 does not show the Capture team" in page
    twin = client_for("viewer").get(f"/w/acme/checkins/{later.pk}/report.json").json()
    assert twin["report"]["trend_by_team"][0]["team"] in ("Capture", "Workflow")


def test_a_team_whose_people_differ_by_a_few_has_no_before_figure_and_says_why(workspace, teams):
    (workflow, wf), (capture, cap) = teams["Workflow"], teams["Capture"]
    pulse(workspace, "R1", 100, wf, teams=[workflow, capture])
    later = pulse(workspace, "R2", 3, wf[:-1] + cap, teams=[workflow, capture])
    data = analyze(later).data
    assert "trend" in data  # the whole: 7 people answered one round and not the other
    rows = {row["team"]: row for row in data["trend_by_team"]}
    assert rows["Workflow"]["not_compared"] == (
        "the Workflow team's people who answered differ by fewer than 5, so a change could be "
        f"one person's answer; {WOULD_COMPARE}"
    )
    assert all("before" not in figure for figure in rows["Workflow"]["figures"])


# --- 4. `truenorth analyze` says what the page says ---


def test_analyze_prints_the_teams_the_page_shows_and_no_change(workspace, teams):
    (workflow, wf), (capture, cap) = teams["Workflow"], teams["Capture"]
    pulse(workspace, "R1", 100, wf + cap, teams=[workflow, capture])
    later = pulse(workspace, "R2", 3, wf + cap, teams=[workflow, capture])
    result = CliRunner().invoke(main, ["analyze", "--checkin", str(later.pk)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("R2: 12 people answered")  # the header first, no progress bar
    assert "Embedding answers" not in result.output
    assert (
        "  Agree with the direction: 100% — higher is better; no healthy range has been measured "
        "for it, so none is given (no change)"
    ) in lines
    assert any(
        line.startswith("  The Workflow team (6 people): Understand the vision") for line in lines
    )
    assert "  The Capture team since R1:" in lines
    assert "    Agree with the direction: 100% → 100% (no change)" in lines


# --- 5. One default for how long a new check-in stays open ---


def test_the_page_and_the_command_line_propose_the_same_closing(workspace, client_for):
    assert DEFAULT_OPEN_DAYS == 7  # as the README says: "closing a week later"
    form = client_for("editor").get("/w/acme/checkins/new/").context["form"]
    proposed = form.initial["closes_at"] - form.initial["opens_at"]
    assert proposed == timedelta(days=DEFAULT_OPEN_DAYS)
    result = CliRunner().invoke(main, ["checkin", "new", "-w", "acme", "--title", "Pulse"])
    assert result.exit_code == 0, result.output
    made = CheckIn.objects.get(title="Pulse")
    assert made.closes_at - made.opens_at == timedelta(days=DEFAULT_OPEN_DAYS)
    helped = CliRunner().invoke(main, ["checkin", "new", "--help"]).output
    assert "Default: 7 days after opening" in " ".join(helped.split())


# --- 6. Subtraction between rounds: a team whose people who answered differ by one ---


@pytest.fixture
def mixed_team(workspace, strategy, users):
    """Alpha: 4 engineers and 2 designers (a team of two functions, so publishing an anonymous
    round keeps no Alpha label on its answers: each pair is under 5), Build: 3 engineers and 4
    designers, and 10 salespeople, with the people of the logins, who answer nothing."""
    alpha = Team.objects.create(workspace=workspace, name="Alpha")
    deals = Team.objects.create(workspace=workspace, name="Deals")
    workspace.people.update(team=deals, function=Function.SALES)
    people = {}
    build = Team.objects.create(workspace=workspace, name="Build")
    for name, function, team, size in (
        ("ae", Function.ENGINEERING, alpha, 4),
        ("ad", Function.DESIGN, alpha, 2),
        ("sales", Function.SALES, deals, 10),
        ("be", Function.ENGINEERING, build, 3),
        ("bd", Function.DESIGN, build, 4),
    ):
        for i in range(1, size + 1):
            people[f"{name}{i}"] = Person.objects.create(
                workspace=workspace,
                name=f"{name}{i}",
                email=f"{name}{i}@acme.test",
                function=function,
                team=team,
            )
    return alpha, people


def two_rounds_one_designer_apart(workspace, people, days_apart=17, salespeople_out=4):
    """C2, answered by all 23; C3, 3 days ago, by all but the designer ad1 and four salespeople:
    the wholes differ by 5 people, Alpha's by 1. ad1 alone wrote another vision. Rounds near in
    time are audited together (overlaps.NEAR); those 8 weeks apart only compared."""
    everyone = list(people.values())
    first = pulse(
        workspace, "C2 everyone", 3 + days_apart, [p for p in everyone if p.name != "ad1"]
    )
    # ad1's own answer, in the same round: a different restatement of the vision.
    links = {link.person.pk: link.token for link in issue_links(first)}
    questions = {q.role: q for q in first.questions.all()}
    CheckIn.objects.filter(pk=first.pk).update(closes_at=timezone.now() + timedelta(days=1))
    submit_response(
        first.invitations.get(person=people["ad1"]),
        links[people["ad1"].pk],
        {
            questions["vision"]: ELSEWHERE,
            questions["priorities"]: "1. Restaurants",
            questions["purpose"]: "Chat.",
            questions["direction"]: 1,
        },
    )
    CheckIn.objects.filter(pk=first.pk).update(closes_at=first.opens_at + timedelta(days=1))
    first.refresh_from_db()
    analyze(first)
    left_out = {"ad1", *(f"sales{i}" for i in range(1, salespeople_out + 1))}
    later = pulse(workspace, "C3 everyone", 3, [p for p in everyone if p.name not in left_out])
    return first, later


def test_a_team_answered_by_one_person_fewer_has_no_before_figure(
    workspace, mixed_team, client_for
):
    """Found on 2026-12-06: Alpha's row set 6 answers against 5 (6 × 50% − 5 × 60% told that
    the designer who stopped answering did not agree), because the team was judged by its
    answers' labels, which publishing C2 had taken off a team of two functions."""
    _, people = mixed_team
    first, later = two_rounds_one_designer_apart(workspace, people, days_apart=56)
    assert not first.responses.filter(team="Alpha").exists()  # the labels the old rule counted
    data = analyze(later).data
    assert "trend" in data  # the wholes differ by 5 people
    alpha = next(row for row in data["trend_by_team"] if row["team"] == "Alpha")
    assert "n_before" not in alpha
    assert alpha["not_compared"].startswith("the Alpha team's people who answered differ by")
    assert all("before" not in figure for figure in alpha["figures"])
    page = unescape(client_for("viewer").get(f"/w/acme/checkins/{later.pk}/").content.decode())
    assert "No before figure: the Alpha team's people who answered differ by fewer than 5" in page
    twin = client_for("viewer").get(f"/w/acme/checkins/{later.pk}/report.json").json()
    rows = {row["team"]: row for row in twin["report"]["trend_by_team"]}
    assert "n_before" not in rows["Alpha"] and rows["Build"]["n_before"] == 7
    result = CliRunner().invoke(main, ["analyze", "--checkin", str(later.pk)])
    said = result.output.split("The Alpha team since C2 everyone:\n")[1].splitlines()[0]
    assert said.strip().startswith("no before figure: the Alpha team's people who answered")


def test_a_report_published_before_the_rule_loses_the_teams_before_figure(workspace, mixed_team):
    _, people = mixed_team
    first, later = two_rounds_one_designer_apart(workspace, people, days_apart=56)
    report = analyze(later)
    leaked = {
        "team": "Alpha",
        "n": 5,
        "n_before": 6,
        "not_compared": "",
        "figures": [
            {
                "figure": "direction.agree",
                "now": 0.6,
                "before": 0.5,
                "change": 0.1,
                "not_compared": "",
            }
        ],
    }
    published_before = {k: v for k, v in report.data.items() if k != TEAMS_JUDGED_BY_PEOPLE}
    Report.objects.filter(pk=report.pk).update(data={**published_before, "trend_by_team": [leaked]})
    shown = current_report(CheckIn.objects.get(pk=later.pk)).data["trend_by_team"][0]
    assert "n_before" not in shown and shown["figures"] == [
        {"figure": "direction.agree", "now": 0.6}
    ]
    assert "differ by fewer than 5" in shown["not_compared"]


def alpha_on_the_page(client, checkin) -> bool:
    page = unescape(client.get(f"/w/acme/checkins/{checkin.pk}/").content.decode())
    return "Alpha" in page


def test_a_team_one_answer_short_of_a_round_near_it_is_withheld(workspace, mixed_team, client_for):
    """Found on 2026-12-06: with C2 and C3 asked of the same people, C2's page read "The Alpha
    team (6 people) … Agree with the direction 50%" and C3's "(5 people) … 60%": 6 × 50% −
    5 × 60% = 0, the answer of the designer who did not answer C3. Whom each asked was the same,
    so the audit, comparing only that, found nothing; those who answered differ by one."""
    _, people = mixed_team
    first, later = two_rounds_one_designer_apart(workspace, people)
    viewer = client_for("viewer")
    assert alpha_on_the_page(viewer, first)
    data = analyze(later).data
    for question in data["questions"]:
        assert "Alpha" not in {g["name"] for g in question["by"]["team"]["groups"]}
        assert "Build" in {g["name"] for g in question["by"]["team"]["groups"]}
    assert "design" not in {g["name"] for g in data["questions"][0]["by"]["function"]["groups"]}
    assert not alpha_on_the_page(viewer, later)
    twin = viewer.get(f"/w/acme/checkins/{later.pk}/report.json").json()["report"]
    assert "Alpha" not in {g["name"] for g in twin["questions"][0]["by"]["team"]["groups"]}
    assert "Alpha" not in {row["team"] for row in data.get("trend_by_team", [])}
    assert alpha_on_the_page(viewer, first)  # the first published keeps what it showed


def test_a_round_whose_whole_gives_one_person_away_by_who_answered_is_not_published(
    workspace, mixed_team, client_for
):
    """With no salesperson out, the wholes differ by the designer alone: 23 × C2's mean − 22 ×
    C3's is the designer's answer, and withholding Alpha protects nobody (C3's whole less the
    teams shown gives it back). Whom each asked was the same, so only who answered can tell."""
    _, people = mixed_team
    first, later = two_rounds_one_designer_apart(workspace, people, salespeople_out=0)
    with pytest.raises(WouldDisclose) as refused:
        analyze(later)
    said = str(refused.value)
    assert said.startswith("“C3 everyone” cannot be published: beside “C2 everyone”")
    assert "the answers of 1 person" in said
    assert "who answered the two, in all or in a team or function shown, differ by so few" in said
    assert not Report.objects.filter(checkin=later).exists()
    page = unescape(client_for("viewer").get(f"/w/acme/checkins/{later.pk}/").content.decode())
    assert "cannot be published: beside “C2 everyone”" in page


def test_the_round_after_a_refused_one_is_compared_with_the_last_published(workspace, mixed_team):
    """C3, which the designer skipped, is refused; C4, answered by all as C2 was, had no trend:
    "not compared with C3 everyone … it is not published"."""
    _, people = mixed_team
    first, later = two_rounds_one_designer_apart(workspace, people, salespeople_out=0)
    with pytest.raises(WouldDisclose):
        analyze(later)
    last = pulse(workspace, "C4 everyone", 2, list(people.values()))
    data = analyze(last).data
    assert data["previous"]["title"] == "C2 everyone" and "trend" in data


def test_a_report_published_before_the_answerers_audit_withholds_the_team_when_shown(
    workspace, mixed_team, client_for
):
    _, people = mixed_team
    first, later = two_rounds_one_designer_apart(workspace, people)
    with_alpha = copy.deepcopy(analyze(first).data)
    with_alpha.pop(AUDITED_BY_ANSWERERS)
    later.refresh_from_db()
    analyze(later)
    # As C3 would have been published before the rule: showing Alpha, like C2.
    Report.objects.filter(checkin=later).update(data={**with_alpha, "previous": None})
    viewer = client_for("viewer")
    assert not alpha_on_the_page(viewer, later)
    assert alpha_on_the_page(viewer, first)  # published first: nothing before it to subtract


def test_who_answered_a_published_round_is_kept_as_it_was(workspace, mixed_team):
    """Erasing someone deletes their invitations: worked out again, C2's Alpha would be 5 who
    answered, as C3's is, and C3 would show it."""
    _, people = mixed_team
    first, _ = two_rounds_one_designer_apart(workspace, people)
    Invitation.objects.filter(person=people["ad1"]).delete()
    first.refresh_from_db()
    answered = answerers_by_group([first], people_by_group([first]))[first.pk]
    assert str(people["ad1"].pk) in answered[("team", "Alpha")]
    assert len(answered[("team", "Alpha")]) == 6 and len(answered[None]) == 23


def test_the_dashboards_team_line_keeps_no_round_one_person_apart(
    workspace, mixed_team, client_for
):
    """The dashboard's Alpha line read "C2 everyone 43.0 → C3 everyone 40.1", change −3.0, "5
    people answered": 6 × 43.0 − 5 × 40.1 is the designer's own score. Here the later round is
    Alpha's own, whose answers keep their team (engineers 4 and a designer are no function
    shown), while C2's lost it on publishing: by the labels, 0 against 5."""
    alpha, people = mixed_team
    first, _ = two_rounds_one_designer_apart(workspace, people, days_apart=56)
    answered = [people[name] for name in ("ae1", "ae2", "ae3", "ae4", "ad2")]
    own = pulse(workspace, "T2 Alpha only", 2, answered, teams=[alpha])
    analyze(own)
    assert own.responses.filter(team="Alpha").count() == 5
    viewer = client_for("viewer")
    user = Membership.objects.get(workspace=workspace, role="viewer").user
    token = ApiToken.issue(user, "test", "read")[1]
    api = viewer.get(
        "/api/v1/workspaces/acme/alignment?team=Alpha", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    for board in (viewer.get("/w/acme/alignment.json?team=Alpha").json(), api.json()):
        for key in ("team.vision_fidelity", "team.vision_coherence"):
            signal = team_signal(board, "Alpha", key)
            assert signal["value"] is not None
            assert [title for title, _ in signal["trend"]] == ["T2 Alpha only"]
            assert signal["change"] is None


def test_a_round_after_one_never_published_says_why_it_has_no_trend(workspace, teams, client_for):
    """C2 everyone and L1 AB had no trend and said nothing: the round before was not published
    (open, or refused beside a check-in near it)."""
    workflow, wf = teams["Workflow"]
    first = pulse(workspace, "Team pulse R1", 100, wf, teams=[workflow])
    CheckIn.objects.filter(pk=first.pk).update(closes_at=timezone.now() + timedelta(days=9))
    later = pulse(workspace, "Team pulse R2", 3, wf, teams=[workflow])
    why = (
        "not compared with Team pulse R1, the last check-in of its kind asked of the same "
        "audience: it is still open"
    )
    assert analyze(later).data["trend_withheld"] == why
    page = unescape(client_for("viewer").get(f"/w/acme/checkins/{later.pk}/").content.decode())
    assert f"No trend: {why}." in page


# --- A refusal keeps the reason it was given ---


def refusal_on_the_page(client, checkin) -> str:
    page = unescape(client.get(f"/w/acme/checkins/{checkin.pk}/").content.decode())
    found = re.search(r'<p class="note" id="publication-refused">(.*?)</p>', page, re.S)
    return found.group(1) if found else ""


def test_a_refused_round_keeps_its_first_reason_when_rounds_are_published_near_it(
    workspace, mixed_team, users, client_for
):
    """Worked out again each time it was shown, C3's refusal named C4, published near it
    later, as if C4 had caused it ("beside “C2 everyone” and “C4 everyone” … from <C4's
    date> on"). It keeps the words it was refused with, on its page, its JSON twin, the API
    and the command line; publishing it still asks afresh."""
    _, people = mixed_team
    first, later = two_rounds_one_designer_apart(workspace, people, salespeople_out=0)
    editor = client_for("editor")
    editor.post(f"/w/acme/checkins/{later.pk}/analyze/")  # "Publish the results": refused
    later.refresh_from_db()
    kept, refused_at = later.refused_because, later.refused_at
    assert kept.startswith("“C3 everyone” cannot be published: beside “C2 everyone”, its")
    assert f"from {not_near_from([first])} on" in kept and refused_at is not None
    fourth = pulse(workspace, "C4 everyone", 2, list(people.values()))
    analyze(fourth)
    assert not_near_from([fourth]) != not_near_from([first])
    assert "“C4 everyone”" in publication_refused(later)  # what a fresh look now says
    viewer = client_for("viewer")
    assert refusal_on_the_page(viewer, later) == kept
    twin = viewer.get(f"/w/acme/checkins/{later.pk}/report.json")
    assert twin.status_code == 409 and twin.json()["error"] == kept
    api = api_request(
        viewer, users["viewer"], "get", f"/api/v1/workspaces/acme/checkins/{later.pk}"
    )
    assert api.json()["warning"] == kept
    cli = CliRunner().invoke(main, ["analyze", "--checkin", str(later.pk)])
    assert cli.exit_code == 1 and kept in cli.output and "C4 everyone" not in cli.output
    editor.post(f"/w/acme/checkins/{later.pk}/analyze/")  # refused again: the first words stay
    later.refresh_from_db()
    assert (later.refused_because, later.refused_at) == (kept, refused_at)
    assert not Report.objects.filter(checkin=later).exists()


def test_a_refused_round_publishable_again_says_so_not_its_kept_reason(
    workspace, mixed_team, users, client_for
):
    _, people = mixed_team
    first, later = two_rounds_one_designer_apart(workspace, people, salespeople_out=0)
    with pytest.raises(WouldDisclose):
        analyze(later)  # as `truenorth analyze` or the worker publishes it
    later.refresh_from_db()
    assert later.refused_because.startswith("“C3 everyone” cannot be published")
    first.delete()  # the round it was refused beside
    viewer = client_for("viewer")
    assert refusal_on_the_page(viewer, later) == ""
    api = api_request(
        viewer, users["viewer"], "get", f"/api/v1/workspaces/acme/checkins/{later.pk}"
    )
    assert api.json()["warning"] == ""
    assert analyze(later).data["respondents"] == 22
