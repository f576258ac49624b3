"""Sending a published update: by email, each person the version of their function, and to a
Slack-compatible incoming webhook, one post holding only what partners may read.

Who reads which version by email (FUNCTION_AUDIENCE):

- engineering → engineering;
- design and product → design: product managers decide what users get next, and the design
  version is the one written about users, outcomes and the problems being solved or explored;
  the engineering version is about delivery (what moved, what is overdue), which product
  follows on the roadmap already;
- sales and marketing → sales (sales and marketing);
- customer success and support → support (customer success and support);
- leadership, finance and operations → executives;
- partner → partners. So does anyone whose login is a partner's, or whose people record says a
  login made for them would be (Person.role), whatever their function: a partner never reads an
  internal version.

People who left (inactive) are not written to; people with no email or no function are skipped
and counted, so the page can say how many the update misses. So are those whose “Update
published” choice is none (notifications.audience), saved on the Notifications page, from the
command line, or by an email's unsubscribe link, “Update published” or all notification emails:
the choice reads as covering the update, and each email carries that link, its List-Unsubscribe
header, and one line saying why its person gets it.

Every message goes to one person (no other address in To or Cc), from workspace.from_email,
as HTML with a text alternative (audiences.markdown). Someone with no login gets it without app
links: each would only lead them to the login page. A Slack channel may hold partners, so the
post carries the partners' version's lines and, for every other version, only its title and a
link to its page.

Each (channel, audience) send is an UpdateSending row: queued, then sent or failed, with the
attempts it took. A connection that drops, a mail server that answers 4xx, a webhook that answers
5xx or not at all are tried again (RETRY_DELAYS); a mailbox the server refuses (5xx) is not. The
log names no person and no webhook URL (only its host).
"""

import logging
from dataclasses import dataclass, field

from django.core.mail import EmailMultiAlternatives
from django.db.models import Q, Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend

from truenorth import sending
from truenorth.notifications import unsubscribe
from truenorth.notifications.models import Event, Preference
from truenorth.sending import absolute, cut, mrkdwn
from truenorth.updates import audiences
from truenorth.updates.models import Audience, Update, UpdateSending
from truenorth.workspaces.actions import host_of
from truenorth.workspaces.models import Function, Person, Role

log = logging.getLogger("truenorth.updates")

FUNCTION_AUDIENCE = {
    Function.ENGINEERING: Audience.ENGINEERING,
    Function.DESIGN: Audience.DESIGN,
    Function.PRODUCT: Audience.DESIGN,
    Function.SALES: Audience.SALES,
    Function.MARKETING: Audience.SALES,
    Function.CUSTOMER_SUCCESS: Audience.SUPPORT,
    Function.SUPPORT: Audience.SUPPORT,
    Function.LEADERSHIP: Audience.EXECUTIVES,
    Function.FINANCE: Audience.EXECUTIVES,
    Function.OPERATIONS: Audience.EXECUTIVES,
    Function.PARTNER: Audience.PARTNERS,
}
CHANNELS = tuple(UpdateSending.Channel.values)
# Seconds to wait before each attempt after the first: three attempts in all.
RETRY_DELAYS = sending.RETRY_DELAYS
SEND_TIMEOUT = sending.SEND_TIMEOUT
MAX_BLOCKS, MAX_TEXT, MAX_HEADER = sending.MAX_BLOCKS, sending.MAX_TEXT, sending.MAX_HEADER


class NotPublished(ValueError):
    """Only a published update is sent: a draft may still change."""


# The Slack post carries the partners' version: once withdrawn, it is not posted again.
WITHDRAWN_SLACK = (
    "The partners' version of this update was withdrawn, and the Slack post carries it: "
    "nothing was sent. Send it by email (partners are left out)."
)


@dataclass
class Recipients:
    by_audience: dict[str, list[Person]] = field(default_factory=dict)
    no_email: int = 0
    no_function: int = 0
    stopped: int = 0  # their “Update published” choice is none

    @property
    def skipped(self) -> int:
        return self.no_email + self.no_function + self.stopped

    def skipped_words(self) -> str:
        """ "2 without an email, 1 without a function and 1 whose “Update published” choice is
        none", leaving out the zeros."""
        said = [
            f"{n} {words}"
            for n, words in (
                (self.no_email, "without an email"),
                (self.no_function, "without a function"),
                (self.stopped, f"whose {UPDATE_CHOICE} choice is none"),
            )
            if n
        ]
        return " and ".join([", ".join(said[:-1]), said[-1]] if len(said) > 1 else said)


def recipients(workspace) -> Recipients:
    """The workspace's active people by the audience whose version they get (see above)."""
    partner_logins = workspace.memberships.filter(role=Role.PARTNER, person__isnull=False)
    partners = Q(function=Function.PARTNER) | Q(role=Role.PARTNER)
    partners |= Q(pk__in=partner_logins.values("person_id"))
    found = Recipients({a: [] for a in Audience.values})
    partner_ids = set(workspace.people.filter(partners).values_list("pk", flat=True))
    stopped = set(stopped_ids(workspace))
    for person in workspace.people.filter(active=True).order_by("name", "pk"):
        if not person.email.strip():
            found.no_email += 1
        elif person.pk in stopped:
            found.stopped += 1
        elif person.pk in partner_ids:
            found.by_audience[Audience.PARTNERS].append(person)
        elif person.function in FUNCTION_AUDIENCE:
            found.by_audience[FUNCTION_AUDIENCE[person.function]].append(person)
        else:
            found.no_function += 1
    return found


def stopped_ids(workspace):
    """The people who chose no “Update published” emails: a stored none (notifications.actions
    keeps it even where it is the default)."""
    said_no = Preference.objects.filter(
        person__workspace=workspace, event=Event.UPDATE_PUBLISHED, by_email=False
    )
    return said_no.values_list("person_id", flat=True)


def email_reach(update: Update, people: Recipients | None = None) -> list[tuple[str, int]]:
    """(audience, people) that a send by email reaches, in page order; partners are left out
    once their version is withdrawn."""
    people = people or recipients(update.workspace)
    withdrawn = update.is_withdrawn_from_partners
    return [
        (a, len(people.by_audience[a]))
        for a in Audience.values
        if not (withdrawn and a == Audience.PARTNERS)
    ]


def reach_words(reach: list[tuple[str, int]]) -> str:
    """ "42 people in 6 audiences", counting the audiences with anyone in them."""
    total = sum(n for _, n in reach)
    groups = sum(1 for _, n in reach if n)
    people = "1 person" if total == 1 else f"{total} people"
    return f"{people} in {groups} {'audience' if groups == 1 else 'audiences'}"


def webhook_host(url: str) -> str:
    """All of a webhook URL that may be shown or logged: its host. The rest is the secret."""
    return host_of(url)


def version_url(update: Update, audience: str) -> str:
    args = [update.workspace.slug, update.number, audience]
    return absolute(reverse("update_version", args=args))


# --- Email ---


@dataclass(frozen=True)
class Email:
    """One audience's message, its version built once; each person's copy adds why they get it
    (email_message)."""

    audience: str
    subject: str
    text: str
    context: dict

    @property
    def html(self) -> str:
        """The HTML part as every copy has it, before its person's lines."""
        return render_to_string("updates/email.html", self.context)


def with_absolute_links(found: audiences.Version, links: bool = True) -> audiences.Version:
    """The version with each line's app link as the site's full address, for what is read away
    from the site (an email, a Markdown download); without `links`, no link at all."""
    for section in found.sections:
        for line in section.lines:
            line.link = absolute(line.link) if line.link and links else ""
    return found


def audience_email(update: Update, audience: str, links: bool = True) -> Email:
    """One audience's message; without `links` for people with no login, whom every app link
    would send to a login page: the same text, no link."""
    found = with_absolute_links(audiences.version(update, audience), links)
    page = version_url(update, audience) if links else ""
    context = {"version": found, "update": update, "page": page}
    text = audiences.markdown(found) + (f"\nRead it online: {page}\n" if page else "")
    return Email(audience, found.title, text, context)


def with_login(workspace) -> set[int]:
    """The people of the workspace who can open its pages: their login is active."""
    logins = workspace.memberships.filter(person__isnull=False, user__is_active=True)
    return set(logins.values_list("person_id", flat=True))


UPDATE_CHOICE = f"“{Event.UPDATE_PUBLISHED.label}”"


def why_words(person: Person, audience: str, choices: bool) -> str:
    """Why the person gets this version: "You get this because your function, Engineering,
    reads the engineering version and your “Update published” choice is All." The choice is
    said to those whose login opens the Notifications page (`choices`)."""
    if audience == Audience.PARTNERS:
        why = "You get this because you are a partner: partners read the partners' version"
    else:
        function = Function(person.function).label
        why = f"You get this because your function, {function}, reads the "
        why += f"{audiences.audience_words(audience)} version"
    return f"{why} and your {UPDATE_CHOICE} choice is All." if choices else why + "."


def email_message(
    update: Update, email: Email, person: Person, choices: str = ""
) -> EmailMultiAlternatives:
    """One person's copy, ending, as a notification email does (notifications.delivery), with
    why they get it and a link that stops update emails for them with no login, also its
    List-Unsubscribe header with the one-click POST (RFC 8058)."""
    stop = unsubscribe.link(person, Event.UPDATE_PUBLISHED)
    why = why_words(person, email.audience, bool(choices))
    stop_words = f"Stop emails of {UPDATE_CHOICE}"
    text = f"{email.text}\n{why}" + (f" Change it: {choices}" if choices else "")
    text += f"\n{stop_words}: {stop}\n"
    context = email.context | {
        "why": why,
        "choices": choices,
        "stop": stop,
        "stop_words": stop_words,
    }
    message = EmailMultiAlternatives(
        email.subject,
        text,
        update.workspace.from_email,
        to=[f"{person.name} <{person.email}>"],
        headers={
            "List-Unsubscribe": f"<{stop}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string("updates/email.html", context), "text/html")
    return message


def send_email(update: Update, audience: str, people: list[Person], by=None) -> UpdateSending:
    """One message to each person, tried up to len(RETRY_DELAYS) + 1 times while the failures
    are ones a later try may fix; the row says how many took it and why the others did not."""
    row = UpdateSending.objects.create(
        update=update, channel="email", audience=audience, recipients=len(people), by=by
    )
    email, without_links = audience_email(update, audience), audience_email(update, audience, False)
    logins = with_login(update.workspace)
    # The Notifications page opens for an internal login: partners' lead them to a 403.
    slug = update.workspace.slug
    choices = (
        absolute(reverse("notifications", args=[slug])) if audience != Audience.PARTNERS else ""
    )

    def attempted(done: sending.Mailed) -> None:
        log.info(
            "Update %s by email to %s, attempt %s: %s of %s sent",
            update.number,
            audience,
            done.attempts,
            done.delivered,
            row.recipients,
        )

    done = sending.mail_each(
        people,
        lambda person: (
            email_message(update, email, person, choices)
            if person.pk in logins
            else email_message(update, without_links, person)
        ),
        RETRY_DELAYS,
        attempted,
        # Inline, the update goes out within the sender's click: no waiting on an absent server.
        wait_for_absent_server=default_task_backend.supports_defer,
    )
    row.attempts, row.delivered = done.attempts, done.delivered
    finish(row, done.failure(row.recipients))
    return row


def finish(row: UpdateSending, error: str) -> None:
    sending.close(row, error)
    if error:
        log.warning(
            "Update %s by %s to %s failed: %s", row.update.number, row.channel, row.audience, error
        )


# --- Slack ---


def slack_payload(update: Update) -> dict:
    """Block Kit JSON for the update: a header, the partners' version (the only lines a channel
    that may hold partners can read), then each version's title linked to its page."""
    shared = audiences.version(update, Audience.PARTNERS)
    blocks: list[dict] = [
        {
            "type": "header",
            "text": {
                "type": "plain_text",
                "text": cut(f"Update {update.number}: {update.title}", MAX_HEADER),
            },
        }
    ]
    if shared.intro.strip():
        blocks.append(sending.section(mrkdwn(shared.intro.strip())))
    for part in shared.sections:
        lines = [
            f"• {mrkdwn(line.text)}" + (f" — {mrkdwn(line.note)}" if line.note else "")
            for line in part.lines
        ] or [mrkdwn(part.empty)]
        blocks.append(sending.section(f"*{mrkdwn(part.heading)}*\n" + "\n".join(lines)))
    blocks = blocks[: MAX_BLOCKS - 2 - len(Audience)]
    blocks.append({"type": "divider"})
    for audience in Audience:
        title = audiences.version(update, audience).title
        blocks.append(sending.section(f"<{version_url(update, audience)}|{mrkdwn(title)}>"))
    blocks.append(
        {
            "type": "context",
            "elements": [
                {"type": "mrkdwn", "text": "Every version opens for those who may read it."}
            ],
        }
    )
    fallback = f"Update {update.number}: {update.title} — {version_url(update, Audience.PARTNERS)}"
    return {"text": fallback, "blocks": blocks}


def send_slack(update: Update, by=None) -> UpdateSending:
    url = update.workspace.slack_webhook_url
    host = webhook_host(url)
    row = UpdateSending.objects.create(
        update=update, channel="slack", audience=Audience.PARTNERS, recipients=1, by=by
    )

    def attempted(attempt: int, error: str) -> None:
        if error:
            log.info(
                "Update %s to the webhook at %s, attempt %s: %s",
                update.number,
                host,
                attempt,
                error,
            )
        else:
            log.info("Update %s posted to the webhook at %s", update.number, host)

    row.attempts, posted = sending.post_json(url, slack_payload(update), RETRY_DELAYS, attempted)
    error = posted.error
    row.delivered = 0 if error else 1
    finish(row, f"1 of 1 posts not delivered: {error} (webhook at {host})" if error else "")
    return row


# --- Both ---


def send(update: Update, channels=CHANNELS, by=None) -> list[UpdateSending]:
    """Send a published update by the chosen channels; one row for each send, in order. Once
    its partners' version is withdrawn, partners get no email and Slack no post."""
    if not update.is_published:
        raise NotPublished(f"Update {update.number} is a draft: publish it before sending it.")
    rows = []
    withdrawn = update.is_withdrawn_from_partners
    if "email" in channels:
        people = recipients(update.workspace)
        for audience in Audience:
            if withdrawn and audience == Audience.PARTNERS:
                continue
            if people.by_audience[audience]:
                rows.append(send_email(update, audience, people.by_audience[audience], by))
    if "slack" in channels and update.workspace.slack_webhook_url and not withdrawn:
        rows.append(send_slack(update, by))
    return rows


def sent_before(update: Update, channels=CHANNELS) -> UpdateSending | None:
    """The last send over these channels that reached anyone: sending again reaches them all
    a second time, so pages, the API and the CLI ask for it plainly."""
    return update.sendings.filter(channel__in=channels, delivered__gt=0).first()


def sent_words(row: UpdateSending) -> str:
    """ "Update 1 was last sent by email on 6 December 2026 (42 messages delivered so far)"."""
    when = row.sent_at or row.created_at
    if row.channel == UpdateSending.Channel.SLACK:
        return f"Update {row.update.number} was last posted to Slack on {day_of(when)}"
    mailed = row.update.sendings.filter(channel=row.channel).aggregate(n=Sum("delivered"))["n"]
    return (
        f"Update {row.update.number} was last sent by email on {day_of(when)} "
        f"({mailed} {'message' if mailed == 1 else 'messages'} delivered so far)"
    )


def day_of(moment) -> str:
    found = timezone.localtime(moment)
    return f"{found.day} {found:%B %Y}"


def sending_json(row: UpdateSending) -> dict:
    return {
        **sending.outcome_json(row),
        "audience": row.audience,
        "by": row.by.username if row.by else None,
    }
