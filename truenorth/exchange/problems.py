"""Reading a workspace file's bytes, and saying what is wrong with one."""

import json
import re

from pydantic import ValidationError

MAX_DEPTH = 32  # the format nests 6 deep; a deeper file is not one, and would exhaust the stack
SHOWN_PROBLEMS = 10
SHOWN_CHARS = 80  # of a key from the file, in a message

STRING_OR_BRACKET = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


class ExchangeError(Exception):
    """A workspace file that cannot be imported (nothing of it was saved), or a workspace that
    cannot be written as one."""


def printable(text: str) -> str:
    """A message that any terminal prints: lone surrogates from a file become escapes."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def path_of(location: tuple) -> str:
    """A JSON path as the messages write it: work_items.3.points."""
    return ".".join(str(part)[:SHOWN_CHARS] for part in location)


def problems_of(error: ValidationError) -> str:
    problems = [problem_of(e) for e in error.errors()[:SHOWN_PROBLEMS]]
    more = error.error_count() - SHOWN_PROBLEMS
    return printable("; ".join(problems) + (f" (and {more} more)" if more > 0 else ""))


def problem_of(error: dict) -> str:
    """One problem as `path: what`. A check of the whole file names its own paths, and pydantic's
    "Value error, " before a message of ours says nothing to whoever fixes the file."""
    message = error["msg"].removeprefix("Value error, ")
    return f"{path_of(error['loc'])}: {message}" if error["loc"] else message


def read_json(raw: bytes) -> object:
    """The JSON value in a file's bytes, or an ExchangeError that says why there is none."""
    try:
        text = raw.decode("utf-8-sig")  # a byte order mark, which some editors add, is harmless
    except UnicodeDecodeError as error:
        raise ExchangeError(
            f"the file is not UTF-8 text (byte {error.start} is {raw[error.start : error.start + 1]!r}"
            "): a workspace file is UTF-8, as `truenorth export --json` writes it"
        ) from None
    refuse_deep_nesting(text)
    try:
        return json.loads(text, parse_constant=refuse_constant)
    except json.JSONDecodeError as error:
        raise ExchangeError(
            f"the file is not JSON: {error.msg} at line {error.lineno} column {error.colno}"
        ) from None
    except ValueError as error:  # an integer of thousands of digits, NaN or Infinity
        raise ExchangeError(f"not a workspace file: {printable(str(error))}") from None


def refuse_constant(name: str):
    raise ValueError(f"{name} is not a number a workspace file holds")


def refuse_deep_nesting(text: str) -> None:
    """Refuse a file nested deeper than the format before the parser recurses into it."""
    depth = 0
    for match in STRING_OR_BRACKET.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, match.start()) + 1
                raise ExchangeError(
                    f"not a workspace file: nested more than {MAX_DEPTH} levels deep "
                    f"(at line {line})"
                )
        elif token in ("]", "}"):
            depth -= 1
