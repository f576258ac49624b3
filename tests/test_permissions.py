"""Every page for every role: who reads, who writes, and what partners never see."""

import pytest

from tests.conftest import ROLES
from tests.test_security_headers import missing_security_headers
from truenorth.work.models import ImportRun

EVERYONE_BUT_PARTNER = {"owner", "editor", "member", "viewer"}
WRITERS = {"owner", "editor"}

# page name → (url pattern, roles allowed); {g} goal, {i} internal initiative, {p} partner one,
# {r} a work item import run.
PAGES = {
    "overview": ("/w/acme/", EVERYONE_BUT_PARTNER),
    "vision": ("/w/acme/vision/", EVERYONE_BUT_PARTNER),
    "vision version": ("/w/acme/vision/v1/", EVERYONE_BUT_PARTNER),
    "edit vision": ("/w/acme/vision/edit/", WRITERS),
    "goals": ("/w/acme/goals/", EVERYONE_BUT_PARTNER),
    "goals json": ("/w/acme/goals.json", EVERYONE_BUT_PARTNER),
    "new goal": ("/w/acme/goals/new/", WRITERS),
    "edit goal": ("/w/acme/goals/{g}/edit/", WRITERS),
    "roadmap": ("/w/acme/roadmap/", set(ROLES)),
    "internal initiative": ("/w/acme/roadmap/{i}/", EVERYONE_BUT_PARTNER),
    "partner initiative": ("/w/acme/roadmap/{p}/", set(ROLES)),
    "new initiative": ("/w/acme/roadmap/new/", WRITERS),
    "edit initiative": ("/w/acme/roadmap/{i}/edit/", WRITERS),
    "import roadmap": ("/w/acme/roadmap/import/", WRITERS),
    "work items": ("/w/acme/work/", EVERYONE_BUT_PARTNER),
    "import work items": ("/w/acme/work/import/", WRITERS),
    "work import run": ("/w/acme/work/import/{r}/", WRITERS),
    "work import run json": ("/w/acme/work/import/{r}.json", WRITERS),
    "check-ins": ("/w/acme/checkins/", EVERYONE_BUT_PARTNER),
    "new check-in": ("/w/acme/checkins/new/", WRITERS),
    "people": ("/w/acme/people/", EVERYONE_BUT_PARTNER),
    "people json": ("/w/acme/people.json", EVERYONE_BUT_PARTNER),
    "new person": ("/w/acme/people/new/", WRITERS),
    "import people": ("/w/acme/people/import/", WRITERS),
    "teams": ("/w/acme/teams/", EVERYONE_BUT_PARTNER),
    "logins": ("/w/acme/logins/", {"owner"}),
    "logins json": ("/w/acme/logins.json", {"owner"}),
    "invite login": ("/w/acme/logins/invite/", {"owner"}),
    "search": ("/w/acme/search/?q=initiative", set(ROLES)),
    "search json": ("/w/acme/search.json?q=initiative", set(ROLES)),
}


def url_for(pattern, strategy):
    initiatives = strategy["initiatives"]
    return pattern.format(
        g=strategy["goals"][0].pk,
        i=initiatives["internal"].pk,
        p=initiatives["partner"].pk,
        r=import_run(strategy) if "{r}" in pattern else "",
    )


def import_run(strategy) -> int:
    workspace = strategy["vision"].workspace
    return ImportRun.objects.get_or_create(workspace=workspace, file_name="jira.csv")[0].pk


def denied_status(role, page):
    # Outsiders learn nothing about the workspace; a partner asking for an internal
    # initiative gets the same answer as for one that does not exist.
    if role == "outsider" or page == "internal initiative":
        return 404
    return 403


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", [*ROLES, "outsider"])
def test_it_enforces_roles_on_every_page(client_for, strategy, role, page):
    pattern, allowed = PAGES[page]
    response = client_for(role).get(url_for(pattern, strategy))
    expected = 200 if role in allowed else denied_status(role, page)
    assert response.status_code == expected
    assert missing_security_headers(response) == []


@pytest.mark.parametrize("page", PAGES)
def test_it_sends_anonymous_visitors_to_login(client, strategy, page):
    response = client.get(url_for(PAGES[page][0], strategy))
    assert response.status_code == 302
    assert response.url.startswith("/login/")


@pytest.mark.parametrize(
    "action, data",
    [
        ("/w/acme/goals/{g}/move/", {"direction": "down"}),
        ("/w/acme/work/{item}/link/", {"target": ""}),
    ],
)
@pytest.mark.parametrize("role", [*ROLES, "outsider"])
def test_it_lets_only_writers_post(client_for, strategy, role, action, data):
    url = action.format(g=strategy["goals"][0].pk, item=strategy["items"][0].pk)
    response = client_for(role).post(url, data)
    if role in WRITERS:
        assert response.status_code == 302
    else:
        assert response.status_code == (404 if role == "outsider" else 403)


def test_partner_sees_only_shared_initiatives_and_no_goals(client_for, strategy):
    page = client_for("partner").get("/w/acme/roadmap/").content.decode()
    assert "Partner initiative" in page
    assert "Public initiative" in page
    assert "Internal initiative" not in page
    assert "Faster close" not in page  # goal names are internal


def test_admin_is_for_staff_only(client_for, strategy):
    assert client_for("owner").get("/admin/").status_code == 302
