"""An editor's word on what addresses a customer's need (NeedLink) travels in the workspace
file: accepted and rejected links come back pointing at the copy's own goals and initiatives,
a file written before them still imports, and a link to what the file lacks is refused."""

from datetime import UTC, date, datetime

import pytest

from truenorth.exchange import ExchangeError, export_workspace, import_workspace
from truenorth.feedback.actions import decide_theme
from truenorth.feedback.models import FeedbackItem, NeedLink
from truenorth.roadmap.models import Visibility
from truenorth.workspaces.models import Workspace

pytestmark = pytest.mark.django_db

DECIDED = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)


@pytest.fixture
def linked(workspace, strategy, users):
    """Two tickets the internal initiative addresses (an editor said so) and an interview the
    first goal does not (an editor said that too)."""
    items = [
        FeedbackItem.objects.create(
            workspace=workspace,
            source=source,
            source_key=key,
            text=text,
            account="Globex",
            received_on=date(2026, 4, 1),
        )
        for source, key, text in [
            ("zendesk", "4812", "We need approvals on the phone"),
            ("zendesk", "4813", "Approving from the app, please"),
            ("interview", "globex-2026-04", "Month end keeps me up at night"),
        ]
    ]
    initiative = strategy["initiatives"][Visibility.INTERNAL]
    goal = strategy["goals"][0]
    decide_theme(workspace, [items[0].pk, items[1].pk], initiative, True, users["editor"])
    decide_theme(workspace, [items[2].pk], goal, False, users["owner"])
    NeedLink.objects.filter(item__workspace=workspace).update(decided_at=DECIDED)
    return {"items": items, "initiative": initiative, "goal": goal}


def links_of(workspace: Workspace) -> set[tuple]:
    return {
        (
            link.item.source,
            link.item.source_key,
            link.initiative.title if link.initiative else None,
            f"goal {link.goal.rank} {link.goal.title}" if link.goal else None,
            link.accepted,
            link.decided_by.username if link.decided_by else None,
            link.decided_at,
        )
        for link in NeedLink.objects.filter(item__workspace=workspace).select_related(
            "item", "initiative", "goal", "decided_by"
        )
    }


def test_accepted_and_rejected_links_survive_a_round_trip(workspace, linked):
    data = export_workspace(workspace)
    assert data["version"] == 9 and len(data["need_links"]) == 3
    rejected = next(link for link in data["need_links"] if not link["accepted"])
    assert rejected["source"] == "interview" and rejected["source_key"] == "globex-2026-04"
    assert rejected["goal"] is not None and rejected["initiative"] is None
    assert rejected["decided_by"] == "owner"

    copy = import_workspace(data, slug="acme-copy").workspace
    assert links_of(copy) == links_of(workspace)
    assert {(True, "editor"), (False, "owner")} == {(link[4], link[5]) for link in links_of(copy)}
    # Each link points at the copy's own item and target, never at the original's.
    for link in NeedLink.objects.filter(item__workspace=copy):
        target = link.initiative or link.goal
        assert target.workspace_id == copy.pk and link.item.workspace_id == copy.pk
    assert export_workspace(copy)["need_links"] == data["need_links"]


def test_a_version_8_file_imports_without_links(workspace, linked):
    data = export_workspace(workspace)
    data["version"] = 8
    del data["need_links"]
    copy = import_workspace(data, slug="acme-copy").workspace
    assert copy.feedback.count() == 3
    assert not NeedLink.objects.filter(item__workspace=copy).exists()


@pytest.mark.parametrize(
    "break_it, message",
    [
        (
            lambda link: link.update(source_key="4999"),
            "need_links.0 refers to feedback item 'zendesk 4999', which the file does not define",
        ),
        (
            lambda link: link.update(initiative=999),
            "need_links.0.initiative refers to initiative 999, which the file does not define",
        ),
        (
            lambda link: link.update(goal=1),
            "needs exactly one target: an initiative or a goal",
        ),
    ],
    ids=["unknown item", "unknown initiative", "two targets"],
)
def test_a_link_to_what_the_file_lacks_is_refused_by_name(workspace, linked, break_it, message):
    data = export_workspace(workspace)
    data["need_links"].sort(key=lambda link: link["source_key"])  # zendesk 4812 first
    break_it(data["need_links"][0])
    with pytest.raises(ExchangeError, match=message):
        import_workspace(data, slug="acme-copy")
    assert not Workspace.objects.filter(slug="acme-copy").exists()
    assert NeedLink.objects.count() == 3  # the original's, and nothing of the copy


def test_a_file_repeating_a_link_is_refused_by_name(workspace, linked):
    data = export_workspace(workspace)
    data["need_links"].append(data["need_links"][0])
    first = data["need_links"][0]
    with pytest.raises(ExchangeError, match=f"a need link for {first['source']} "):
        import_workspace(data, slug="acme-copy")
    assert not Workspace.objects.filter(slug="acme-copy").exists()
