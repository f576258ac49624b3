"""Every list, empty, says what it will hold and what to do next, with a link only for those who
can do it (tests/test_dead_ends.py covers the check-in list of a member)."""

import re

import pytest
from django.contrib.auth import get_user_model

from truenorth.workspaces.models import Membership, Role, Workspace

# page → (the empty state's id, the next step's page for writers, or None where the page itself
# holds the form or the step is taken elsewhere)
EMPTY_PAGES = {
    "vision/": ("no-vision", "vision/edit/"),
    "goals/": ("no-goals", "goals/new/"),
    "roadmap/": ("no-initiatives", None),  # the toolbar's "New initiative" and "Import"
    "roadmap/overruns/": ("no-overruns", None),
    "work/": ("no-work-items", "work/import/"),
    "work/orphans/": ("no-orphans", None),
    "work/mappings/": ("no-mappings", None),  # the form is on the page
    "work/suggestions/": ("no-suggestions", None),
    "claims/": ("no-claims", None),  # the toolbar's "Add a claim": the list is shared by all
    "checkins/": ("no-checkins", "checkins/new/"),
    "people/": ("no-people", "people/import/"),
    "teams/": ("no-teams", None),  # the form is on the page
    "glossary/": ("no-terms", "glossary/new/"),
    "updates/": ("no-updates", None),  # the form is on the page
    "rituals/": ("no-rituals", "rituals/new/"),
    "feedback/": ("no-feedback", "feedback/new/"),
}
# A filter that matches nothing: the empty state offers the whole list back instead.
FILTERED = {
    "work/?link=linked": ("no-work-items", "work/"),
    "claims/?verdict=over_promise": ("no-claims", "claims/"),
    "people/?function=sales": ("no-people", "people/"),
    "feedback/?source=field": ("no-feedback", "feedback/"),
}


@pytest.fixture
def bare(db):
    """A workspace with nothing in it but its logins."""
    workspace = Workspace.objects.create(name="Bare", slug="bare")
    for role in (Role.OWNER, Role.EDITOR, Role.MEMBER, Role.PARTNER):
        user = get_user_model().objects.create_user(f"bare-{role}", f"{role}@bare.test", "x")
        Membership.objects.create(workspace=workspace, user=user, role=role)
    return workspace


def empty_state(client, url: str, element_id: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    found = re.search(
        rf'<div class="empty-state" id="{element_id}">(.*?)</div>', response.content.decode(), re.S
    )
    assert found, f"{url}: no empty state {element_id}"
    return found[1]


@pytest.mark.parametrize("path", EMPTY_PAGES)
@pytest.mark.parametrize("role", ["owner", "editor", "member"])
def test_each_empty_list_says_what_to_do_next(client, bare, path, role):
    client.force_login(get_user_model().objects.get(username=f"bare-{role}"))
    element_id, next_step = EMPTY_PAGES[path]
    shown = empty_state(client, f"/w/bare/{path}", element_id)
    assert "<h2>" in shown and "<p>" in shown  # a title and a sentence, not a bare "None."
    if next_step and role != "member":
        assert f'href="/w/bare/{next_step}"' in shown
        assert client.get(f"/w/bare/{next_step}").status_code == 200
    else:
        assert 'class="button"' not in shown  # nothing to press that would be refused


@pytest.mark.parametrize("url", FILTERED)
def test_a_filter_that_matches_nothing_offers_the_whole_list(client, bare, url):
    client.force_login(get_user_model().objects.get(username="bare-member"))
    element_id, whole = FILTERED[url]
    shown = empty_state(client, f"/w/bare/{url}", element_id)
    assert f'href="/w/bare/{whole}"' in shown


def test_a_partner_is_told_nothing_is_shared_yet(client, bare):
    client.force_login(get_user_model().objects.get(username="bare-partner"))
    shown = empty_state(client, "/w/bare/roadmap/", "no-initiatives")
    assert "shared with partners" in shown


@pytest.mark.parametrize("role, link", [("editor", True), ("member", False)])
def test_the_overview_without_goals_says_so_in_a_sentence_not_a_list(client, bare, role, link):
    client.force_login(get_user_model().objects.get(username=f"bare-{role}"))
    page = client.get("/w/bare/").content.decode()
    card = page[page.index("<h2>Goals</h2>") : page.index("</section>", page.index("<h2>Goals"))]
    assert "<ol>" not in card and "<li>" not in card
    assert '<p id="no-goals-yet">No goals yet.' in card
    assert ('href="/w/bare/goals/new/"' in card) is link
