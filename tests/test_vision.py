from truenorth.strategy.models import Vision
from truenorth.workspaces.models import Membership, Person

VISION = {
    "statement": "Every mid-market finance team closes its books in three days.",
    "destination": "Three-day close",
    "measures_of_progress": "Median days to close",
    "target_user": "Finance controllers",
    "user_benefit": "No more weekend closes",
    "business_outcome": "Net revenue retention 115%",
    "horizon": "2028",
}


def test_it_shows_the_current_vision_and_its_parts(client_for, strategy):
    page = client_for("viewer").get("/w/acme/vision/").content.decode()
    assert strategy["vision"].statement in page
    assert "Median close time" in page


def test_it_publishes_a_new_version_and_keeps_the_old(client_for, strategy, users):
    response = client_for("editor").post("/w/acme/vision/edit/", VISION)
    assert response.status_code == 302
    versions = list(Vision.objects.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].statement == strategy["vision"].statement
    assert versions[1].statement == VISION["statement"]
    assert versions[1].created_by == users["editor"]
    history = client_for("editor").get("/w/acme/vision/v1/").content.decode()
    assert strategy["vision"].statement in history


def test_it_prefills_the_form_with_the_current_version(client_for, strategy):
    page = client_for("owner").get("/w/acme/vision/edit/").content.decode()
    assert "Median close time" in page


def test_it_rejects_a_vision_missing_a_part_and_saves_nothing(client_for, strategy):
    incomplete = {**VISION, "destination": ""}
    response = client_for("owner").post("/w/acme/vision/edit/", incomplete)
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert Vision.objects.count() == 1


def test_it_returns_404_for_a_version_that_does_not_exist(client_for, strategy):
    assert client_for("viewer").get("/w/acme/vision/v9/").status_code == 404


def test_it_names_who_published_as_people_know_them_not_by_login(client_for, strategy, users):
    Person.objects.filter(email="editor@acme.test").update(name="Ada Lovelace")
    client_for("editor").post("/w/acme/vision/edit/", VISION)
    page = client_for("viewer").get("/w/acme/vision/").content.decode()
    assert "by Ada Lovelace." in page and "by editor." not in page
    Membership.objects.filter(user=users["editor"]).update(person=None)  # no person behind it
    users["editor"].first_name, users["editor"].last_name = "Ada", "L."
    users["editor"].save()
    assert "by Ada L.." in client_for("viewer").get("/w/acme/vision/").content.decode()


def test_it_refuses_a_statement_longer_than_the_limit_and_publishes_nothing(client_for, strategy):
    pasted = {**VISION, "statement": "We will win. " * 23_000}  # about 300,000 characters
    response = client_for("editor").post("/w/acme/vision/edit/", pasted)
    assert response.status_code == 400
    page = response.content.decode()
    assert "at most 5000 characters" in page and 'maxlength="5000"' in page
    assert Vision.objects.count() == 1
