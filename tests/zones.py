"""A time zone whose day is not the server's (UTC in the tests), whenever a test runs: to show
that "today" is the workspace's day."""

import zoneinfo
from datetime import date

from django.utils import timezone


def a_zone_whose_day_is_not_the_servers() -> str:
    """Kiritimati runs 14 hours ahead of UTC and Pago Pago 11 behind: at any moment one of the
    two is on another day than UTC."""
    ahead = "Pacific/Kiritimati"
    if day_in(ahead) != timezone.localdate():
        return ahead
    return "Pacific/Pago_Pago"


def day_in(zone: str) -> date:
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(zone))
