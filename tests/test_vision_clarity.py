import pytest

from truenorth.strategy.models import Vision

URL = "/w/acme/vision/clarity/"
BUZZWORDS = {
    "statement": "We leverage world-class synergy for a seamless ERP experience.",
    "destination": "",
    "measures_of_progress": "",
    "target_user": "",
    "user_benefit": "",
    "business_outcome": "",
    "horizon": "",
}


def test_it_shows_the_clarity_score_on_the_vision_page(client_for, strategy):
    page = client_for("viewer").get("/w/acme/vision/").content.decode()
    # The fixture's vision fills in every part; its measure has no number yet.
    assert 'id="clarity"' in page
    assert "100/100" in page
    # Suggestions are advice on wording: for those who can edit it, not for a viewer.
    assert "a number that moves" not in page
    assert "a number that moves" in client_for("editor").get("/w/acme/vision/").content.decode()


def test_it_scores_the_version_shown_not_the_latest(client_for, strategy, workspace):
    Vision.objects.create(
        **{
            **BUZZWORDS,
            "workspace": workspace,
            "number": 2,
            "created_at": strategy["vision"].created_at,
        }
    )
    latest = client_for("viewer").get("/w/acme/vision/").content.decode()
    first = client_for("viewer").get("/w/acme/vision/v1/").content.decode()
    assert "world-class" in latest.split('id="clarity"')[1]
    assert "100/100" in first


def test_it_shows_the_panel_and_its_live_url_on_the_edit_page(client_for, strategy):
    page = client_for("editor").get("/w/acme/vision/edit/").content.decode()
    assert 'id="clarity"' in page
    assert "100/100" in page
    assert f'data-clarity-url="{URL}"' in page


def test_it_checks_the_unsaved_text_after_a_failed_publish(client_for, strategy):
    response = client_for("editor").post("/w/acme/vision/edit/", BUZZWORDS)
    assert response.status_code == 400
    assert "leverage" in response.content.decode().split('id="clarity"')[1]


def test_it_returns_a_fragment_naming_the_buzzwords(client_for, strategy):
    response = client_for("editor").post(URL, BUZZWORDS)
    assert response.status_code == 200
    fragment = response.content.decode()
    assert "<html" not in fragment
    for phrase in ("leverage", "world-class", "synergy", "seamless", "ERP"):
        assert phrase in fragment
    assert "Say how progress is measured" in fragment
    assert Vision.objects.count() == 1  # checking never publishes


@pytest.mark.parametrize(
    "data", [{}, {"statement": ["a", "b"]}, {"bogus": "x"}, {"statement": "x" * 100_000}]
)
def test_it_answers_malformed_input_with_a_fragment(client_for, strategy, data):
    response = client_for("owner").post(URL, data)
    assert response.status_code == 200
    assert "/100" in response.content.decode()


def test_it_refuses_get(client_for, strategy):
    assert client_for("editor").get(URL).status_code == 405


@pytest.mark.parametrize("role", ["member", "viewer", "partner"])
def test_it_is_forbidden_to_those_who_cannot_write(client_for, strategy, role):
    assert client_for(role).post(URL, BUZZWORDS).status_code == 403


def test_it_hides_the_workspace_from_outsiders(client_for, strategy):
    assert client_for("outsider").post(URL, BUZZWORDS).status_code == 404


def test_the_panel_says_it_checks_wording_not_the_strategy(client_for, strategy):
    page = client_for("viewer").get("/w/acme/vision/").content.decode()
    assert "A wording checklist, not a judgement of the strategy" in page
    assert "What each tick looks for" in page and "By end of 2027" in page
