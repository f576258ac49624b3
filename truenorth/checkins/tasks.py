from contextlib import suppress
from dataclasses import asdict

from django_tasks import task

from truenorth.checkins.actions import Sent, plural, send_links
from truenorth.checkins.measure import StillOpen, analyze
from truenorth.checkins.models import CheckIn
from truenorth.checkins.overlaps import WouldDisclose
from truenorth.workspaces import progress


@task()
def analyze_checkin(checkin_id: int) -> None:
    """Analyse a check-in in the background (inline on a single machine, see TASKS); the
    check-in's page shows how far it has got."""
    progress.started("analysis", checkin_id, "Reading the answers")
    try:
        # A check-in reopened after this was queued publishes its results when it closes again;
        # one another was published beside meanwhile stays unpublished, its page says why.
        with suppress(StillOpen, WouldDisclose):
            report = progress.reporter("analysis", checkin_id, "Reading the answers")
            analyze(CheckIn.objects.get(pk=checkin_id), progress=report)
    finally:
        progress.finished("analysis", checkin_id)


@task()
def send_checkin_links(checkin_id: int, reminder: bool = False, new_links: bool = False) -> dict:
    """Send a check-in's invitations or reminders in the background (see TASKS); enqueue it on
    commit. Its arguments and result hold no token: the links are made while sending. A send
    that runs once the check-in has closed sends nothing, as the page would have refused it:
    its links would open a closed check-in, and its tallies are final once published."""
    # Taken by a worker: the page stops saying it waits for one.
    progress.started("sending", checkin_id, sending_label(reminder, new_links))
    try:
        checkin = CheckIn.objects.get(pk=checkin_id)
        if not checkin.is_open():
            return asdict(Sent())
        return asdict(send_links(checkin, reminder, new_links))
    finally:
        progress.finished("sending", checkin_id)  # the page stops saying it is sending


def sending_label(reminder: bool, new_links: bool) -> str:
    """ "Sending the invitations", "Sending the reminders with new links"."""
    noun = "reminder with a new link" if new_links else "reminder" if reminder else "invitation"
    return f"Sending the {plural(noun)}"


def queue_links(checkin_id: int, reminder: bool, new_links: bool):
    """Send the links in the background, saying first that they wait for a worker: until the
    sending has finished (send_checkin_links clears it, however quick), the check-in's page
    offers no second send. Inline, it has finished on return."""
    progress.started("sending", checkin_id, sending_label(reminder, new_links), waiting=True)
    return send_checkin_links.enqueue(checkin_id, reminder, new_links)
