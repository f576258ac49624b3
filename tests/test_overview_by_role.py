"""The overview offers each role only what it can do: a viewer is not told to import work."""

import pytest


@pytest.mark.parametrize(
    "role, link",
    [("editor", "Import or see work items"), ("viewer", "See the work items")],
)
def test_the_no_work_yet_link_is_worded_for_the_role(client_for, users, role, link):
    page = client_for(role).get("/w/acme/").content.decode()
    assert f">{link}</a>" in page
    if role == "viewer":
        assert "Import or see" not in page
