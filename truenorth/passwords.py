"""A password made of its owner's name or email address is refused.

Django's similarity check compares the whole password with each attribute and its parts, so
`priya.nair` passed for `Priya.Nair@northwind.test` (ratio 0.67 against the 0.7 cut): the first
guess anyone who knows the address makes. Here letters alone are compared, so punctuation,
digits and case hide nothing.
"""

import re

from django.core.exceptions import ValidationError

SHORTEST_NAME = 4  # "ann" inside a password says little; a whole name of four letters does


def letters(text: str) -> str:
    return "".join(re.findall(r"[^\W\d_]", text.casefold()))


class NameInPasswordValidator:
    """Refuses a password whose letters are mostly a name or address of its owner."""

    def validate(self, password: str, user=None) -> None:
        if user is None:
            return
        guessed = letters(password)
        for name in identities(user):
            if name in guessed and len(name) * 2 >= len(guessed):
                raise ValidationError(
                    "This password is mostly your name or email address.",
                    code="password_is_name",
                )

    def get_help_text(self) -> str:
        return "Your password can't be mostly your name or email address."


def identities(user) -> set[str]:
    """The owner's username, the email's local part and full name, as letters."""
    email = getattr(user, "email", "") or ""
    full_name = f"{getattr(user, 'first_name', '')}{getattr(user, 'last_name', '')}"
    found = {
        letters(getattr(user, "username", "") or ""),
        letters(email.partition("@")[0]),
        letters(full_name),
    }
    return {name for name in found if len(name) >= SHORTEST_NAME}
