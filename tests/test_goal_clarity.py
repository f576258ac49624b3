"""The goal form's live clarity check and the clarity shown on the goals page."""

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
