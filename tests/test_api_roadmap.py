"""The initiatives through /api/v1/: the roadmap page's partner rule, history, and writes through
roadmap.actions.save_initiative."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.api import api_request
from truenorth.roadmap.actions import save_initiative
from truenorth.roadmap.models import Initiative, InitiativeChange, Status, Visibility

URL = "/api/v1/workspaces/acme/initiatives"


@pytest.fixture
def call(client, users):
    def call(role, method, url, body=None, scope="write"):
        return api_request(client, users[role], method, url, body, scope)

    return call


def test_it_lists_every_initiative_for_the_organisation(call, strategy):
    answer = call("member", "get", URL)
    assert answer.status_code == 200
    rows = answer.json()["items"]
    assert {r["visibility"] for r in rows} == {"internal", "partner", "public"}
    assert all("goal_id" in r and "estimate_weeks" in r for r in rows)


def test_it_shows_a_partner_only_what_the_roadmap_page_shows_them(call, strategy):
    answer = call("partner", "get", URL)
    assert answer.status_code == 200
    rows = answer.json()["items"]
    assert answer.json()["count"] == 2
    assert {r["title"] for r in rows} == {"Partner initiative", "Public initiative"}
    for row in rows:
        assert set(row) == {
            "id",
            "title",
            "problem",
            "status",
            "status_meaning",
            "target_date",
            "actual_date",
        }
        assert row["target_date"] is None  # planned: not a promise, so no date shared


def test_a_partner_reads_the_date_of_a_committed_initiative(call, strategy):
    shared = strategy["initiatives"][Visibility.PARTNER]
    shared.status = Status.COMMITTED
    shared.save()
    answer = call("partner", "get", f"{URL}/{shared.pk}")
    assert answer.status_code == 200
    assert answer.json()["target_date"] == "2026-12-01"
    assert "visibility" not in answer.json()


def test_a_partner_cannot_read_an_internal_initiative_or_any_history(call, strategy):
    internal = strategy["initiatives"][Visibility.INTERNAL]
    assert call("partner", "get", f"{URL}/{internal.pk}").status_code == 404
    shared = strategy["initiatives"][Visibility.PUBLIC]
    assert call("partner", "get", f"{URL}/{shared.pk}/history").status_code == 403
    refused = call("partner", "get", f"{URL}?goal={strategy['goals'][0].pk}")
    assert refused.status_code == 400
    assert refused.json()["field"] == "goal"


def test_it_filters_by_status_goal_and_team(call, strategy, team):
    internal = strategy["initiatives"][Visibility.INTERNAL]
    internal.status = Status.COMMITTED
    internal.save()
    committed = call("viewer", "get", f"{URL}?status=committed").json()
    assert [r["id"] for r in committed["items"]] == [internal.pk]
    other_goal = call("viewer", "get", f"{URL}?goal={strategy['goals'][1].pk}").json()
    assert other_goal["count"] == 0
    assert call("viewer", "get", f"{URL}?team={team.pk}").json()["count"] == 3


def test_an_unknown_status_or_a_huge_id_is_refused_not_a_crash(call, strategy):
    bad = call("viewer", "get", f"{URL}?status=someday")
    assert bad.status_code == 400
    assert bad.json()["field"] == "status"
    assert call("viewer", "get", f"{URL}/{2**64}").status_code in (400, 404)
    assert call("viewer", "get", f"{URL}/999999").status_code == 404


def test_a_patch_goes_through_save_initiative_and_is_kept_in_the_history(call, strategy, users):
    initiative = strategy["initiatives"][Visibility.INTERNAL]
    answer = call(
        "editor",
        "patch",
        f"{URL}/{initiative.pk}",
        {"status": "committed", "target_date": "2027-01-15", "estimate_weeks": 6},
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "committed"
    assert answer.json()["estimate_weeks"] == 6.0
    assert answer.json()["title"] == "Internal initiative"  # untouched fields stay
    changes = InitiativeChange.objects.filter(initiative=initiative)
    assert {c.field for c in changes} == {"status", "target_date", "estimate_weeks"}
    assert all(c.changed_by == users["editor"] for c in changes)
    history = call("viewer", "get", f"{URL}/{initiative.pk}/history").json()
    assert history["count"] == 3
    moved = next(c for c in history["items"] if c["field"] == "target_date")
    assert (moved["old_value"], moved["new_value"]) == ("2026-12-01", "2027-01-15")


def test_a_create_answers_201_and_a_bad_body_names_the_field(call, strategy):
    made = call("owner", "post", URL, {"title": "Bank feeds", "status": "planned"})
    assert made.status_code == 201, made.content
    assert Initiative.objects.get(pk=made.json()["id"]).title == "Bank feeds"
    shipped_undated = call("owner", "post", URL, {"title": "X", "status": "shipped"})
    assert shipped_undated.status_code == 400
    assert shipped_undated.json()["field"] == "actual_date"
    bad_date = call("owner", "post", URL, {"title": "X", "target_date": "2026-13-40"})
    assert bad_date.status_code == 400
    assert bad_date.json()["field"] == "target_date"
    other_goal = call("owner", "post", URL, {"title": "X", "goal": 987654})
    assert other_goal.status_code == 400
    assert other_goal.json()["field"] == "goal"


def test_writes_need_a_role_that_writes_and_a_write_token(call, strategy):
    initiative = strategy["initiatives"][Visibility.PUBLIC]
    url = f"{URL}/{initiative.pk}"
    assert call("member", "patch", url, {"status": "dropped"}).status_code == 403
    assert call("partner", "patch", url, {"status": "dropped"}).status_code == 403
    read_only = call("editor", "patch", url, {"status": "dropped"}, scope="read")
    assert read_only.status_code == 403
    initiative.refresh_from_db()
    assert initiative.status == Status.PLANNED
    assert initiative.target_date == date(2026, 12, 1)


def test_an_initiative_is_archived_and_restored_as_on_its_page(call, strategy):
    initiative = strategy["initiatives"][Visibility.INTERNAL]
    archived = call("editor", "post", f"{URL}/{initiative.pk}/archive")
    assert archived.status_code == 200, archived.content
    assert archived.json()["archived"] is True
    assert not Initiative.objects.filter(pk=initiative.pk).exists()  # off the roadmap
    assert call("editor", "patch", f"{URL}/{initiative.pk}", {"title": "Y"}).status_code == 404
    again = call("editor", "post", f"{URL}/{initiative.pk}/archive")
    assert again.status_code == 409 and "archived already" in again.json()["detail"]
    restored = call("owner", "post", f"{URL}/{initiative.pk}/restore")
    assert restored.status_code == 200 and restored.json()["archived"] is False
    assert call("owner", "post", f"{URL}/{initiative.pk}/restore").status_code == 409
    assert call("owner", "post", f"{URL}/999999/archive").status_code == 404


def test_archiving_an_initiative_needs_a_role_that_writes_and_a_write_token(call, strategy):
    initiative = strategy["initiatives"][Visibility.PUBLIC]
    url = f"{URL}/{initiative.pk}/archive"
    assert call("member", "post", url).status_code == 403
    assert call("partner", "post", url).status_code == 403
    assert call("editor", "post", url, scope="read").status_code == 403
    assert Initiative.objects.filter(pk=initiative.pk).exists()


def test_an_unknown_field_is_a_400_naming_each_and_changes_nothing(call, strategy, team):
    initiative = strategy["initiatives"][Visibility.INTERNAL]
    url = f"{URL}/{initiative.pk}"
    misspelt = call("editor", "patch", url, {"team_idd": team.pk, "goall": 1})
    assert misspelt.status_code == 400
    assert "unknown field(s) team_idd, goall" in misspelt.json()["detail"]
    assert "team_id" in misspelt.json()["detail"].split("the fields are ")[1]
    colour = call("editor", "patch", url, {"colour": "red", "status": "dropped"})
    assert colour.status_code == 400 and "colour" in colour.json()["detail"]
    made = call("editor", "post", URL, {"title": "Ledger", "colour": "red"})
    assert made.status_code == 400 and "colour" in made.json()["detail"]
    initiative.refresh_from_db()
    assert initiative.status == Status.PLANNED and not Initiative.objects.filter(title="Ledger")


def test_a_shipped_date_that_has_not_come_is_refused(call, strategy):
    initiative = strategy["initiatives"][Visibility.INTERNAL]
    tomorrow = timezone.localdate() + timedelta(days=1)
    url = f"{URL}/{initiative.pk}"
    early = call("editor", "patch", url, {"status": "shipped", "actual_date": str(tomorrow)})
    assert (early.status_code, early.json()["field"]) == (400, "actual_date")
    assert "A shipped date is a day that has come; today is" in early.json()["detail"]
    today = call(
        "editor", "patch", url, {"status": "shipped", "actual_date": str(timezone.localdate())}
    )
    assert today.status_code == 200, today.content


def test_a_committed_initiative_needs_its_target_date(call, strategy):
    undated = call("owner", "post", URL, {"title": "Ledger", "status": "committed"})
    assert (undated.status_code, undated.json()["field"]) == (400, "target_date")
    initiative = strategy["initiatives"][Visibility.INTERNAL]
    url = f"{URL}/{initiative.pk}"
    assert call("owner", "patch", url, {"status": "in_progress"}).status_code == 200
    cleared = call("owner", "patch", url, {"target_date": None})
    assert (cleared.status_code, cleared.json()["field"]) == (400, "target_date")


def test_the_history_says_who_made_each_change(call, strategy, users):
    initiative = strategy["initiatives"][Visibility.INTERNAL]
    call("editor", "patch", f"{URL}/{initiative.pk}", {"estimate_weeks": 3})
    initiative.title = "Renamed"
    initiative.estimate_weeks = 4
    save_initiative(initiative)  # as the command line saves: no login
    history = call("viewer", "get", f"{URL}/{initiative.pk}/history").json()["items"]
    assert [c["changed_by"] for c in history] == ["Editor", ""]  # the editor's person's name


def test_a_key_another_initiative_has_is_refused_in_any_case(call, strategy):
    """Work items and claims name an initiative by its key: two with one key, and they would
    link to either."""
    first = call("owner", "post", URL, {"title": "Bank feeds", "key": "RM-1"})
    assert first.status_code == 201
    again = call("owner", "post", URL, {"title": "Card feeds", "key": "rm-1"})
    assert again.status_code == 400 and again.json()["field"] == "key"
    assert "RM-1 is already the key of “Bank feeds”" in again.json()["detail"]
    other = call("owner", "post", URL, {"title": "Card feeds", "key": "RM-2"}).json()
    moved = call("owner", "patch", f"{URL}/{other['id']}", {"key": "RM-1"})
    assert moved.status_code == 400 and moved.json()["field"] == "key"
    kept = call("owner", "patch", f"{URL}/{first.json()['id']}", {"key": "RM-1", "title": "Feeds"})
    assert kept.status_code == 200  # its own key, sent back, is no clash
    assert Initiative.objects.filter(key__iexact="rm-1").count() == 1
