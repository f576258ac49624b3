import csv
import itertools
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.db import transaction
from django.utils import timezone
from hypothesis import given

from tests.fuzzing import fuzz_profile
from tests.test_import_fuzz import mutated
from truenorth.cli import main
from truenorth.feedback.formats import html_words
from truenorth.feedback.imports import ImportFailed, import_feedback
from truenorth.feedback.models import FeedbackItem, Kind, Source

DATA = Path("tests/data/feedback")


def files(*names: str) -> list[tuple[str, bytes]]:
    return [(Path(name).name, (DATA / name).read_bytes()) for name in names]


def text_file(name: str, text: str) -> list[tuple[str, bytes]]:
    return [(name, text.encode())]


def test_it_imports_a_zendesk_export(workspace):
    result = import_feedback(workspace, files("zendesk.csv"), "zendesk")
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    item = FeedbackItem.objects.get(source=Source.ZENDESK, source_key="4101")
    assert item.title == "Export to Excel drops the totals row"
    assert item.text == (
        "When I export the quarterly report to Excel, the totals row is missing.\n"
        "We rebuild it by hand every month — please fix."
    )
    assert (item.account, item.segment, item.account_value) == (
        "Northwind",
        "Enterprise",  # "Plan [list]", a custom field
        Decimal("120000.00"),  # "ARR [dec]"
    )
    assert (item.received_on, item.kind) == (date(2026, 3, 2), Kind.PROBLEM)
    sso = FeedbackItem.objects.get(source_key="4102")
    assert (sso.received_on, sso.kind) == (date(2026, 3, 5), Kind.QUESTION)
    dark = FeedbackItem.objects.get(source_key="4103")
    assert (dark.kind, dark.account_value, dark.segment) == (Kind.NEED, None, "")


def test_a_zendesk_export_without_descriptions_quotes_the_subject(workspace):
    export = "Id,Subject,Created at,Organization\n77,Bulk edit for goals,2026-01-05,Acme\n"
    import_feedback(workspace, text_file("z.csv", export), "zendesk")
    item = FeedbackItem.objects.get()
    assert (item.title, item.text, item.account) == (
        "Bulk edit for goals",
        "Bulk edit for goals",
        "Acme",
    )


def test_it_imports_freshdesk_with_a_mapped_value_column(workspace):
    mapping = {"account_value": "Company ARR (USD)"}
    result = import_feedback(workspace, files("freshdesk.csv"), "freshdesk", mapping)
    assert result.created == 2
    invoices = FeedbackItem.objects.get(source=Source.FRESHDESK, source_key="201")
    assert invoices.text == (
        "Our invoices come in USD but we pay in EUR.\n"
        "Can the invoice currency follow the billing country?"
    )
    assert (invoices.account, invoices.account_value, invoices.kind) == (
        "Globex",
        Decimal("88000.00"),
        Kind.REQUEST,
    )
    crash = FeedbackItem.objects.get(source_key="202")
    assert "<" not in crash.text and "10 MB" in crash.text
    assert crash.kind == Kind.PROBLEM


def test_without_the_mapping_the_value_column_is_not_read(workspace):
    import_feedback(workspace, files("freshdesk.csv"), "freshdesk")
    assert FeedbackItem.objects.get(source_key="201").account_value is None


def test_it_imports_intercom_conversations(workspace):
    result = import_feedback(workspace, files("intercom.csv"), "intercom")
    assert result.created == 2
    first = FeedbackItem.objects.get(source=Source.INTERCOM, source_key="215467891234")
    assert (first.account, first.received_on) == ("Umbrella", date(2026, 1, 20))
    assert first.text.startswith("Hi! Is there a way")
    slack = FeedbackItem.objects.get(source_key="215467891301")
    assert (slack.title, slack.received_on) == ("Slack", date(2026, 1, 21))  # a Unix time


def test_it_imports_zendesks_full_csv_export(workspace):
    """Zendesk's own header, in its order: no description, custom fields as "Title [type]"."""
    result = import_feedback(workspace, files("zendesk_export.csv"), "zendesk")
    assert (result.created, result.skipped) == (3, 0)
    excel = FeedbackItem.objects.get(source=Source.ZENDESK, source_key="5201")
    assert (excel.title, excel.text) == ("Export to Excel drops the totals row",) * 2
    assert (excel.account, excel.segment, excel.account_value) == (
        "Northwind",
        "Enterprise",
        Decimal("120000.00"),
    )
    assert (excel.received_on, excel.kind) == (date(2026, 3, 2), Kind.PROBLEM)
    sso = FeedbackItem.objects.get(source_key="5202")
    assert (sso.account, sso.segment, sso.kind) == ("Contoso", "Business", Kind.QUESTION)
    dark = FeedbackItem.objects.get(source_key="5203")  # no organization, no custom fields
    assert (dark.account, dark.segment, dark.account_value) == ("", "", None)
    assert dark.received_on == date(2026, 3, 9)


def test_it_imports_freshdesks_ticket_export(workspace):
    """Freshdesk's labels ("Ticket Id", "Created Time"), then the contact's and the company's
    fields; the company's "Account tier" is the segment."""
    result = import_feedback(workspace, files("freshdesk_export.csv"), "freshdesk")
    assert result.created == 2
    invoices = FeedbackItem.objects.get(source=Source.FRESHDESK, source_key="301")
    assert invoices.text.startswith("Our invoices come in USD but we pay in EUR.")
    assert (invoices.title, invoices.account, invoices.segment) == (
        "Invoices in the wrong currency",
        "Globex",
        "Enterprise",
    )
    assert (invoices.received_on, invoices.kind) == (date(2026, 2, 11), Kind.REQUEST)
    crash = FeedbackItem.objects.get(source_key="302")
    assert (crash.account, crash.segment, crash.kind) == ("Initech", "Basic", Kind.PROBLEM)
    assert crash.received_on == date(2026, 2, 14)  # created, not resolved or updated


def test_it_imports_an_intercom_conversation_export(workspace):
    """One row per conversation: the first message, the author's company, the conversation's
    id and start."""
    result = import_feedback(workspace, files("intercom_export.csv"), "intercom")
    assert result.created == 2
    goals = FeedbackItem.objects.get(source=Source.INTERCOM, source_key="215467891234")
    assert goals.text == (
        "Is there a way to see which goals each team contributes to, in one page?"
    )
    assert (goals.account, goals.received_on) == ("Umbrella", date(2026, 1, 20))
    slack = FeedbackItem.objects.get(source_key="215467891301")
    assert (slack.account, slack.received_on) == ("Hooli", date(2026, 1, 21))
    assert not FeedbackItem.objects.filter(source_key__in=["1401", "1402"]).exists()


def test_it_imports_google_play_reviews_in_utf16(workspace):
    result = import_feedback(workspace, files("reviews_play.csv"), "reviews")
    assert (result.created, result.skipped) == (2, 1)  # the third is stars without words
    slow = FeedbackItem.objects.get(source=Source.APP_REVIEW, source_key="gp:AOqpTOF1")
    assert (slow.rating, slow.received_on, slow.kind) == (2, date(2026, 4, 1), Kind.NEED)
    assert slow.url.startswith("https://play.google.com/console/")
    assert FeedbackItem.objects.get(source_key="gp:AOqpTOF2").title == "Great"


def test_it_imports_plain_reviews(workspace):
    import_feedback(workspace, files("reviews.csv"), "reviews")
    offline = FeedbackItem.objects.get(source_key="r-2")
    assert (offline.text, offline.rating) == ("Please add an offline mode for flights.", 4)


def test_it_imports_field_notes(workspace, users):
    result = import_feedback(workspace, files("field.csv"), "field")
    assert result.created == 3
    comparison = FeedbackItem.objects.get(source=Source.FIELD, kind=Kind.COMPARISON)
    assert (comparison.competitor, comparison.heard_by.email) == ("Lattice", "owner@acme.test")
    assert comparison.account_value == Decimal("60000.00")
    # heard_by may name the person instead of giving their email
    assert FeedbackItem.objects.get(kind=Kind.REQUEST).heard_by.name == "Member"


def test_a_bad_file_names_every_bad_row_and_imports_nothing(workspace, users):
    with pytest.raises(ImportFailed) as failed:
        import_feedback(workspace, files("field_bad.csv"), "field")
    problems = {error.line: error.message for error in failed.value.errors}
    assert sorted(problems) == [3, 4, 5, 6, 7, 8]
    assert "text is empty" in problems[3]
    assert "'2026-02-31': there is no 31 February 2026" in problems[4]
    assert "'lots' is not a number" in problems[5]
    assert "must be zero or more" in problems[6]
    assert "no person with the email or name 'nobody@else.test'" in problems[7]
    assert "kind 'wish' is not one of" in problems[8]
    assert FeedbackItem.objects.count() == 0
    report = failed.value.report()
    assert report.startswith("Nothing imported: 6 problem(s).") and "line 8:" in report


def test_reimporting_updates_in_place(workspace, users):
    import_feedback(workspace, files("field.csv"), "field")
    again = import_feedback(workspace, files("field.csv"), "field")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)

    import_feedback(workspace, files("zendesk.csv"), "zendesk")
    before = FeedbackItem.objects.get(source_key="4102")
    changed = (DATA / "zendesk.csv").read_text().replace("Business,45000", "Enterprise,90000")
    result = import_feedback(workspace, text_file("zendesk.csv", changed), "zendesk")
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    after = FeedbackItem.objects.get(source_key="4102")
    assert after.pk == before.pk
    assert (after.segment, after.account_value) == ("Enterprise", Decimal("90000.00"))
    assert FeedbackItem.objects.filter(source=Source.ZENDESK).count() == 3


def test_reimporting_keeps_a_kind_an_editor_set_when_the_file_gives_none(workspace):
    import_feedback(workspace, files("zendesk.csv"), "zendesk")
    FeedbackItem.objects.filter(source_key="4103").update(kind=Kind.REQUEST)
    import_feedback(workspace, files("zendesk.csv"), "zendesk")  # "Task" says no kind
    assert FeedbackItem.objects.get(source_key="4103").kind == Kind.REQUEST


def test_the_same_key_in_two_sources_is_two_items(workspace):
    import_feedback(workspace, text_file("a.csv", "id,text,date\n1,Slow,2026-01-01\n"), "reviews")
    export = "Ticket ID,Subject,Created time\n1,Slow export,2026-01-02\n"
    import_feedback(workspace, text_file("f.csv", export), "freshdesk")
    assert FeedbackItem.objects.filter(source_key="1").count() == 2


def test_interview_notes_become_one_item_per_bullet_or_paragraph(workspace, users):
    result = import_feedback(
        workspace,
        files("interviews/2026-03-initech.md", "interviews/2026-03-hooli.md"),
        "interviews",
    )
    assert result.created == 4
    initech = FeedbackItem.objects.filter(account="Initech").order_by("source_key")
    assert [i.source_key for i in initech] == [
        "2026-03-initech.md#1",
        "2026-03-initech.md#2",
        "2026-03-initech.md#3",
    ]
    second = initech[1]
    assert second.text == (
        "Leadership wants to see, every Monday, whether the teams still agree on the top three "
        "priorities."
    )
    assert (second.kind, second.source, second.segment) == (
        Kind.NEED,
        Source.INTERVIEW,
        "Enterprise",
    )
    assert (second.received_on, second.account_value) == (date(2026, 3, 18), Decimal("250000.00"))
    assert second.heard_by.email == "owner@acme.test"
    hooli = FeedbackItem.objects.get(account="Hooli")  # "Notes:" labels, it is no item
    assert hooli.text.startswith("New managers feel unsure")


def test_an_interview_without_account_or_date_is_named(workspace):
    notes = "---\ndate: 2026-03-01\n---\n\n- Wants fewer meetings.\n"
    undated = "---\naccount: Acme\n---\n\n- Wants fewer meetings.\n"
    with pytest.raises(ImportFailed) as failed:
        import_feedback(
            workspace, [("a.md", notes.encode()), ("b.md", undated.encode())], "interviews"
        )
    assert [(e.where, e.message) for e in failed.value.errors] == [
        ("a.md", "the header has no account"),
        ("b.md", "the header has no date"),
    ]
    assert not FeedbackItem.objects.exists()


def test_a_missing_column_says_which_and_how_to_map_it(workspace):
    with pytest.raises(ImportFailed) as failed:
        import_feedback(workspace, text_file("x.csv", "id,words\n1,hello\n"), "reviews")
    message = failed.value.errors[0].message
    assert "missing column(s) for text" in message and "date" in message and "--map" in message


def test_a_mapped_column_must_be_in_the_file(workspace):
    with pytest.raises(ImportFailed, match="no column 'ARR' for account_value"):
        import_feedback(workspace, files("reviews.csv"), "reviews", {"account_value": "ARR"})


def test_a_repeated_key_is_an_error(workspace):
    export = "id,text,date\n1,One,2026-01-01\n1,Two,2026-01-02\n"
    with pytest.raises(ImportFailed, match="key '1' repeats line 2"):
        import_feedback(workspace, text_file("r.csv", export), "reviews")


def test_a_file_without_keys_is_keyed_by_its_words(workspace, users):
    export = "kind,text,date\nrequest,Bulk edit,2026-01-01\nproblem,Slow search,2026-01-02\n"
    first = import_feedback(workspace, text_file("f.csv", export), "field")
    again = import_feedback(workspace, text_file("f.csv", export), "field")
    assert (first.created, again.created, again.unchanged) == (2, 0, 2)


@pytest.mark.parametrize(
    "html, words",
    [
        ("<p>One</p><p>Two&amp;three</p>", "One\nTwo&three"),
        ("Line<br/>next <b>bold</b>", "Line\nnext bold"),
        ("<style>p{color:red}</style><div>Kept</div>", "Kept"),
        ("a < b and c > d", "a < b and c > d"),  # no tag: left as written
    ],
)
def test_html_keeps_the_words_and_drops_the_tags(html, words):
    assert html_words(html) == words


def test_the_cli_imports_a_folder_of_interviews(workspace, users):
    args = ["import", "feedback", str(DATA / "interviews"), "--format", "interviews", "-w", "acme"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "Imported 4 new and updated 0 feedback items from interview notes" in result.output


def test_the_cli_groups_the_themes_after_an_import(workspace, users, theme_computations):
    from truenorth.feedback.themes import theme_figures

    args = ["import", "feedback", str(DATA / "interviews"), "--format", "interviews", "-w", "acme"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert theme_computations == [workspace.pk]
    kept = theme_figures(workspace)  # what the import computed, read back
    assert theme_computations == [workspace.pk] and kept["items"] == 4
    line = f"Grouping the feedback into themes… 4 items in {len(kept['themes'])} themes.\n"
    assert result.output.endswith(line)


def test_the_cli_maps_columns_and_reports_unchanged(workspace):
    args = ["import", "feedback", str(DATA / "freshdesk.csv"), "--format", "freshdesk"]
    args += ["-w", "acme", "--map", "account_value=Company ARR (USD)"]
    assert CliRunner().invoke(main, args).exit_code == 0
    result = CliRunner().invoke(main, args)
    assert "Imported 0 new and updated 0 feedback items from Freshdesk (2 unchanged)" in (
        result.output
    )
    assert FeedbackItem.objects.get(source_key="201").account_value == 88000


def test_the_cli_exits_non_zero_with_the_row_errors(workspace, users):
    args = ["import", "feedback", str(DATA / "field_bad.csv"), "--format", "field", "-w", "acme"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "Nothing imported: 6 problem(s)." in result.output
    assert "line 8: kind 'wish'" in result.output
    assert not FeedbackItem.objects.exists()


WIDE = "a comma inside a value needs the value in double quotes"


def field_notes_with_a_wide_row() -> str:
    """13 good rows under a 9-column header, then line 15 with two commas not in quotes."""
    header = "kind,title,text,account,segment,account_value,date,heard_by,competitor\n"
    good = "".join(
        f"request,Note {n},Wants an export {n},Initech,Enterprise,1000,2026-04-10,,\n"
        for n in range(13)
    )
    wide = "objection,Price,Too dear, slow, and late,Quayside Logistics,SMB,5000,2026-04-11,,\n"
    return header + good + wide


def test_a_row_wider_than_its_header_says_so_not_that_a_value_is_wrong(workspace, tmp_path):
    bad = tmp_path / "fb_bad.csv"
    bad.write_text(field_notes_with_a_wide_row())
    args = ["import", "feedback", str(bad), "--format", "field", "-w", "acme"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert f"line 15: the row has 11 values but the header has 9 columns: {WIDE}" in result.output
    assert "is not a number" not in result.output
    assert not FeedbackItem.objects.exists()
    # The same reader for several files: each file's line named.
    with pytest.raises(ImportFailed) as failed:
        import_feedback(
            workspace, [*text_file("a.csv", bad.read_text()), *files("field.csv")], "field"
        )
    assert failed.value.report().endswith(
        f"a.csv line 15: the row has 11 values but the header has 9 columns: {WIDE}"
    )


def test_empty_cells_past_the_header_are_still_read(workspace):
    text = "kind,text,account,date\nrequest,Wants an export,Initech,2026-04-10,,\n"
    assert import_feedback(workspace, text_file("f.csv", text), "field").created == 1


EVALDATA = Path(__file__).resolve().parents[2] / "shared" / "evaldata"
needs_evaldata = pytest.mark.skipif(not EVALDATA.exists(), reason="no shared/evaldata here")


@needs_evaldata
def test_it_imports_real_app_reviews(workspace, tmp_path):
    """The labelled reviews have an id and the text, no date: the test dates them."""
    source = EVALDATA / "app-reviews" / "dataset_unbalanced_4000.csv"
    with source.open(encoding="utf-8", newline="") as stream:
        records = list(itertools.islice(csv.DictReader(stream), 300))
    sample = tmp_path / "reviews.csv"
    with sample.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["ID", "review", "date"])
        writer.writerows([r["ID"], r["review"], "2026-01-01"] for r in records)
    args = ["import", "feedback", str(sample), "--format", "reviews", "-w", "acme"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert FeedbackItem.objects.filter(source=Source.APP_REVIEW).count() == 300
    first = FeedbackItem.objects.get(source_key=records[0]["ID"])
    assert first.text == records[0]["review"].strip()


FEEDBACK_FUZZ = fuzz_profile("feedback-import-fuzz", ci_examples=60)


@pytest.mark.parametrize(
    "file_format, name",
    [("zendesk", "zendesk.csv"), ("reviews", "reviews_play.csv"), ("field", "field.csv")]
    + [("interviews", "interviews/2026-03-initech.md")],
)
def test_a_mutated_file_imports_or_is_refused_with_its_own_error(
    workspace, users, file_format, name
):
    @FEEDBACK_FUZZ
    @given(data=mutated((DATA / name).read_bytes()))
    def imports_or_refuses(data):
        with transaction.atomic():
            before = FeedbackItem.objects.count()
            try:
                import_feedback(workspace, [(Path(name).name, data)], file_format)
            except ImportFailed:
                assert FeedbackItem.objects.count() == before
            transaction.set_rollback(True)

    imports_or_refuses()


def test_a_german_spreadsheets_thousands_are_thousands(workspace, users):
    export = (
        "kind;text;account;account_value;date\n"
        "request;Export to DATEV;Müller Logistik GmbH;95.000;2026-11-02\n"
        "request;SEPA direct debit;Schmidt AG;1.250.000;2026-11-02\n"
        "request;Approve from Slack;Globex;95,000;2026-11-02\n"
        "request;Cost centres;Klein KG;12.500,50;2026-11-02\n"
        "request;Dark mode;Tiny GmbH;95,5;2026-11-02\n"
    )
    import_feedback(workspace, text_file("de.csv", export), "field")
    values = dict(FeedbackItem.objects.values_list("account", "account_value"))
    assert values == {
        "Müller Logistik GmbH": Decimal("95000.00"),
        "Schmidt AG": Decimal("1250000.00"),
        "Globex": Decimal("95000.00"),
        "Klein KG": Decimal("12500.50"),
        "Tiny GmbH": Decimal("95.50"),
    }


def test_a_value_whose_separators_could_be_read_two_ways_is_refused(workspace, users):
    export = "kind,text,account_value,date\nrequest,Export,1234.567,2026-11-02\n"
    with pytest.raises(ImportFailed) as failed:
        import_feedback(workspace, text_file("v.csv", export), "field")
    [error] = failed.value.errors
    assert error.line == 2 and "account value '1234.567'" in error.message
    assert "could be read two ways" in error.message


def test_a_row_repeating_another_word_for_word_is_skipped_and_counted(workspace, users, tmp_path):
    row = "request,Bulk edit,Initech,2026-11-02\n"
    export = tmp_path / "f.csv"
    export.write_text(f"kind,text,account,date\n{row}{row}")
    args = ["import", "feedback", str(export), "--format", "field", "-w", "acme"]
    said = CliRunner().invoke(main, args)
    assert "Imported 1 new" in said.output
    assert "Skipped 1 rows repeating an earlier row word for word." in said.output
    assert FeedbackItem.objects.count() == 1
    differs = "kind,text,account,segment,date\n"
    differs += (
        "request,Bulk edit,Initech,SMB,2026-11-02\nrequest,Bulk edit,Initech,Mid,2026-11-02\n"
    )
    with pytest.raises(ImportFailed) as failed:
        import_feedback(workspace, text_file("f.csv", differs), "field")
    [error] = failed.value.errors
    assert (error.line, error.message) == (
        3,
        "it has the date, account and text of line 2 but a different segment: keep one of "
        "them, or add a key column to keep both",
    )
    assert "sha1" not in failed.value.report()


def test_a_customer_name_column_is_the_account(workspace):
    export = "Id,Text,Customer Name,Date\n1,Export to Excel,Initech,2026-11-02\n"
    import_feedback(workspace, text_file("c.csv", export), "reviews")
    assert FeedbackItem.objects.get().account == "Initech"


def test_a_nul_on_one_line_hides_no_other_bad_row(workspace, users):
    rows = [
        "request,Bulk\x00 edit,Initech,2026-11-02",
        "request,,Initech,2026-11-02",
        "request,Export,Initech,2026-02-31",
        "wish,Export,Initech,2026-11-02",
        "request,Export,Initech,",
        "request,Export,Initech,soon",
    ]
    export = "kind,text,account,date\n" + "\n".join(rows) + "\n"
    with pytest.raises(ImportFailed) as failed:
        import_feedback(workspace, text_file("n.csv", export), "field")
    problems = {error.line: error.message for error in failed.value.errors}
    assert sorted(problems) == [2, 3, 4, 5, 6, 7]
    assert problems[2] == "text holds a NUL character, which text cannot hold"


def test_a_field_note_refused_by_its_form_is_refused_by_the_import(workspace, users):
    tomorrow = date.fromordinal(timezone.localdate().toordinal() + 1)
    text = (
        "kind,text,account,date,heard_by,competitor\n"
        "request,Export the roadmap as a slide.,Globex,2026-04-15,Member,\n"
        f"request,Offline mode for the field team.,Hooli,{tomorrow},Member,\n"
        "comparison,Lattice does this in one place.,Initech,2026-04-12,Member,\n"
        "comparison,Lattice does this in one place.,Umbrella,2026-04-12,Member,Lattice\n"
    )
    with pytest.raises(ImportFailed) as failed:
        import_feedback(workspace, text_file("field.csv", text), "field")
    problems = {error.line: error.message for error in failed.value.errors}
    assert problems == {
        3: f"date {str(tomorrow)!r} is after today ({timezone.localdate()}): "
        "The date heard cannot be in the future.",
        4: "Name the competitor the customer compared us with.",
    }
    assert FeedbackItem.objects.count() == 0


def test_a_problem_said_as_a_sentence_ends_no_sentence_inside_a_row(workspace, users):
    tomorrow = date.fromordinal(timezone.localdate().toordinal() + 1)
    text = f"kind,text,account,date,account_value\nrequest,Offline.,Hooli,{tomorrow},lots\n"
    with pytest.raises(ImportFailed) as failed:
        import_feedback(workspace, text_file("field.csv", text), "field")
    [said] = [error.message for error in failed.value.errors]
    assert "cannot be in the future; " in said and ".;" not in said, said


def test_an_account_written_in_another_case_is_one_account_in_the_summary(workspace, users):
    from truenorth.feedback.export import summary

    text = (
        "kind,text,account,account_value,date,heard_by\n"
        "request,Export the roadmap as a slide.,Northwind Dental,95000,2026-04-15,Member\n"
        "need,They want approvals on the phone.,northwind dental ,,2026-04-16,Member\n"
        "objection,Too expensive for them.,Globex,9000,2026-04-17,Member\n"
    )
    import_feedback(workspace, text_file("field.csv", text), "field")
    found = summary(workspace.feedback.all())
    assert (found["accounts"], found["value"]) == (2, Decimal("104000"))
