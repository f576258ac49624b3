"""The demo's updates: the last 30 days', written and published, and a draft for this month.

The published one is what an editor at Larkspur would write once (the narrative) and once more
for partners (the note); truenorth fills in the rest from the roadmap, decisions, claims and
check-ins of those days. It covers the 30 days to yesterday rather than a calendar month because
the demo's dates are counted back from the day it is built: RM-11 ships 28 days before, the slips
of RM-02, RM-07, RM-08, RM-20 and RM-24 fall 15 to 30 days before, the reminders decision 12,
so the same events are in it on any day. It is published while the demo is built, before the
pulses are analysed; `truenorth demo` gathers its facts once more after the analyses
(with_check_in_results), as they were on the day it was published.

The narrative names no exploring or planned item with a date or a promise (updates.rules would
refuse it), and the note for partners names only what partners see."""

import calendar
import contextlib
from datetime import date, timedelta

from truenorth.demo import content
from truenorth.demo.rituals import freeze_again
from truenorth.updates import actions
from truenorth.updates.facts import gather
from truenorth.updates.models import Update
from truenorth.workspaces.models import Membership, Person, Workspace

NARRATIVE = (
    "Approvals left the inbox this month: approvers can now approve from Slack and Microsoft "
    "Teams, and the reminders decision means they get nudged where they already are. That is "
    "the first real move on approval time since the approval rules shipped.\n\n"
    "The month's bad news is ERP sync. The NetSuite sync rewrite moved again, and the ERP "
    "connection wizard moved with it, to a week after it: the wizard waits for the rewrite's "
    "retry queue. We chose to move the dates rather than ship a sync that fails quietly: a "
    "failed posting costs every NetSuite customer, and reliability is the goal those two serve. "
    "If you talk to a NetSuite customer, give them the new dates, not the old ones.\n\n"
    "Two questions are still open and holding work up: who owns GL mapping for multi-subsidiary "
    "customers, and how we build mobile approvals. Mobile approvals is planned, not promised; "
    "please do not give customers a date for it."
)

PARTNER_NOTE = (
    "Approving from Slack and Microsoft Teams is live for every customer, and approvers now get "
    "reminders in Slack where they connected it, otherwise by email.\n\n"
    "Two dates you plan around have moved: the self-serve ERP connection wizard and the sync "
    "error inbox are both due later than the roadmap we share with you said, and the new dates "
    "are below. We would rather give you a later date we keep than an early one we miss."
)

DRAFT_NARRATIVE = "This month so far: to be written at the month's end."


def last_30_days(today: date) -> tuple[date, date]:
    return today - timedelta(days=30), today - timedelta(days=1)


def build_updates(
    workspace: Workspace, people: dict[str, Person], today: date
) -> tuple[Update, Update]:
    """The last 30 days' update, published, and a draft for this month; both by the VP Product."""
    editor = Membership.objects.filter(
        workspace=workspace, person=people[f"nadia.karimi@{content.DOMAIN}"]
    ).first()
    by = editor.user if editor else None
    start, end = last_30_days(today)
    published = actions.open_draft(workspace, start, end, by=by, today=today)
    actions.save_texts(published, NARRATIVE, PARTNER_NOTE)
    # Refused, it stays a draft with its problems on its page; tests/test_updates.py checks
    # that the demo's never is, and a refusal must not stop the demo being built.
    with contextlib.suppress(actions.PublishRefused):
        actions.publish(published, by=by, today=today)
    month_end = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    draft = actions.open_draft(workspace, today.replace(day=1), month_end, by=by, today=today)
    actions.save_texts(draft, DRAFT_NARRATIVE, "")
    return published, draft


def with_check_in_results(workspace: Workspace, today: date) -> None:
    """The published update's facts gathered again once the demo's pulses are analysed: in a
    real workspace the results of a pulse that closed in the period exist when it is published.
    The held sessions' agendas are frozen again for the same reason (demo.rituals)."""
    for update in workspace.updates.filter(published_at__isnull=False):
        update.facts = gather(workspace, update.period_start, update.period_end, today)
        update.save(update_fields=["facts"])
    freeze_again(workspace)
    # Last, so the draft is gathered after everything the demo writes: else its page would say
    # "Gathered before later changes" to whoever opens it first.
    for draft in workspace.updates.filter(published_at__isnull=True):
        actions.refresh(draft, today)
