"""What the API reads a write's body as: nothing at all is an empty object (`curl -X POST`),
and a body that is no JSON object is told what is wrong with it, where django-ninja would say
only "Cannot parse request body"."""

import pytest

from truenorth.api.models import ApiToken


def write_token(users) -> str:
    return ApiToken.issue(users["editor"], "test", "write")[1]


def test_an_api_write_with_no_body_at_all_reads_as_an_empty_object(workspace, users, client):
    """As `curl -X POST …` sends it: no content type, no length."""
    token = write_token(users)
    response = client.generic(
        "POST",
        "/api/v1/workspaces/acme/goals",
        b"",
        content_type="",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "title is missing"  # not "Send a JSON object"


@pytest.mark.parametrize(
    "body, said",
    [
        (
            b'{"title": "Grow", }',
            "The body is not JSON: Expecting property name enclosed in "
            "double quotes at line 1, column 19.",
        ),
        (b"[1, 2]", "Send a JSON object as the body."),
        (b'"Grow"', "Send a JSON object as the body."),
        (b'{"title": "\xff"}', "The body is not UTF-8 text: send JSON."),
    ],
)
def test_an_api_body_that_is_no_json_object_is_told_so(workspace, users, client, body, said):
    token = write_token(users)
    response = client.generic(
        "POST",
        "/api/v1/workspaces/acme/goals",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400 and response.json()["detail"] == said


def test_a_missing_field_is_said_in_the_words_an_empty_one_is(workspace, users, client):
    """A work item without its key reads "key is missing", beside "key is empty": not
    pydantic's "key: Field required"."""
    token = write_token(users)

    def refused(item: dict) -> dict:
        response = client.post(
            "/api/v1/workspaces/acme/work_items",
            {"source": "jira", "items": [item]},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        assert response.status_code == 400
        return response.json()

    missing, empty = refused({"title": "Retry"}), refused({"key": "", "title": "Retry"})
    assert missing["errors"] == [{"where": "items[0]", "message": "key is missing"}]
    assert empty["errors"] == [{"where": "items[0]", "message": "key is empty"}]
    assert "Field required" not in str(missing)


def test_several_problems_of_the_body_itself_are_placed_in_the_body_not_a_file(
    workspace, users, client
):
    """No file was sent: a problem of a field of the body had been placed in "file"."""
    response = client.post(
        "/api/v1/workspaces/acme/initiatives",
        {"title": 123, "target_date": "someday"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {write_token(users)}",
    )
    assert response.status_code == 400
    problems = response.json()["problems"]
    assert [p["where"] for p in problems] == ["body", "body"]
    assert problems[0]["text"] == "body: title 123 is not text"
