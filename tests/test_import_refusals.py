"""Files an importer cannot read whole are refused, with the line, and nothing is imported."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from truenorth.checkins.actions import create_alignment_pulse
from truenorth.checkins.imports import import_responses
from truenorth.checkins.models import Response
from truenorth.claims.imports import import_claims
from truenorth.claims.models import Claim
from truenorth.roadmap import imports as roadmap
from truenorth.roadmap.models import Initiative
from truenorth.tabular import ImportFailed, read_table
from truenorth.work.imports import import_work_items
from truenorth.work.models import WorkItem
from truenorth.workspaces.models import Person
from truenorth.workspaces.people_import import import_people

JIRA_HEADER = "Summary,Issue key,Issue id,Issue Type,Status,Project name,Created"


def jira(count: int, quoted: bool, stray_at: int) -> str:
    """A Jira export of `count` rows whose row `stray_at` has a stray quote in its Summary."""
    rows = []
    for n in range(count):
        cells = [f"Item {n}", f"BIG-{n}", str(n), "Story", "To Do", "Platform", "21/Nov/25"]
        if quoted:
            cells = [f'"{value}"' for value in cells]
        if n == stray_at:
            cells[0] = f'"Item {n}'
        rows.append(",".join(cells))
    return "\n".join([JIRA_HEADER, *rows]) + "\n"


def refusal(call, *args, **options) -> str:
    with pytest.raises((ImportFailed, roadmap.ImportFailed)) as failure:
        call(*args, **options)
    return failure.value.report()


@pytest.mark.parametrize("quoted", [False, True])
def test_a_stray_quote_in_a_jira_export_is_named_at_its_line(workspace, quoted):
    text = jira(1000, quoted, stray_at=9)  # row 9 is on line 11
    report = refusal(import_work_items, workspace, io.StringIO(text), file_format="jira-csv")
    assert "line 11: a quote opened here is never closed" in report
    assert report.count("\n") == 1  # that one problem, not the rows it garbled
    assert not WorkItem.objects.exists()


def test_a_stray_quote_closed_by_another_is_still_found(workspace):
    # The second stray quote ends the first one's cell where a delimiter follows it; a key
    # never spans lines, and the row that swallowed lines 3 and 4 has a key that does.
    text = 'key,title,status\n"A-1,One,x\nA-2,Two,y\nA-3,Three",z,w\nA-4,Four,w\n'
    report = refusal(import_work_items, workspace, io.StringIO(text))
    assert "line 2: a quote opened here is never closed (key runs over lines 2–4)" in report
    wider = 'key,title,status\nA-1,"One,x\nA-2,Two,y\nA-3,Three",z,w\nA-4,Four,w\n'
    report = refusal(import_work_items, workspace, io.StringIO(wider))
    assert "line 2: a quote opened here is never closed (the row runs to line 4" in report
    assert not WorkItem.objects.exists()


def claims_file(count: int, stray_at: int) -> str:
    rows = []
    for n in range(count):
        text = f"Promised feature {n}, soon" if n != stray_at else f"Promised feature {n}"
        quote = '"' if n != stray_at else ""
        rows.append(f'2026-10-{n % 28 + 1:02d},Account {n},,"{text}{quote},call')
    return "date,account,said_by,text,source\n" + "\n".join(rows) + "\n"


def test_a_stray_quote_in_claims_does_not_make_a_long_claim(workspace):
    report = refusal(import_claims, workspace, io.StringIO(claims_file(40, stray_at=4)))
    assert "line 6: a quote opened here is never closed" in report
    assert not Claim.objects.exists()


def test_a_claim_longer_than_any_claim_is_refused(workspace):
    text = f"date,account,text\n2026-10-01,Northwind,{'word ' * 500}\n"
    assert "line 2: text is longer than 2000 characters" in refusal(
        import_claims, workspace, io.StringIO(text)
    )


@pytest.fixture
def pulse(workspace, users):
    now = timezone.now()
    return create_alignment_pulse(workspace, "Pulse", now - timedelta(days=9), now)


def test_every_csv_importer_names_an_open_quote(workspace, pulse):
    answers = 'email,vision\nmember@acme.test,"Close fast\nowner@acme.test,Sync\n'
    assert "line 2: a quote opened here is never closed" in refusal(
        import_responses, pulse, io.StringIO(answers)
    )
    people = 'name,email\n"Ada,ada@acme.test\nGrace,grace@acme.test\n'
    assert "line 2: a quote opened here is never closed" in refusal(
        import_people, workspace, io.StringIO(people)
    )
    plan = 'key,title\nR-1,"Bank feeds\nR-2,Auto-match\n'
    assert "line 2: a quote opened here is never closed" in refusal(
        roadmap.import_roadmap, workspace, plan
    )
    assert not Response.objects.exists() and not Initiative.objects.exists()
    assert not Person.objects.filter(email__in=["ada@acme.test", "grace@acme.test"]).exists()


def test_text_after_a_closing_quote_is_named():
    with pytest.raises(ImportFailed) as failure:
        read_table('key,title\nA-1,"Bank" feeds\n')
    assert failure.value.errors[0].line == 2
    assert "write a quote inside a quoted cell twice" in failure.value.errors[0].message


def test_a_title_over_two_lines_is_fine_where_quotes_close(workspace):
    text = 'key,title\nA-1,"Two\nlines"\nA-2,One line\n'
    assert import_work_items(workspace, io.StringIO(text)).created == 2


def test_old_mac_line_ends_are_read(workspace):
    text = "key,title\rA-1,One\rA-2,Two\r"
    assert import_work_items(workspace, io.StringIO(text)).created == 2


PEOPLE = "name,email,function\nZoë,zoe@acme.test,engineering\n"


@pytest.mark.parametrize(
    "data, message",
    [
        (
            PEOPLE.encode("cp1252"),
            "line 2, byte 22 (0xEB) is not UTF-8; it is probably Windows-1252",
        ),
        (PEOPLE.encode("utf-16"), "it is UTF-16 (Excel's “Unicode text”); save it as “CSV UTF-8”"),
        (PEOPLE.encode("utf-16-le"), "it looks like UTF-16 without a byte-order mark"),
        (
            b"\x89PNG\r\n\x1a\n\0\0\xff",
            "line 1, byte 0 (0x89) is not UTF-8; a text file has no NUL",
        ),
    ],
)
def test_a_file_in_another_encoding_is_named_as_such(workspace, data, message):
    stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig")  # as the CLI opens it
    report = refusal(import_people, workspace, stream)
    assert "file: not a UTF-8 text file: " + message in report


def test_the_roadmap_reads_utf16_with_a_byte_order_mark(workspace):
    text = roadmap.decode("key\ttitle\nR-1\tBank feeds\n".encode("utf-16"))
    assert roadmap.import_roadmap(workspace, text).created == 1


@pytest.mark.parametrize(
    "text, message",
    [
        ("key,title\nA-1,Nul\x00here\n", "line 2: holds a NUL character"),
        ("key,title\nA-1,ok\nA-2,\ud800\n", "line 3: holds a lone surrogate (U+D800)"),
        ("key,title,points\nA-1,Big," + "9" * 5000 + "\n", "line 2: points '99999"),
    ],
)
def test_text_no_database_can_store_is_a_row_error(workspace, text, message):
    report = refusal(import_work_items, workspace, io.StringIO(text))
    assert message in report and len(report) < 300
    assert not WorkItem.objects.exists()


@pytest.mark.parametrize(
    "text, message",
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('[{"number": ' + "7" * 5000 + "}]", "a number too long to read"),
        ('[{"number": 1, "title": "\\ud800"}]', "item [0] (#1): title holds a lone surrogate"),
        ('[{"number": 1, "title": "a\\u0000b"}]', "item [0] (#1): title holds a NUL character"),
        ('[{"number": [1], "title": "x"}]', "item [0]: its number is not an issue number"),
    ],
)
def test_json_that_cannot_be_read_is_refused(workspace, text, message):
    for file_format in ("github-json", "auto"):
        report = refusal(import_work_items, workspace, io.StringIO(text), file_format=file_format)
        assert message in report
    assert not WorkItem.objects.exists()
