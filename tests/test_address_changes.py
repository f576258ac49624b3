"""A person's address changes are kept, with who changed them, and a check-in says so.

An editor could change a colleague's address to their own and press "Remind with new links": the
new link came to them, they answered as the colleague, and the colleague's own link stopped
opening. Nothing recorded who changed the address, and the check-in page said nothing."""

from datetime import timedelta

import pytest
from click.testing import CliRunner
from django.utils import timezone

from tests.api import api_request
from tests.smtp import mail_server_fixture  # noqa: F401
from truenorth.checkins.actions import create_alignment_pulse
from truenorth.cli import main
from truenorth.workspaces import people
from truenorth.workspaces.models import ADDRESS, Person, SettingChange

pytestmark = pytest.mark.usefixtures("no_notifications")

EDITOR_OWN = "editor-own@acme.test"


@pytest.fixture
def pulse(workspace, users, strategy):
    now = timezone.now()
    return create_alignment_pulse(
        workspace, "Q4 pulse", now - timedelta(days=1), now + timedelta(days=7), by=users["editor"]
    )


@pytest.fixture
def member(workspace):
    return Person.objects.get(workspace=workspace, email="member@acme.test")


def address_history(workspace) -> list[tuple[str, str, str | None]]:
    rows = SettingChange.objects.filter(workspace=workspace, setting=ADDRESS).order_by("pk")
    return [
        (row.old_value, row.new_value, row.changed_by.username if row.changed_by else None)
        for row in rows.select_related("changed_by")
    ]


def change_address_on_the_page(client_for, person, email):
    person.refresh_from_db()
    data = {"name": person.name, "email": email, "function": person.function,
            "team": person.team_id or "", "manager": "", "title": "", "role": "",
            "active": "on"}  # fmt: skip
    response = client_for("editor").post(f"/w/acme/people/{person.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()


def test_each_change_of_address_is_kept_with_who_made_it(client, client_for, users, member):
    change_address_on_the_page(client_for, member, EDITOR_OWN)
    url = f"/api/v1/workspaces/acme/people/{member.pk}"
    api_request(client, users["owner"], "patch", url, {"email": "m2@acme.test"}, "write")
    people.update_person(Person.objects.get(pk=member.pk), name="Renamed")  # no address change
    name = member.name
    assert address_history(member.workspace) == [
        (f"{name}: member@acme.test", f"{name}: {EDITOR_OWN}", "editor"),
        (f"{name}: {EDITOR_OWN}", f"{name}: m2@acme.test", "owner"),
    ]
    shown = client_for("owner").get("/w/acme/settings.json").json()["history"]
    assert {"setting": "address", "new_value": f"{name}: m2@acme.test"}.items() <= shown[0].items()
    page = client_for("owner").get("/w/acme/settings/").content.decode()
    assert "Person&#x27;s address" in page and f"{name}: {EDITOR_OWN}" in page


def test_erasing_someone_leaves_none_of_their_addresses_in_the_history(
    client_for, workspace, member
):
    name = member.name
    change_address_on_the_page(client_for, member, EDITOR_OWN)
    people.erase(Person.objects.get(pk=member.pk))
    history = client_for("owner").get("/w/acme/settings.json").content.decode()
    for trace in (name, EDITOR_OWN, "member@acme.test"):
        assert trace not in history
    assert address_history(workspace) == [(people.ERASED_ADDRESS, people.ERASED_ADDRESS, "editor")]


def test_a_check_in_says_whose_address_changed_after_their_link_was_mailed(
    mail_server,
    client,
    client_for,
    users,
    pulse,
    member,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.SECRET_KEY = "a-key-of-this-server-only-" + "k" * 30  # the command signs links
    dashboard = f"/w/acme/checkins/{pulse.pk}/"
    change_address_on_the_page(client_for, member, "before-sending@acme.test")
    with django_capture_on_commit_callbacks(execute=True):
        client_for("editor").post(f"{dashboard}send/", {"what": "invitations"})
    assert "address was changed" not in client_for("editor").get(dashboard).content.decode()

    change_address_on_the_page(client_for, member, EDITOR_OWN)
    page = client_for("editor").get(dashboard).content.decode()
    said = f"{member.name}&#x27;s address was changed after their link was mailed, by "
    assert said in page and "a new link would stop the one they hold" in page
    api = api_request(client, users["owner"], "get", f"/api/v1/workspaces/acme/checkins/{pulse.pk}")
    assert f"{member.name}'s address was changed after" in api.json()["warning"]

    remind = ["checkin", "remind", str(pulse.pk), "--new-links"]  # the way a link is redirected
    printed = CliRunner().invoke(main, remind).output
    assert f"Note: {member.name}'s address was changed after their link was mailed" in printed
    assert "from the command line" not in printed  # the editor changed it, on the page
