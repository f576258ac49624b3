"""Secrets the server must read back (a mail server's password, a webhook's address and signing
key) kept in the database sealed with Fernet, under a key made from the server's secret key, so
a backup or a database dump does not give them away.

Each kind of secret names its purpose, and the key is made from the purpose too: the key of one
kind does not open another. A server restored with another secret key cannot read them:
`unsealed` says so with None, and the page that shows the secret asks for it again."""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def fernet(purpose: str) -> Fernet:
    digest = hashlib.sha256(purpose.encode() + b"\0" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(secret: str, purpose: str) -> str:
    """The secret sealed for `purpose`; "" stays "" (no secret given)."""
    return fernet(purpose).encrypt(secret.encode()).decode() if secret else ""


def unsealed(sealed: str, purpose: str) -> str | None:
    """The secret, "" when none was given, None when this secret key cannot read it."""
    if not sealed:
        return ""
    try:
        return fernet(purpose).decrypt(sealed.encode()).decode()
    except InvalidToken:
        return None
