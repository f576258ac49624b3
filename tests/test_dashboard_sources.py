"""The alignment dashboard chooses its sources on purpose: company-wide check-ins for the company,
targeted ones in their group's place (only at or above the threshold), a pin, and never a blank
page for a check-in with no results.

The reports are written as analysis publishes them (cut to the threshold, finalised), with only
the line of sight measured and the other sections withheld: the choice of source reads nothing
else.
"""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from truenorth.checkins.models import CheckIn, Report, Response
from truenorth.workspaces.models import Function, Team, Workspace

WITHHELD = ("priorities", "direction", "quadrant")  # sections these reports do not measure


def published_pulse(
    workspace,
    title,
    days_ago,
    linked=0.5,
    respondents=12,
    functions=(),
    teams=(),
    answers=False,
    scored_by="all-MiniLM-L6-v2+int8",
):
    """A closed, published check-in whose report says `linked` of its people link to a goal;
    with answers=True, its responses too (imported: who gave them is not known)."""
    closes = timezone.now() - timedelta(days=days_ago)
    checkin = CheckIn.objects.create(
        workspace=workspace,
        title=title,
        opens_at=closes - timedelta(days=14),
        closes_at=closes,
        audience_functions=list(functions),
        finalised_at=closes,
    )
    checkin.audience_teams.set(teams)
    threshold = workspace.anonymity_threshold
    data = {"threshold": threshold, "respondents": respondents, "withheld": 0, "questions": []}
    if respondents < threshold:
        data["suppressed"] = True
    else:
        data["scored_by"] = scored_by
        data["line_of_sight"] = {"linked": linked, "n": respondents, "goals": [], "by": {}}
        data.update({section: {"suppressed": True} for section in WITHHELD})
    Report.objects.create(
        checkin=checkin, computed_at=closes, response_count=respondents, data=data
    )
    if answers:
        Response.objects.bulk_create(Response(checkin=checkin) for _ in range(respondents))
    return checkin


def board(client):
    return client.get("/w/acme/alignment.json").json()


def line_of_sight(signals):
    return next(s for s in signals if s["key"] == "line_of_sight.linked")


@pytest.fixture
def company(workspace):
    return published_pulse(workspace, "Spring pulse", days_ago=60, linked=0.4)


def test_a_pulse_asked_of_one_function_never_becomes_the_company_figure(
    client_for, workspace, company
):
    published_pulse(workspace, "Sales pulse", 2, linked=0.9, respondents=6, functions=["sales"])
    data = board(client_for("viewer"))
    assert data["source"]["checkin"]["id"] == company.pk
    assert data["source"]["reason"] == "latest company-wide"
    assert line_of_sight(data["individual"])["value"] == 40.0
    [group] = data["groups"]
    assert group["label"] == "Sales pulse — 6 people in Sales"
    assert line_of_sight(group["signals"])["value"] == 90.0
    assert line_of_sight(group["signals"])["change"] is None  # no trend to subtract from
    html = client_for("viewer").get("/w/acme/alignment/").content.decode()
    assert "Sales pulse — 6 people in Sales" in html
    assert "latest check-in asked of everyone with results" in html


def test_a_pulse_asked_of_a_team_is_labelled_with_the_team(client_for, workspace, company, team):
    published_pulse(workspace, "Platform pulse", 2, respondents=7, teams=[team])
    assert board(client_for("owner"))["groups"][0]["label"] == (
        "Platform pulse — 7 people in the Platform team"
    )


def test_a_targeted_pulse_under_the_threshold_is_not_shown(client_for, workspace, company):
    published_pulse(workspace, "Sales pulse", 2, respondents=4, functions=["sales"])
    published_pulse(workspace, "Support pulse", 3, respondents=6, functions=["support"])
    workspace.anonymity_threshold = 7  # raised after publishing: 6 is now too few
    workspace.save()
    data = board(client_for("owner"))
    assert data["groups"] == []
    html = client_for("owner").get("/w/acme/alignment/").content.decode()
    assert "Sales pulse" not in html and "Support pulse" not in html
    assert data["source"]["checkin"]["id"] == company.pk


def test_a_targeted_pulse_that_could_be_subtracted_from_the_company_figure_is_not_shown(
    client_for, workspace
):
    published_pulse(workspace, "Spring pulse", 60, respondents=8, answers=True)
    published_pulse(workspace, "Sales pulse", 2, respondents=6, functions=["sales"], answers=True)
    published_pulse(
        workspace, "Support pulse", 3, respondents=13, functions=["support"], answers=True
    )
    # 8 and 6 answers differ by fewer than the threshold (5): set side by side, the two figures
    # would tell what two people answered. 13 and 8 differ by 5.
    assert [g["label"] for g in board(client_for("owner"))["groups"]] == [
        "Support pulse — 13 people in Support"
    ]


def test_a_targeted_pulse_scored_by_another_model_is_not_set_beside_the_company_figure(
    client_for, workspace, company
):
    published_pulse(workspace, "Sales pulse", 2, respondents=6, functions=["sales"])
    published_pulse(
        workspace, "Support pulse", 3, respondents=6, functions=["support"], scored_by="other"
    )
    assert [g["label"] for g in board(client_for("owner"))["groups"]] == [
        "Sales pulse — 6 people in Sales"
    ]


def test_a_report_with_every_section_withheld_has_no_results(client_for, workspace, company):
    cut = published_pulse(workspace, "Autumn pulse", 2)
    cut.report.data = {
        **cut.report.data,
        "line_of_sight": {"suppressed": True},
        "questions": [{"key": "q1", "role": "vision", "suppressed": True}],
    }
    cut.report.save()
    data = board(client_for("viewer"))
    assert data["source"]["checkin"]["id"] == company.pk
    assert data["source"]["passed_over"].endswith("but none of its figures can be shown.")


def test_a_checkin_with_no_results_never_blanks_the_dashboard(client_for, workspace, company):
    published_pulse(workspace, "Autumn pulse", 2, respondents=2)  # too few answered
    CheckIn.objects.create(  # closed, not published yet
        workspace=workspace,
        title="Winter pulse",
        opens_at=timezone.now() - timedelta(days=3),
        closes_at=timezone.now() - timedelta(hours=1),
    )
    data = board(client_for("viewer"))
    assert data["source"]["checkin"]["id"] == company.pk
    assert line_of_sight(data["individual"])["value"] == 40.0
    assert data["source"]["passed_over"] == (
        f"“Autumn pulse” is the latest, but fewer than {workspace.anonymity_threshold} "
        "people answered it."
    )
    html = client_for("viewer").get("/w/acme/alignment/").content.decode()
    assert "“Autumn pulse” is the latest, but fewer than" in html


def test_nothing_with_results_says_so(client_for, workspace):
    published_pulse(workspace, "Autumn pulse", 2, respondents=2)
    data = board(client_for("viewer"))
    assert data["checkin"] is None and data["source"]["reason"] == ""
    assert "Autumn pulse" in data["source"]["passed_over"]
    assert line_of_sight(data["individual"])["value"] is None


def pin(client, checkin, value="1"):
    return client.post(f"/w/acme/checkins/{checkin.pk}/pin/", {"pin": value})


def test_an_editor_pins_the_checkin_that_feeds_the_dashboard(client_for, workspace, company):
    latest = published_pulse(workspace, "Summer pulse", 5, linked=0.6)
    editor = client_for("editor")
    assert line_of_sight(board(editor)["individual"])["value"] == 60.0
    assert pin(editor, company).status_code == 302
    data = board(editor)
    assert data["source"] == {
        "checkin": {"id": company.pk, "title": "Spring pulse"},
        "reason": "pinned",
        "passed_over": "",
    }
    sight = line_of_sight(data["individual"])
    assert sight["value"] == 40.0 and len(sight["trend"]) == 1  # nothing after the pinned one
    page = editor.get(f"/w/acme/checkins/{company.pk}/").content.decode()
    assert "Stop pinning to the alignment dashboard" in page
    # Pinning another moves the pin; unpinning goes back to the latest.
    pin(editor, latest)
    assert list(workspace.checkins.filter(pinned=True)) == [latest]
    pin(editor, latest, "0")
    assert board(editor)["source"]["reason"] == "latest company-wide"
    assert not workspace.checkins.filter(pinned=True).exists()


def test_a_pinned_checkin_without_results_falls_back(client_for, workspace, company):
    empty = published_pulse(workspace, "Autumn pulse", 2, respondents=1)
    pin(client_for("editor"), empty)
    data = board(client_for("editor"))
    assert data["source"]["checkin"]["id"] == company.pk
    assert data["source"]["reason"] == "latest company-wide"
    assert data["source"]["passed_over"].startswith("“Autumn pulse” is pinned, but fewer than")


def test_a_targeted_checkin_cannot_be_pinned(client_for, workspace, company):
    sales = published_pulse(workspace, "Sales pulse", 2, respondents=6, functions=["sales"])
    response = pin(client_for("editor"), sales)
    assert response.status_code == 302
    assert not CheckIn.objects.get(pk=sales.pk).pinned
    page = client_for("editor").get(response["Location"]).content.decode()
    assert "asked Sales only, so it cannot stand for the whole company" in page
    assert "Show on the alignment dashboard" not in page
    assert "Asked of Sales only: the" in page


@pytest.mark.parametrize("role, status", [("viewer", 403), ("member", 403), ("partner", 403)])
def test_only_editors_pin(client_for, company, role, status):
    assert pin(client_for(role), company).status_code == status
    assert not CheckIn.objects.get(pk=company.pk).pinned


def test_a_pin_request_must_say_what_it_wants(client_for, company):
    assert pin(client_for("editor"), company, "yes").status_code == 400
    assert client_for("editor").get(f"/w/acme/checkins/{company.pk}/pin/").status_code == 405


def test_the_database_keeps_one_pin_per_workspace(workspace, company):
    other = published_pulse(workspace, "Summer pulse", 5)
    CheckIn.objects.filter(pk=company.pk).update(pinned=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckIn.objects.filter(pk=other.pk).update(pinned=True)


def test_audience_words(workspace, company):
    team = Team.objects.create(workspace=workspace, name="Growth")
    both = published_pulse(workspace, "Mixed", 2, functions=[Function.SALES], teams=[team])
    assert company.company_wide and company.audience_words() == "everyone"
    assert not both.company_wide and both.audience_words() == "Sales and the Growth team"


BEFORE_THE_PIN = [("checkins", "0006_embedding_moves_to_its_own_app")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_checkins_and_unpins_them_all():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_THE_PIN)
    apps = executor.loader.project_state(BEFORE_THE_PIN[0]).apps
    old = Workspace.objects.create(name="Old", slug="old")  # its app is not migrated back
    now = timezone.now()
    for title in ("First", "Second"):
        apps.get_model("checkins", "CheckIn").objects.create(
            workspace_id=old.pk, title=title, opens_at=now, closes_at=now
        )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    checkins = CheckIn.objects.filter(workspace__slug="old")
    assert sorted(checkins.values_list("title", "pinned")) == [("First", False), ("Second", False)]
    checkins.filter(title="First").update(pinned=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        checkins.filter(title="Second").update(pinned=True)
