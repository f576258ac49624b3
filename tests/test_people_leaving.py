"""Someone who left, and someone who asked to be forgotten: deactivating ends their login's
access to the workspace; erasing removes what names them and keeps the figures as published."""

import re
from datetime import timedelta

import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.api import api_request
from truenorth.api import tokens
from truenorth.checkins.actions import create_alignment_pulse, delivery
from truenorth.checkins.models import (
    Answer,
    Delivery,
    Invitation,
    Response,
    new_token,
    token_digest,
)
from truenorth.cli import main
from truenorth.decisions.models import Decision
from truenorth.workspaces import people as actions
from truenorth.workspaces.logins import LoginError
from truenorth.workspaces.models import (
    ERASURE,
    Function,
    Membership,
    Person,
    Role,
    SettingChange,
    WaitingInvitation,
)

EDITOR_PATCH = "/api/v1/workspaces/acme/people"


def cli(*args, input=None):
    arguments = [*args, "-w", "acme"] if args[0] == "people" else list(args)
    return CliRunner().invoke(main, arguments, input=input)


# --- Deactivating someone who left ---


def test_deactivating_someone_who_left_ends_their_logins_access(client, users):
    editor = Person.objects.get(email="editor@acme.test")
    row, secret = tokens.create(users["editor"], "BI", "write")
    assert tokens.state(row) == "active"

    said = cli("people", "deactivate", "editor@acme.test", input="\n")  # the default: no
    assert said.exit_code == 1 and (
        "Deactivate Editor <editor@acme.test>? Their login editor will no longer open Acme, and "
        "reactivating does not give that back [y/N]: \nAborted!" in said.output
    )
    assert Membership.objects.filter(user=users["editor"]).exists()

    said = cli("people", "deactivate", "editor@acme.test", "--yes")

    assert said.exit_code == 0, said.output
    assert said.output == (
        "Editor left: their login editor no longer opens Acme; their answers stay, "
        "no new check-in asks them.\n"
    )
    assert not Membership.objects.filter(user=users["editor"]).exists()
    editor.refresh_from_db()
    assert not editor.active
    client.force_login(users["editor"])
    assert client.get("/w/acme/people/").status_code == 404
    answer = client.patch(
        f"/api/v1/workspaces/acme/people/{editor.pk}",
        {"title": "Still here"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert answer.status_code == 404  # the token's login is in no workspace
    assert tokens.state(row) == "opens nothing"
    listed = cli("token", "list", "--user", "editor")
    assert "opens nothing" in listed.output and "active" not in listed.output


def test_the_person_page_says_a_login_exists_and_what_deactivating_does(client_for, users):
    member = Person.objects.get(email="member@acme.test")
    client = client_for("editor")
    page = client.get(f"/w/acme/people/{member.pk}/edit/").content.decode()
    assert "Their login <strong>member</strong> opens Acme as member." in page
    assert "Their login member will no longer open Acme" in page
    assert "Reactivating Member later does not give the login its access back" in page
    assert "This is you" not in page
    url = f"/w/acme/people/{member.pk}/active/"
    unasked = client.post(url, {"active": "no"}, follow=True)  # the page asks first
    assert "Confirm deactivating Member first" in unasked.content.decode()
    assert Person.objects.get(pk=member.pk).active
    done = client.post(url, {"active": "no", "confirm": "yes"}, follow=True)
    assert "Member left: their login member no longer opens Acme" in done.content.decode()
    assert not Membership.objects.filter(user=users["member"]).exists()
    assert get_user_model().objects.filter(username="member").exists()  # other workspaces


def test_a_login_named_by_the_persons_address_loses_access_too(workspace, users):
    ines = Person.objects.create(
        workspace=workspace, name="Ines Duarte", email="ines@acme.test", function="product"
    )
    pm = get_user_model().objects.create_user("pm", "Ines@acme.test", "x")
    Membership.objects.create(workspace=workspace, user=pm, role=Role.EDITOR)  # no person link
    assert actions.deactivate(ines) == ["pm"]
    assert actions.left_message(ines, ["pm"]) == (
        "Ines Duarte left: their login pm no longer opens Acme; their answers stay, "
        "no new check-in asks them."
    )
    assert not pm.memberships.exists()


def test_the_last_owner_is_not_deactivated(users):
    owner = Person.objects.get(email="owner@acme.test")
    with pytest.raises(LoginError, match="last owner"):
        actions.deactivate(owner)
    owner.refresh_from_db()
    assert owner.active
    said = cli("people", "deactivate", "owner@acme.test", "--yes")
    assert said.exit_code == 1 and "Owner stays active" in said.output
    assert Membership.objects.filter(user=users["owner"], role=Role.OWNER).exists()


def test_the_api_deactivating_the_last_owner_is_a_conflict(client, users):
    owner = Person.objects.get(email="owner@acme.test")
    url = f"{EDITOR_PATCH}/{owner.pk}"
    answer = api_request(client, users["editor"], "patch", url, {"active": False}, "write")
    assert answer.status_code == 409
    assert "last owner" in answer.json()["detail"]
    owner.refresh_from_db()
    assert owner.active


def an_owner(workspace, name, logged_in: bool):
    """Another owner of Acme: invited only (never logged in), or one who has logged in."""
    login = get_user_model().objects.create_user(name, f"{name}@acme.test", "a-long-password")
    if logged_in:
        login.last_login = timezone.now()
        login.save(update_fields=["last_login"])
    return Membership.objects.create(workspace=workspace, user=login, role=Role.OWNER)


def test_deactivating_yourself_says_so_and_leaves_for_home(client_for, users, workspace):
    an_owner(workspace, "boss", logged_in=True)
    owner = Person.objects.get(email="owner@acme.test")
    client = client_for("owner")
    page = client.get(f"/w/acme/people/{owner.pk}/edit/").content.decode()
    assert "This is you: your login owner will no longer open Acme." in page
    done = client.post(f"/w/acme/people/{owner.pk}/active/", {"active": "no", "confirm": "yes"})
    assert done.status_code == 302 and done.url == "/"  # not a 404 of a workspace left
    assert not Membership.objects.filter(user=users["owner"]).exists()


def test_an_owner_who_never_logged_in_does_not_keep_the_workspace_managed(
    client, client_for, users, workspace
):
    """The demo's owner deactivated themselves: the other owner, only invited, counted as an
    owner, and nobody who logs in was left to manage the workspace."""
    invited = an_owner(workspace, "boss", logged_in=False)
    owner = Person.objects.get(email="owner@acme.test")
    why = (
        "without owner, Acme would have no owner who has ever logged in (boss has never logged "
        "in). First make someone who has logged in an owner on Logins, or have boss log in once."
    )
    web = client_for("owner")
    page = web.get(f"/w/acme/people/{owner.pk}/edit/").content.decode()
    assert f"Owner cannot be deactivated now:</strong> {why}" in page
    assert 'value="no" class="danger"' not in page  # no button to press
    asked = web.post(
        f"/w/acme/people/{owner.pk}/active/", {"active": "no", "confirm": "yes"}, follow=True
    )
    assert f"Owner stays active: {why}" in asked.content.decode()
    said = cli("people", "deactivate", "owner@acme.test", "--yes")
    assert said.exit_code == 1 and f"Owner stays active: {why}" in said.output
    url = f"{EDITOR_PATCH}/{owner.pk}"
    answer = api_request(client, users["editor"], "patch", url, {"active": False}, "write")
    assert (answer.status_code, answer.json()["detail"]) == (409, why)
    owner.refresh_from_db()
    assert owner.active and Membership.objects.filter(user=users["owner"]).exists()

    invited.user.last_login = timezone.now()  # boss logs in once
    invited.user.save(update_fields=["last_login"])
    assert actions.deactivate(owner) == ["owner"]


def test_erasing_keeps_an_owner_who_has_logged_in_as_deactivating_does(users, workspace):
    an_owner(workspace, "boss", logged_in=False)
    owner = Person.objects.get(email="owner@acme.test")
    users["owner"].last_login = timezone.now()
    users["owner"].save(update_fields=["last_login"])
    with pytest.raises(LoginError, match="no owner who has ever logged in"):
        actions.erase(owner)
    owner.refresh_from_db()
    assert owner.name == "Owner" and Membership.objects.filter(person=owner).exists()


def test_the_page_of_someone_deactivated_without_a_login_says_no_check_in_asks_them(
    client_for, users, workspace
):
    solo = Person.objects.create(
        workspace=workspace, name="Solo", email="solo@acme.test", function=Function.DESIGN
    )
    client = client_for("editor")
    url = f"/w/acme/people/{solo.pk}/"
    assert (
        "they answer check-ins through their personal link"
        in client.get(url + "edit/").content.decode()
    )
    assert client.post(url + "active/", {"active": "no"}).status_code == 302  # nothing to ask
    page = client.get(url + "edit/").content.decode()
    assert "they answer check-ins through their personal link" not in page
    assert "Solo has no login to Acme, and while deactivated no check-in asks them." in page


# --- Erasing someone who asked to be forgotten ---


@pytest.fixture
def answered(workspace, users):
    """An attributed pulse that the member and three others answered, and an anonymous one
    the member answered too; the member's text names their address."""
    opened = timezone.now() - timedelta(days=1)
    others = [
        Person.objects.create(workspace=workspace, name=n, email=f"{n}@acme.test", function="sales")
        for n in ("ana", "bo", "cy")
    ]
    member = Person.objects.get(email="member@acme.test")
    named = create_alignment_pulse(workspace, "Named pulse", opened, opened + timedelta(days=7))
    named.anonymous = False
    named.save()
    unnamed = create_alignment_pulse(workspace, "Quiet pulse", opened, opened + timedelta(days=7))
    question = named.questions.first()
    for person in [member, *others]:
        invite(named, person, responded=True)
        said = f"Write to me at {person.email}"
        response = Response.objects.create(checkin=named, person=person, function=person.function)
        Answer.objects.create(response=response, question=question, text=said)
    invite(unnamed, member, responded=True)
    quiet = Response.objects.create(checkin=unnamed, function=member.function)
    Answer.objects.create(response=quiet, question=unnamed.questions.first(), text="Unsure")
    return named, unnamed, member


def invite(checkin, person, responded=False):
    digest = token_digest(checkin, "invitation", new_token(checkin))
    return Invitation.objects.create(
        checkin=checkin, person=person, token_hash=digest, status=Delivery.SENT,
        responded=responded, last_error="550 member@acme.test: no such user",
    )  # fmt: skip


def test_erasing_keeps_the_figures_and_forgets_the_person(answered, users, workspace):
    named, unnamed, member = answered
    Person.objects.filter(email="ana@acme.test").update(manager=member)
    WaitingInvitation.objects.create(workspace=workspace, email="member@acme.test")
    decision = Decision.objects.create(
        workspace=workspace,
        number=1,
        title="Ship it",
        owner=member,
        raised_on=timezone.localdate(),
    )
    before = [delivery(checkin)["invited"] for checkin in (named, unnamed)]
    answered_before = [delivery(checkin)["answered"] for checkin in (named, unnamed)]

    ended = actions.erase(member, by=users["owner"])

    assert ended == ["member"]
    assert [delivery(checkin)["invited"] for checkin in (named, unnamed)] == before
    assert [delivery(checkin)["answered"] for checkin in (named, unnamed)] == answered_before
    member.refresh_from_db()
    assert (member.name, member.title, member.manager, member.active, member.erased) == (
        "Erased person", "", None, False, True,
    )  # fmt: skip
    assert "member" not in member.email
    assert not Person.objects.filter(manager=member).exists()
    texts = set(Answer.objects.filter(response__checkin=named).values_list("text", flat=True))
    assert texts == {"", "Write to me at ana@acme.test", "Write to me at bo@acme.test",
                     "Write to me at cy@acme.test"}  # fmt: skip
    assert Answer.objects.get(response__checkin=unnamed).text == "Unsure"
    assert not Invitation.objects.filter(person=member).exclude(last_error="").exists()
    assert not WaitingInvitation.objects.exists()
    decision.refresh_from_db()
    assert decision.owner.name == "Erased person"
    # Their login was in no other workspace: it keeps neither their name nor their address.
    login = get_user_model().objects.get(pk=users["member"].pk)
    assert (login.email, login.is_active) == ("", False)
    assert re.fullmatch(r"erased-[0-9a-f]{16}", login.username)  # no id of theirs
    assert not login.memberships.exists()
    [record] = SettingChange.objects.filter(workspace=workspace, setting=ERASURE)
    assert record.changed_by == users["owner"]
    assert "Member" not in record.new_value + record.old_value


def test_an_erased_person_is_in_no_list_and_cannot_be_opened(client_for, users):
    member = Person.objects.get(email="member@acme.test")
    actions.erase(member)
    client = client_for("owner")
    assert "Erased person" not in client.get("/w/acme/people/?status=all").content.decode()
    assert client.get(f"/w/acme/people/{member.pk}/edit/").status_code == 404
    assert client.get(f"/w/acme/people/{member.pk}/erase/").status_code == 404
    listed = cli("people", "list", "--all")
    assert "Erased" not in listed.output


def test_the_erase_page_is_for_owners_and_asks_for_the_address(client_for, users, workspace):
    member = Person.objects.get(email="member@acme.test")
    url = f"/w/acme/people/{member.pk}/erase/"
    assert client_for("editor").get(url).status_code == 403
    client = client_for("owner")
    assert "Erase Member…" in client.get(f"/w/acme/people/{member.pk}/edit/").content.decode()
    page = client.get(url).content.decode()
    assert "published figures stay as they were" in page
    wrong = client.post(url, {"email": "someone@acme.test"})
    assert wrong.status_code == 400
    assert "Type member@acme.test to erase Member." in wrong.content.decode()
    assert Person.objects.get(pk=member.pk).name == "Member"
    done = client.post(url, {"email": "MEMBER@acme.test"}, follow=True)
    assert "Erased: their name, address" in done.content.decode()
    assert Person.objects.get(pk=member.pk).erased
    history = client.get("/w/acme/settings/").content.decode()
    assert "Person erased" in history


def test_erasing_the_last_owner_is_refused_and_changes_nothing(users):
    owner = Person.objects.get(email="owner@acme.test")
    with pytest.raises(LoginError):
        actions.erase(owner)
    owner.refresh_from_db()
    assert (owner.name, owner.erased) == ("Owner", False)
    assert not SettingChange.objects.filter(setting=ERASURE).exists()


def test_a_login_in_another_workspace_keeps_its_name(users, workspace):
    other = type(workspace).objects.create(name="Other", slug="other")
    Membership.objects.create(workspace=other, user=users["member"], role=Role.MEMBER)
    actions.erase(Person.objects.get(email="member@acme.test"))
    login = get_user_model().objects.get(pk=users["member"].pk)
    assert (login.username, login.is_active) == ("member", True)
    assert list(login.memberships.values_list("workspace__slug", flat=True)) == ["other"]


def test_the_command_line_erases_after_asking(users):
    kept = CliRunner().invoke(
        main, ["people", "erase", "member@acme.test", "-w", "acme"], input="n\n"
    )
    assert kept.exit_code == 1
    assert Person.objects.get(email="member@acme.test").name == "Member"
    done = cli("people", "erase", "member@acme.test", "--yes")
    assert done.exit_code == 0, done.output
    assert "Their login member no longer opens the workspace." in done.output
    assert not Person.objects.filter(email="member@acme.test").exists()


def test_the_api_erases_for_owners_only(client, users):
    member = Person.objects.get(email="member@acme.test")
    url = f"{EDITOR_PATCH}/{member.pk}"
    assert api_request(client, users["editor"], "delete", url, None, "write").status_code == 403
    answer = api_request(client, users["owner"], "delete", url, None, "write")
    assert answer.status_code == 204
    assert api_request(client, users["owner"], "get", url, None, "write").status_code == 404
    assert Person.objects.get(pk=member.pk).erased


def test_a_person_without_a_login_is_erased_too(workspace, users):
    solo = Person.objects.create(
        workspace=workspace, name="Solo", email="solo@acme.test", function=Function.DESIGN
    )
    assert actions.erase(solo) == []
    solo.refresh_from_db()
    assert solo.name == "Erased person"


def test_the_workspace_export_cannot_tie_an_erased_person_to_who_they_were(workspace, users):
    """Exported, an erased person was "erased-18@erased.invalid", in their team, at their place
    in the list: an earlier people.json (ids, teams, order) gave their name back."""
    from truenorth.exchange.export import export_workspace

    member = Person.objects.get(email="member@acme.test")
    before = [p["email"] for p in export_workspace(workspace)["people"]]
    actions.erase(member)
    people = export_workspace(workspace)["people"]
    erased = people[-1]  # last, not at their place
    assert before.index("member@acme.test") != len(before) - 1
    assert erased["name"] == "Erased person" and erased["team"] is None
    assert re.fullmatch(r"erased-[0-9a-f]{16}@erased\.invalid", erased["email"])


BEFORE_READDRESSING = [("workspaces", "0011_sealed_slack_webhook")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_readdresses_people_erased_before_it():
    from tests.migrating import migrate

    executor = migrate(BEFORE_READDRESSING)
    try:
        old = executor.loader.project_state(BEFORE_READDRESSING[0]).apps
        space = old.get_model("workspaces", "Workspace").objects.create(name="Old", slug="old")
        erased = old.get_model("workspaces", "Person").objects.create(
            workspace=space, name="Erased person", function="design", erased=True, active=False
        )
        erased.email = f"erased-{erased.pk}@erased.invalid"
        erased.save()
        migrate(None)
        email = Person.objects.get(pk=erased.pk).email
        assert re.fullmatch(r"erased-[0-9a-f]{16}@erased\.invalid", email)
    finally:
        migrate(None)
