"""A login is linked to the person whose address it has, and follows addresses as they change.

An owner gave Ben's address to a login for a moment: the login stayed linked to Ben after his
address was put back, read his hidden "worth it?" rating of a session shown elsewhere only as
"4 ratings: shown from 5", and could change it; the settings history recorded nothing. Moving
Aisha to another address and giving hers to Ben left her login linked to her."""

import io
from datetime import timedelta

import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.api import api_request
from tests.rituals import weekly_ritual
from truenorth.cli import main
from truenorth.rituals import actions, recurrence
from truenorth.workspaces import people
from truenorth.workspaces.models import LOGIN_LINK, Membership, Person, SettingChange
from truenorth.workspaces.people import NAMES_NOBODY
from truenorth.workspaces.people_import import import_people

SPY = "spy@evil.test"


@pytest.fixture
def ben(workspace, users, team):
    return people.create_person(
        workspace, name="Ben Whitaker", email="ben@acme.test", function="engineering", team=team
    )


def spy_login(workspace, role="member"):
    user = get_user_model().objects.create_user(SPY, SPY, "a-long-password")
    Membership.objects.create(workspace=workspace, user=user, role=role)
    people.link_logins(workspace.pk)
    return Membership.objects.get(user=user)


def history(workspace) -> list[tuple[str, str, str | None]]:
    rows = SettingChange.objects.filter(workspace=workspace, setting=LOGIN_LINK).order_by("pk")
    return [
        (row.old_value, row.new_value, row.changed_by.username if row.changed_by else None)
        for row in rows.select_related("changed_by")
    ]


def patch_email(client, users, person, email):
    url = f"/api/v1/workspaces/acme/people/{person.pk}"
    response = api_request(client, users["owner"], "patch", url, {"email": email}, "write")
    assert response.status_code == 200, response.content


def test_a_login_given_someones_address_for_a_moment_is_theirs_no_more(
    client, client_for, users, workspace, ben
):
    patch_email(client, users, ben, SPY)
    invited = client_for("owner").post("/w/acme/logins/invite/", {"email": SPY, "role": "member"})
    assert invited.status_code == 302
    spy = Membership.objects.get(user__username=SPY)
    assert spy.person == ben

    patch_email(client, users, ben, "ben@acme.test")
    spy.refresh_from_db()
    assert spy.person is None
    [row] = [r for r in client_for("owner").get("/w/acme/logins.json").json()["logins"]
             if r["username"] == SPY]  # fmt: skip
    assert (row["person"], row["unlinked_because"]) == (None, NAMES_NOBODY)
    assert history(workspace) == [
        (f"{SPY}: nobody", f"{SPY}: Ben Whitaker", "owner"),
        (f"{SPY}: Ben Whitaker", f"{SPY}: nobody", "owner"),
    ]
    shown = client_for("owner").get("/w/acme/settings.json").json()["history"]
    assert {"setting": "login_link", "new_value": f"{SPY}: nobody"}.items() <= shown[0].items()
    assert f"{SPY}: Ben Whitaker" in client_for("owner").get("/w/acme/settings/").content.decode()


def test_moving_an_address_to_someone_else_moves_the_login(client_for, users, workspace, team):
    aisha = people.create_person(
        workspace, name="Aisha Rahman", email="aisha.rahman@acme.test", function="sales"
    )
    ben = people.create_person(
        workspace, name="Ben Whitaker", email="ben@acme.test", function="sales"
    )
    user = get_user_model().objects.create_user("aisha.rahman@acme.test", "aisha.rahman@acme.test")
    Membership.objects.create(workspace=workspace, user=user, role="member")
    people.link_logins(workspace.pk)
    login = Membership.objects.get(user=user)
    assert login.person == aisha

    owner = client_for("owner")
    for person, email in ((aisha, "aisha.old@acme.test"), (ben, "aisha.rahman@acme.test")):
        data = {"name": person.name, "email": email, "function": "sales", "team": "",
                "manager": "", "title": "", "role": ""}  # fmt: skip
        assert owner.post(f"/w/acme/people/{person.pk}/edit/", data).status_code == 302
    login.refresh_from_db()
    assert login.person == ben
    login_name = "aisha.rahman@acme.test"
    assert history(workspace)[-2:] == [
        (f"{login_name}: Aisha Rahman", f"{login_name}: nobody", "owner"),
        (f"{login_name}: nobody", f"{login_name}: Ben Whitaker", "owner"),
    ]


def test_a_new_address_on_the_command_line_unlinks_the_login(workspace, users, ben):
    spy = spy_login(workspace)
    assert spy.person is None
    runner = CliRunner()
    moved = runner.invoke(main, ["people", "set", "ben@acme.test", "--email", SPY, "-w", "acme"])
    assert moved.exit_code == 0, moved.output
    spy.refresh_from_db()
    assert spy.person == ben
    back = runner.invoke(main, ["people", "set", SPY, "--email", "ben@acme.test", "-w", "acme"])
    assert back.exit_code == 0, back.output
    spy.refresh_from_db()
    assert spy.person is None
    assert history(workspace)[-1] == (f"{SPY}: Ben Whitaker", f"{SPY}: nobody", None)


def test_an_imported_person_is_linked_to_the_login_at_their_address(workspace, users):
    spy = spy_login(workspace)
    csv = f"name,email,function\nSam Spade,{SPY},sales\n"
    import_people(workspace, io.StringIO(csv), by=users["owner"])
    spy.refresh_from_db()
    assert spy.person.name == "Sam Spade" and spy.linked_at is not None
    assert history(workspace) == [(f"{SPY}: nobody", f"{SPY}: Sam Spade", "owner")]


def test_erasing_someone_takes_their_name_out_of_the_history_of_links(workspace, users, ben):
    ben_login = get_user_model().objects.create_user("ben@acme.test", "ben@acme.test")
    Membership.objects.create(workspace=workspace, user=ben_login, role="member")
    people.link_logins(workspace.pk)
    people.erase(ben)
    assert history(workspace) == [
        ("an erased person's login: nobody", "an erased person's login: Erased person", None)
    ]


def test_a_login_linked_later_neither_reads_nor_changes_earlier_ratings(
    client, client_for, users, workspace, team, ben
):
    ritual = weekly_ritual(workspace, team)
    now = timezone.now()
    [earlier, later] = recurrence.previous_starts(ritual, now, 2)
    for instant in (earlier, later):
        row = actions.occurrence(ritual, instant, create=True)
        # Ben's own, hidden: fewer than five ratings; given while its ratings were open, and
        # before the login is linked below: an hour after a session that began less than an
        # hour ago (run on its Monday morning) would be a rating from after the link.
        actions.rate(row, ben, False, at=min(instant + timedelta(hours=1), now))
    patch_email(client, users, ben, SPY)
    spy = spy_login(workspace)
    assert spy.person == ben
    spy_client = client_for("owner")
    spy_client.force_login(spy.user)
    url = f"/w/acme/rituals/{ritual.number}/{recurrence.local(ritual, earlier).date()}"
    seen = spy_client.get(f"{url}.json").json()
    assert (seen["my_rating"], seen["can_rate"]) == (None, False)
    assert all(a["worth_it"] is None for a in seen["attendees"])
    refused = spy_client.post(f"{url}/worth-it/", {"worth_it": "yes"})
    assert refused.status_code == 400
    assert not Person.objects.get(pk=ben.pk).attendances.filter(worth_it=True).exists()
    api = f"/api/v1/workspaces/acme/rituals/{ritual.number}/occurrences/"
    day = recurrence.local(ritual, later).date()
    rated = api_request(client, spy.user, "post", f"{api}{day}/rating", {"worth_it": True}, "write")
    assert rated.status_code == 409 and "stays theirs" in rated.json()["detail"]
