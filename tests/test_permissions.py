"""Every page for every role: who reads, who writes, and what partners never see."""

from datetime import date
from urllib.parse import quote

import pytest

from tests.conftest import ROLES
from tests.test_security_headers import missing_security_headers
from truenorth.decisions.models import Decision
from truenorth.glossary.models import Term
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
    "glossary": ("/w/acme/glossary/", EVERYONE_BUT_PARTNER),
    "glossary json": ("/w/acme/glossary.json", EVERYONE_BUT_PARTNER),
    "glossary csv": ("/w/acme/glossary.csv", EVERYONE_BUT_PARTNER),
    "new term": ("/w/acme/glossary/new/", WRITERS),
    "term": ("/w/acme/glossary/{t}/", EVERYONE_BUT_PARTNER),
    "term json": ("/w/acme/glossary/{t}.json", EVERYONE_BUT_PARTNER),
    "edit term": ("/w/acme/glossary/{t}/edit/", WRITERS),
    "define term": ("/w/acme/glossary/{t}/define/", WRITERS),
    "ask about term": ("/w/acme/glossary/{t}/ask/", WRITERS),
    "decisions": ("/w/acme/decisions/", set(ROLES)),
    "decisions json": ("/w/acme/decisions.json", set(ROLES)),
    "decisions markdown": ("/w/acme/decisions.md", set(ROLES)),
    "decisions csv": ("/w/acme/decisions.csv", set(ROLES)),
    "new decision": ("/w/acme/decisions/new/", WRITERS),
    "decision speed": ("/w/acme/decisions/speed/", EVERYONE_BUT_PARTNER),
    "decision speed json": ("/w/acme/decisions/speed.json", EVERYONE_BUT_PARTNER),
    "internal decision": ("/w/acme/decisions/{d}/", EVERYONE_BUT_PARTNER),
    "internal decision json": ("/w/acme/decisions/{d}.json", EVERYONE_BUT_PARTNER),
    "internal decision markdown": ("/w/acme/decisions/{d}.md", EVERYONE_BUT_PARTNER),
    "shared decision": ("/w/acme/decisions/{s}/", set(ROLES)),
    "shared decision json": ("/w/acme/decisions/{s}.json", set(ROLES)),
    "shared decision markdown": ("/w/acme/decisions/{s}.md", set(ROLES)),
    "edit decision": ("/w/acme/decisions/{d}/edit/", WRITERS),
    "rituals": ("/w/acme/rituals/", EVERYONE_BUT_PARTNER),
    "rituals json": ("/w/acme/rituals.json", EVERYONE_BUT_PARTNER),
    "new ritual": ("/w/acme/rituals/new/", WRITERS),
    "ritual calendar feeds": ("/w/acme/rituals/calendar/", EVERYONE_BUT_PARTNER),
}


def url_for(pattern, strategy):
    initiatives = strategy["initiatives"]
    return pattern.format(
        g=strategy["goals"][0].pk,
        i=initiatives["internal"].pk,
        p=initiatives["partner"].pk,
        r=import_run(strategy) if "{r}" in pattern else "",
        t=glossary_term(strategy) if "{t}" in pattern else "",
        d=decision_numbers(strategy)[0] if "{d}" in pattern else "",
        s=decision_numbers(strategy)[1] if "{s}" in pattern else "",
    )


def import_run(strategy) -> int:
    workspace = strategy["vision"].workspace
    return ImportRun.objects.get_or_create(workspace=workspace, file_name="jira.csv")[0].pk


def glossary_term(strategy) -> int:
    workspace = strategy["vision"].workspace
    term, _ = Term.objects.get_or_create(
        workspace=workspace, name="customer", defaults={"canonical_definition": "Who pays us."}
    )
    return term.pk


def decision_numbers(strategy) -> tuple[int, int]:
    """(an internal decision, one shared with partners): the first two decisions."""
    workspace = strategy["vision"].workspace
    for number, shared in ((1, False), (2, True)):
        if not Decision.objects.filter(workspace=workspace, number=number).exists():
            Decision.objects.create(
                workspace=workspace,
                number=number,
                title=f"Decision {number}",
                question="Which?",
                raised_on=date(2026, 1, 5),
                shared_with_partners=shared,
            )
    return 1, 2


def denied_status(role, page):
    # Outsiders learn nothing about the workspace; a partner asking for an internal
    # initiative gets the same answer as for one that does not exist.
    if role == "outsider" or page == "internal initiative" or page.startswith("internal decision"):
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
    url = url_for(PAGES[page][0], strategy)
    response = client.get(url)
    if ".json" in url:  # a program gets JSON it can read, not the login page's HTML
        assert response.status_code == 401
        assert response["Content-Type"] == "application/json"
        assert response.json()["error"].startswith("Log in first")
        assert response.json()["login"] == f"/login/?next={quote(url, safe='/')}"
    else:
        assert response.status_code == 302
        assert response.url == f"/login/?next={quote(url, safe='/')}"


@pytest.mark.parametrize(
    "action, data",
    [
        ("/w/acme/goals/{g}/move/", {"direction": "down"}),
        ("/w/acme/work/link/", {"target": "nothing"}),
        ("/w/acme/glossary/{t}/archive/", {}),
    ],
)
@pytest.mark.parametrize("role", [*ROLES, "outsider"])
def test_it_lets_only_writers_post(client_for, strategy, role, action, data):
    url = action.format(
        g=strategy["goals"][0].pk, item=strategy["items"][0].pk, t=glossary_term(strategy)
    )
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


JSON_TWINS = [page for page, (pattern, _) in PAGES.items() if ".json" in pattern]


@pytest.mark.parametrize("page", JSON_TWINS)
@pytest.mark.parametrize("role", [*ROLES, "outsider"])
def test_a_json_twin_refuses_in_json_with_the_same_status(client_for, strategy, role, page):
    pattern, allowed = PAGES[page]
    if role in allowed:
        return
    response = client_for(role).get(url_for(pattern, strategy))
    assert response.status_code == denied_status(role, page)
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]
