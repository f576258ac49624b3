"""Updates written through /api/v1/ as on their pages: open a draft for a period, write its
texts, gather its facts again, publish it (refused, with each broken rule, when a version would
promise what is not promised) or delete it; a published update stays as it was."""

import pytest

from tests.api import caller
from truenorth.updates.models import Update

API = "/api/v1/workspaces/acme/updates"


@pytest.fixture
def call(client, users):
    return caller(client, users, API)


def test_a_draft_is_opened_written_refused_then_published(workspace, strategy, users, call):
    opened = call("post", body={"start": "2026-11-01", "end": "2026-11-30"})
    assert opened.status_code == 201, opened.json()
    draft = opened.json()
    assert (draft["number"], draft["title"], draft["published"]) == (1, "November 2026", False)
    promising = "A good month. Internal initiative will ship in March."
    written = call("patch", "/1", {"narrative": promising}).json()
    assert (written["narrative"], written["partner_note"]) == (promising, "")
    assert any(
        "presents “Internal initiative” (planned) as a promise" in p for p in written["problems"]
    )
    refused = call("post", "/1/publish", {})
    assert refused.status_code == 409 and refused.json()["title"] == "Not published"
    assert refused.json()["errors"][0]["message"] == written["problems"][0]
    assert not Update.objects.get().is_published
    call("patch", "/1", {"narrative": "A good month: the close is faster."})
    assert call("post", "/1/gather").json()["gathered_at"] >= written["gathered_at"]
    published = call("post", "/1/publish", {})
    assert published.status_code == 200, published.json()
    assert published.json()["published"] is True and published.json()["sendings"] == []
    for method, path in (("patch", "/1"), ("post", "/1/publish"), ("post", "/1/gather")):
        assert call(method, path, {}).status_code == 409
    assert call("delete", "/1").status_code == 409


def test_a_named_period_and_a_mistaken_draft_deleted(workspace, users, call):
    opened = call("post", body={"period": "last_week", "title": "Week 48"}).json()
    assert opened["title"] == "Week 48"
    assert call("delete", f"/{opened['number']}").status_code == 204
    assert call("delete", f"/{opened['number']}").status_code == 404
    assert not Update.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"start": "2026-11-30", "end": "2026-11-01"},  # ends before it starts
        {"start": "2025-01-01", "end": "2026-11-30"},  # more than a year
        {"start": "2026-11-01"},  # custom needs both
        {"period": "someday"},
    ],
)
def test_a_bad_period_is_a_400_and_opens_nothing(workspace, users, call, body):
    assert call("post", body=body).status_code == 400
    assert not Update.objects.exists()


def test_only_owners_and_editors_write_updates(workspace, users, call):
    body = {"period": "last_month"}
    for role in ("member", "viewer", "partner"):
        assert call("post", body=body, role=role).status_code == 403
    assert call("post", body=body, scope="read").status_code == 403
    assert not Update.objects.exists()
