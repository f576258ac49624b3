"""An import's refusal says each problem once, with every line it is on: a real export with
one column wrong on every row gives a few lines, not one per row, on the page, in the CLI and
in the JSON, and no row's problem is lost."""

import re

import pytest
from click.testing import CliRunner
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api import api_request
from truenorth.cli import main
from truenorth.roadmap.imports import ImportFailed as RoadmapRefused
from truenorth.roadmap.imports import import_roadmap
from truenorth.tabular import ImportFailed, RowError, grouped
from truenorth.work.models import ImportRun, WorkItem


def lines_in(places: str) -> list[int]:
    """The line numbers a report's "lines 2–41, 43" names, each one."""
    numbers: list[int] = []
    for first, last in re.findall(r"(\d+)(?:–(\d+))?", places):
        numbers += range(int(first), int(last or first) + 1)
    return numbers


def bad_export(rows: int = 600) -> str:
    """A generic CSV whose every row names a team the workspace has not got, with a few
    other problems on their own lines: found first on line 2, so it is said first."""
    lines = ["key,title,team,points,created"]
    for n in range(rows):
        points = {5: "three", 300: "XL"}.get(n, "3")
        created = "yesterday" if n == 40 else "2026-11-02"
        lines.append(f"ENG-{n},Item {n},Blocked,{points},{created}")
    return "\n".join(lines) + "\n"


def test_hundreds_of_rows_with_one_problem_are_said_once_with_their_lines():
    errors = [RowError(n, "status 'Blocked' is not a status this workspace knows") for n in
              range(2, 802) if n not in (42, 45)]  # fmt: skip
    errors.insert(3, RowError(5, "points 'three' is not a number"))
    errors.append(RowError(45, "created 'yesterday' is not a date (use YYYY-MM-DD)"))
    errors.append(RowError(900, "points 'XL' is not a number"))
    report = ImportFailed(errors).report().splitlines()
    assert report == [
        "Nothing imported: 801 problem(s) of 3 kinds.",
        "  lines 2–41, 43–44, 46–801 (798 rows): status 'Blocked' is not a status this "
        "workspace knows",
        "  lines 5, 900 (2 rows): points 'three' is not a number; the same for 'XL' (line 900)",
        "  line 45: created 'yesterday' is not a date (use YYYY-MM-DD)",
    ]
    groups = grouped(errors)
    every = sorted((error.line, error.message) for group in groups for error in group.errors)
    assert every == sorted((error.line, error.message) for error in errors)
    assert lines_in(groups[0].places) == [e.line for e in errors if "Blocked" in e.message]


def test_values_that_differ_are_named_a_few_with_their_lines():
    values = ["Ann Lee", "Bob Ray", "Ann Lee", "Cy Young", "Di Moss", "Ed Wu", "Flo Fox"]
    errors = [
        RowError(n, f"column 'Email', value {name!r}: not an email address")
        for n, name in enumerate(values, start=2)
    ]
    (group,) = grouped(errors)
    assert str(group) == (
        "lines 2–8 (7 rows): column 'Email', value 'Ann Lee': not an email address; the same "
        "for 'Bob Ray' (line 3), 'Cy Young' (line 5), 'Di Moss' (line 6) and 2 other values"
    )
    assert group.as_json()["places"] == [f"line {n}" for n in range(2, 9)]


def test_another_column_another_file_or_a_message_without_a_value_is_another_problem():
    errors = [
        RowError(2, "column 'Email', value 'x': not an email address"),
        RowError(3, "column 'Manager', value 'x': not an email address"),
        RowError(4, "the row has 4 cells, the header 3"),
        RowError(5, "the row has 5 cells, the header 3"),
        RowError(0, "created 'a' is not a date", "calls.csv line 2"),
        RowError(0, "created 'b' is not a date", "chats.csv line 2"),
        RowError(0, "created 'c' is not a date", "calls.csv line 3"),
    ]
    assert [str(group) for group in grouped(errors)] == [
        "line 2: column 'Email', value 'x': not an email address",
        "line 3: column 'Manager', value 'x': not an email address",
        "line 4: the row has 4 cells, the header 3",
        "line 5: the row has 5 cells, the header 3",
        "calls.csv lines 2–3 (2 rows): created 'a' is not a date; the same for 'c' "
        "(calls.csv line 3)",
        "chats.csv line 2: created 'b' is not a date",
    ]


def test_dates_that_could_be_two_days_are_one_problem():
    errors = [
        RowError(2, "date '03/04/2026' could be 3 Apr 2026 or 4 Mar 2026, and no other date"),
        RowError(3, "date '05/06/2026' could be 5 Jun 2026 or 6 May 2026, and no other date"),
    ]
    (group,) = grouped(errors)
    assert group.places == "lines 2–3" and "the same for '05/06/2026' (line 3)" in str(group)


def test_json_items_are_named_by_their_index():
    errors = [RowError(0, "title is empty", f"item [{n}] (#{n + 1})") for n in range(5)]
    errors.append(RowError(0, "title is empty", "item [9] (#10)"))
    assert str(grouped(errors)[0]) == "items [0]–[4], [9] (6 items): title is empty"


def test_the_cli_says_each_problem_once(workspace, team, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(bad_export())
    result = CliRunner().invoke(main, ["import", "workitems", str(path), "-w", "acme"])
    assert result.exit_code == 1
    report = result.output.splitlines()
    assert report[0] == "Nothing imported: 603 problem(s) of 3 kinds."
    assert report[1].startswith("  lines 2–601 (600 rows): no team named 'Blocked'")
    assert report[2] == (
        "  lines 7, 302 (2 rows): points 'three' is not a number; the same for 'XL' (line 302)"
    )
    assert report[3].startswith("  line 42: created 'yesterday'")
    assert len(report) == 4 and not WorkItem.objects.exists()


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


def test_the_import_run_page_and_its_json_say_each_problem_once(client_for, team):
    client = client_for("editor")
    upload = SimpleUploadedFile("export.csv", bad_export().encode())
    response = client.post("/w/acme/work/import/", {"file": upload, "file_format": "csv"})
    run = ImportRun.objects.get()
    assert run.state == "failed"
    page = client.get(response.url).content.decode()
    assert "Nothing was imported: 603 problems of 3 kinds." in page
    assert "lines 2–601 (600 rows): no team named &#x27;Blocked&#x27;" in page
    assert page.count("<li>") == 3 + 603  # each problem once; each row's, folded
    assert "Each row's problem, one a line (603)" in page

    answer = client.get(f"/w/acme/work/import/{run.pk}.json").json()["outcome"]
    assert len(answer["errors"]) == 603  # each row's, as before
    first, points, created = answer["problems"]
    assert (first["where"], first["rows"]) == ("lines 2–601", 600)
    assert first["places"] == [f"line {n}" for n in range(2, 602)]
    assert (points["where"], points["rows"], created["where"]) == ("lines 7, 302", 2, "line 42")


def test_the_people_page_says_a_wrongly_mapped_email_column_once(client_for, users):
    rows = "".join(f"{n},Person {n},sales\n" for n in range(300))
    upload = SimpleUploadedFile("people.csv", f"id,name,function\n{rows}".encode())
    client = client_for("owner")
    response = client.post("/w/acme/people/import/", {"file": upload, "columns": "email=name"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing imported: 300 problems." not in page
    assert (
        "lines 2–301 (300 rows): column &#x27;name&#x27;, value &#x27;Person 0&#x27;: not an "
        "email address; the same for &#x27;Person 1&#x27; (line 3)"
    ) in page
    assert "and 296 other values" in page
    assert "line 301: column &#x27;name&#x27;, value &#x27;Person 299&#x27;" in page  # folded


def test_the_api_adds_each_problem_once_to_the_items_refused(workspace, users, client):
    items = [{"key": f"PAY-{n}", "title": "Payouts", "created": "someday"} for n in range(250)]
    items[7]["due"] = "whenever"
    answer = send(client, users, {"source": "jira", "items": items})
    assert answer.status_code == 400
    found = answer.json()
    assert len(found["errors"]) == 251  # each item's, as before
    assert [(p["where"], p["rows"]) for p in found["problems"]] == [
        ("items [0]–[249]", 250),
        ("items[7]", 1),
    ]
    assert found["problems"][0]["text"] == (
        "items [0]–[249] (250 items): created 'someday' is not a date (use YYYY-MM-DD)"
    )
    assert "problems of 2 kinds" in found["detail"]
    # Refused before any is read (an empty title): the same, said once.
    items = [{"key": f"PAY-{n}", "title": ""} for n in range(250)]
    found = send(client, users, {"source": "jira", "items": items}).json()
    assert len(found["errors"]) == 250
    assert [(p["where"], p["rows"]) for p in found["problems"]] == [("items [0]–[249]", 250)]


def send(client, users, body):
    path = "/api/v1/workspaces/acme/work_items"
    return api_request(client, users["editor"], "post", path, body, scope="write")


def test_the_roadmap_says_a_goal_and_an_unmapped_status_once(workspace, strategy):
    rows = "".join(f"IDEA-{n},Idea {n},Go faster,Doing\n" for n in range(200))
    text = "Key,Summary,Goals,Status\n" + rows
    with pytest.raises(RoadmapRefused) as refused:
        import_roadmap(workspace, text, "", "jpd", {})
    report = refused.value.report().splitlines()
    assert report[0] == "Nothing imported: 201 problem(s) of 2 kinds."
    assert report[1].startswith("  lines 2–201 (200 rows), Goals 'Go faster': ")
    assert report[2].startswith(
        "  status 'Doing' is not mapped to a roadmap status (200 rows: lines 2–201)"
    )


def test_the_roadmap_page_shows_each_problem_once(client_for, strategy):
    rows = "".join(f"IDEA-{n},Idea {n},Go faster,Doing\n" for n in range(200))
    upload = SimpleUploadedFile("jpd.csv", ("Key,Summary,Goals,Status\n" + rows).encode())
    data = {"action": "import", "file": upload, "file_format": "jpd"}
    response = client_for("editor").post("/w/acme/roadmap/import/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing imported: 201 problems of 2 kinds." in page
    assert '<td class="lead">lines 2–201 <small>(200 rows)</small></td>' in page
    assert "<td>200 rows: lines 2–201</td>" in page  # the status to map, and its rows
