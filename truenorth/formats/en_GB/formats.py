# One way to write a date on every page, "12 Mar 2026", and a time after it when one matters.
# Templates write {{ value|date }} and {{ value|date:"DATETIME_FORMAT" }}, never a format of their
# own (tests/test_dates.py). Form inputs, CSV and JSON keep ISO 8601 (2026-03-12).
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"
