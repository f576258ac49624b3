from truenorth.work.models import WorkItem


def test_it_filters_linked_and_unlinked_work(client_for, strategy):
    client = client_for("member")
    linked = client.get("/w/acme/work/?link=linked").content.decode()
    unlinked = client.get("/w/acme/work/?link=unlinked").content.decode()
    assert "ENG-1" in linked and "ENG-2" not in linked
    assert "ENG-2" in unlinked and "ENG-1" not in unlinked


def test_members_get_no_link_forms(client_for, strategy):
    assert "link-form" not in client_for("member").get("/w/acme/work/").content.decode()
    assert "link-form" in client_for("editor").get("/w/acme/work/").content.decode()


def test_it_links_an_orphan_to_a_goal_and_back(client_for, strategy):
    orphan = strategy["items"][1]
    goal = strategy["goals"][1]
    client = client_for("editor")
    client.post(f"/w/acme/work/{orphan.pk}/link/", {"target": f"goal:{goal.pk}"})
    orphan.refresh_from_db()
    assert (orphan.goal, orphan.initiative, orphan.supported_goal) == (goal, None, goal)
    client.post(f"/w/acme/work/{orphan.pk}/link/", {"target": ""})
    orphan.refresh_from_db()
    assert orphan.supported_goal is None


def test_it_links_to_an_initiative(client_for, strategy):
    orphan = strategy["items"][1]
    initiative = strategy["initiatives"]["partner"]
    client_for("editor").post(
        f"/w/acme/work/{orphan.pk}/link/", {"target": f"initiative:{initiative.pk}"}
    )
    orphan.refresh_from_db()
    assert orphan.initiative == initiative
    assert orphan.supported_goal == strategy["goals"][0]


def test_a_bad_link_target_is_a_message_not_an_error(client_for, strategy):
    orphan = strategy["items"][1]
    response = client_for("editor").post(
        f"/w/acme/work/{orphan.pk}/link/", {"target": "goal:99999"}, follow=True
    )
    assert response.status_code == 200
    assert "Could not link" in response.content.decode()
    assert WorkItem.objects.get(pk=orphan.pk).goal is None


def test_it_does_not_redirect_off_site(client_for, strategy):
    orphan = strategy["items"][1]
    response = client_for("editor").post(
        f"/w/acme/work/{orphan.pk}/link/", {"target": "", "next": "https://evil.test/"}
    )
    assert response.url == "/w/acme/work/"


def test_a_link_made_by_hand_is_recorded_as_such(client_for, strategy):
    orphan = strategy["items"][1]
    goal = strategy["goals"][1]
    client_for("editor").post(f"/w/acme/work/{orphan.pk}/link/", {"target": f"goal:{goal.pk}"})
    orphan.refresh_from_db()
    assert orphan.linked_by == "hand"
    assert "(linked by hand)" in client_for("member").get("/w/acme/work/").content.decode()


def test_it_filters_by_team_and_keeps_the_filter_across_tabs(client_for, strategy, team):
    WorkItem.objects.filter(pk=strategy["items"][1].pk).update(team=team)
    page = client_for("member").get(f"/w/acme/work/?team={team.pk}").content.decode()
    assert "ENG-2" in page and "ENG-1" not in page
    assert f"?link=unlinked&team={team.pk}" in page
    assert client_for("member").get("/w/acme/work/?team=abc").status_code == 200
