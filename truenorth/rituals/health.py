"""Whether a ritual still serves its purpose, from its attendees' one-click "worth it?" and who
came (seed 001: cancel or reshape the rituals that no longer work).

The rules, in plain words (WINDOW = 3 sessions):

- Worth it is the share of "yes" among the ratings of the sessions rated, whether or not their
  notes are recorded (a rating says its rater came, so the session took place, and stays
  counted if they are marked absent afterwards). It is read over the last three sessions whose
  share is shown: those whose ratings have closed (RATINGS_OPEN_FOR after the session starts)
  with at least as many ratings as the workspace's anonymity threshold. A share that moved with
  each rating would tell anyone who looked before and after one what it said.
  A session with fewer is left out of every pooled figure, not only of its own row: pooled with
  shown sessions, its ratings would come out by subtraction (3 of 5, 2 of 5 and "5 of 11" tell
  a lone hidden "no"). With fewer than three such sessions there is no verdict: "too early to
  say" while fewer than three sessions have had their ratings close; otherwise the threshold is
  why, and the verdict says so ("its sessions' ratings are hidden: each had fewer than 7
  ratings, the anonymity threshold"). A ritual with fewer attendees (its owner among them) than
  the threshold can never have a session's ratings shown, and says that instead.
- Worth it is low when under half of those ratings are "yes" (LOW_SHARE).
- Worth it fell when its share over the last three rated sessions is at least 25 points
  (FALL_POINTS) below its share over the three rated before them.
- Attendance fell when the share of expected attendees who came to the last three sessions held
  is at least 25 points below that of the three held before them.

One of these signs: reshape it (its agenda, its length, who is asked). Two or more at once:
consider cancelling it. None: it is fine.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q

from truenorth.rituals.models import Occurrence, Ritual

WINDOW = 3
RATINGS_OPEN_FOR = timedelta(days=7)
FALL_POINTS = 25.0
LOW_SHARE = 50.0


@dataclass
class Assessment:
    rated: int  # sessions whose ratings are shown (at least the threshold's number)
    held: int  # held sessions with attendance recorded
    worth_it: float | None  # % over the last WINDOW rated sessions; None below WINDOW
    worth_it_before: float | None  # % over the WINDOW rated before those
    attendance: float | None  # % of expected attendees who came, last WINDOW held
    attendance_before: float | None
    signs: list[str] = field(default_factory=list)
    suggestion: str = ""
    level: str = "ok"  # "ok" | "reshape" | "cancel"
    left_out: int = 0  # ratings of sessions with too few to be shown
    threshold: int = 1
    closed: int = 0  # sessions held or rated whose ratings have closed, shown or not
    attendees: int | None = None  # those who attend now, its owner among them

    @property
    def verdict(self) -> str:
        if self.suggestion:
            return self.suggestion
        if self.worth_it is not None:
            return "It is working: ratings and attendance hold up."
        holds = "; attendance holds up" if self.attendance is not None else ""
        if why := self.hidden_why:
            return f"No verdict on whether it is worth it{why}{holds}."
        too_few = (
            "fewer than three sessions have their ratings shown "
            f"(from {self.threshold} ratings a session, once its ratings close a week after it)"
        )
        if self.attendance is None:
            return f"Too early to say: {too_few}."
        return f"Too early to say whether it is worth it: {too_few}{holds}."

    @property
    def hidden_why(self) -> str:
        """Why there is no verdict on worth it though it is not early, or "": the ritual has
        fewer attendees than the threshold, or enough sessions closed with too few ratings.
        Said after "No verdict on whether it is worth it"."""
        if never := never_shown(self.attendees, self.threshold):
            return f": {never}"
        hidden = self.closed - self.rated
        if self.closed < WINDOW or not hidden:
            return ""  # too early: fewer than three sessions have had their ratings close
        threshold = f"{self.threshold} ratings, the anonymity threshold"
        if not self.rated:
            return f", as its sessions' ratings are hidden: each had fewer than {threshold}"
        each = "it" if hidden == 1 else "each"
        return (
            f", as the ratings of {hidden} of its {self.closed} sessions are hidden: {each} had "
            f"fewer than {threshold}, and a verdict needs three sessions whose ratings are shown"
        )

    @property
    def left_out_note(self) -> str:
        """Why some ratings count nowhere, or "" when none are left out."""
        if not self.left_out:
            return ""
        ratings = "rating is" if self.left_out == 1 else "ratings are"
        return (
            f"{self.left_out} {ratings} left out: they come from sessions with fewer than "
            f"{self.threshold} ratings, whose answers are not shown, even pooled."
        )


def never_shown(attendees: int | None, threshold: int, whose: str = "its") -> str:
    """Why no session of a ritual this small can have its ratings shown, or "": a session's
    share is shown from as many ratings as the threshold, and only attendees rate."""
    if attendees is None or attendees >= threshold:
        return ""
    people = "attendee" if attendees == 1 else "attendees"
    return (
        f"with {attendees} {people}, fewer than the anonymity threshold ({threshold}), {whose} "
        "ratings are never shown"
    )


def never_shown_note(attendees: int, threshold: int) -> str:
    """never_shown as a sentence of its own, or "" (the session's page, the ritual form)."""
    why = never_shown(attendees, threshold, "this ritual's")
    return f"{why[:1].upper()}{why[1:]}." if why else ""


def share(yes: int, total: int) -> float | None:
    return round(100 * yes / total, 1) if total else None


def pooled(rows: list[tuple[int, int]]) -> float | None:
    return share(sum(y for y, _ in rows), sum(t for _, t in rows))


def ratings_of(attendances) -> tuple[int, int]:
    """(said worth it, rated) for one session. A rating says its rater came (actions.rate), and
    counts whoever is marked absent afterwards: were an editor's change of who came to take it
    out, leaving out one rater at a time would tell each rating by subtraction."""
    rated = [a.worth_it for a in attendances if a.worth_it is not None]
    return sum(rated), len(rated)


def ratings_close(starts_at: datetime) -> datetime:
    """When a session stops taking ratings, and its share may first be shown."""
    return starts_at + RATINGS_OPEN_FOR


def ratings_closed(starts_at: datetime, now: datetime) -> bool:
    return now >= ratings_close(starts_at)


def shown(rated: int, threshold: int, starts_at: datetime, now: datetime) -> bool:
    """Whether a session's share of "yes" may be shown, alone or pooled: once its ratings have
    closed, so it is shown once and never moves by one rating while anyone watches (a late
    rater's answer would be the difference between two looks), and from the anonymity
    threshold up, as any group's figure ("1 of 2" would tell each rater the other's answer)."""
    return ratings_closed(starts_at, now) and rated >= threshold


def assess(ritual: Ritual, now: datetime) -> Assessment:
    from truenorth.rituals.actions import attendees  # actions imports this module

    threshold = ritual.workspace.anonymity_threshold
    # Rated or held: a session rated before its notes are recorded counts for worth it, as the
    # ritual's page shows it ("worth it 4 of 6"); only one held has who came recorded.
    sessions = (
        Occurrence.objects.filter(ritual=ritual, starts_at__lt=now)
        .filter(Q(status=Occurrence.Status.HELD) | Q(attendances__worth_it__isnull=False))
        .distinct()
        .prefetch_related("attendances")
        .order_by("starts_at")
    )
    ratings, attendance, left_out, closed = [], [], 0, 0
    for occurrence in sessions:
        marks = occurrence.attendances.all()
        yes, rated = ratings_of(marks)
        closed += ratings_closed(occurrence.starts_at, now)
        if shown(rated, threshold, occurrence.starts_at, now):
            ratings.append((yes, rated))
        elif ratings_closed(occurrence.starts_at, now):
            left_out += rated
        if marks and occurrence.status == Occurrence.Status.HELD:
            attendance.append((sum(a.attended for a in marks), len(marks)))
    found = judged(ratings, attendance)
    found.left_out, found.threshold, found.closed = left_out, threshold, closed
    found.attendees = len(attendees(ritual))
    return found


def windows(rows: list[tuple[int, int]]) -> tuple[float | None, float | None]:
    """(share over the last WINDOW, share over the WINDOW before); None where there are fewer."""
    if len(rows) < WINDOW:
        return None, None
    before = rows[-2 * WINDOW : -WINDOW] if len(rows) >= 2 * WINDOW else []
    return pooled(rows[-WINDOW:]), pooled(before) if before else None


def judged(ratings: list[tuple[int, int]], attendance: list[tuple[int, int]]) -> Assessment:
    """The assessment from (yes, rated) per session whose ratings are shown and (came,
    expected) per held one, oldest first."""
    worth, worth_before = windows(ratings)
    came, came_before = windows(attendance)
    found = Assessment(len(ratings), len(attendance), worth, worth_before, came, came_before)
    if worth is not None and worth_before is not None and worth_before - worth >= FALL_POINTS:
        found.signs.append(
            f"Worth it fell from {worth_before:.0f}% to {worth:.0f}% over the last three rated "
            "sessions"
        )
    elif worth is not None and worth < LOW_SHARE:
        yes, rated = (sum(column) for column in zip(*ratings[-WINDOW:], strict=True))
        found.signs.append(
            f"Only {yes} of the {rated} ratings of the last three rated sessions say it was "
            "worth it"
        )
    if came is not None and came_before is not None and came_before - came >= FALL_POINTS:
        found.signs.append(
            f"Attendance fell from {came_before:.0f}% to {came:.0f}% over the last three sessions"
        )
    if len(found.signs) >= 2:
        found.level = "cancel"
        found.suggestion = "; ".join(found.signs) + ": consider cancelling it."
    elif found.signs:
        found.level = "reshape"
        found.suggestion = (
            found.signs[0] + ": consider reshaping it (its agenda, its length, who is asked)."
        )
    return found
