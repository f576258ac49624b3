"""People in the app: the list and its JSON twin, creating, editing, deactivating."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import ROLES
from truenorth.checkins.actions import create_alignment_pulse, issue_links
from truenorth.checkins.models import Invitation
from truenorth.workspaces import people as actions
from truenorth.workspaces.models import Function, Person, Team, Workspace

WRITERS = {"owner", "editor"}


@pytest.fixture
def ada(workspace, team):
    return Person.objects.create(
        workspace=workspace,
        name="Ada Lovelace",
        email="ada@acme.test",
        function=Function.ENGINEERING,
        team=team,
        title="Staff engineer",
    )


def form_data(**changes):
    data = {
        "name": "Grace Hopper",
        "email": "grace@acme.test",
        "function": "engineering",
        "team": "",
        "manager": "",
        "title": "",
        "role": "",
    }
    return {**data, **changes}


# --- Pages ---


@pytest.mark.parametrize("role", [*ROLES, "outsider"])
def test_it_lets_only_writers_edit_a_person(client_for, users, ada, role):
    response = client_for(role).get(f"/w/acme/people/{ada.pk}/edit/")
    if role in WRITERS:
        assert response.status_code == 200
    else:
        assert response.status_code == (404 if role == "outsider" else 403)


@pytest.mark.parametrize("role", [*ROLES, "outsider"])
def test_it_lets_only_writers_deactivate(client_for, users, ada, role):
    response = client_for(role).post(f"/w/acme/people/{ada.pk}/active/", {"active": "no"})
    ada.refresh_from_db()
    if role in WRITERS:
        assert response.status_code == 302
        assert not ada.active
    else:
        assert response.status_code == (404 if role == "outsider" else 403)
        assert ada.active


def test_it_lists_people_with_filters(client_for, users, ada, team):
    actions.deactivate(Person.objects.get(email="viewer@acme.test"))
    client = client_for("member")
    page = client.get("/w/acme/people/").content.decode()
    assert "Ada Lovelace" in page and "ada@acme.test" in page
    assert "Viewer" not in page.split("<table")[1]  # deactivated: not shown by default
    assert "/edit/" not in page  # members read, never edit
    page = client.get("/w/acme/people/?status=inactive").content.decode()
    assert "viewer@acme.test" in page and "ada@acme.test" not in page
    page = client.get("/w/acme/people/?function=partner&status=all").content.decode()
    assert "partner@acme.test" in page and "ada@acme.test" not in page
    page = client.get("/w/acme/people/?team=none").content.decode()
    assert "partner@acme.test" in page and "ada@acme.test" not in page
    page = client.get(f"/w/acme/people/?team={team.pk}").content.decode()
    assert "ada@acme.test" in page and "partner@acme.test" not in page


@pytest.mark.parametrize(
    "query",
    ["?team=99999999999999999999", "?team=abc", "?function=wizard", "?status=x", "?page=x"],
)
def test_odd_filters_never_fail(client_for, users, query):
    assert client_for("owner").get("/w/acme/people/" + query).status_code == 200
    assert client_for("owner").get("/w/acme/people.json" + query).status_code == 200


def test_an_unknown_team_shows_nobody(client_for, users):
    data = client_for("owner").get("/w/acme/people.json?team=99999999999999999999").json()
    assert data["items"] == []
    assert (data["count"], data["page"], data["pages"], data["next"]) == (0, 1, 1, None)


def test_the_json_twin_gives_the_same_people(client_for, users, ada, team):
    Person.objects.filter(email="owner@acme.test").update(manager=ada)
    data = client_for("viewer").get(f"/w/acme/people.json?team={team.pk}").json()
    assert data["filters"] == {"status": "active", "function": None, "team": str(team.pk)}
    rows = {row["email"]: row for row in data["items"]}
    assert rows["ada@acme.test"] == {
        "id": ada.pk,
        "name": "Ada Lovelace",
        "email": "ada@acme.test",
        "function": "engineering",
        "team": "Platform",
        "manager": None,
        "title": "Staff engineer",
        "role": None,
        "active": True,
    }
    assert rows["owner@acme.test"]["manager"] == "ada@acme.test"
    assert "partner@acme.test" not in rows


def test_the_json_twin_reads_in_pages_that_keep_the_filters(client_for, users, workspace):
    """More salespeople than a page holds, most of one name, among engineers: following `next`
    reads each salesperson once, and no engineer."""
    Person.objects.bulk_create(
        Person(
            workspace=workspace,
            name="Sam Lee" if n % 5 else f"Sales {n:03}",
            email=f"{function}{n}@acme.test",
            function=function,
        )
        for n in range(130)
        for function in (Function.SALES, Function.ENGINEERING)
    )
    client = client_for("member")
    first = client.get("/w/acme/people.json?function=sales").json()
    assert (first["count"], first["page"], first["pages"], first["previous"]) == (130, 1, 2, None)
    assert len(first["items"]) == 100
    assert first["next"] == "/w/acme/people.json?status=active&function=sales&page=2"
    second = client.get(first["next"]).json()
    assert (second["page"], second["pages"], second["next"]) == (2, 2, None)
    assert second["previous"] == "/w/acme/people.json?status=active&function=sales&page=1"
    emails = [row["email"] for row in first["items"] + second["items"]]
    assert sorted(emails) == sorted(f"sales{n}@acme.test" for n in range(130))
    rows = [(row["name"], row["id"]) for row in first["items"] + second["items"]]
    assert rows == sorted(rows)  # by name, then id: one name's people stay in order


def test_the_nav_shows_people_to_writers_only(client_for, users):
    assert 'href="/w/acme/people/">People' in client_for("editor").get("/w/acme/").content.decode()
    assert 'href="/w/acme/people/"' not in client_for("member").get("/w/acme/").content.decode()


def test_it_creates_a_person(client_for, users, team, ada):
    data = form_data(team=team.pk, manager="ADA@acme.test", title="Rear admiral", role="editor")
    response = client_for("editor").post("/w/acme/people/new/", data)
    assert response.status_code == 302
    grace = Person.objects.get(email="grace@acme.test")
    assert (grace.name, grace.team, grace.manager, grace.title) == (
        "Grace Hopper",
        team,
        ada,
        "Rear admiral",
    )
    assert grace.role == "editor" and grace.active


def test_it_edits_and_moves_a_person(client_for, users, team, ada):
    other = Team.objects.create(workspace=team.workspace, name="Design")
    data = form_data(name="Ada King", email="ada@acme.test", team=other.pk, function="design")
    response = client_for("owner").post(f"/w/acme/people/{ada.pk}/edit/", data)
    assert response.status_code == 302
    ada.refresh_from_db()
    assert (ada.name, ada.team, ada.function) == ("Ada King", other, "design")


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"email": "ADA@acme.test"}, "email", "already has the email"),
        ({"name": "x" * 201}, "name", "at most 200"),
        ({"name": ""}, "name", "required"),
        ({"function": "wizardry"}, "function", "valid choice"),
        ({"team": "99999999999999999999"}, "team", "valid choice"),
        ({"team": "abc"}, "team", "valid choice"),
        ({"manager": "nobody@acme.test"}, "manager", "Nobody in this workspace"),
        ({"manager": "ada"}, "manager", "valid email"),
        ({"role": "king"}, "role", "valid choice"),
    ],
)
def test_a_bad_person_form_shows_errors(client_for, users, ada, changes, field, message):
    response = client_for("owner").post("/w/acme/people/new/", form_data(**changes))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not Person.objects.filter(email="grace@acme.test").exists()


@pytest.mark.parametrize("url", ["/w/acme/people/new/", "/w/acme/people/import/"])
def test_an_empty_post_is_a_form_error(client_for, users, url):
    response = client_for("owner").post(url, {})
    assert response.status_code == 400
    assert response.context["form"].errors


def test_a_manager_is_not_the_person_nor_below_them(client_for, users, ada):
    client = client_for("owner")
    data = form_data(name=ada.name, email=ada.email, manager=ada.email)
    response = client.post(f"/w/acme/people/{ada.pk}/edit/", data)
    assert response.status_code == 400
    assert "their own manager" in response.context["form"].errors["manager"][0]
    owner = Person.objects.get(email="owner@acme.test")
    actions.update_person(owner, manager=ada)
    response = client.post(f"/w/acme/people/{ada.pk}/edit/", {**data, "manager": owner.email})
    assert response.status_code == 400
    assert "already reports to Ada" in response.context["form"].errors["manager"][0]
    ada.refresh_from_db()
    assert ada.manager is None


def test_a_manager_from_another_workspace_is_refused(workspace, ada):
    other = Workspace.objects.create(name="Other", slug="other")
    stranger = Person.objects.create(
        workspace=other, name="S", email="s@other.test", function="sales"
    )
    with pytest.raises(ValidationError, match="someone in this workspace"):
        actions.update_person(ada, manager=stranger)


def test_an_archived_team_takes_nobody_new_but_keeps_its_people(client_for, users, team, ada):
    actions.archive_team(team)
    client = client_for("owner")
    page = client.get("/w/acme/people/new/").content.decode()
    assert f'value="{team.pk}"' not in page
    # Ada stays in it, and her form still offers it.
    assert (
        f'value="{team.pk}" selected'
        in client.get(f"/w/acme/people/{ada.pk}/edit/").content.decode()
    )
    data = form_data(name=ada.name, email=ada.email, team=team.pk, title="Principal")
    assert client.post(f"/w/acme/people/{ada.pk}/edit/", data).status_code == 302
    ada.refresh_from_db()
    assert (ada.team, ada.title) == (team, "Principal")
    response = client.post("/w/acme/people/new/", form_data(team=team.pk))
    assert response.status_code == 400
    with pytest.raises(ValidationError, match="archived"):
        actions.create_person(
            team.workspace, name="G", email="g@acme.test", function="design", team=team
        )


def test_deactivate_and_reactivate(client_for, users, ada):
    client = client_for("editor")
    response = client.post(f"/w/acme/people/{ada.pk}/active/", {"active": "no"})
    assert response.status_code == 302
    ada.refresh_from_db()
    assert not ada.active
    assert "Reactivate" in client.get(f"/w/acme/people/{ada.pk}/edit/").content.decode()
    client.post(f"/w/acme/people/{ada.pk}/active/", {"active": "yes"})
    ada.refresh_from_db()
    assert ada.active


@pytest.mark.parametrize(
    "method, url",
    [
        ("get", "/w/acme/people/99999999999999999999/edit/"),
        ("post", "/w/acme/people/99999999999999999999/edit/"),
        ("post", "/w/acme/people/99999999999999999999/active/"),
        ("get", "/w/acme/teams/99999999999999999999/edit/"),
        ("post", "/w/acme/teams/99999999999999999999/archive/"),
    ],
)
def test_a_huge_id_is_not_found(client_for, users, method, url):
    assert getattr(client_for("owner"), method)(url).status_code == 404


def test_a_person_of_another_workspace_is_not_found(client_for, users):
    other = Workspace.objects.create(name="Other", slug="other")
    stranger = Person.objects.create(
        workspace=other, name="S", email="s@other.test", function="sales"
    )
    assert client_for("owner").get(f"/w/acme/people/{stranger.pk}/edit/").status_code == 404


@pytest.mark.parametrize("data", [{}, {"active": "maybe"}, {"active": ["no", "yes"]}])
def test_a_malformed_activation_changes_nothing(client_for, users, ada, data):
    response = client_for("owner").post(f"/w/acme/people/{ada.pk}/active/", data)
    assert response.status_code == 302
    ada.refresh_from_db()
    assert ada.active  # a list of values: the last one counts


def test_activation_is_post_only(client_for, users, ada):
    assert client_for("owner").get(f"/w/acme/people/{ada.pk}/active/").status_code == 405


# --- Future check-ins ---


def test_a_deactivated_person_is_left_out_of_new_invitations(workspace, users, ada):
    now = timezone.now()
    first = create_alignment_pulse(workspace, "Q1", now, now + timedelta(days=7))
    issue_links(first)
    assert Invitation.objects.filter(checkin=first, person=ada).exists()
    actions.deactivate(ada)
    second = create_alignment_pulse(workspace, "Q2", now, now + timedelta(days=7))
    invited = {link.person.email for link in issue_links(second)}
    assert "ada@acme.test" not in invited
    assert "owner@acme.test" in invited
    # Her earlier invitation stays, and no reminder goes to her.
    assert Invitation.objects.filter(checkin=first, person=ada).exists()
    assert ada not in [link.person for link in issue_links(first, only_unanswered=True)]
    actions.reactivate(ada)
    third = create_alignment_pulse(workspace, "Q3", now, now + timedelta(days=7))
    assert ada in [link.person for link in issue_links(third)]


# --- Actions ---


def test_emails_are_unique_whatever_their_case(workspace, ada):
    with pytest.raises(ValidationError, match="already has the email"):
        actions.create_person(workspace, name="A", email="Ada@ACME.test", function="design")
    with pytest.raises(ValueError, match="not a person's field"):
        actions.create_person(workspace, name="A", email="a@acme.test", function="x", colour="red")


def test_a_new_persons_function_is_chosen_not_defaulted(client_for, users):
    client = client_for("owner")
    page = client.get("/w/acme/people/new/").content.decode()
    assert '<option value="" selected>Choose…</option>' in page
    assert 'value="engineering" selected' not in page
    response = client.post("/w/acme/people/new/", form_data(function=""))
    assert response.status_code == 400
    assert not Person.objects.filter(email="grace@acme.test").exists()


def test_emails_are_saved_in_lower_case_and_a_twin_in_other_capitals_is_refused(workspace):
    ana = actions.create_person(
        workspace, name="Ana Moss", email="ANA.MOSS@Northwind-Labs.TEST", function="sales"
    )
    assert ana.email == "ana.moss@northwind-labs.test"
    with pytest.raises(ValidationError, match="already has the email"):
        actions.create_person(
            workspace, name="Ana", email="Ana.Moss@northwind-labs.test", function="sales"
        )
    # Two saved before the rule, differing only in case: an edit is refused, not a crash.
    twin = Person.objects.create(
        workspace=workspace, name="Ana M", email="Ana.Moss@northwind-labs.test", function="sales"
    )
    with pytest.raises(ValidationError, match="already has the email"):
        actions.update_person(twin, title="Recruiter")
    twin.refresh_from_db()
    assert (twin.email, twin.title) == ("Ana.Moss@northwind-labs.test", "")
