"""Export a workspace as JSON and import it back: nothing an editor wrote is lost."""

import io
import json
from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from django.utils import timezone

from truenorth.checkins.models import Answer, CheckIn, Question, Response
from truenorth.claims.actions import save_claim
from truenorth.claims.models import Claim
from truenorth.cli import main
from truenorth.exchange import ExchangeError, export_workspace, import_workspace
from truenorth.roadmap.actions import save_initiative
from truenorth.roadmap.models import (
    Initiative,
    InitiativeMilestone,
    MilestoneChange,
    RoadmapStatusMapping,
    Status,
)
from truenorth.work.actions import (
    accept_suggestions,
    add_mapping,
    apply_mappings,
    refresh_suggestions,
    reject_suggestions,
)
from truenorth.work.imports import import_work_items
from truenorth.work.models import LinkedBy, LinkSuggestion, WorkItem
from truenorth.workspaces.models import Person, Team, Workspace

PENDING, ACCEPTED, REJECTED = LinkSuggestion.Decision
TRACKER_CSV = """key,title,status,points,due,kind,project,parent,labels
FIN-1,Approval buttons in the Slack message,{status},{points},2026-12-01,Story,FIN,FIN-100,"slack, approvals"
FIN-2,Let suppliers upload their invoices through a web portal,To do,,,Story,FIN,,
FIN-3,Approvers can approve an invoice from a Slack message,To do,,,Story,FIN,,
FIN-4,Close checklist,To do,,,Task,OPS,,close
"""


def without_identity(data):
    return {**data, "workspace": {**data["workspace"], "name": "", "slug": ""}}


def round_trip(workspace):
    return import_workspace(export_workspace(workspace), slug="acme-copy").workspace


@pytest.fixture
def history(strategy, users):
    initiative = strategy["initiatives"]["internal"]
    initiative.status = "committed"
    save_initiative(initiative, by=users["editor"])


@pytest.fixture
def editor_work(workspace, strategy, users):
    """Today's objects, each made the way an editor makes it: tracker imports with history,
    mappings, decided and pending suggestions, and claims checked by the real model."""
    fewer_touches = strategy["goals"][1]  # suggestions offer only initiatives that serve a goal
    fewer_touches.names = ["touchless", "no-touch rate"]
    fewer_touches.save()
    slack = Initiative.objects.create(
        workspace=workspace,
        title="Approve invoices from Slack",
        goal=fewer_touches,
        status=Status.SHIPPED,
    )
    portal = Initiative.objects.create(
        workspace=workspace,
        title="Supplier portal for invoice submission",
        problem="Suppliers email photos of invoices.",
        goal=fewer_touches,
        status=Status.EXPLORING,
    )
    for status, points in (("In progress", 3), ("Done", 5)):  # the second import is history
        csv = TRACKER_CSV.format(status=status, points=points)
        import_work_items(workspace, io.StringIO(csv), source="jira")
    add_mapping(workspace, "parent", "FIN-100", slack)
    add_mapping(workspace, "label", "close", strategy["goals"][0], source="jira")
    refresh_suggestions(workspace)
    items = {i.external_key: i for i in workspace.work_items.all()}
    rejected = items["FIN-2"].suggestions.get(initiative=portal)
    reject_suggestions([rejected], by=users["editor"])
    rejected.refresh_from_db()
    accept_suggestions([items["FIN-3"].suggestions.get(initiative=slack)], by=users["editor"])
    editor = Person.objects.get(workspace=workspace, email="editor@acme.test")
    save_claim(
        Claim(
            workspace=workspace,
            said_on=date(2026, 10, 1),
            account="Northwind",
            said_by=editor,
            text="Told them approvers can approve invoices straight from a Slack message.",
            source="sales call",
        ),
        by=users["editor"],
    )
    save_claim(
        Claim(
            workspace=workspace,
            said_on=date(2026, 10, 12),
            account="Globex",
            said_by_name="Pat Outside",
            text="Promised their suppliers can upload invoices themselves through a portal.",
        )
    )
    return {"slack": slack, "portal": portal, "items": items, "rejected": rejected}


def test_a_round_trip_gives_back_the_same_workspace(
    workspace, strategy, users, history, editor_work, tmp_path
):
    exported = tmp_path / "acme.json"
    runner = CliRunner()
    assert (
        runner.invoke(main, ["export", "--json", "-w", "acme", "-o", str(exported)]).exit_code == 0
    )
    result = runner.invoke(main, ["import", "workspace", str(exported), "--slug", "acme-copy"])
    assert result.exit_code == 0, result.output
    original = json.loads(exported.read_text())
    copy = export_workspace(Workspace.objects.get(slug="acme-copy"))
    assert without_identity(copy) == without_identity(original)
    # The comparison above means something only if every kind of object is in the file.
    assert len(original["initiatives"][0]["changes"]) == 1
    assert len(original["memberships"]) == 5
    assert sum(len(w["changes"]) for w in original["work_items"]) == 2
    assert len(original["tracker_mappings"]) == 2 and len(original["claims"]) == 2
    assert original["goals"][1]["names"] == ["touchless", "no-touch rate"]
    decisions = [s["decision"] for w in original["work_items"] for s in w["suggestions"]]
    assert sorted(decisions) == ["accepted", "rejected"]


def test_a_claim_keeps_what_the_roadmap_said_when_it_was_said(workspace, strategy):
    """A copy that forgot the date promised on the day would stop flagging "date moved since
    said" until the next check."""
    claim = workspace.claims.create(
        said_on=date(2026, 10, 1),
        account="Globex",
        text="Told them Slack approvals ship by 1 December.",
        initiative=strategy["initiatives"]["internal"],
        matched=True,
        verdict="committed",
        initiative_status="committed",
        target_date=date(2027, 3, 20),
        said_status="committed",
        said_target_date=date(2027, 1, 29),
    )
    copy = round_trip(workspace).claims.get(account="Globex")
    assert (copy.said_status, copy.said_target_date) == ("committed", date(2027, 1, 29))
    assert copy.moved_since_said == claim.moved_since_said != ""


def test_work_items_keep_their_tracker_fields_links_and_history(workspace, editor_work):
    before = editor_work["items"]["FIN-1"]
    copy = round_trip(workspace).work_items.get(source="jira", external_key="FIN-1")
    assert (copy.due_on, copy.kind, copy.project, copy.parent_key) == (
        date(2026, 12, 1),
        "Story",
        "FIN",
        "FIN-100",
    )
    assert copy.labels == ["slack", "approvals"]
    assert copy.linked_by == LinkedBy.MAPPING
    assert copy.initiative.title == "Approve invoices from Slack"
    assert copy.initiative.workspace.slug == "acme-copy"
    history = list(copy.changes.values_list("field", "old_value", "new_value", "changed_at"))
    assert history == list(
        before.changes.values_list("field", "old_value", "new_value", "changed_at")
    )
    assert {(field, new) for field, _, new, _ in history} == {("status", "Done"), ("points", "5")}


def test_tracker_mappings_point_at_the_copys_own_targets(workspace, strategy, editor_work):
    copy = round_trip(workspace)
    mappings = {(m.source, m.field, m.value): m for m in copy.tracker_mappings.all()}
    assert set(mappings) == {("", "parent", "FIN-100"), ("jira", "label", "close")}
    by_parent, by_label = mappings["", "parent", "FIN-100"], mappings["jira", "label", "close"]
    assert by_parent.initiative.workspace == copy and by_parent.goal is None
    assert by_label.goal.workspace == copy and by_label.goal.title == "Faster close"
    # Re-applying the carried mappings finds every link already as they left it.
    applied = apply_mappings(copy)
    assert (applied.linked, applied.unlinked) == (0, 0)
    assert copy.work_items.get(external_key="FIN-4").goal == by_label.goal


def test_a_rejected_suggestion_stays_rejected_after_a_round_trip(workspace, users, editor_work):
    assert LinkSuggestion.objects.filter(item__workspace=workspace, decision=PENDING).exists()
    copy = round_trip(workspace)
    kept = LinkSuggestion.objects.filter(item__workspace=copy)
    # Pending suggestions are not carried: they are recomputed.
    assert not kept.filter(decision=PENDING).exists()
    rejected = kept.get(decision=REJECTED)
    assert (rejected.item.external_key, rejected.initiative.title) == (
        "FIN-2",
        "Supplier portal for invoice submission",
    )
    assert rejected.decided_by == users["editor"]
    assert rejected.decided_at == editor_work["rejected"].decided_at
    accepted = kept.get(decision=ACCEPTED)
    assert accepted.item.initiative == accepted.initiative  # and the link it made
    assert accepted.item.linked_by == LinkedBy.SUGGESTION
    # The portal reads like FIN-2 (it was suggested in the original), yet it is not suggested
    # again in the copy.
    refresh_suggestions(copy)
    fin2 = copy.work_items.get(external_key="FIN-2")
    assert not fin2.suggestions.filter(decision=PENDING, initiative=rejected.initiative).exists()
    assert fin2.suggestions.get(initiative=rejected.initiative).decision == REJECTED


def test_claims_keep_their_verdicts_and_evidence_without_a_new_check(
    workspace, editor_work, client_for
):
    before = {c.account: c for c in workspace.claims.all()}
    # The one login an import lets in is the owner named when importing.
    copy = import_workspace(export_workspace(workspace), slug="acme-copy", owner="member").workspace
    after = {c.account: c for c in copy.claims.select_related("said_by", "initiative")}
    assert set(after) == {"Northwind", "Globex"}
    initiatives = {i.pk: i for i in copy.initiatives.all()}
    for account, claim in after.items():
        old = before[account]
        assert claim.verdict and claim.verdict == old.verdict
        # The same moment of checking: the verdict was carried, not computed again.
        assert claim.checked_at == old.checked_at and claim.created_at == old.created_at
        assert (claim.score, claim.matched, claim.target_date) == (
            old.score,
            old.matched,
            old.target_date,
        )
        assert (claim.initiative_title, claim.initiative_status) == (
            old.initiative_title,
            old.initiative_status,
        )
        assert claim.initiative.pk in initiatives
        assert claim.initiative.title == old.initiative.title
        for new, was in zip(claim.runners_up, old.runners_up, strict=True):
            assert initiatives[new["initiative"]].title == was["title"] == new["title"]
    assert after["Northwind"].said_by.workspace == copy
    assert after["Northwind"].said_by.email == "editor@acme.test"
    assert (after["Globex"].said_by, after["Globex"].speaker) == (None, "Pat Outside")
    page = client_for("member").get("/w/acme-copy/claims/").content.decode()
    assert f"/w/acme-copy/roadmap/{after['Northwind'].initiative.pk}/" in page
    assert "Pat Outside" in page


# An export as truenorth wrote it before work item history, mappings, suggestions and claims.
BEFORE_TODAY = {
    "format": "truenorth.workspace",
    "version": 1,
    "workspace": {"name": "Acme", "slug": "acme", "anonymity_threshold": 5},
    "teams": [{"name": "Engineering", "parent": None}],
    "people": [
        {
            "name": "Ada",
            "email": "ada@acme.test",
            "function": "product",
            "team": "Engineering",
            "title": "",
        }
    ],
    "memberships": [
        {"username": "ada", "email": "ada@acme.test", "role": "owner", "person": "ada@acme.test"}
    ],
    "visions": [
        {
            "number": 1,
            "statement": "Every finance team closes its books in 3 days.",
            "destination": "Month-end close in three days",
            "measures_of_progress": "Median close time",
            "target_user": "Finance controllers",
            "user_benefit": "Evenings back at month end",
            "business_outcome": "Net revenue retention above 115%",
            "horizon": "2028",
            "created_at": "2026-09-01T08:00:00Z",
            "created_by": "ada",
        }
    ],
    "goals": [
        {
            "ref": 1,
            "title": "Faster close",
            "why": "why",
            "why_now": "now",
            "metric": "metric",
            "target": "target",
            "rank": 1,
            "period": "2026-H2",
        }
    ],
    "initiatives": [
        {
            "ref": 1,
            "key": "",
            "title": "Bank feeds",
            "problem": "",
            "goal": 1,
            "team": "Engineering",
            "status": "committed",
            "visibility": "internal",
            "target_date": "2026-12-01",
            "actual_date": None,
            "estimate_weeks": "6.0",
            "spent_weeks": None,
            "changes": [
                {
                    "field": "status",
                    "old_value": "planned",
                    "new_value": "committed",
                    "changed_at": "2026-09-02T09:00:00Z",
                    "changed_by": "ada",
                }
            ],
        }
    ],
    "work_items": [
        {
            "source": "jira",
            "key": "ENG-1",
            "title": "Bank feed parser",
            "status": "Done",
            "points": "3.0",
            "created_on": "2026-09-03",
            "resolved_on": "2026-09-20",
            "url": "",
            "team": "Engineering",
            "initiative": 1,
            "goal": None,
        },
        {
            "source": "csv",
            "key": "ENG-2",
            "title": "Close checklist",
            "status": "",
            "points": None,
            "created_on": None,
            "resolved_on": None,
            "url": "",
            "team": None,
            "initiative": None,
            "goal": 1,
        },
    ],
}


def test_an_export_written_before_today_still_imports(db):
    copy = import_workspace(json.loads(json.dumps(BEFORE_TODAY))).workspace
    parser = copy.work_items.get(external_key="ENG-1")
    assert parser.initiative.title == "Bank feeds" and parser.points == 3
    assert (parser.labels, parser.kind, parser.due_on, parser.linked_by) == ([], "", None, "")
    assert not parser.changes.exists()
    assert copy.work_items.get(external_key="ENG-2").goal.title == "Faster close"
    assert copy.initiatives.get().changes.get().new_value == "committed"
    assert not copy.tracker_mappings.exists() and not copy.claims.exists()
    assert copy.goals.get().names == []
    again = export_workspace(copy)
    assert again["version"] == 9
    assert again["tracker_mappings"] == again["claims"] == []
    assert [w["key"] for w in again["work_items"]] == ["ENG-1", "ENG-2"]


def claim_by_nobody(data):
    data["claims"][0] = {**data["claims"][0], "said_by": "nobody@acme.test"}


def mapping_with_two_targets(data):
    data["tracker_mappings"][0] = {**data["tracker_mappings"][0], "initiative": 1, "goal": 1}


def pending_suggestion(data):
    item = next(w for w in data["work_items"] if w["suggestions"])
    item["suggestions"][0]["decision"] = "pending"


def item_twice(data):
    data["work_items"].append(dict(data["work_items"][0]))


def person_twice(data):
    data["people"].append({**data["people"][0], "name": "Someone else"})


def email_in_another_case(data):
    data["people"].append({**data["people"][0], "email": data["people"][0]["email"].upper()})


def own_manager(data):
    data["people"][1]["manager"] = data["people"][1]["email"]


def managers_in_a_loop(data):
    first, second, third = data["people"][:3]
    first["manager"], second["manager"], third["manager"] = (
        second["email"],
        third["email"],
        first["email"],
    )


def team_in_another_case(data):
    data["teams"].append({**data["teams"][0], "name": data["teams"][0]["name"].lower()})


def teams_in_a_loop(data):
    engineering = next(t for t in data["teams"] if t["name"] == "Engineering")
    engineering["parent"] = "Platform"  # Platform's parent is Engineering


def mapping_twice(data):
    data["tracker_mappings"].append(dict(data["tracker_mappings"][0]))


def decided_twice(data):
    item = next(w for w in data["work_items"] if w["suggestions"])
    item["suggestions"].append({**item["suggestions"][0], "decision": "accepted"})


def runner_up_elsewhere(data):
    claim = next(c for c in data["claims"] if c["runners_up"])
    claim["runners_up"][0]["initiative"] = 999


def labels_as_text(data):
    data["work_items"][0]["labels"] = "slack, approvals"


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (claim_by_nobody, "person 'nobody@acme.test'"),
        (mapping_with_two_targets, r"tracker_mappings\.0: .*exactly one target"),
        (pending_suggestion, r"work_items\.\d+\.suggestions\.0\.decision"),
        (item_twice, "work item csv ENG-1 appears more than once"),
        (person_twice, r"people\.\d+\.email: email '\S+' is also at people\.0\.email"),
        (email_in_another_case, r"people\.\d+\.email: email '\S+' is also at people\.0\.email"),
        (own_manager, r"people\.1\.manager: nobody is their own manager"),
        (
            managers_in_a_loop,
            r"people\.0\.manager: '\S+' already reports to '\S+', directly or not",
        ),
        (
            team_in_another_case,
            r"teams\.2\.name: team name 'engineering' is also at teams\.0\.name",
        ),
        (
            teams_in_a_loop,
            r"teams\.\d\.parent: 'Platform' is 'Engineering' or one of its sub-teams",
        ),
        (mapping_twice, r"mapping for \w+ '[\w-]+' \(.*\) appears more than once"),
        (decided_twice, r"a suggestion for initiative \d+ appears more than once"),
        (runner_up_elsewhere, "initiative 999"),
        (labels_as_text, r"work_items\.0\.labels"),
    ],
)
def test_a_malformed_file_says_where_and_imports_nothing(workspace, editor_work, breakage, message):
    data = export_workspace(workspace)
    breakage(data)
    counts = (WorkItem.objects.count(), Claim.objects.count(), LinkSuggestion.objects.count())
    with pytest.raises(ExchangeError, match=message):
        import_workspace(data, slug="copy")
    assert not Workspace.objects.filter(slug="copy").exists()
    assert counts == (
        WorkItem.objects.count(),
        Claim.objects.count(),
        LinkSuggestion.objects.count(),
    )


def test_the_cli_names_the_problem_and_imports_nothing(workspace, editor_work, tmp_path):
    data = export_workspace(workspace)
    mapping_with_two_targets(data)
    file = tmp_path / "bad.json"
    file.write_text(json.dumps(data))
    result = CliRunner().invoke(main, ["import", "workspace", str(file), "--slug", "copy"])
    assert result.exit_code == 1
    assert "nothing imported" in result.output and "exactly one target" in result.output
    assert not Workspace.objects.filter(slug="copy").exists()


def test_a_file_from_a_later_version_is_refused_by_name(workspace, strategy):
    data = {**export_workspace(workspace), "version": 10}
    with pytest.raises(ExchangeError, match="version 1 or 2 or 3 or 4 or 5 or 6 or 7 or 8 or 9"):
        import_workspace(data, slug="copy")


def test_check_in_answers_stay_out_of_the_export(workspace, strategy, editor_work):
    now = timezone.now()
    checkin = CheckIn.objects.create(
        workspace=workspace, title="Pulse", opens_at=now, closes_at=now + timedelta(days=7)
    )
    question = Question.objects.create(checkin=checkin, position=1, prompt="Say the vision")
    response = Response.objects.create(checkin=checkin, function="sales")
    secret = "Honestly I think we are building the wrong thing for the wrong people."
    Answer.objects.create(response=response, question=question, text=secret)
    text = json.dumps(export_workspace(workspace))
    assert secret not in text and "Say the vision" not in text
    assert "Pat Outside" in text  # the export did carry the rest of today's objects


def test_importing_onto_an_existing_slug_is_refused(workspace, strategy):
    with pytest.raises(ExchangeError, match="exists already"):
        import_workspace(export_workspace(workspace))


def test_a_broken_file_imports_nothing(workspace, strategy):
    data = export_workspace(workspace)
    data["work_items"][0]["initiative"] = 999
    with pytest.raises(ExchangeError, match="initiative 999"):
        import_workspace(data, slug="copy")
    assert not Workspace.objects.filter(slug="copy").exists()


def test_an_unknown_status_is_refused_with_its_place(workspace, strategy):
    data = export_workspace(workspace)
    data["initiatives"][0]["status"] = "promised"
    with pytest.raises(ExchangeError, match=r"initiatives\.0\.status"):
        import_workspace(data, slug="copy")


def test_the_cli_says_when_a_file_is_not_json(db, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    result = CliRunner().invoke(main, ["import", "workspace", str(bad)])
    assert result.exit_code == 1
    assert "is not JSON" in result.output


def test_init_creates_a_workspace_its_owner_can_open(db, client):
    result = CliRunner().invoke(
        main,
        [
            "init",
            "--name",
            "Beta",
            "--slug",
            "beta",
            "--owner",
            "bo",
            "--email",
            "bo@beta.test",
            "--password",
            "s3cret-pass",
        ],
    )
    assert result.exit_code == 0, result.output
    assert client.login(username="bo", password="s3cret-pass")
    assert client.get("/w/beta/").status_code == 200


def test_every_command_has_an_example_in_its_help():
    runner = CliRunner()
    for args in (
        ["init"],
        ["demo"],
        ["serve"],
        ["export"],
        ["import", "workitems"],
        ["import", "workspace"],
        ["import", "responses"],
        ["analyze"],
        ["compare"],
    ):
        assert "Example: truenorth" in runner.invoke(main, [*args, "--help"]).output


def test_people_teams_settings_and_roadmap_sources_survive_a_round_trip(workspace, strategy, users):
    Workspace.objects.filter(pk=workspace.pk).update(
        time_zone="Europe/Berlin", sender_address="pulse@acme.test"
    )
    Team.objects.filter(name="Platform").update(archived=True)
    Person.objects.filter(email="member@acme.test").update(
        active=False, role="viewer", manager=Person.objects.get(email="editor@acme.test")
    )
    Initiative.objects.filter(pk=strategy["initiatives"]["internal"].pk).update(
        source="jpd", source_key="DISC-7"
    )
    RoadmapStatusMapping.objects.create(
        workspace=workspace, source_status="Now", status="in_progress"
    )
    beta = InitiativeMilestone.objects.create(
        initiative=strategy["initiatives"]["internal"], name="beta", target_date=date(2026, 10, 1)
    )
    MilestoneChange.objects.create(
        milestone=beta,
        old_target=date(2026, 9, 1),
        new_target=date(2026, 10, 1),
        changed_at=timezone.now(),
        changed_by=users["editor"],
    )
    original = export_workspace(Workspace.objects.get(pk=workspace.pk))
    copy = import_workspace(original, slug="acme-copy").workspace
    assert without_identity(export_workspace(copy)) == without_identity(original)
    member = copy.people.get(email="member@acme.test")
    assert (member.active, member.role, member.manager.email) == (
        False,
        "viewer",
        "editor@acme.test",
    )
    assert copy.teams.get(name="Platform").archived
    assert (copy.time_zone, copy.sender_address) == ("Europe/Berlin", "pulse@acme.test")
    assert copy.initiatives.get(source_key="DISC-7").source == "jpd"
    assert copy.roadmap_status_mappings.get().status == "in_progress"
    copied_beta = InitiativeMilestone.objects.get(initiative__workspace=copy, name="beta")
    assert copied_beta.changes.get().old_target == date(2026, 9, 1)


def test_a_bad_time_zone_in_a_file_imports_nothing(workspace, strategy):
    data = export_workspace(workspace)
    data["workspace"]["time_zone"] = "Mars/Olympus"
    with pytest.raises(ExchangeError, match="not a time zone"):
        import_workspace(data, slug="copy")
    assert not Workspace.objects.filter(slug="copy").exists()
