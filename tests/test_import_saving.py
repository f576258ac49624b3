"""Saving an import: worked out before its write transaction, written in one, all or nothing;
and the prepared UPDATE (truenorth/bulk.py) that keeps such writes short."""

import io
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from tests.test_claims import PAYROLL, PORTAL, claim, roadmap  # noqa: F401 (a fixture)
from truenorth.claims.actions import CHECKED_FIELDS
from truenorth.claims.models import Claim
from truenorth.strategy.models import Goal
from truenorth.work.actions import add_mapping, link_work_item
from truenorth.work.imports import import_work_items
from truenorth.work.models import LinkedBy, WorkItem
from truenorth.workspaces.figures import bump, data_version, write_planned

ROOT = Path(__file__).resolve().parents[1]
CSV = "key,title,labels,status\nA-1,Sync,erp,Open\nA-2,Close,erp,Open\nA-3,Coffee,office,Open\n"
COLUMNS = {"labels": "labels"}


def goal(workspace, title="Close in three days") -> Goal:
    return Goal.objects.create(workspace=workspace, title=title, rank=1)


def imported(workspace, text=CSV):
    return import_work_items(workspace, io.StringIO(text), COLUMNS)


def links(workspace) -> dict:
    return {
        key: (goal_id, linked_by)
        for key, goal_id, linked_by in workspace.work_items.values_list(
            "external_key", "goal_id", "linked_by"
        )
    }


def test_new_and_updated_items_follow_the_mappings_and_hand_links_stay(workspace):
    erp, office = goal(workspace), goal(workspace, "A better office")
    add_mapping(workspace, "label", "erp", erp)
    assert imported(workspace).mapped == 2
    assert links(workspace) == {
        "A-1": (erp.pk, LinkedBy.MAPPING),
        "A-2": (erp.pk, LinkedBy.MAPPING),
        "A-3": (None, ""),
    }
    link_work_item(WorkItem.objects.get(external_key="A-2"), office)
    add_mapping(workspace, "label", "office", office)
    again = imported(workspace, CSV.replace("Sync,erp", "Sync,office"))
    assert (again.updated, again.unchanged, again.mapped) == (1, 2, 1)
    assert links(workspace) == {
        "A-1": (office.pk, LinkedBy.MAPPING),  # its label moved to another mapping
        "A-2": (office.pk, LinkedBy.HAND),
        "A-3": (office.pk, LinkedBy.MAPPING),
    }


def test_a_plan_overtaken_by_another_write_is_made_again(workspace):
    plans, written = [], []

    def plan():
        plans.append(data_version(workspace))
        if len(plans) == 1:
            bump(workspace.pk)  # another process writes while this plan is made
        return len(plans)

    assert write_planned(workspace, plan, lambda p: written.append(p) or p) == 2
    assert written == [2]


def test_a_workspace_that_never_stops_changing_is_planned_inside_the_transaction(workspace):
    plans = []

    def plan():
        plans.append(1)
        bump(workspace.pk)
        return len(plans)

    assert write_planned(workspace, plan, lambda p: p, attempts=2) == 3


def test_answers_sent_while_a_reimport_saves_are_all_saved():
    """A small run of benchmarks/answers_during_import.py: a real gunicorn and import process."""
    command = [sys.executable, "benchmarks/answers_during_import.py", "--rows", "3000"]
    command += ["--answers", "20", "--workers", "2"]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "during import: 20/20 saved (100 answers), 0 errors" in run.stdout


@pytest.mark.slow
@pytest.mark.timeout(3600)  # past the default run's 900 s: minutes by design
def test_answers_sent_during_a_50000_row_reimport_are_all_saved():
    command = [sys.executable, "benchmarks/answers_during_import.py"]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "during import: 100/100 saved (500 answers), 0 errors" in run.stdout


def test_a_reimport_writes_every_kind_of_value_it_changes(workspace, team):
    columns = {**COLUMNS, "points": "points", "due": "due", "team": "team"}
    before = "key,title,labels,status,points,due,team\nB-1,Sync,erp,Open,3,2026-01-05,\n"
    after = "key,title,labels,status,points,due,team\nB-1,Sync ERP,erp;q4,Done,5.5,2026-02-01,Platform\n"
    import_work_items(workspace, io.StringIO(before), columns)
    again = import_work_items(workspace, io.StringIO(after), columns)
    assert (again.updated, again.changes) == (1, 3)  # status, points and due date have history
    item = WorkItem.objects.get(external_key="B-1")
    assert (item.title, item.status, item.points, str(item.due_on)) == (
        "Sync ERP",
        "Done",
        Decimal("5.5"),
        "2026-02-01",
    )
    assert (item.labels, item.team) == (["erp", "q4"], team)


def test_checked_claims_are_written_field_for_field(workspace, roadmap):  # noqa: F811
    """claims.check_claims writes through bulk.update_rows: every kind of field comes back."""
    checked = [claim(workspace, text) for text in (PORTAL, PAYROLL)]
    for made in checked:
        stored = Claim.objects.get(pk=made.pk)
        for name in CHECKED_FIELDS:
            field = Claim._meta.get_field(name)
            assert getattr(stored, field.attname) == getattr(made, field.attname), name
    assert any(made.runners_up for made in checked)
