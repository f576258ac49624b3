"""A work item's page (/w/<slug>/work/<id>/) and its JSON twin: the item's fields, what it
serves and how, and the history its imports recorded, newest first."""

import io
import re
from datetime import datetime

import pytest
from click.testing import CliRunner
from django.utils import timezone
from django.utils.formats import date_format

from tests.api import api_request
from truenorth.cli import main
from truenorth.work import actions
from truenorth.work.imports import import_work_items
from truenorth.work.models import TrackerMapping, WorkItem
from truenorth.workspaces.models import Workspace

HEADER = "Issue key,Summary,Status,Custom field (Story Points),Resolved,Labels\n"


def import_jira(workspace, *rows: str) -> None:
    import_work_items(
        workspace, io.StringIO(HEADER + "\n".join(rows) + "\n"), file_format="jira-csv"
    )


@pytest.fixture
def reimported(workspace):
    """INT-7 imported from Jira three times: started, then done (status, points, resolved)."""
    import_jira(workspace, "INT-7,Retry NetSuite postings,To Do,3,,erp")
    import_jira(workspace, "INT-7,Retry NetSuite postings,In Progress,3,,erp")
    import_jira(workspace, "INT-7,Retry NetSuite postings,Done,5,04/Dec/26,erp")
    return workspace.work_items.get(external_key="INT-7")


def history(page: str) -> list[str]:
    found = re.search(r'<ul class="history" id="history">(.*?)</ul>', page, re.S)
    assert found, "no history on the page"
    return [
        re.sub(r"\s+", " ", li).strip() for li in re.findall(r"<li[^>]*>(.*?)</li>", found[1], re.S)
    ]


def test_it_says_each_change_an_import_saw_newest_first(client_for, reimported):
    response = client_for("member").get(f"/w/acme/work/{reimported.pk}/")
    assert response.status_code == 200
    today = date_format(timezone.localdate())
    said = history(response.content.decode())
    assert said == [
        f"Status: In Progress → Done, {today}, from the Jira import",  # the last import's three
        f"Points: 3 → 5, {today}, from the Jira import",
        f"Resolved date: none → 4 Dec 2026, {today}, from the Jira import",
        f"Status: To Do → In Progress, {today}, from the Jira import",
    ]


def test_it_shows_the_items_fields_and_what_it_serves(client_for, reimported, strategy):
    initiative = strategy["initiatives"]["internal"]
    actions.link_work_item(reimported, initiative)
    page = client_for("member").get(f"/w/acme/work/{reimported.pk}/").content.decode()
    assert "<title>INT-7 Retry NetSuite postings" in page
    assert "<dd>Done</dd>" in page and "5 points" in page and "4 Dec 2026" in page
    serves = re.sub(r"\s+", " ", re.search(r'<dd id="serves">(.*?)</dd>', page, re.S)[1])
    assert f'<a href="/w/acme/roadmap/{initiative.pk}/">Internal initiative</a>' in serves
    assert "which serves goal" in serves and "#1 Faster close" in serves
    assert "Linked by hand" in serves


def test_it_says_a_mapping_linked_it_and_that_an_orphan_supports_no_goal(
    client_for, reimported, strategy
):
    client = client_for("member")
    page = client.get(f"/w/acme/work/{reimported.pk}/").content.decode()
    assert "No goal: orphan work" in page and 'id="how-linked"' not in page
    goal = strategy["goals"][1]
    actions.add_mapping(reimported.workspace, TrackerMapping.Field.LABEL, "erp", goal)
    page = client.get(f"/w/acme/work/{reimported.pk}/").content.decode()
    assert "Goal <a" in page and "#2 Fewer manual touches" in page
    assert "Linked by a tracker mapping" in page


def test_an_item_no_import_changed_says_so(client_for, strategy):
    item = strategy["items"][1]
    page = client_for("viewer").get(f"/w/acme/work/{item.pk}/").content.decode()
    assert history(page) == [
        "No changes yet: this item has had the same status, points and dates in every import "
        "since the first."
    ]


def test_the_key_links_to_the_tracker_where_the_item_has_an_address(client_for, strategy):
    item = strategy["items"][0]
    client = client_for("member")
    assert 'id="tracker-link"' not in client.get(f"/w/acme/work/{item.pk}/").content.decode()
    WorkItem.objects.filter(pk=item.pk).update(url="https://jira.example/browse/ENG-1")
    page = client.get(f"/w/acme/work/{item.pk}/").content.decode()
    assert '<a href="https://jira.example/browse/ENG-1" id="tracker-link">ENG-1</a>' in page


def test_each_row_of_the_work_list_links_its_key_to_the_items_page(client_for, strategy):
    page = client_for("member").get("/w/acme/work/").content.decode()
    for item in strategy["items"]:
        assert f'<a href="/w/acme/work/{item.pk}/">{item.external_key}</a>' in page


@pytest.mark.parametrize(
    "role, status", [("partner", 403), ("outsider", 404), ("member", 200), ("viewer", 200)]
)
def test_whoever_reads_the_work_list_reads_an_item(client_for, strategy, role, status):
    client = client_for(role)
    item = strategy["items"][0]
    assert client.get("/w/acme/work/").status_code == status
    assert client.get(f"/w/acme/work/{item.pk}/").status_code == status
    assert client.get(f"/w/acme/work/{item.pk}.json").status_code == status


def test_an_item_of_another_workspace_or_none_is_not_found(client_for, strategy):
    other = Workspace.objects.create(name="Other", slug="other")
    theirs = WorkItem.objects.create(workspace=other, external_key="X-1", title="X")
    client = client_for("owner")
    assert client.get(f"/w/acme/work/{theirs.pk}/").status_code == 404
    assert client.get(f"/w/acme/work/{theirs.pk}.json").status_code == 404
    assert client.get("/w/acme/work/99999999/").status_code == 404


def as_times(said: dict) -> dict:
    """Times written to the millisecond (the page) or the microsecond (the API), as times."""
    return {
        key: datetime.fromisoformat(value.replace("Z", "+00:00")).replace(microsecond=0)
        if key in ("updated_at", "changed_at", "decided_at") and value
        else value
        for key, value in said.items()
    }


def test_the_json_twin_is_the_apis_item_and_history(client, client_for, users, reimported):
    base = f"/api/v1/workspaces/acme/work_items/{reimported.pk}"
    api_item = api_request(client, users["member"], "get", base, None, "read").json()
    api_history = api_request(client, users["member"], "get", f"{base}/history", None, "read")
    said = client_for("member").get(f"/w/acme/work/{reimported.pk}.json").json()
    history_said = said.pop("history")
    assert said.pop("page") == f"/w/acme/work/{reimported.pk}/"
    assert said.pop("api") == base
    assert as_times(said) == as_times(api_item)
    oldest_first = sorted(history_said, key=lambda change: (change["changed_at"], change["id"]))
    assert [as_times({k: v for k, v in c.items() if k != "said"}) for c in oldest_first] == [
        as_times(c) for c in api_history.json()["items"]
    ]
    assert history_said[-1]["said"].startswith("Status: To Do → In Progress, ")


def test_the_cli_shows_an_item_with_its_history(reimported):
    shown = CliRunner().invoke(main, ["work", "show", "INT-7", "-w", "acme"])
    assert shown.exit_code == 0, shown.output
    today = date_format(timezone.localdate())
    lines = shown.output.splitlines()
    assert lines[0] == "INT-7  Retry NetSuite postings"
    assert "  status Done, 5 points, team none" in lines
    assert "History, newest first (4 changes):" in lines
    assert lines[-1] == f"  Status: To Do → In Progress, {today}, from the Jira import"
    missing = CliRunner().invoke(main, ["work", "show", "INT-8", "-w", "acme"])
    assert missing.exit_code == 1 and "no work item INT-8; nothing to show" in missing.output
