"""The goal form's live clarity check and the clarity shown on the goals page."""

import re

URL = "/w/acme/goals/clarity/"


def test_it_shows_each_goals_clarity_on_the_goals_page(client_for, strategy):
    page = client_for("member").get("/w/acme/goals/").content.decode()
    assert page.count('class="goal-clarity"') == len(strategy["goals"])
    assert "Clarity " in page


def test_it_checks_the_unsaved_goal_as_the_editor_types(client_for, strategy):
    fields = {"title": "Leverage synergies", "why": "", "metric": "", "target": "", "period": ""}
    panel = client_for("editor").post(URL, fields).content.decode()
    assert "leverage" in panel.lower()
    assert "Outcome, not output" in panel and "missing" in panel


def test_the_goal_form_wires_the_live_check(client_for, strategy):
    page = client_for("editor").get("/w/acme/goals/new/").content.decode()
    assert f'data-clarity-url="{URL}"' in page
    assert 'id="clarity"' in page and "clarity.js" in page


def test_only_editors_may_use_the_check(client_for, strategy):
    assert client_for("member").post(URL, {}).status_code == 403
    assert client_for("editor").get(URL).status_code == 405


NEW = "/w/acme/goals/new/"
GOAL = {
    "title": "Dispatchers plan a day of routes in under 10 minutes",
    "why": "Dispatchers at small fleets lose two hours every morning.",
    "why_now": "",
    "metric": "Median minutes to plan a day",
    "target": "under 10 minutes",
    "period": "2026-H2",
}


def test_the_goal_form_marks_its_required_fields(client_for, strategy):
    page = client_for("editor").get(NEW).content.decode()
    assert "Fields marked * are required." in page
    marked = re.findall(r'<label for="id_(\w+)">[^<]*<span class="required-mark"', page)
    assert marked == ["title", "why", "why_now", "metric", "target", "period"]  # not "names"


def test_a_goal_saved_without_why_now_says_so_when_the_browser_does_not(client_for, strategy):
    """A browser that skips the required attribute (or a script) gets the server's words."""
    answer = client_for("editor").post(NEW, GOAL)
    page = answer.content.decode()
    assert answer.status_code == 400
    assert "Not saved: fix what is marked below" in page
    assert '<a href="#id_why_now">Why now</a>: This field is required.' in page
    why_now = page[page.index('<label for="id_why_now">') :]
    assert why_now.index('class="error"') < why_now.index("<label", 1)  # under its own field


def test_a_glossary_link_beside_the_typed_goal_opens_in_a_new_tab(client_for, strategy):
    panel = client_for("editor").post(URL, {**GOAL, "why_now": "SMB fleets churn."}).content
    link = re.search(r'<a class="glossary-add"[^>]*>[^<]*</a>', panel.decode())[0]
    assert 'target="_blank"' in link and 'rel="noopener"' in link
    assert "Add SMB to the glossary (opens in a new tab)" in link
    refused = {**GOAL, "why_now": "SMB fleets churn.", "period": ""}  # the form shown again
    page = client_for("editor").post(NEW, refused).content
    assert 'target="_blank"' in re.search(r'<a class="glossary-add"[^>]*>', page.decode())[0]


def test_the_dispatchers_goal_says_who_gains_and_a_bare_one_does_not(client_for, strategy):
    checked = client_for("editor").post(URL, {**GOAL, "why_now": "Fleets leave us."})
    assert '<li class="present">✓ Who gains, and what' in checked.content.decode()
    vague = {**GOAL, "title": "Launch the new route optimizer", "why": "Customers asked for it."}
    panel = client_for("editor").post(URL, vague).content.decode()
    assert '<li class="missing">✗ Who gains, and what' in panel
    assert "Say what they gain" in panel
