"""Gunicorn's access log without the secrets that travel in URLs.

A link to set a password carries its token in the path (/password/set/<uid>/<token>/, Django's
design). Written to the access log, it would let whoever reads the log choose the password of
someone invited who has not chosen one yet. Answer links never reach the log: their token comes
after '#', which browsers do not send.
"""

import re

from gunicorn.glogging import Logger

SECRET_IN_PATH = re.compile(r"(/password/(?:set|reset)/[^/\s]+/)[^/?\s]+")


def redacted(text: str | None) -> str | None:
    return SECRET_IN_PATH.sub(r"\1[redacted]", text) if text else text


class RedactingLogger(Logger):
    """The access log as gunicorn writes it, with password tokens replaced."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "f"):  # the request line, the path, the referring page
            atoms[key] = redacted(atoms[key])
        return atoms
