"""Whether a ritual still serves its purpose, from its attendees' one-click "worth it?" and who
came (seed 001: cancel or reshape the rituals that no longer work).

The rules, in plain words (WINDOW = 3 sessions):

- Worth it is the share of "yes" among the ratings of the sessions held, counting only people
  who came. It is read over the last three rated sessions; with fewer than three rated, there
  is no verdict ("too early to say").
- Worth it is low when under half of those ratings are "yes" (LOW_SHARE).
- Worth it fell when its share over the last three rated sessions is at least 25 points
  (FALL_POINTS) below its share over the three rated before them.
- Attendance fell when the share of expected attendees who came to the last three sessions held
  is at least 25 points below that of the three held before them.

One of these signs: reshape it (its agenda, its length, who is asked). Two or more at once:
consider cancelling it. None: it is fine.
"""

from dataclasses import dataclass, field
from datetime import datetime

from truenorth.rituals.models import Occurrence, Ritual

WINDOW = 3
FALL_POINTS = 25.0
LOW_SHARE = 50.0


@dataclass
class Assessment:
    rated: int  # held sessions with at least one rating from someone who came
    held: int  # held sessions with attendance recorded
    worth_it: float | None  # % over the last WINDOW rated sessions; None below WINDOW
    worth_it_before: float | None  # % over the WINDOW rated before those
    attendance: float | None  # % of expected attendees who came, last WINDOW held
    attendance_before: float | None
    signs: list[str] = field(default_factory=list)
    suggestion: str = ""
    level: str = "ok"  # "ok" | "reshape" | "cancel"

    @property
    def verdict(self) -> str:
        if self.worth_it is None and self.attendance is None:
            return "Too early to say: fewer than three sessions were rated."
        return self.suggestion or "It is working: ratings and attendance hold up."


def share(yes: int, total: int) -> float | None:
    return round(100 * yes / total, 1) if total else None


def pooled(rows: list[tuple[int, int]]) -> float | None:
    return share(sum(y for y, _ in rows), sum(t for _, t in rows))


def assess(ritual: Ritual, now: datetime) -> Assessment:
    held = (
        Occurrence.objects.filter(ritual=ritual, status=Occurrence.Status.HELD, starts_at__lt=now)
        .prefetch_related("attendances")
        .order_by("starts_at")
    )
    ratings, attendance = [], []
    for occurrence in held:
        came = [a for a in occurrence.attendances.all() if a.attended]
        rated = [a for a in came if a.worth_it is not None]
        if rated:
            ratings.append((sum(a.worth_it is True for a in rated), len(rated)))
        if occurrence.attendances.all():
            attendance.append((len(came), len(occurrence.attendances.all())))
    return judged(ratings, attendance)


def windows(rows: list[tuple[int, int]]) -> tuple[float | None, float | None]:
    """(share over the last WINDOW, share over the WINDOW before); None where there are fewer."""
    if len(rows) < WINDOW:
        return None, None
    before = rows[-2 * WINDOW : -WINDOW] if len(rows) >= 2 * WINDOW else []
    return pooled(rows[-WINDOW:]), pooled(before) if before else None


def judged(ratings: list[tuple[int, int]], attendance: list[tuple[int, int]]) -> Assessment:
    """The assessment from (yes, rated) per rated session and (came, expected) per held one,
    oldest first."""
    worth, worth_before = windows(ratings)
    came, came_before = windows(attendance)
    found = Assessment(len(ratings), len(attendance), worth, worth_before, came, came_before)
    if worth is not None and worth_before is not None and worth_before - worth >= FALL_POINTS:
        found.signs.append(
            f"Worth it fell from {worth_before:.0f}% to {worth:.0f}% over the last three sessions"
        )
    elif worth is not None and worth < LOW_SHARE:
        yes, rated = (sum(column) for column in zip(*ratings[-WINDOW:], strict=True))
        found.signs.append(
            f"Only {yes} of the {rated} ratings of the last three sessions say it was worth it"
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
