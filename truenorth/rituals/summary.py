"""The summary of a held session, mailed once to the attendees who did not come.

One message per person (no other address in To or Cc), from workspace.from_email, as text with
an HTML alternative: the notes, the decisions recorded (each linked to the decision log), the
agenda's headlines as every member may read them, and a link to the session's page. People with
no email address are skipped and counted. The log names no person; a failure is recorded as the
mail server's reason (sending.mail_error). The occurrence is marked sent (summary_sent_at) before
the first message goes, so two clicks send it once; a second call sends nothing, unless no
message at all went out (no mail server answered), when it can be sent again. With nobody
absent nothing is sent or marked, and the reason says so.
"""

import logging
import zoneinfo

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from truenorth import sending
from truenorth.rituals import actions, agenda, recurrence
from truenorth.rituals.calendar import absolute
from truenorth.rituals.models import Occurrence

log = logging.getLogger("truenorth.rituals")
HEADLINES = 5  # items of each agenda section an email shows; the rest are on the session's page


def occurrence_path(occurrence: Occurrence) -> str:
    ritual = occurrence.ritual
    day = recurrence.local(ritual, occurrence.starts_at).date().isoformat()
    return reverse("ritual_occurrence", args=[ritual.workspace.slug, ritual.number, day])


def absentees(occurrence: Occurrence) -> list:
    """The ritual's attendees who did not come: no attendance row saying they did."""
    came = set(occurrence.attendances.filter(attended=True).values_list("person_id", flat=True))
    return [person for person in actions.attendees(occurrence.ritual) if person.pk not in came]


def nobody_missed_it(occurrence: Occurrence) -> str:
    if not actions.attendees(occurrence.ritual):
        return "Nobody to send the summary to: the ritual invites nobody."
    return (
        "Nobody to send the summary to: every attendee is marked as having come. Untick "
        "those who missed it under Who came and save the notes, then send it."
    )


def context(occurrence: Occurrence) -> dict:
    ritual = occurrence.ritual
    when = recurrence.local(ritual, occurrence.starts_at)
    # A worker sends it with no time zone active: its dates (a pulse's "closed 9 Jan 2026") read
    # in the workspace's, as on the session's page, not in UTC's.
    with timezone.override(zoneinfo.ZoneInfo(ritual.workspace.time_zone)):
        shown = agenda.for_occurrence(ritual, occurrence.starts_at, occurrence, results=False)
    headlines = [
        {
            "title": s["title"],
            "items": [headline(i) for i in s["items"]][:HEADLINES],
            "more": max(0, len(s["items"]) - HEADLINES),
        }
        for s in shown.get("sections", [])
        if s["items"]
    ]
    slug = ritual.workspace.slug
    decided = [
        {
            "number": d.number,
            "title": d.title,
            "outcome": d.outcome,
            "url": absolute(reverse("decision", args=[slug, d.number])),
        }
        for d in occurrence.decisions.order_by("number")
    ]
    return {
        "ritual": ritual,
        "when": when,
        "notes": occurrence.notes,
        "decisions": decided,
        "headlines": headlines,
        "page": absolute(occurrence_path(occurrence)),
        "subject": f"{ritual.name}, {when:%-d %B %Y}: what you missed",
    }


def headline(item: dict) -> str:
    """An agenda item as the session's page shows it: its words, then its note, such as why a
    member reads the latest pulse's title alone ("its results are for owners, editors and
    viewers")."""
    return f"{item['text']} — {item['note']}" if item.get("note") else item["text"]


def text(found: dict) -> str:
    lines = [found["subject"], ""]
    if found["notes"].strip():
        lines += ["Notes", "", found["notes"].strip(), ""]
    if found["decisions"]:
        lines += ["Decisions", ""]
        for d in found["decisions"]:
            lines.append(f"- {d['title']} (decision {d['number']}): {d['outcome']} {d['url']}")
        lines.append("")
    for section in found["headlines"]:
        lines += [section["title"], ""] + [f"- {item}" for item in section["items"]]
        if section["more"]:
            lines.append(f"- and {section['more']} more on the session's page: {found['page']}")
        lines.append("")
    lines.append(f"The session's page: {found['page']}")
    return "\n".join(lines) + "\n"


def message(occurrence: Occurrence, found: dict, person) -> EmailMultiAlternatives:
    mail = EmailMultiAlternatives(
        found["subject"],
        text(found),
        occurrence.ritual.workspace.from_email,
        to=[f"{person.name} <{person.email}>"],
    )
    mail.attach_alternative(render_to_string("mail/ritual_summary.html", found), "text/html")
    return mail


def claim(occurrence: Occurrence) -> bool:
    """Mark the summary sent, unless it already was (two clicks, two workers: one sends)."""
    with transaction.atomic():
        taken = Occurrence.objects.filter(pk=occurrence.pk, summary_sent_at__isnull=True).update(
            summary_sent_at=timezone.now()
        )
    occurrence.refresh_from_db(fields=["summary_sent_at"])
    return bool(taken)


def send(occurrence: Occurrence) -> dict:
    """{"recipients", "sent", "skipped", "error"}: a summary already sent sends nothing."""
    result = {"recipients": 0, "sent": 0, "skipped": 0, "error": ""}
    if occurrence.status != Occurrence.Status.HELD:
        result["error"] = "Only a session that was held has a summary to send."
        return result
    people = absentees(occurrence)
    if not people and occurrence.summary_sent_at is None:
        # Not marked sent: ticking someone as absent later lets it go to them.
        result["error"] = nobody_missed_it(occurrence)
        return result
    if occurrence.summary_sent_at is not None or not claim(occurrence):
        result["error"] = "The summary was already sent."
        return result
    reachable = [person for person in people if person.email]
    result["recipients"], result["skipped"] = len(people), len(people) - len(reachable)
    found = context(occurrence)
    # One try: a summary is not worth holding a worker for; a failed one can be sent again.
    done = sending.mail_each(reachable, lambda person: message(occurrence, found, person), ())
    result["sent"], result["error"] = done.delivered, done.failure(len(reachable))
    if done.errors and not done.delivered:
        # Nobody got it (no mail server, say): it can be sent again once the server answers.
        Occurrence.objects.filter(pk=occurrence.pk).update(summary_sent_at=None)
        occurrence.summary_sent_at = None
    log.info(
        "Summary of ritual %s (%s): %s of %s sent, %s without an address%s",
        occurrence.ritual.number,
        found["when"].date().isoformat(),
        result["sent"],
        result["recipients"],
        result["skipped"],
        f"; {result['error']}" if done.errors else "",
    )
    return result
