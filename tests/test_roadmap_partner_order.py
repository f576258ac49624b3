"""A partner sees no target date on an initiative that promises none, and its place in a list
must not give that date away: a partner had found one, shown undated, between items due on
5 November and 9 January. Every list a partner reads (the API, the roadmap file, the roadmap
page) puts promised dates first, by date, then the others by title, whatever their dates."""

import re
from datetime import date

import pytest
from django.urls import reverse

from tests.api import api_request
from truenorth.roadmap.models import Initiative, Status, Visibility

PROMISED = [
    ("Billing v2", Status.COMMITTED, date(2026, 11, 5)),
    ("SSO", Status.IN_PROGRESS, date(2027, 1, 9)),
]
NOT_PROMISED = [
    ("Audit log", Status.PLANNED),
    ("Mobile app", Status.EXPLORING),
    ("Zapier", Status.PLANNED),
]
HIDDEN_DATES = {
    "early": [date(2026, 12, 1), date(2026, 10, 1), date(2027, 6, 1)],
    "late": [date(2027, 3, 1), date(2026, 12, 15), None],
}


@pytest.fixture
def shared(workspace):
    for title, status, target in PROMISED:
        Initiative.objects.create(
            workspace=workspace,
            title=title,
            status=status,
            target_date=target,
            visibility=Visibility.PARTNER,
        )
    for title, status in NOT_PROMISED:
        Initiative.objects.create(
            workspace=workspace, title=title, status=status, visibility=Visibility.PARTNER
        )


def with_hidden_dates(dates: list) -> None:
    for (title, _), target in zip(NOT_PROMISED, dates, strict=True):
        initiative = Initiative.objects.get(title=title)
        initiative.target_date = target
        initiative.save()  # as an edit does: the page's cached parts follow


def partner_orders(client, users) -> dict[str, list[str]]:
    listed = api_request(client, users["partner"], "get", "/api/v1/workspaces/acme/initiatives")
    client.force_login(users["partner"])
    csv = client.get(reverse("roadmap_csv", args=["acme"])).content.decode()
    page = client.get(reverse("roadmap", args=["acme"])).content.decode()
    titles = [title for title, *_ in PROMISED + NOT_PROMISED]
    pattern = "|".join(map(re.escape, titles))
    return {
        "api": [row["title"] for row in listed.json()["items"]],
        "csv": [line.split(",")[0] for line in csv.splitlines()[1:]],
        "page": re.findall(pattern, page),
    }


def test_a_partner_list_orders_undated_items_the_same_whatever_their_hidden_dates(
    shared, users, client
):
    seen = {}
    for name, dates in HIDDEN_DATES.items():
        with_hidden_dates(dates)
        seen[name] = partner_orders(client, users)

    assert seen["early"] == seen["late"]
    expected = ["Billing v2", "SSO", "Audit log", "Mobile app", "Zapier"]
    assert seen["early"]["api"] == seen["early"]["csv"] == expected


def test_the_organisation_still_reads_the_roadmap_by_target_date(shared, users, client):
    with_hidden_dates(HIDDEN_DATES["early"])
    listed = api_request(client, users["member"], "get", "/api/v1/workspaces/acme/initiatives")
    titles = [row["title"] for row in listed.json()["items"]]
    assert titles == ["Mobile app", "Billing v2", "Audit log", "SSO", "Zapier"]


def test_the_board_s_timeline_and_lists_read_in_one_order_keys_or_not(workspace, users, client):
    """The timeline's lanes once sorted by "key title" as text: RM-10 before RM-2 in "later",
    while the lists below went by title. Both now go by date, then title, for partners and
    editors alike."""
    for key, title in (("RM-2", "Zapier"), ("RM-10", "Audit log"), ("RM-5", "Mobile app")):
        Initiative.objects.create(
            workspace=workspace, key=key, title=title, status=Status.PLANNED,
            target_date=date(2027, 6, 1), visibility=Visibility.PARTNER,
        )  # fmt: skip
    expected = ["Audit log", "Mobile app", "Zapier"]
    for who in ("partner", "editor"):
        client.force_login(users[who])
        page = client.get(reverse("roadmap", args=["acme"])).content.decode()
        timeline, _, lists = page.partition('id="status-exploring"')
        timeline = timeline.partition('class="chart chart-timeline"')[2]
        lane = re.findall(r"<a [^>]*>(?:RM-\d+ )?([^<]+)</a>", timeline)
        listed = re.findall(r"<li><a [^>]*>([^<]+)</a>", lists)
        assert lane == listed == expected, who
        # The keys are the organisation's numbering: a partner reads titles, as in their CSV.
        assert ("RM-10 Audit log" in timeline) == (who == "editor")
