"""Customer success hears first (seed 001: "share product changes before they reach customers";
support needs time to learn and prepare).

A customer-facing initiative that ships should have been in a published update's customer success
and support version, under "Changes coming", at least `workspace.support_notice_days` days
before it shipped (a workspace setting, 14 by default). This module says, for each such
initiative, when support was first told and whether that was early enough.

Customer-facing means visibility partner or public. The roadmap's visibility is the only record
truenorth keeps of what faces customers: an internal item is never shown outside, so nothing
tells us a customer will notice it, and counting it would flag work no customer sees. (Support's
own version still lists internal items as coming; they simply do not count here.)

What support was told is read from the published updates themselves: each one's support version
(audiences.version, from its frozen facts) and the initiatives its "Changes coming" lines are
about, dated by the day it was published. A draft told nobody, so it does not count. Pure reads:
a workspace has few updates, and each version is built from JSON already stored.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from truenorth.roadmap.models import SHARED_OUTSIDE, Status
from truenorth.updates import audiences
from truenorth.updates.models import Audience, Update
from truenorth.workspaces.models import Workspace

# The dashboard's window: the customer-facing changes shipped in the last 90 days, as
# decisions.speed.LATENCY_WINDOW_DAYS is for decisions; recent enough to move when habits change.
WINDOW_DAYS = 90
CUSTOMER_FACING = SHARED_OUTSIDE

IN_TIME, LATE, NEVER = "in_time", "late", "never"


@dataclass
class Notice:
    """One shipped customer-facing initiative and how much warning support had."""

    initiative: int  # its id
    key: str
    title: str
    visibility: str
    shipped_on: date
    path: str  # the initiative's page
    needed: int  # the workspace's support_notice_days when judged
    first_told: date | None = None  # the day a published update first listed it as coming
    told_in: int | None = None  # that update's number

    @property
    def days_of_notice(self) -> int | None:
        """Days from first told to shipped; None when no update told support before it shipped."""
        return None if self.first_told is None else (self.shipped_on - self.first_told).days

    @property
    def verdict(self) -> str:
        if self.days_of_notice is None:
            return NEVER
        return IN_TIME if self.days_of_notice >= self.needed else LATE

    @property
    def in_time(self) -> bool:
        return self.verdict == IN_TIME

    @property
    def in_words(self) -> str:
        """ "told 10 days before it shipped" or "never in an update before it shipped" """
        if self.days_of_notice is None:
            return "never in an update before it shipped"
        return f"told {audiences.days(self.days_of_notice)} before it shipped"

    def as_dict(self) -> dict:
        return {
            "initiative": self.initiative,
            "key": self.key,
            "title": self.title,
            "visibility": self.visibility,
            "shipped_on": self.shipped_on.isoformat(),
            "first_told": self.first_told.isoformat() if self.first_told else None,
            "told_in": self.told_in,
            "days_of_notice": self.days_of_notice,
            "needed": self.needed,
            "verdict": self.verdict,
            "path": self.path,
        }


@dataclass
class Summary:
    needed: int  # days of notice the workspace asks for
    notices: list[Notice] = field(default_factory=list)  # shipped first first

    @property
    def in_time(self) -> int:
        return sum(n.verdict == IN_TIME for n in self.notices)

    @property
    def late(self) -> int:
        return sum(n.verdict == LATE for n in self.notices)

    @property
    def never(self) -> int:
        return sum(n.verdict == NEVER for n in self.notices)

    @property
    def share_in_time(self) -> float | None:
        """In time over all (0-1); None when nothing customer-facing shipped."""
        return self.in_time / len(self.notices) if self.notices else None

    @property
    def flagged(self) -> list[Notice]:
        """Heard too late: told fewer than `needed` days ahead, or never."""
        return [n for n in self.notices if not n.in_time]

    def as_dict(self) -> dict:
        return {
            "needed": self.needed,
            "in_time": self.in_time,
            "late": self.late,
            "never": self.never,
            "share_in_time": self.share_in_time,
            "notices": [n.as_dict() for n in self.notices],
        }


def told(workspace: Workspace) -> dict[int, list[tuple[date, int]]]:
    """For each initiative id: (day published, update number) of every published update whose
    support version lists it under "Changes coming", earliest first."""
    found: dict[int, list[tuple[date, int]]] = {}
    published = workspace.updates.filter(published_at__isnull=False).order_by("published_at")
    for update in published:
        on = timezone.localdate(update.published_at)
        version = audiences.version(update, Audience.SUPPORT)
        coming = [s for s in version.sections if s.heading == audiences.CHANGES_COMING]
        ids = {line.initiative for s in coming for line in s.lines if line.initiative}
        for initiative in ids:
            found.setdefault(initiative, []).append((on, update.number))
    return found


def judge(notice: Notice, heard: dict[int, list[tuple[date, int]]]) -> Notice:
    """Fill in when support was first told, counting only updates published by the day it
    shipped (an update listing it as coming after that told nobody in time)."""
    before = [
        (on, number) for on, number in heard.get(notice.initiative, []) if on <= notice.shipped_on
    ]
    if before:
        notice.first_told, notice.told_in = min(before)
    return notice


def recent(workspace: Workspace, today: date | None = None) -> Summary:
    """The customer-facing initiatives shipped in the WINDOW_DAYS days to today, from the
    roadmap as it is now, each judged against every published update."""
    today = today or timezone.localdate()
    since = today - timedelta(days=WINDOW_DAYS)
    shipped = workspace.initiatives.filter(
        status=Status.SHIPPED,
        visibility__in=CUSTOMER_FACING,
        actual_date__gt=since,
        actual_date__lte=today,
    ).order_by("actual_date", "title")
    needed = workspace.support_notice_days
    heard = told(workspace)
    return Summary(
        needed,
        [
            judge(
                Notice(
                    i.pk,
                    i.key,
                    i.title,
                    i.visibility,
                    i.actual_date,
                    reverse("initiative", args=[workspace.slug, i.pk]),
                    needed,
                ),
                heard,
            )
            for i in shipped
        ],
    )


def of_update(update: Update) -> Summary:
    """The customer-facing initiatives an update reports as shipped (its facts, frozen once
    published), each judged against every published update."""
    workspace = update.workspace
    needed = workspace.support_notice_days
    heard = told(workspace)
    notices = [
        judge(
            Notice(
                i["id"],
                i["key"],
                i["title"],
                i["visibility"],
                date.fromisoformat(i["actual_date"]),
                i["path"],
                needed,
            ),
            heard,
        )
        for i in (update.facts or {}).get("shipped", [])
        if i["visibility"] in CUSTOMER_FACING and i.get("actual_date")
    ]
    return Summary(needed, sorted(notices, key=lambda n: (n.shipped_on, n.title)))
