"""Whether a date typed or imported into truenorth is plausibly meant: a guard against a mistyped
year (0001, 9999), which would otherwise sit on the roadmap as 739,953 days late or stretch a
chart's axis to the year 9999. Any other day from 2000 to twenty years ahead is taken as meant."""

from datetime import date

from django.utils import timezone

EARLIEST = date(2000, 1, 1)
YEARS_AHEAD = 20


def implausible(day: date | None, today: date | None = None) -> str | None:
    """Why `day` is more likely a typo than a date, or None (for no day too); `today` is the
    current time zone's unless given."""
    today = today or timezone.localdate()
    latest = date(today.year + YEARS_AHEAD, 12, 31)
    if day is None or EARLIEST <= day <= latest:
        return None
    return f"{day.isoformat()} is not between 2000 and {latest.year}: is the year mistyped?"
