"""Who can log in is in the settings history: a login invited with its role, given another
role, or removed, by hand or by deactivating or erasing its person, with who did it. The
history recorded none of it: an owner could give a stranger access and take it back unseen."""

import pytest
from click.testing import CliRunner

from tests.api import api_request
from tests.conftest import PASSWORD
from truenorth.cli import main
from truenorth.workspaces import logins, people
from truenorth.workspaces.models import LOGIN_ROLE, Membership, Person, SettingChange

STRANGER = "stranger@gmail.com"


def history(workspace) -> list[tuple[str, str, str | None]]:
    rows = SettingChange.objects.filter(workspace=workspace, setting=LOGIN_ROLE).order_by("pk")
    return [
        (row.old_value, row.new_value, row.changed_by.username if row.changed_by else None)
        for row in rows.select_related("changed_by")
    ]


def test_inviting_changing_and_removing_a_login_are_in_the_history(client_for, users, workspace):
    client = client_for("owner")
    asked = {"email": STRANGER, "role": "viewer", "confirmed": f"{STRANGER} viewer"}
    invited = client.post("/w/acme/logins/invite/", asked)
    assert invited.status_code == 302
    stranger = Membership.objects.get(user__username=STRANGER)
    client.post(f"/w/acme/logins/{stranger.pk}/role/", {"role": "editor"})
    client.post(f"/w/acme/logins/{stranger.pk}/role/", {"role": "editor"})  # no change: no row
    client.post(f"/w/acme/logins/{stranger.pk}/remove/", {"confirm": "yes"})

    assert history(workspace) == [
        (f"{STRANGER}: none", f"{STRANGER}: viewer", "owner"),
        (f"{STRANGER}: viewer", f"{STRANGER}: editor", "owner"),
        (f"{STRANGER}: editor", f"{STRANGER}: none", "owner"),
    ]
    page = client.get("/w/acme/settings/").content.decode()
    assert (
        '<td data-label="What">Login&#x27;s role</td>'
        '<td data-label="From">stranger@gmail.com: none</td>'
        '<td data-label="To">stranger@gmail.com: viewer</td>'
    ) in page
    shown = client.get("/w/acme/settings.json").json()["history"]
    assert {
        "setting": "login_role",
        "old_value": f"{STRANGER}: editor",
        "new_value": f"{STRANGER}: none",
        "changed_by": "owner",
    }.items() <= shown[0].items()


def test_a_refused_change_of_role_is_not_in_the_history(client_for, users, workspace):
    owner = Membership.objects.get(user=users["owner"])
    with pytest.raises(logins.LoginError):
        logins.change_role(owner, "member", by=users["owner"])
    assert history(workspace) == []


def test_deactivating_someone_records_the_access_it_ends(client, users, workspace):
    member = Person.objects.get(email="member@acme.test")
    url = f"/api/v1/workspaces/acme/people/{member.pk}"
    answer = api_request(client, users["editor"], "patch", url, {"active": False}, "write")
    assert answer.status_code == 200
    assert history(workspace) == [("member: member", "member: none", "editor")]


def test_the_command_line_records_a_login_it_makes_by_nobody(users, workspace):
    made = CliRunner().invoke(
        main,
        ["user", "create", "ada", "--email", "ada@acme.test", "-w", "acme", "--role", "editor",
         "--password-stdin"],
        input=f"{PASSWORD}\n",
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    assert history(workspace) == [("ada: none", "ada: editor", None)]


def test_erasing_someone_takes_their_logins_names_out_of_the_history(users, workspace):
    member = Membership.objects.get(user=users["member"])
    logins.change_role(member, "viewer", by=users["owner"])
    logins.invite(workspace, STRANGER, "member", invited_by=users["owner"])

    people.erase(Person.objects.get(email="member@acme.test"), by=users["owner"])

    erased = people.ERASED_LOGIN
    assert history(workspace) == [
        (f"{erased}: member", f"{erased}: viewer", "owner"),
        (f"{STRANGER}: none", f"{STRANGER}: member", "owner"),  # someone else's stays
        (f"{erased}: viewer", f"{erased}: none", "owner"),
    ]
