"""A draft as an editor fixes it before publishing: its title changed (on the page, the API and
the command line) when it names internal work, its number never given to a later update once it
is deleted, the page naming the confirmation an early publish lacks, an overlapping update
described by how much of the period it covers, and a withdrawal from the command line saying
that it records no login."""

from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from django.utils import timezone
from django.utils.formats import date_format

from tests.api import caller
from truenorth.cli import main
from truenorth.updates import actions, rules

PAGES = "/w/acme/updates"
API = "/api/v1/workspaces/acme/updates"
START, END = date(2026, 11, 1), date(2026, 11, 30)
INTERNAL_TITLE = "November: the SOC 2 audit and virtual cards"


@pytest.fixture
def draft(workspace, strategy):
    return actions.open_draft(workspace, START, END, today=date(2026, 12, 1))


def test_the_page_changes_a_drafts_title(db, draft, client_for):
    client = client_for("editor")
    page = client.get(f"{PAGES}/{draft.number}/").content.decode()
    assert 'name="title"' in page
    texts = {"title": INTERNAL_TITLE, "narrative": "A month.", "partner_note": "Thanks."}
    assert client.post(f"{PAGES}/{draft.number}/texts/", texts).status_code == 302
    draft.refresh_from_db()
    assert draft.title == INTERNAL_TITLE
    # A form sent without a title (an older page) keeps it.
    client.post(f"{PAGES}/{draft.number}/texts/", {"narrative": "B.", "partner_note": "C."})
    draft.refresh_from_db()
    assert (draft.title, draft.narrative) == (INTERNAL_TITLE, "B.")


def test_the_api_changes_a_drafts_title_until_it_is_published(db, draft, client, users):
    call = caller(client, users, API)
    changed = call("patch", f"/{draft.number}", {"title": "November, in short"})
    assert changed.status_code == 200, changed.json()
    assert changed.json()["title"] == "November, in short"
    too_long = call("patch", f"/{draft.number}", {"title": "x" * 201})
    assert too_long.status_code in (400, 422)
    actions.save_texts(draft, "A month.", "Thanks.")
    actions.publish(draft, today=date(2026, 12, 1))
    assert call("patch", f"/{draft.number}", {"title": "Later"}).status_code == 409


def test_the_command_line_changes_a_drafts_title(db, draft):
    args = ["updates", "write", str(draft.number), "--title", "November, in short", "-w", "acme"]
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 0, done.output
    draft.refresh_from_db()
    assert draft.title == "November, in short"


def test_a_title_naming_internal_work_is_changed_and_the_draft_published(db, draft, strategy):
    internal = strategy["initiatives"]["internal"]
    actions.save_texts(draft, "A month.", "Thanks.", title=f"November: {internal.title}")
    with pytest.raises(actions.PublishRefused):
        actions.publish(draft, today=date(2026, 12, 1))
    actions.save_texts(draft, "A month.", "Thanks.", title="November 2026")
    assert actions.publish(draft, today=date(2026, 12, 1)).is_published


def test_a_deleted_drafts_number_is_never_given_again(db, workspace, strategy):
    first = actions.open_draft(workspace, START, END, today=date(2026, 12, 1))
    second = actions.open_draft(workspace, START, END, today=date(2026, 12, 1))
    actions.delete_draft(second)
    third = actions.open_draft(workspace, START, END, today=date(2026, 12, 1))
    assert (first.number, third.number) == (1, 3)
    actions.delete_draft(third)
    actions.delete_draft(first)
    assert actions.open_draft(workspace, START, END, today=date(2026, 12, 1)).number == 4


def test_the_page_names_the_confirmation_an_early_publish_lacks(
    db, workspace, strategy, client_for
):
    today = timezone.localdate()
    month = actions.open_draft(workspace, today - timedelta(days=3), today + timedelta(days=3))
    texts = {"title": month.title, "narrative": "So far.", "partner_note": "Thanks."}
    refused = client_for("editor").post(f"{PAGES}/{month.number}/publish/", texts)
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "Not published: the period has not ended. Tick “Publish before the period ends”" in page


def test_an_overlapping_update_is_said_to_cover_all_or_part_of_the_period(db, workspace, strategy):
    wide = actions.open_draft(workspace, date(2026, 10, 1), date(2026, 11, 30))
    actions.save_texts(wide, "Two months.", "Thanks.")
    actions.publish(wide, today=date(2026, 12, 1))
    inside = actions.open_draft(workspace, START, END, today=date(2026, 12, 1))
    assert "is published and covers all of this period" in rules.overlap_warnings(inside)[0]
    across = actions.open_draft(workspace, date(2026, 11, 15), date(2026, 12, 15))
    assert "is published and covers part of this period" in rules.overlap_warnings(across)[0]


def test_a_withdrawal_from_the_command_line_says_it_records_no_login(db, draft, client_for):
    actions.save_texts(draft, "A month.", "Thanks.")
    actions.publish(draft, today=date(2026, 12, 1))
    done = CliRunner().invoke(main, ["updates", "withdraw", str(draft.number), "-w", "acme"])
    assert done.exit_code == 0, done.output
    page = client_for("editor").get(f"{PAGES}/{draft.number}/").content.decode()
    assert "with no login recorded (as from the command line)" in page


def test_a_draft_says_when_data_changed_since_its_facts_were_gathered(
    db, users, client_for, client, workspace, draft
):
    """ "Decisions still open 3 … Decisions made 0" read as current after a decision was made,
    with only the time the facts were gathered beside it."""
    from truenorth.decisions import actions as decisions
    from truenorth.decisions.models import Decision

    editor = client_for("editor")

    def shown() -> tuple[bool, bool, bool]:
        # Only that the workspace changed is known: a glossary definition counts too, and
        # gathering again may move no fact ("gather again to include them" promised some).
        draft.refresh_from_db()
        when = date_format(timezone.localtime(draft.gathered_at), "DATETIME_FORMAT")
        said = (
            f"The workspace has changed since these facts were gathered ({when}): gather again "
            "to see whether any moved."
        )
        page = editor.get(f"{PAGES}/{draft.number}/").content.decode()
        twin = editor.get(f"{PAGES}/{draft.number}.json").json()
        api = caller(client, users, API)("get", f"/{draft.number}").json()
        return said in page, twin["gathered_before_changes"], api["gathered_before_changes"]

    assert shown() == (False, False, False)  # gathering writes nothing that makes it stale
    made = decisions.add_decision(
        Decision(workspace=workspace, title="Vendor", question="Which?", raised_on=START)
    )
    decisions.decide(made, START + timedelta(days=3), "Vendor A.")
    assert shown() == (True, True, True)
    assert editor.post(f"{PAGES}/{draft.number}/gather/").status_code == 302
    assert shown() == (False, False, False)
    actions.save_texts(draft, "A month.", "Thanks.")
    draft.refresh_from_db()
    actions.publish(draft, today=date(2026, 12, 1))
    decisions.add_decision(Decision(workspace=workspace, title="Pricing", question="Per seat?"))
    published = caller(client, users, API)("get", f"/{draft.number}").json()
    assert published["gathered_before_changes"] is None  # its facts are frozen
