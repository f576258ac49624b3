"""The alignment dashboard of a workspace with nothing measured yet.

Kept apart from the demo's tests: their module-wide demo owns logins this file's fixtures create.
"""


def test_an_empty_workspace_says_what_is_not_measured_yet(client_for, workspace):
    data = client_for("owner").get("/w/acme/alignment.json").json()
    assert data["checkin"] is None
    assert all(s["value"] is None for s in data["individual"])
    assert "No check-in with results yet" in data["individual"][0]["note"]
    assert data["market"][0]["value"] is None
    html = client_for("owner").get("/w/acme/alignment/").content.decode()
    assert "Not yet measured" in html
