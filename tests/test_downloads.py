"""Downloads from the pages: the workspace file from Settings (owner only), and each list page's
CSV with the page's own role rules."""

import csv
import io

import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model

from truenorth.cli import main
from truenorth.strategy.actions import add_goal
from truenorth.strategy.models import Goal
from truenorth.workspaces.models import Membership

READERS = ["owner", "editor", "viewer", "member"]
RESULTS = ["owner", "editor", "viewer"]  # those who may read check-in results


@pytest.fixture(scope="module")
def demo(built_demo):
    return built_demo


@pytest.fixture
def as_role(client, demo, db):
    def login(role):
        client.force_login(Membership.objects.get(workspace=demo, role=role).user)
        return client

    return login


def table(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def header(response) -> list[str]:
    return next(csv.reader(io.StringIO(response.content.decode())))


# --- The workspace file ---


def test_the_owner_downloads_the_file_the_command_line_writes(as_role, demo, tmp_path):
    settings_page = as_role("owner").get("/w/larkspur/settings/").content.decode()
    assert 'href="/w/larkspur/settings/export.json"' in settings_page
    response = as_role("owner").get("/w/larkspur/settings/export.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="larkspur.json"'
    written = tmp_path / "larkspur.json"
    result = CliRunner().invoke(main, ["export", "--json", "-w", "larkspur", "-o", str(written)])
    assert result.exit_code == 0, result.output
    assert response.content == written.read_bytes()
    printed = CliRunner().invoke(main, ["export", "--json", "-w", "larkspur"])
    assert printed.stdout_bytes == response.content


@pytest.mark.parametrize("role", ["editor", "viewer", "member", "partner"])
def test_nobody_but_the_owner_downloads_the_workspace_file(as_role, role):
    assert as_role(role).get("/w/larkspur/settings/export.json").status_code == 403


def test_someone_from_another_workspace_learns_nothing(client, demo, db):
    outsider = get_user_model().objects.create_user("stranger", "s@else.test", "x")
    client.force_login(outsider)
    assert client.get("/w/larkspur/settings/export.json").status_code == 404


# --- Each page's CSV ---


# page, its CSV, the roles that may download it, the first columns
CSVS = {
    "goals": ("/goals/", "/goals.csv", READERS, ["rank", "goal", "why", "why now"]),
    "work items": ("/work/", "/work.csv", READERS, ["source", "key", "title", "status"]),
    "people": ("/people/", "/people.csv", READERS, ["name", "email", "function", "team"]),
    "teams": ("/teams/", "/teams.csv", READERS, ["team", "parent team", "archived"]),
    "check-ins": ("/checkins/", "/checkins.csv", READERS, ["check-in", "stage", "opens", "closes"]),
    "roadmap": ("/roadmap/", "/roadmap.csv", [*READERS, "partner"], ["key", "title"]),
    "alignment": ("/alignment/", "/alignment.csv", RESULTS, ["level", "team or group", "figure"]),
}


@pytest.mark.parametrize("name", CSVS)
@pytest.mark.parametrize("role", [*READERS, "partner"])
def test_each_csv_follows_its_page_rules_and_the_page_links_it(as_role, name, role):
    page, download, allowed, first_columns = CSVS[name]
    client = as_role(role)
    response = client.get(f"/w/larkspur{download}")
    if role not in allowed:
        assert response.status_code == 403
        return
    rows = table(response)
    assert rows, f"{download} is empty"
    if role == "partner":
        assert header(response)[:2] == ["title", "problem"]
    else:
        assert header(response)[: len(first_columns)] == first_columns
    assert f'href="/w/larkspur{download}' in client.get(f"/w/larkspur{page}").content.decode()


def test_the_goals_csv_holds_the_ranking(as_role):
    rows = table(as_role("member").get("/w/larkspur/goals.csv"))
    assert [row["rank"] for row in rows] == ["1", "2", "3", "4", "5"]
    assert rows[0]["goal"] == "Raise the touchless invoice rate from 41% to 70%"
    assert 0 <= int(rows[0]["clarity"]) <= 100 and int(rows[0]["initiatives"]) > 0


def target_date(demo, title: str) -> str:
    """The date the demo set, days from the day it was built."""
    return demo.initiatives.get(title=title).target_date.isoformat()


def test_partners_get_shared_initiatives_and_only_promised_dates(as_role, demo):
    rows = {row["title"]: row for row in table(as_role("partner").get("/w/larkspur/roadmap.csv"))}
    assert "SOC 2 Type II audit" not in rows  # internal
    assert "goal" not in next(iter(rows.values()))  # goals are internal
    title = "Sync error inbox: every failed posting explained, with a fix"
    assert rows[title]["target date"] == target_date(demo, title)
    planned = rows["Partner implementation playbook and sandbox workspaces"]
    assert planned["status"] == "Planned" and planned["target date"] == ""
    assert "Not a promise" in planned["what the status means"]


def test_insiders_get_the_whole_roadmap_with_goals(as_role, demo):
    rows = {row["title"]: row for row in table(as_role("viewer").get("/w/larkspur/roadmap.csv"))}
    assert len(rows) == demo.initiatives.count()
    audit = rows["SOC 2 Type II audit"]
    assert audit["visibility"] == "Internal"
    assert audit["target date"] == target_date(demo, "SOC 2 Type II audit")
    planned = rows["Partner implementation playbook and sandbox workspaces"]
    assert planned["target date"] == target_date(demo, planned["title"])


def test_the_roadmap_csv_follows_the_goal_filter(as_role, demo):
    goal = demo.goals.get(rank=2)
    rows = table(as_role("editor").get(f"/w/larkspur/roadmap.csv?goal={goal.pk}"))
    assert rows and {row["goal"] for row in rows} == {goal.title}


def test_the_work_csv_follows_the_page_filters(as_role, demo):
    everything = table(as_role("member").get("/w/larkspur/work.csv"))
    assert len(everything) == demo.work_items.count()
    unlinked = table(as_role("member").get("/w/larkspur/work.csv?link=unlinked"))
    assert unlinked and {row["supports a goal"] for row in unlinked} == {"no"}
    linked = table(as_role("member").get("/w/larkspur/work.csv?link=linked"))
    assert len(linked) + len(unlinked) == len(everything)
    assert {row["supports a goal"] for row in linked} == {"yes"}
    assert as_role("member").get("/w/larkspur/work.csv?team=99999999").status_code == 404


def test_the_people_csv_has_the_directory_and_its_filters(as_role, demo):
    rows = table(as_role("member").get("/w/larkspur/people.csv"))
    assert len(rows) == demo.people.filter(active=True).count()
    someone = demo.people.filter(active=True, team__isnull=False).first()
    row = next(r for r in rows if r["email"] == someone.email)
    assert (row["name"], row["team"]) == (someone.name, someone.team.name)
    sales = table(as_role("member").get("/w/larkspur/people.csv?function=sales"))
    assert sales and {row["function"] for row in sales} == {"Sales"}


def test_the_check_in_csv_counts_like_the_list(as_role, demo):
    assert "answered" not in table(as_role("member").get("/w/larkspur/checkins.csv"))[0]
    rows = table(as_role("viewer").get("/w/larkspur/checkins.csv"))
    assert {row["check-in"] for row in rows} == set(demo.checkins.values_list("title", flat=True))
    assert all(int(row["invited"]) >= int(row["answered"]) for row in rows)
    # "anonymous" under "answers" beside "answered 35" read as a count: now "attribution", in
    # the same place, so a reader by position reads it as before.
    assert header(as_role("viewer").get("/w/larkspur/checkins.csv"))[:5] == [
        "check-in",
        "stage",
        "opens",
        "closes",
        "attribution",
    ]
    assert {row["attribution"] for row in rows} <= {"anonymous", "attributed"}
    assert {row["stage"] for row in rows} <= {
        "Not open yet",
        "Open",
        "Closed, results not published",
        "Results published",
    }


def test_a_cell_that_looks_like_a_formula_stays_text(as_role, demo):
    add_goal(
        Goal(
            workspace=demo,
            title='=HYPERLINK("http://evil.test","click")',
            why="-1+1",
            why_now="@now",
            metric="m",
            target="t",
        )
    )
    rows = table(as_role("viewer").get("/w/larkspur/goals.csv"))
    last = rows[-1]
    assert last["goal"] == '\'=HYPERLINK("http://evil.test","click")'
    assert (last["why"], last["why now"]) == ("'-1+1", "'@now")


def test_a_workspace_the_file_cannot_carry_is_named_not_downloaded(as_role, demo):
    # Saved before today's bounds: the file would be refused, so no file is written.
    demo.work_items.filter(pk=demo.work_items.order_by("pk").first().pk).update(
        url="javascript:alert(1)"
    )
    response = as_role("owner").get("/w/larkspur/settings/export.json")
    assert response.status_code == 409
    assert "work_items.0.url" in response.content.decode()
