"""What a tracker mapping may serve, and how the work pages count what they did."""

from truenorth.roadmap.models import Initiative, Status
from truenorth.work.models import LinkSuggestion, TrackerMapping, WorkItem


def test_a_mapping_serves_no_dropped_initiative_and_marks_one_without_a_goal(
    client_for, workspace, strategy
):
    dropped = Initiative.objects.create(
        workspace=workspace, title="Old idea", goal=strategy["goals"][0], status=Status.DROPPED
    )
    goalless = Initiative.objects.create(workspace=workspace, title="No goal yet")
    client = client_for("editor")
    page = client.get("/w/acme/work/mappings/").content.decode()
    assert "Old idea" not in page
    assert "No goal yet (serves no goal)" in page
    assert "Internal initiative (serves no goal)" not in page

    mapping = {"field": "label", "value": "old", "target": f"initiative:{dropped.pk}"}
    response = client.post("/w/acme/work/mappings/new/", mapping)
    assert response.status_code == 400 and not TrackerMapping.objects.exists()
    mapping["target"] = f"initiative:{goalless.pk}"
    assert client.post("/w/acme/work/mappings/new/", mapping).status_code == 302


def test_rejecting_one_suggestion_says_suggestion(client_for, workspace, strategy):
    item = WorkItem.objects.get(external_key="ENG-2")
    suggestion = LinkSuggestion.objects.create(item=item, goal=strategy["goals"][0], score=70)
    response = client_for("editor").post(
        "/w/acme/work/suggestions/decide/",
        {"action": "reject", "ids": [suggestion.pk]},
        follow=True,
    )
    assert (
        "Rejected 1 suggestion: a rejected one is not offered again." in response.content.decode()
    )
