"""The partners' version tells partners only of what they could see. A partner read "now due
1 March 2027, 36 days later than before" of an item whose date moved while it was internal, and
an item partners had read as committed vanished from their version without a word when it was
unshared. Moves and take-backs now count only where the item was shared with partners (and its
date theirs to read) before the change; an item the last partners' version gave as committed
and no longer shared gets a line, and a warning for the editor."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from truenorth.roadmap.actions import save_initiative
from truenorth.roadmap.models import Initiative, Status, Visibility
from truenorth.updates import actions, audiences, rules
from truenorth.updates.models import Audience

START, END, TODAY = date(2026, 11, 1), date(2026, 11, 30), date(2026, 12, 1)


def on(day: int, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime(2026, 11, day, hour))


def committed(workspace, title: str, visibility=Visibility.INTERNAL) -> Initiative:
    return save_initiative(
        Initiative(
            workspace=workspace,
            title=title,
            status=Status.COMMITTED,
            target_date=date(2027, 1, 24),
            visibility=visibility,
        )
    )


def change(initiative: Initiative, day: int, **values) -> None:
    for name, value in values.items():
        setattr(initiative, name, value)
    save_initiative(initiative, at=on(day))


def partners_section(workspace, heading: str) -> list[str]:
    draft = actions.open_draft(workspace, START, END, today=TODAY)
    found = audiences.version(draft, Audience.PARTNERS)
    return [line.text for s in found.sections if s.heading == heading for line in s.lines]


@pytest.fixture
def moved_while_internal(workspace):
    """Moved while internal, then shared; and one moved while partners could see it."""
    approval = committed(workspace, "Approval cycle-time report")
    change(approval, 5, target_date=date(2027, 3, 1))
    change(approval, 9, visibility=Visibility.PARTNER)
    feeds = committed(workspace, "Bank feeds", Visibility.PARTNER)
    change(feeds, 5, target_date=date(2027, 2, 1))


def test_partners_hear_only_of_dates_they_could_see_move(moved_while_internal, workspace):
    moved = partners_section(workspace, "Dates that changed")
    assert moved == ["Bank feeds is now due 1 February 2027, 8 days later than before."]
    # The internal versions still tell of both moves.
    draft = workspace.updates.get()
    engineering = audiences.markdown(audiences.version(draft, Audience.ENGINEERING))
    assert "Approval cycle-time report moved from 24 January 2027 to 1 March 2027" in engineering


def test_sharing_an_item_in_the_save_that_moves_its_date_tells_no_move(workspace):
    approval = committed(workspace, "Approval cycle-time report")
    change(approval, 5, target_date=date(2027, 3, 1), visibility=Visibility.PARTNER)
    assert partners_section(workspace, "Dates that changed") == []


def test_partners_hear_only_of_take_backs_they_could_see(workspace):
    hidden = committed(workspace, "Approval cycle-time report")
    change(hidden, 5, status=Status.PLANNED)
    change(hidden, 9, visibility=Visibility.PARTNER)
    seen = committed(workspace, "Bank feeds", Visibility.PARTNER)
    change(seen, 5, status=Status.PLANNED)

    taken = partners_section(workspace, "Taken back")
    assert taken == ["Bank feeds is no longer committed: it is planned now."]


@pytest.fixture
def unshared_after_update(workspace):
    """Update 1 gave partners "Sandbox workspaces" as committed; it was unshared since."""
    sandbox = committed(workspace, "Sandbox workspaces", Visibility.PARTNER)
    actions.publish(actions.open_draft(workspace, date(2026, 10, 1), date(2026, 10, 31)))
    change(sandbox, 10, visibility=Visibility.INTERNAL)
    return sandbox


def test_an_item_partners_read_as_committed_does_not_vanish_without_a_word(
    unshared_after_update, workspace
):
    taken = partners_section(workspace, "Taken back")
    assert taken == ["Sandbox workspaces is no longer on the roadmap we share with you."]
    draft = workspace.updates.get(number=2)
    assert rules.problems(draft) == []  # partners read its title in update 1
    assert unshared_warnings(draft) == [
        "“Sandbox workspaces” was committed for 24 January 2027 in the partners' version of "
        "update 1 and is no longer shared with partners: their version says only that it is "
        "no longer on the roadmap shared with them. Share it again, or tell them why in the "
        "note for partners."
    ]


def test_the_editor_is_warned_on_the_drafts_page_and_its_twin(
    unshared_after_update, workspace, client_for
):
    actions.open_draft(workspace, START, END, today=TODAY)
    editor = client_for("editor")
    page = editor.get("/w/acme/updates/2/").content.decode()
    twin = editor.get("/w/acme/updates/2.json").json()
    assert 'id="warnings"' in page and "“Sandbox workspaces” was committed" in page
    assert twin["warnings"] == rules.warnings(workspace.updates.get(number=2))


def test_no_warning_while_it_stays_shared(workspace):
    committed(workspace, "Sandbox workspaces", Visibility.PARTNER)
    actions.publish(actions.open_draft(workspace, date(2026, 10, 1), date(2026, 10, 31)))
    draft = actions.open_draft(workspace, START, END, today=TODAY)
    assert unshared_warnings(draft) == []
    assert partners_section(workspace, "Taken back") == []


def unshared_warnings(draft) -> list[str]:
    """The warnings of items partners were told of (a draft's empty texts are warned of too)."""
    return [w for w in rules.warnings(draft) if "is no longer shared with partners" in w]
