"""Cached figures and page parts are computed again after every kind of write to their data."""

import io
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from tests.zones import a_zone_whose_day_is_not_the_servers, day_in
from truenorth.checkins.actions import create_alignment_pulse
from truenorth.checkins.measure import close_checkin
from truenorth.checkins.models import CheckIn
from truenorth.claims.actions import save_claim
from truenorth.claims.models import Claim
from truenorth.feedback.actions import confirm_goal_value
from truenorth.roadmap.actions import save_initiative
from truenorth.roadmap.models import Status
from truenorth.strategy.models import Goal
from truenorth.work.imports import import_work_items
from truenorth.work.models import WorkItem
from truenorth.workspaces import figures, people
from truenorth.workspaces.actions import change_settings
from truenorth.workspaces.figures import cached, data_version
from truenorth.workspaces.models import BehindFigures, Person, Team, Workspace


def orphans(client) -> dict:
    return client.get("/w/acme/work/orphans.json").json()["overall"]


def page(client, path: str) -> str:
    response = client.get(f"/w/acme/{path}")
    assert response.status_code == 200
    return response.content.decode()


def test_reading_pages_leaves_the_data_version_and_a_write_changes_it(client_for, strategy):
    client, workspace = client_for("owner"), strategy["vision"].workspace
    before = data_version(workspace)
    for path in ("", "roadmap/", "roadmap/overruns/", "work/", "work/orphans/", "alignment/"):
        page(client, path)
    assert data_version(workspace) == before
    Team.objects.create(workspace=workspace, name="Design")
    assert data_version(workspace) != before


def test_linking_an_orphan_by_hand_changes_the_orphan_figures(client_for, strategy):
    client = client_for("editor")
    assert orphans(client)["orphans"] == 1
    assert "1 of 2 items" in page(client, "work/orphans/")
    assert '<span class="big">1</span> of 2 work items' in page(client, "")
    orphan, goal = strategy["items"][1], strategy["goals"][1]
    client.post("/w/acme/work/link/", {"ids": [orphan.pk], "target": f"goal:{goal.pk}"})
    assert orphans(client)["orphans"] == 0
    assert "0 of 2 items" in page(client, "work/orphans/")
    assert '<span class="big">0</span> of 2 work items' in page(client, "")
    assert orphan.external_key in page(client, "work/?link=linked")


def test_an_import_changes_the_figures_and_the_work_list(client_for, strategy):
    client, workspace = client_for("member"), strategy["vision"].workspace
    assert "ENG-3" not in page(client, "work/")
    csv = "key,title,points\nENG-3,Retry failed bank syncs,3\nENG-4,Dark mode,2\n"
    import_work_items(workspace, io.StringIO(csv))  # bulk_create: no signal, an explicit bump
    assert orphans(client)["items"] == 4
    assert "ENG-3" in page(client, "work/")


def test_a_tracker_mapping_changes_the_figures(client_for, strategy):
    client = client_for("editor")
    WorkItem.objects.filter(external_key="ENG-2").update(labels=["billing"])
    assert orphans(client)["orphans"] == 1
    goal = strategy["goals"][1]
    form = {"field": "label", "value": "billing", "source": "", "target": f"goal:{goal.pk}"}
    client.post("/w/acme/work/mappings/new/", form)  # bulk_update of the items it links
    assert WorkItem.objects.get(external_key="ENG-2").goal == goal
    assert orphans(client)["orphans"] == 0


def test_a_mapping_that_links_nothing_yet_leaves_the_unmapped_values(client_for, strategy):
    client = client_for("editor")
    WorkItem.objects.filter(external_key="ENG-2").update(labels=["billing"])
    assert "billing" in page(client, "work/mappings/").partition("Not mapped yet")[2]
    initiative = strategy["initiatives"]["internal"]
    form = {
        "field": "label",
        "value": "billing",
        "source": "jira",
        "target": f"initiative:{initiative.pk}",
    }
    client.post("/w/acme/work/mappings/new/", form)  # for Jira items: this CSV item stays orphan
    assert orphans(client)["orphans"] == 1
    assert "billing" not in page(client, "work/mappings/").partition("Not mapped yet")[2]


def test_a_slip_changes_the_overruns_and_the_roadmap(client_for, strategy):
    client = client_for("member")
    initiative = strategy["initiatives"]["internal"]
    assert client.get("/w/acme/roadmap/overruns.json").json()["overall"]["slips"] == 0
    initiative.status = Status.COMMITTED
    save_initiative(initiative)
    initiative.target_date = date(2027, 1, 15)
    save_initiative(initiative)
    assert client.get("/w/acme/roadmap/overruns.json").json()["overall"]["slips"] == 1
    assert "1 target date moved later" in page(client, "roadmap/overruns/")
    assert "target 15 Jan 2027" in page(client, "roadmap/")


def test_renaming_or_deleting_a_team_changes_the_pages_that_name_it(client_for, strategy, team):
    client = client_for("member")
    WorkItem.objects.update(team=team)
    assert "Platform" in page(client, "work/orphans/") and "No team" not in page(
        client, "work/orphans/"
    )
    team.name = "Core"
    team.save()
    assert "Core" in page(client, "work/orphans/") and "Core" in page(client, "roadmap/overruns/")
    team.delete()  # its items lose their team in one UPDATE, which no signal reports
    assert "Core" not in page(client, "work/orphans/")
    assert "No team" in page(client, "work/orphans/")


def test_a_new_claim_changes_the_claims_list(client_for, strategy, users):
    client, workspace = client_for("member"), strategy["vision"].workspace
    assert 'id="no-claims"' in page(client, "claims/")  # the empty list's state
    text = "Told them month-end close takes three days with us."
    claim = Claim(workspace=workspace, said_on=date(2026, 11, 2), account="Northwind", text=text)
    save_claim(claim)  # saved, then checked against the roadmap in a bulk update
    listed = page(client, "claims/")
    assert text in listed and 'id="no-claims"' not in listed
    assert Claim.objects.get().verdict in listed


def test_a_new_threshold_changes_the_alignment_dashboard(client_for, strategy, users):
    client, workspace = client_for("owner"), strategy["vision"].workspace
    assert "Groups of fewer than 5 people are never shown" in page(client, "alignment/")
    change_settings(workspace, users["owner"], anonymity_threshold=7)
    assert "Groups of fewer than 7 people are never shown" in page(client, "alignment/")


def test_a_workspace_with_data_is_deleted_whole(strategy):
    strategy["vision"].workspace.delete()
    assert not Workspace.objects.exists() and not Team.objects.exists()


def test_a_new_version_of_the_code_computes_the_figures_again(strategy, monkeypatch):
    """After an upgrade a figure kept by the old code may have another shape: it is not read."""
    workspace, computed = strategy["vision"].workspace, []

    def compute(_):
        computed.append(1)
        return len(computed)

    assert cached(workspace, "count", compute) == 1
    assert cached(workspace, "count", compute) == 1  # the same data, the same code: kept
    monkeypatch.setattr(figures, "code_version", lambda: "0123456789abcdef")
    assert cached(workspace, "count", compute) == 2


def version_lost(workspace_id):
    raise RuntimeError("the data version could not be written")


def test_a_write_and_its_new_data_version_are_one_transaction(strategy, users, monkeypatch):
    """Were the row saved and its data version not replaced (a crash between the two), its
    figures would be read from the cache as they were, until the next write or midnight."""
    workspace = Workspace.objects.get(slug="acme")
    person = workspace.people.create(name="Ola", email="ola@acme.test")
    team = Team.objects.create(workspace=workspace, name="Ledger")
    checkin = create_alignment_pulse(
        workspace, "Pulse", timezone.now() - timedelta(days=1), timezone.now() + timedelta(days=6)
    )
    goal = workspace.goals.first()

    monkeypatch.setattr(figures, "bump", version_lost)
    writes = [
        lambda: people.deactivate(person),
        lambda: people.archive_team(team),
        lambda: close_checkin(checkin),
        lambda: confirm_goal_value(goal, "psychological"),
    ]
    for write in writes:
        with pytest.raises(RuntimeError):
            write()
    assert Person.objects.get(pk=person.pk).active
    assert not Team.objects.get(pk=team.pk).archived
    assert CheckIn.objects.get(pk=checkin.pk).closes_at > timezone.now()
    assert Goal.objects.get(pk=goal.pk).value != "psychological"


@pytest.mark.django_db(transaction=True)
def test_a_plain_save_and_its_new_data_version_are_one_transaction_too(monkeypatch):
    """Outside any action's transaction (a command, a worker, the admin), a row behind the
    figures is saved or not with its new data version: never the row alone."""
    workspace = Workspace.objects.create(name="Acme", slug="acme")
    team = Team.objects.create(workspace=workspace, name="Ledger")
    monkeypatch.setattr(figures, "bump", version_lost)
    with pytest.raises(RuntimeError):
        Team.objects.create(workspace=workspace, name="Design")
    team.name = "Payables"
    with pytest.raises(RuntimeError):
        team.save()
    assert list(Team.objects.values_list("name", flat=True)) == ["Ledger"]


@pytest.mark.parametrize("label", sorted(figures.WATCHED))
def test_every_model_behind_the_figures_saves_in_a_transaction(label):
    assert issubclass(apps.get_model(label), BehindFigures)


def test_a_figure_counts_to_the_workspaces_day_whoever_computes_it(workspace):
    """A worker runs in the server's zone; what it computes ahead is what the page reads."""
    workspace.time_zone = a_zone_whose_day_is_not_the_servers()
    workspace.save()
    computed = []

    def today(_):
        computed.append(1)
        return timezone.localdate()

    assert cached(workspace, "today", today) == day_in(workspace.time_zone)  # as a worker
    with timezone.override(workspace.time_zone):  # as a page of the workspace
        assert cached(workspace, "today", today) == day_in(workspace.time_zone)
    assert len(computed) == 1
