"""The feedback pages: the list with its filters, count line, JSON twin and CSV export; adding a
field note; one item, edited and deleted; who may do what."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from truenorth.feedback.export import money
from truenorth.feedback.models import FeedbackItem, Kind, Source
from truenorth.workspaces.models import Person

INSIDE = ["owner", "editor", "member", "viewer"]
PAGES = ["/w/acme/feedback/", "/w/acme/feedback.json", "/w/acme/feedback.csv"]


def item(workspace, text, **fields) -> FeedbackItem:
    defaults = {
        "source": Source.ZENDESK,
        "source_key": f"key-{FeedbackItem.objects.count()}",
        "kind": Kind.REQUEST,
        "received_on": date(2026, 10, 1),
    }
    return FeedbackItem.objects.create(workspace=workspace, text=text, **(defaults | fields))


@pytest.fixture
def feedback(workspace, users):
    editor = Person.objects.get(email="editor@acme.test")
    return {
        "slack": item(
            workspace,
            "We need to approve invoices from Slack.",
            account="Northwind",
            segment="Enterprise",
            account_value=Decimal("120000"),
            received_on=date(2026, 9, 2),
        ),
        "slack_again": item(
            workspace,
            "Approvals in Slack, please; nobody opens the app.",
            account="Northwind",
            segment="Enterprise",
            account_value=Decimal("120000"),
            received_on=date(2026, 10, 5),
        ),
        "price": item(
            workspace,
            '=HYPERLINK("http://evil.test") Too expensive next to Bill.com.',
            source=Source.FIELD,
            kind=Kind.COMPARISON,
            competitor="Bill.com",
            account="Globex",
            segment="SMB",
            account_value=Decimal("9000"),
            heard_by=editor,
            received_on=date(2026, 11, 20),
        ),
        "review": item(
            workspace,
            "Crashes when I attach a PDF.",
            source=Source.APP_REVIEW,
            kind=Kind.PROBLEM,
            rating=2,
            received_on=date(2026, 11, 21),
        ),
    }


@pytest.mark.parametrize("role", INSIDE)
def test_everyone_inside_reads_the_list_its_twins_and_an_item(client_for, feedback, role):
    client = client_for(role)
    for path in PAGES + [f"/w/acme/feedback/{feedback['slack'].pk}/"]:
        assert client.get(path).status_code == 200, path


def test_partners_get_nothing_of_it_and_no_link(client_for, feedback):
    client = client_for("partner")
    pk = feedback["slack"].pk
    paths = PAGES + [f"/w/acme/feedback/{pk}/", f"/w/acme/feedback/{pk}/edit/"]
    paths += ["/w/acme/feedback/new/"]
    for path in paths:
        assert client.get(path).status_code == 403, path
    assert client.post(f"/w/acme/feedback/{pk}/delete/").status_code == 403
    assert client.post("/w/acme/feedback/new/", {"text": "x"}).status_code == 403
    roadmap = client.get("/w/acme/roadmap/").content.decode()
    assert "/w/acme/feedback/" not in roadmap
    assert FeedbackItem.objects.filter(pk=pk).exists()


def test_the_nav_links_to_it_for_readers_inside(client_for, feedback):
    page = client_for("viewer").get("/w/acme/goals/").content.decode()
    assert '<a href="/w/acme/feedback/">Feedback</a>' in page


@pytest.mark.parametrize("role", ["member", "viewer"])
def test_readers_cannot_add_edit_or_delete(client_for, feedback, role):
    client = client_for(role)
    pk = feedback["slack"].pk
    assert client.get("/w/acme/feedback/new/").status_code == 403
    assert client.post("/w/acme/feedback/new/", {"text": "Hi"}).status_code == 403
    assert client.post(f"/w/acme/feedback/{pk}/edit/", {"text": "Hi"}).status_code == 403
    assert client.post(f"/w/acme/feedback/{pk}/delete/").status_code == 403
    page = client.get("/w/acme/feedback/").content.decode()
    assert "Add a field note" not in page
    assert FeedbackItem.objects.get(pk=pk).text == feedback["slack"].text


def test_the_list_is_newest_first_with_a_count_in_plain_words(client_for, feedback):
    page = client_for("member").get("/w/acme/feedback/").content.decode()
    texts = ["Crashes when I attach", "Too expensive", "Approvals in Slack", "approve invoices"]
    places = [page.index(text) for text in texts]
    assert places == sorted(places)
    # Northwind's value counts once, however many items it has: 120,000 + 9,000.
    assert "4 items from 2 accounts, worth 129K a year," in page
    assert "heard between 2 Sep 2026 and 21 Nov 2026." in page
    assert "Bill.com" in page and "Editor" in page and "Enterprise" in page


def test_money_reads_as_people_say_it():
    assert money(Decimal("4200000")) == "4.2M"
    assert money(Decimal("129000")) == "129K"
    assert money(Decimal("1200")) == "1,200"
    assert money(Decimal("3000000000")) == "3B"
    assert money(None) == ""


@pytest.mark.parametrize(
    "query, expected",
    [
        ("source=field", {"price"}),
        ("kind=problem", {"review"}),
        ("segment=enterprise", {"slack", "slack_again"}),
        ("account=north", {"slack", "slack_again"}),
        ("since=2026-10-01&until=2026-11-20", {"slack_again", "price"}),
        ("since=2026-11-21", {"review"}),
        ("source=zendesk&account=globex", set()),
    ],
)
def test_the_filters_give_the_same_items_on_the_page_and_its_twins(
    client_for, feedback, query, expected
):
    client = client_for("viewer")
    data = client.get(f"/w/acme/feedback.json?{query}").json()
    names = {name for name, row in feedback.items() if row.pk in {i["id"] for i in data["items"]}}
    assert names == expected
    assert data["count"] == len(expected)
    rows = list(csv.DictReader(io.StringIO(client.get(f"/w/acme/feedback.csv?{query}").text)))
    assert {row["source_key"] for row in rows} == {feedback[n].source_key for n in expected}
    page = client.get(f"/w/acme/feedback/?{query}").content.decode()
    for name, row in feedback.items():
        assert (f"/w/acme/feedback/{row.pk}/" in page) == (name in expected), name
    if not expected:
        assert 'id="no-feedback"' in page and "No feedback matches" in page


def test_the_date_range_is_said_in_the_count(client_for, feedback):
    page = client_for("viewer").get("/w/acme/feedback/?since=2026-10-01").content.decode()
    assert "3 items from 2 accounts, worth 129K a year, heard since 1 Oct 2026." in page


def test_the_json_twin_pages_through_every_item(client_for, workspace):
    for n in range(120):
        item(workspace, f"Need {n}", received_on=date(2026, 1, 1) + timedelta(days=n))
    client = client_for("member")
    seen, url, pages = [], "/w/acme/feedback.json?kind=request", 0
    while url:
        data = client.get(url).json()
        seen += [row["text"] for row in data["items"]]
        url, pages = data["next"], pages + 1
    assert pages == 3 == data["pages"] and data["count"] == 120
    assert seen == [f"Need {n}" for n in reversed(range(120))]
    page = client.get("/w/acme/feedback/?kind=request&page=3").content.decode()
    assert "Page 3 of 3 (120 items)" in page and "Need 0" in page and "Need 20" not in page


def test_the_export_holds_every_matching_item_and_runs_no_formula(client_for, feedback):
    response = client_for("member").get("/w/acme/feedback.csv")
    assert response["Content-Disposition"] == 'attachment; filename="acme-feedback.csv"'
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 4
    price = next(row for row in rows if row["competitor"] == "Bill.com")
    assert price["text"].startswith("'=HYPERLINK")
    assert price["heard_by"] == "Editor" and price["account_value"] == "9000.00"


def test_empty_list_says_how_to_add_or_import(client_for, workspace, users):
    editor = client_for("editor").get("/w/acme/feedback/").content.decode()
    assert 'id="no-feedback"' in editor and "truenorth import feedback" in editor
    assert 'href="/w/acme/feedback/new/"' in editor
    viewer = client_for("viewer").get("/w/acme/feedback/").content.decode()
    assert 'id="no-feedback"' in viewer and 'href="/w/acme/feedback/new/"' not in viewer


def test_an_editor_adds_a_field_note(client_for, workspace, users):
    client = client_for("editor")
    form = client.get("/w/acme/feedback/new/")
    editor = Person.objects.get(email="editor@acme.test")
    assert form.context["form"]["heard_by"].value() == editor.pk
    assert form.context["form"]["received_on"].value() == timezone.localdate()
    kinds = [value for value, _ in form.context["form"].fields["kind"].choices]
    assert kinds == ["objection", "request", "comparison", "need", "problem"]
    response = client.post(
        "/w/acme/feedback/new/",
        {
            "kind": "comparison",
            "text": "Bill.com approves from Slack already.",
            "account": "Initech",
            "segment": "Mid-market",
            "account_value": "45000",
            "received_on": "2026-11-02",
            "heard_by": editor.pk,
            "competitor": "Bill.com",
        },
    )
    note = FeedbackItem.objects.get(account="Initech")
    assert response.status_code == 302 and response["Location"] == f"/w/acme/feedback/{note.pk}/"
    assert note.source == Source.FIELD and note.source_key.startswith("field-")
    assert len(note.source_key) == len("field-") + 32
    assert note.created_by == users["editor"] and note.heard_by == editor
    assert note.account_value == Decimal("45000")
    page = client.get(f"/w/acme/feedback/{note.pk}/").content.decode()
    assert "Bill.com approves from Slack already." in page and "Compared with" in page


@pytest.mark.parametrize(
    "change, field",
    [
        ({"kind": "comparison", "competitor": ""}, "competitor"),
        ({"kind": "praise"}, "kind"),  # not a field note's kind
        ({"text": ""}, "text"),
        ({"received_on": "2026-02-30"}, "received_on"),
        ({"received_on": "2999-01-01"}, "received_on"),
        ({"account_value": "-5"}, "account_value"),
        ({"account_value": "1e400"}, "account_value"),
        ({"heard_by": "99999999999999999999"}, "heard_by"),
    ],
)
def test_a_bad_field_note_is_a_400_naming_the_field(client_for, workspace, users, change, field):
    client = client_for("editor")
    client.raise_request_exception = True
    good = {"kind": "need", "text": "Month end takes a week.", "received_on": "2026-11-02"}
    response = client.post("/w/acme/feedback/new/", good | change)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert 'class="field invalid"' in response.content.decode()
    assert not FeedbackItem.objects.exists()


def test_a_person_outside_the_organisation_cannot_have_heard_it(client_for, workspace, users):
    partner = Person.objects.get(email="partner@acme.test")
    response = client_for("owner").post(
        "/w/acme/feedback/new/",
        {
            "kind": "need",
            "text": "Faster close.",
            "received_on": "2026-11-02",
            "heard_by": partner.pk,
        },
    )
    assert response.status_code == 400 and "heard_by" in response.context["form"].errors


def test_an_editor_edits_and_deletes_an_item(client_for, feedback):
    client = client_for("editor")
    review = feedback["review"]
    page = client.get(f"/w/acme/feedback/{review.pk}/").content.decode()
    assert (
        f'action="/w/acme/feedback/{review.pk}/delete/"' in page and "csrfmiddlewaretoken" in page
    )
    edit = client.get(f"/w/acme/feedback/{review.pk}/edit/")
    assert "importing it again overwrites each field" in edit.content.decode()
    response = client.post(
        f"/w/acme/feedback/{review.pk}/edit/",
        {"kind": "praise", "text": "Love it now.", "received_on": "2026-11-21", "segment": "SMB"},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.kind, review.text, review.segment) == ("praise", "Love it now.", "SMB")
    assert review.source == Source.APP_REVIEW and review.rating == 2  # not on the form: kept
    assert client.get(f"/w/acme/feedback/{review.pk}/delete/").status_code == 405
    assert client.post(f"/w/acme/feedback/{review.pk}/delete/").status_code == 302
    assert not FeedbackItem.objects.filter(pk=review.pk).exists()
    assert client.get(f"/w/acme/feedback/{review.pk}/").status_code == 404


def test_a_saved_or_deleted_note_leaves_the_themes_grouped(
    client_for, feedback, workspace, theme_computations
):
    from truenorth.feedback.themes import theme_figures

    client = client_for("editor")
    note = {"kind": "request", "text": "Approve from Teams too.", "received_on": "2026-11-02"}
    assert client.post("/w/acme/feedback/new/", note).status_code == 302
    assert theme_computations == [workspace.pk]
    assert theme_figures(workspace)["items"] == 5 and len(theme_computations) == 1
    assert client.post(f"/w/acme/feedback/{feedback['review'].pk}/delete/").status_code == 302
    assert theme_figures(workspace)["items"] == 4 and len(theme_computations) == 2


def test_an_item_of_another_workspace_is_not_found(client_for, feedback):
    from truenorth.workspaces.models import Workspace

    other = Workspace.objects.create(name="Other", slug="other")
    theirs = item(other, "Theirs.")
    client = client_for("owner")
    assert client.get(f"/w/acme/feedback/{theirs.pk}/").status_code == 404
    assert client.post(f"/w/acme/feedback/{theirs.pk}/delete/").status_code == 404
    assert FeedbackItem.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize(
    "query",
    [
        "account=" + "x" * 5000,
        "account=a%00b",
        "segment=" + "s" * 101,
        "source=jira",
        "kind=<script>",
        "since=2026-13-01",
        "since=99999999999999999999",
        "since=2026-11-01&until=2026-10-01",
        "until=0000-01-01",
    ],
)
@pytest.mark.parametrize("path", PAGES)
def test_a_bad_query_is_a_clear_400(client_for, feedback, query, path):
    client = client_for("viewer")
    client.raise_request_exception = True
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    if path.endswith(".json"):
        assert response.json()["error"].startswith("Bad filter: ")
    else:
        assert "Bad filter: " in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ["page=99999999999999999999", "page=-1", "page=%C2%B2", "page=abc", "x=" + "y" * 20000],
)
@pytest.mark.parametrize("path", PAGES[:2])
def test_an_odd_page_or_unknown_parameter_is_the_first_or_last_page(
    client_for, feedback, query, path
):
    client = client_for("viewer")
    client.raise_request_exception = True
    assert client.get(f"{path}?{query}").status_code == 200


@pytest.mark.parametrize("path", ["/w/acme/feedback/99999999999999999999/", "/w/acme/feedback/0/"])
def test_a_huge_or_missing_id_is_not_found(client_for, feedback, path):
    client = client_for("owner")
    client.raise_request_exception = True
    assert client.get(path).status_code == 404
