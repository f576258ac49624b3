"""Writing the glossary through /api/v1/ as its pages do: add and change a term with each
function's own definition, archive, restore and delete it; the term form refuses the same
things. And a NUL character anywhere in a JSON body is a 400 naming the field, never a 500."""

import pytest

from tests.api import caller
from truenorth.api.models import ApiToken
from truenorth.glossary.forms import MAX_DEFINITION_CHARS
from truenorth.glossary.models import Definition, Term

API = "/api/v1/workspaces/acme"


@pytest.fixture
def call(client, users):
    return caller(client, users, API)


def owner_id(workspace, name="Editor") -> int:
    return workspace.people.get(name=name).pk


def test_a_term_is_added_with_its_definitions_and_changed_in_place(workspace, users, call):
    churn = call("post", "/terms", {"name": "churn", "canonical_definition": "Accounts lost."})
    body = {
        "name": "  customer ",
        "canonical_definition": "An organisation with a paid contract.",
        "owner": owner_id(workspace),
        "related": [churn.json()["id"]],
        "definitions": {"sales": "Anyone who signed.", "finance": "Whoever we invoice."},
    }
    made = call("post", "/terms", body)
    assert made.status_code == 201, made.json()
    term = made.json()
    assert (term["name"], term["owner"], term["related"]) == (
        "customer",
        "Editor",
        [{"id": churn.json()["id"], "name": "churn"}],
    )
    assert term["definitions"] == {"sales": "Anyone who signed.", "finance": "Whoever we invoice."}
    changed = call(
        "patch",
        f"/terms/{term['id']}",
        {"canonical_definition": "An organisation that pays us.", "definitions": {"sales": ""}},
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["canonical_definition"] == "An organisation that pays us."
    assert changed.json()["definitions"] == {"finance": "Whoever we invoice."}
    assert changed.json()["related"] == term["related"]  # not sent, kept
    assert Definition.objects.get(function="finance").written_by == users["editor"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Churn", "canonical_definition": "Again."}, "name"),  # any case
        ({"name": "ARR", "canonical_definition": "Yearly.", "owner": "partner"}, "owner"),
        ({"name": "ARR", "canonical_definition": "Yearly.", "related": [2**63]}, "related"),
        (
            {"name": "ARR", "canonical_definition": "Yearly.", "definitions": {"partner": "x"}},
            "definitions",
        ),
        ({"name": "ARR", "canonical_definition": "Year\x00ly."}, "canonical_definition"),
        (
            {"name": "ARR", "canonical_definition": "Yearly.", "definitions": {"sales": "\x00"}},
            "definitions.sales",
        ),
    ],
)
def test_what_the_form_refuses_is_a_400_and_nothing_is_saved(workspace, users, call, body, field):
    call("post", "/terms", {"name": "churn", "canonical_definition": "Accounts lost."})
    if body.get("owner") == "partner":
        body = {**body, "owner": owner_id(workspace, "Partner")}
    answer = call("post", "/terms", body)
    assert answer.status_code == 400, answer.json()
    assert answer.json()["field"] == field, answer.json()
    assert list(Term.all_objects.values_list("name", flat=True)) == ["churn"]


def test_archive_restore_and_delete_as_on_the_page(workspace, users, call):
    term = call("post", "/terms", {"name": "churn", "canonical_definition": "Lost."}).json()
    path = f"/terms/{term['id']}"
    assert call("post", f"{path}/archive").json()["archived"] is True
    assert call("post", f"{path}/archive").status_code == 409
    assert call("patch", path, {"name": "attrition"}).status_code == 409
    assert call("get", "/terms", role="member").json()["count"] == 0
    assert call("post", f"{path}/restore").json()["archived"] is False
    assert call("post", f"{path}/restore").status_code == 409
    assert call("delete", path, role="member").status_code == 403
    assert call("delete", path).status_code == 204
    assert call("delete", path).status_code == 404


def test_members_and_read_tokens_cannot_write(workspace, users, call):
    body = {"name": "churn", "canonical_definition": "Lost."}
    assert call("post", "/terms", body, role="member").status_code == 403
    assert call("post", "/terms", body, role="partner").status_code == 403
    assert call("post", "/terms", body, scope="read").status_code == 403
    assert not Term.all_objects.exists()


def test_a_nul_anywhere_in_a_body_names_its_field(workspace, users, call, client):
    sent = {
        "source": "zendesk",
        "items": [{"key": "1", "text": "a\x00b", "received_on": "2026-03-02"}],
    }
    answer = call("post", "/feedback", sent)
    assert (answer.status_code, answer.json()["field"]) == (400, "items.0.text")
    assert answer.json()["detail"] == "items.0.text: Null characters are not allowed."
    deep = {"statement": [[[[["\x00"]]]]] * 2}
    assert call("post", "/vision/versions", deep).json()["field"] == "statement.0.0.0.0.0"
    nested = '{"a": ' * 900 + '"\\u0000"' + "}" * 900  # read to the bottom, without recursion
    found = client_post(client, users, "/vision/versions", nested).json()
    assert found["field"] == ".".join(["a"] * 900)
    too_deep = '{"a": ' * 5000 + '"\\u0000"' + "}" * 5000  # for any JSON reader
    assert client_post(client, users, "/vision/versions", too_deep).status_code == 400


def client_post(client, users, path, raw: str):
    _, token = ApiToken.issue(users["editor"], "raw", "write")
    return client.post(
        f"{API}{path}",
        data=raw,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_a_body_over_the_servers_limit_is_a_413_saying_so(workspace, users, call, settings):
    item = {"key": "1", "text": "x" * 1000, "received_on": "2026-03-02"}
    sent = {"source": "zendesk", "items": [item] * 3000}  # about 3 MB
    answer = call("post", "/feedback", sent)
    assert answer.status_code == 413
    assert answer.json()["detail"] == (
        f"A body holds at most {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes: send fewer items "
        "at a time."
    )


def test_a_canonical_definition_past_the_form_limit_is_a_400_naming_it(
    workspace, users, call, client
):
    """A 200,000-character paste was saved; the page's form and the API now share one limit."""
    term = call("post", "/terms", {"name": "churn", "canonical_definition": "Lost."}).json()
    pasted = "x" * 200_000
    for answer in (
        call("patch", f"/terms/{term['id']}", {"canonical_definition": pasted}),
        call("post", "/terms", {"name": "ARR", "canonical_definition": pasted}),
    ):
        assert answer.status_code == 400, answer.json()
        assert answer.json()["field"] == "canonical_definition"
        assert f"at most {MAX_DEFINITION_CHARS} characters" in answer.json()["detail"]
    client.force_login(users["editor"])
    page = client.post(
        f"/w/acme/glossary/{term['id']}/edit/", {"name": "churn", "canonical_definition": pasted}
    )
    assert page.status_code == 400
    assert f"at most {MAX_DEFINITION_CHARS:,} characters (this one has 200000)" in (
        page.content.decode()
    )
    fits = call(
        "patch", f"/terms/{term['id']}", {"canonical_definition": "y" * MAX_DEFINITION_CHARS}
    )
    assert fits.status_code == 200, fits.json()
