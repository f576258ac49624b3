"""A partner saw the target date of an item that shipped from "planned": its page said "None
shared: planned is not a promise", then, once it shipped, the API, the roadmap file and a
milestone gave the target away, and on every shipped item the target told how late it came.
Of a shipped item a partner now reads the day it shipped only, and the shipped list is in
the order it shipped."""

from datetime import date

import pytest
from django.urls import reverse

from tests.api import api_request
from truenorth.roadmap.actions import save_initiative, save_milestone
from truenorth.roadmap.models import Initiative, InitiativeMilestone, Status, Visibility

HIDDEN_TARGET = date(2027, 4, 4)
HIDDEN_MILESTONE = date(2027, 3, 15)


@pytest.fixture
def shipped(workspace):
    """An item planned with a target partners never saw, then shipped; and two shipped items
    whose targets run the other way from the days they shipped."""
    sandbox = save_initiative(
        Initiative(
            workspace=workspace,
            title="Sandbox workspaces",
            status=Status.PLANNED,
            target_date=HIDDEN_TARGET,
            visibility=Visibility.PARTNER,
        )
    )
    save_milestone(
        InitiativeMilestone(initiative=sandbox, name="Sandbox beta", target_date=HIDDEN_MILESTONE)
    )
    sandbox.status, sandbox.actual_date = Status.SHIPPED, date(2026, 10, 20)
    save_initiative(sandbox)
    for title, target, shipped_on in [
        ("Audit log", date(2026, 10, 1), date(2026, 10, 18)),
        ("Bank feeds", date(2026, 10, 9), date(2026, 10, 14)),
    ]:
        Initiative.objects.create(
            workspace=workspace,
            title=title,
            status=Status.SHIPPED,
            target_date=target,
            actual_date=shipped_on,
            visibility=Visibility.PARTNER,
        )
    return sandbox


def test_it_gives_a_partner_no_target_of_a_shipped_item_anywhere(shipped, users, client):
    api = "/api/v1/workspaces/acme/initiatives"
    one = api_request(client, users["partner"], "get", f"{api}/{shipped.pk}").json()
    listed = api_request(client, users["partner"], "get", api).json()["items"]
    client.force_login(users["partner"])
    csv = client.get(reverse("roadmap_csv", args=["acme"])).content.decode()
    board = client.get(reverse("roadmap", args=["acme"])).content.decode()
    page = client.get(reverse("initiative", args=["acme", shipped.pk])).content.decode()

    assert (one["target_date"], one["actual_date"]) == (None, "2026-10-20")
    assert [row["target_date"] for row in listed] == [None, None, None]
    assert "2027-04-04" not in csv and "2026-10-01" not in csv and "2026-10-09" not in csv
    assert "Sandbox workspaces" in csv and "2026-10-20" in csv
    assert "Apr. 4, 2027" not in board and "4 Apr 2027" not in board
    assert "Sandbox beta" in page and "no date shared" in page
    assert "Mar. 15, 2027" not in page and "15 Mar 2027" not in page and "target" not in page


def test_it_lists_a_partner_the_shipped_items_in_the_order_they_shipped(shipped, users, client):
    listed = api_request(client, users["partner"], "get", "/api/v1/workspaces/acme/initiatives")
    client.force_login(users["partner"])
    csv = client.get(reverse("roadmap_csv", args=["acme"])).content.decode()
    board = client.get(reverse("roadmap", args=["acme"])).content.decode()

    in_order = ["Bank feeds", "Audit log", "Sandbox workspaces"]
    assert [row["title"] for row in listed.json()["items"]] == in_order
    assert [line.split(",")[0] for line in csv.splitlines()[1:]] == in_order
    shipped_list = board[board.index('id="status-shipped"') :]
    assert sorted(in_order, key=shipped_list.index) == in_order


def test_the_organisation_still_reads_a_shipped_items_target(shipped, users, client):
    one = api_request(
        client, users["viewer"], "get", f"/api/v1/workspaces/acme/initiatives/{shipped.pk}"
    )
    assert one.json()["target_date"] == "2027-04-04"
