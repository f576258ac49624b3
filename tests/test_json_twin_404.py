"""A JSON twin asked for something that is not there answers a script in JSON, in words: never
get_object_or_404's "No WorkItem matches the given query.", which names a class."""

import pytest


@pytest.mark.parametrize(
    "path",
    [
        "/w/acme/work/999999.json",
        "/w/acme/decisions/999999.json",
        "/w/acme/glossary/999999.json",
        "/w/acme/work/import/999999.json",
    ],
)
def test_a_missing_object_reads_in_words(client_for, workspace, path):
    answer = client_for("editor").get(path, HTTP_ACCEPT="application/json")
    assert answer.status_code == 404
    said = answer.json()
    assert "matches the given query" not in str(said)
    assert said, "an empty answer says nothing"
