"""Check-ins: asking people, in their own words, what they heard."""

# How long a new check-in stays open when no closing is given, from its opening: the page's form
# proposes it, `truenorth checkin new` takes it. Here, importing nothing, so the command line can
# name it in its help before Django is set up.
DEFAULT_OPEN_DAYS = 7
