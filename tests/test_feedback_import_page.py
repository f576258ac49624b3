"""Importing feedback on its page: a desk's export in, every bad row named and nothing saved,
several interview notes at once; editors only."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from truenorth.feedback.models import FeedbackItem
from truenorth.feedback.themes import theme_figures

SAMPLES = Path(__file__).parent / "data" / "feedback"


def upload(name: str) -> SimpleUploadedFile:
    path = SAMPLES / name
    return SimpleUploadedFile(path.name, path.read_bytes())


def test_an_editor_imports_a_desks_export(client_for, workspace):
    sample = next(SAMPLES.glob("zendesk*.csv"))
    answer = client_for("editor").post(
        "/w/acme/feedback/import/",
        {"file_format": "zendesk", "files": [upload(sample.name)]},
        follow=True,
    )
    made = FeedbackItem.objects.filter(workspace=workspace, source="zendesk").count()
    assert answer.status_code == 200 and made > 0
    assert f"Imported Zendesk: {made} new, 0 updated, 0 unchanged." in answer.content.decode()


def test_several_interview_notes_at_once(client_for, workspace):
    notes = sorted(SAMPLES.glob("interviews/*.md"))
    assert len(notes) >= 2
    answer = client_for("editor").post(
        "/w/acme/feedback/import/",
        {"file_format": "interviews", "files": [upload(f"interviews/{n.name}") for n in notes]},
    )
    assert answer.status_code == 302
    found = FeedbackItem.objects.filter(workspace=workspace, source="interview")
    assert {key.split("#")[0] for key in found.values_list("source_key", flat=True)} == {
        n.name for n in notes
    }


def test_a_bad_file_names_its_rows_and_saves_nothing(client_for, workspace):
    bad = next(SAMPLES.glob("*bad*.csv"))
    answer = client_for("editor").post(
        "/w/acme/feedback/import/", {"file_format": "field", "files": [upload(bad.name)]}
    )
    assert answer.status_code == 400 and "Nothing imported" in answer.content.decode()
    assert "line " in answer.content.decode() and not FeedbackItem.objects.exists()


def test_a_form_without_a_file_or_with_a_bad_mapping_is_a_400(client_for):
    editor = client_for("editor")
    assert editor.post("/w/acme/feedback/import/", {"file_format": "zendesk"}).status_code == 400
    sample = next(SAMPLES.glob("zendesk*.csv"))
    answer = editor.post(
        "/w/acme/feedback/import/",
        {"file_format": "zendesk", "files": [upload(sample.name)], "mapping": "no equals"},
    )
    assert answer.status_code == 400 and "is not FIELD=COLUMN" in answer.content.decode()


def test_members_and_partners_cannot_import(client_for):
    for role in ("member", "viewer", "partner"):
        assert client_for(role).get("/w/acme/feedback/import/").status_code == 403


def test_an_import_groups_the_themes_before_any_page_asks(
    client_for, workspace, theme_computations
):
    editor = client_for("editor")
    bad = next(SAMPLES.glob("*bad*.csv"))
    editor.post("/w/acme/feedback/import/", {"file_format": "field", "files": [upload(bad.name)]})
    assert theme_computations == []  # nothing imported, nothing to group
    sample = next(SAMPLES.glob("zendesk*.csv"))
    answer = editor.post(
        "/w/acme/feedback/import/", {"file_format": "zendesk", "files": [upload(sample.name)]}
    )
    assert answer.status_code == 302 and answer["Location"] == "/w/acme/feedback/"
    assert theme_computations == [workspace.pk]
    made = FeedbackItem.objects.filter(workspace=workspace).count()
    kept = theme_figures(workspace)
    said = f"Grouped {made} items into {len(kept['themes'])} themes."
    assert kept["items"] == made and said in editor.get("/w/acme/feedback/").content.decode()
    page = editor.get("/w/acme/feedback/themes/")
    assert page.status_code == 200 and theme_computations == [workspace.pk]  # read, not computed


def test_without_the_model_the_import_lands_and_says_the_themes_wait(
    client_for, workspace, settings
):
    settings.EMBEDDING_ENGINE = "no-such-engine"  # as a server without the model answers
    sample = next(SAMPLES.glob("zendesk*.csv"))
    answer = client_for("editor").post(
        "/w/acme/feedback/import/",
        {"file_format": "zendesk", "files": [upload(sample.name)]},
        follow=True,
    )
    assert answer.redirect_chain == [("/w/acme/feedback/", 302)]
    assert FeedbackItem.objects.filter(workspace=workspace).exists()
    assert "The themes are not grouped yet: unknown embedding engine" in answer.content.decode()


def test_a_missing_column_points_to_the_pages_own_box(client_for):
    export = SimpleUploadedFile("x.csv", b"id,words,when\n1,hello,2026-11-02\n")
    answer = client_for("editor").post(
        "/w/acme/feedback/import/", {"file_format": "reviews", "files": [export]}
    )
    html = answer.content.decode()
    assert answer.status_code == 400 and "missing column(s) for text" in html
    assert "under “Columns of your own” on the import page" in html
    mapped = SimpleUploadedFile("x.csv", b"id,words,when\n1,hello,2026-11-02\n")
    answer = client_for("editor").post(
        "/w/acme/feedback/import/",
        {"file_format": "reviews", "files": [mapped], "mapping": "text=words\ndate=when"},
    )
    assert answer.status_code == 302 and FeedbackItem.objects.get().text == "hello"


def test_the_page_counts_rows_repeated_word_for_word(client_for, workspace):
    row = b"request,Bulk edit,Initech,2026-11-02,editor@acme.test\n"
    export = SimpleUploadedFile("f.csv", b"kind,text,account,date,heard_by\n" + row + row)
    answer = client_for("editor").post(
        "/w/acme/feedback/import/", {"file_format": "field", "files": [export]}, follow=True
    )
    assert (
        "Imported field notes: 1 new, 0 updated, 0 unchanged; 1 rows repeating an earlier row "
        "word for word skipped." in answer.content.decode()
    )


def test_a_row_wider_than_its_header_is_named_on_the_page(client_for, workspace):
    text = "kind,text,account,date\nrequest,Slow, clunky exports,Initech,2026-04-10\n"
    answer = client_for("editor").post(
        "/w/acme/feedback/import/",
        {"file_format": "field", "files": [SimpleUploadedFile("f.csv", text.encode())]},
    )
    page = answer.content.decode()
    assert answer.status_code == 400
    assert "the row has 5 values but the header has 4 columns" in page
    assert "a comma inside a value needs the value in double quotes" in page
    assert not FeedbackItem.objects.exists()
