"""One feedback item linked to the roadmap on its own page, with the real model: what addresses
it (linked by an editor or suggested), a select of the rest to link it to, nearest first, and
the themes counting the link at once."""

import re

import pytest
from django.utils import timezone

from tests.api import api_request
from truenorth.feedback.models import FeedbackItem
from truenorth.feedback.themes import theme_figures
from truenorth.roadmap.models import Initiative, Status

CHECKLIST = "Wants a checklist in the app."


@pytest.fixture
def roadmap(workspace):
    export = Initiative.objects.create(
        workspace=workspace,
        key="RM-1",
        title="Export the invoice register to Excel and CSV",
        problem="Finance teams copy invoices into spreadsheets by hand for their auditors.",
        status=Status.COMMITTED,
    )
    setup = Initiative.objects.create(
        workspace=workspace,
        key="RM-23",
        title="Carbon footprint estimate per supplier",
        problem="Sustainability teams want emissions by supplier.",
        status=Status.PLANNED,
    )
    return {"export": export, "setup": setup}


def item(workspace, text: str, key: str) -> FeedbackItem:
    return FeedbackItem.objects.create(
        workspace=workspace,
        source="zendesk",
        source_key=key,
        text=text,
        account="Initech",
        received_on=timezone.localdate(),
    )


def unsupported(workspace) -> list[str]:
    return [target["key"] for target in theme_figures(workspace)["market"]["unsupported"]]


def link(client, one: FeedbackItem, target: Initiative, decision: str = "link"):
    form = {"target": f"initiative-{target.pk}", "decision": decision}
    return client.post(f"/w/acme/feedback/{one.pk}/link/", form, follow=True)


def test_an_editor_links_an_item_nothing_matches_and_the_themes_count_it(
    client_for, workspace, roadmap
):
    wants = item(workspace, CHECKLIST, "83")
    assert unsupported(workspace) == ["RM-1", "RM-23"]
    editor = client_for("editor")
    page = editor.get(f"/w/acme/feedback/{wants.pk}/").content.decode()
    assert "Nothing on the roadmap addresses this item" in page
    assert f'<option value="initiative-{roadmap["setup"].pk}">RM-23 Carbon' in page
    page = link(editor, wants, roadmap["setup"]).content.decode()
    assert "this item" in page and "linked by an editor" in page
    assert re.search(r"RM-23 Carbon footprint estimate per supplier</a> \(.*\) — linked", page)
    assert unsupported(workspace) == ["RM-1"]
    themes = editor.get("/w/acme/feedback/themes/").content.decode()
    [asked_for_by_none] = re.findall(r'<p id="unsupported">.*?</p>', themes)
    assert "RM-1 " in asked_for_by_none and "RM-23" not in asked_for_by_none
    # Unlinked, it is the editor's word that it does not: never suggested again for this item.
    page = link(editor, wants, roadmap["setup"], "unlink").content.decode()
    assert "Nothing on the roadmap addresses this item" in page
    assert "An editor said this does not address it" in page
    assert unsupported(workspace) == ["RM-1", "RM-23"]


def test_a_suggested_match_is_shown_and_can_be_unlinked(client_for, workspace, roadmap):
    wants = item(workspace, "Please let us export the invoice list to Excel", "1")
    editor = client_for("editor")
    page = editor.get(f"/w/acme/feedback/{wants.pk}/").content.decode()
    assert "suggested by the model" in page and ">Confirm</button>" in page
    # The one not suggested is offered to link, among the nearest to the item's words.
    assert re.search(r'label="Nearest to its words">[^/]*RM-23', page)
    link(editor, wants, roadmap["export"], "unlink")
    assert unsupported(workspace) == ["RM-1", "RM-23"]


def test_readers_see_the_links_but_only_editors_link(client_for, workspace, roadmap):
    wants = item(workspace, CHECKLIST, "83")
    other = Initiative.objects.create(
        workspace=type(workspace).objects.create(name="Else", slug="else"), title="Elsewhere"
    )
    page = client_for("member").get(f"/w/acme/feedback/{wants.pk}/").content.decode()
    assert "On the roadmap" in page and "/link/" not in page
    assert link(client_for("member"), wants, roadmap["setup"]).status_code == 403
    assert client_for("partner").get(f"/w/acme/feedback/{wants.pk}/").status_code == 403
    editor = client_for("editor")
    for bad in ({"target": f"initiative-{other.pk}"}, {"target": "initiative-x"}, {}):
        answer = editor.post(f"/w/acme/feedback/{wants.pk}/link/", {"decision": "link", **bad})
        assert answer.status_code == 400 and b"initiative-&lt;id&gt;" in answer.content
    answer = editor.post(f"/w/acme/feedback/{wants.pk}/link/", {"target": "goal-1"})
    assert answer.status_code == 400
    assert editor.get(f"/w/acme/feedback/{wants.pk}/link/").status_code == 405
    assert editor.post("/w/acme/feedback/999999/link/", {"decision": "link"}).status_code == 404


def test_the_api_reads_what_addresses_an_item_and_links_it(client, users, workspace, roadmap):
    wants = item(workspace, CHECKLIST, "83")
    path = f"/api/v1/workspaces/acme/feedback/{wants.pk}/roadmap"
    found = api_request(client, users["member"], "get", path).json()
    assert found["addressed_by"] == [] and found["not_addressed_by"] == []
    offered = [target["key"] for target in found["nearest"] + found["others"]]
    assert sorted(offered) == ["RM-1", "RM-23"]
    body = {"items": [wants.pk], "target": f"initiative-{roadmap['setup'].pk}"}
    matches = "/api/v1/workspaces/acme/themes/matches"
    assert api_request(client, users["editor"], "post", matches, body, "write").json() == {
        "items": 1
    }
    [linked] = api_request(client, users["member"], "get", path).json()["addressed_by"]
    assert (linked["key"], linked["accepted"]) == ("RM-23", True)
    assert api_request(client, users["partner"], "get", path).status_code == 403
    missing = "/api/v1/workspaces/acme/feedback/999999/roadmap"
    assert api_request(client, users["member"], "get", missing).status_code == 404
