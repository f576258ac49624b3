"""A decision's back-brief reading through /api/v1/ is the one its page and JSON twin give the
same role: owners, editors and viewers (who see check-in results), nobody else. Real model."""

import pytest

from tests.api import api_request
from tests.test_decision_backbrief import answer, asked, decision  # noqa: F401

pytestmark = pytest.mark.usefixtures("no_notifications")

ANSWERS = [
    "We're moving payments to the new vendor by June. The old one costs twice as much.",
    "We are moving payment processing to the new vendor.",
    "We are keeping the old vendor for payments.",
]


def test_a_viewer_reads_the_back_brief_the_page_shows_them(
    asked,  # noqa: F811
    decision,  # noqa: F811
    users,
    client,
    client_for,
):
    answer(asked, ANSWERS)
    url = f"/api/v1/workspaces/acme/decisions/{decision.number}"
    for role in ("owner", "viewer"):
        twin = client_for(role).get(f"/w/acme/decisions/{decision.number}.json").json()
        read = api_request(client, users[role], "get", url).json()
        assert read["back_brief"]["state"] == "shown" and read["back_brief"]["n"] == 3
        assert read["back_brief"] == twin["back_brief"]
    for role in ("member", "partner"):
        twin = client_for(role).get(f"/w/acme/decisions/{decision.number}.json").json()
        assert "back_brief" not in twin
        assert api_request(client, users[role], "get", url).json()["back_brief"] is None


def test_before_the_results_it_says_the_back_brief_is_open(
    asked,  # noqa: F811
    decision,  # noqa: F811
    users,
    client,
):
    url = f"/api/v1/workspaces/acme/decisions/{decision.number}"
    read = api_request(client, users["viewer"], "get", url).json()
    assert read["back_brief"]["state"] == "open"
    assert read["back_brief"]["checkin"] == asked.checkin_id


def test_a_read_gives_the_people_by_id_as_a_write_takes_them(
    decision,  # noqa: F811
    users,
    client,
):
    decision.informed.remove(users["partner"].memberships.get().person)  # as a form keeps them
    url = f"/api/v1/workspaces/acme/decisions/{decision.number}"
    read = api_request(client, users["member"], "get", url).json()
    informed = sorted(read["informed_ids"])
    assert informed == sorted(p.pk for p in decision.informed.all())
    assert read["decider_ids"] == [users["viewer"].memberships.get().person.pk]
    sent_back = {"informed": read["informed_ids"], "deciders": read["decider_ids"]}
    changed = api_request(client, users["editor"], "patch", url, sent_back, "write")
    assert changed.status_code == 200, changed.content
    assert sorted(changed.json()["informed_ids"]) == informed
    assert api_request(client, users["partner"], "get", url).json()["informed_ids"] is None
