"""Gunicorn's access log and Django's error log without the secrets that travel in URLs.

A link to set a password carries its token in the path (/password/set/<uid>/<token>/, Django's
design). Written to the access log, it would let whoever reads the log choose the password of
someone invited who has not chosen one yet. A calendar feed's address carries its
token too (/calendar/<token>.ics), and so does an email's unsubscribe link
(/unsubscribe/<token>/): both are replaced the same way. Answer links never reach the
log: their token comes after '#', which browsers do not send.
"""

import logging
import os
import re
from logging.handlers import RotatingFileHandler
from pathlib import Path

from gunicorn.glogging import Logger

SECRET_IN_PATH = re.compile(r"(/password/(?:set|reset)/[^/\s]+/|/unsubscribe/)[^/?\s]+")
# A calendar feed's address is its only key (rituals.views.calendar_feed): /calendar/<token>.ics.
CALENDAR_TOKEN = re.compile(r"(/calendar/)[^/?\s.]+(\.ics)")


def redacted(text: str | None) -> str | None:
    if not text:
        return text
    return CALENDAR_TOKEN.sub(r"\1[redacted]\2", SECRET_IN_PATH.sub(r"\1[redacted]", text))


ANSWER_PATH = "/c/"  # the personal links' pages (truenorth/urls.py)


class RedactingLogger(Logger):
    """The access log as gunicorn writes it, with password and calendar tokens replaced."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "f"):  # the request line, the path, the referring page
            atoms[key] = redacted(atoms[key])
        # No path at all when gunicorn answers a request it could not read ("Content-Length:
        # abc"): the line is still written, not the worker lost.
        if (atoms["U"] or "").startswith(ANSWER_PATH):
            # A personal link's page shows the answers saved: its size, beside the address and
            # time of the visit, would match the visit to an answer of that length.
            atoms["b"] = atoms["B"] = "-"
        return atoms


class RedactingFormatter(logging.Formatter):
    """Django's own log lines (an error's request path, its traceback) with password tokens
    replaced, on standard error and in the log file alike."""

    def format(self, record: logging.LogRecord) -> str:
        return redacted(super().format(record)) or ""


class LogFileHandler(RotatingFileHandler):
    """A rotating file that makes its folder on the first line written, so that a data directory
    not made yet (or a read-only one on PostgreSQL installs that never write a line) is no
    reason to fail at startup."""

    def __init__(self, filename: str, **kwargs):
        super().__init__(filename, delay=True, **kwargs)

    def _open(self):
        # The owner's alone, as the database and backups are: a log names logins and addresses.
        Path(self.baseFilename).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.close(os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
        return super()._open()
