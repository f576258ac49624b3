"""What the command modules share to read an option and to say why a form refused one. It
imports nothing of truenorth, so any command module may import it at load time."""

from collections.abc import Mapping
from datetime import date

import click


def day(value: str | None) -> date | None:
    """A day written as 2026-03-31; anything else is a usage error naming what to write."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; write it as 2026-03-31.") from None


def checked_day(context, parameter, value: str | None) -> str | None:
    """A click callback: the day's text, refused before anything is read when it is not a day."""
    day(value)
    return value


def refusals(errors: Mapping[str, list[str]], options: Mapping[str, str]) -> str:
    """A form's errors on one line, each under the option that sets its field."""
    return "; ".join(
        f"{options.get(name, name)}: {' '.join(said)}" for name, said in errors.items()
    )
