"""Import customer feedback from the tools teams already have: every row valid, or nothing.

Formats (`formats.py` reads them): `zendesk`, `freshdesk`, `intercom` (support desks' CSV
exports), `reviews` (Google Play Console's reviews CSV, or any CSV with id, text, rating and
date), `interviews` (Markdown notes, one file per interview) and `field` (what sales and
marketing heard: kind, text, account, heard_by, …). Items are keyed by (workspace, source,
source_key): importing again updates them in place. A field whose column the file does not
have is left as it is, so an editor's own changes to it stay.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import BinaryIO, TextIO

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError
from django.utils import timezone

from truenorth import tabular
from truenorth.bulk import rows_by_key, stamp, update_rows
from truenorth.feedback import formats
from truenorth.feedback.formats import FIELDS, FORMATS, Row
from truenorth.feedback.forms import FUTURE_DAY, NO_COMPETITOR
from truenorth.feedback.models import FeedbackItem, Kind, Source
from truenorth.tabular import (
    DayOrder,
    ImportFailed,
    Mixed,
    RowError,
    day_order,
    parse_date,
    shown,
)
from truenorth.workspaces.figures import bump, write_planned
from truenorth.workspaces.models import Person, Workspace

SOURCE_OF_FORMAT = {
    "zendesk": Source.ZENDESK,
    "freshdesk": Source.FRESHDESK,
    "intercom": Source.INTERCOM,
    "reviews": Source.APP_REVIEW,
    "interviews": Source.INTERVIEW,
    "field": Source.FIELD,
}
# What a support desk's own ticket types mean; any other type leaves the kind as it is.
TYPE_WORDS = {
    "incident": Kind.PROBLEM,
    "problem": Kind.PROBLEM,
    "bug": Kind.PROBLEM,
    "question": Kind.QUESTION,
    "feature request": Kind.REQUEST,
    "feature": Kind.REQUEST,
    "request": Kind.REQUEST,
    "praise": Kind.PRAISE,
    "compliment": Kind.PRAISE,
}
KINDS: dict[str, str] = {
    **{value: value for value, _ in Kind.choices},
    **{label.lower(): value for value, label in Kind.choices},
}
MAX_VALUE = Decimal("999999999999.99")  # what DecimalField(max_digits=14, decimal_places=2) holds
MAX_LENGTHS = {
    "key": 200,
    "title": 300,
    "account": 200,
    "segment": 100,
    "competitor": 200,
    "url": 500,
}


@dataclass
class ImportResult:
    file_format: str = ""
    created: int = 0
    updated: int = 0  # items already there whose values changed
    unchanged: int = 0
    skipped: int = 0  # rows that are no item: a review's stars without words
    repeated: int = 0  # rows that repeat an earlier row word for word
    keys: list[str] = field(default_factory=list)


# Values


def parse_value(text: str) -> Decimal:
    """An account's yearly value: 120000, 120,000.00, 120.000,00, 1.250.000, $120000 or 120000
    USD. Excel writes the separators of its locale: "95.000" is a German 95,000. A mark followed
    by exactly three digits groups thousands, as nobody writes a yearly value to a tenth of a
    cent; a number whose marks could be read either way is refused, not guessed."""
    cleaned = text.strip().removesuffix("USD").removesuffix("EUR").removesuffix("GBP").strip()
    cleaned = re.sub(r"[\s_']", "", cleaned.strip("$€£"))
    number = ungrouped(cleaned)
    if number is None:
        raise ValueError(
            f"account value {shown(text)}: its separators do not group thousands, so it could "
            "be read two ways; write it without them, e.g. 95000 or 95000.50"
        )
    try:
        value = Decimal(number)
    except InvalidOperation:
        raise ValueError(f"account value {shown(text)} is not a number") from None
    if not value.is_finite() or value < 0:
        raise ValueError(f"account value {shown(text)} must be zero or more")
    if value > MAX_VALUE:
        raise ValueError(f"account value {shown(text)} is more than {MAX_VALUE}")
    return value.quantize(Decimal("0.01"))


def ungrouped(text: str) -> str | None:
    """A number without its thousands separators and with a point before its decimals ("1.250,50"
    → "1250.50"), or None when its marks do not group thousands consistently ("1234.567")."""
    marks = re.sub(r"[^.,]", "", text)
    if not marks:
        return text
    # The last mark is the decimal one when the other kind comes before it ("1.250,50"), or when
    # it is the only mark and not followed by exactly three digits ("95,5", "95.00").
    has_decimals = len(set(marks)) == 2 or (len(marks) == 1 and not re.search(r"\d{3}$", text))
    whole, decimals = text.rsplit(marks[-1], 1) if has_decimals else (text, "")
    if not re.fullmatch(r"-?\d*|-?[1-9]\d{0,2}([.,])\d{3}(\1\d{3})*", whole):
        return None
    return re.sub(r"[.,]", "", whole) + (f".{decimals}" if decimals else "")


def parse_day(text: str, order: DayOrder = "") -> date:
    """The calendar date a tool wrote: any date parse_date reads, an ISO date with a time in
    any form after it, or a Unix time in seconds or milliseconds (Intercom's, Google Play's)."""
    try:
        return parse_date(text, order)
    except ValueError:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T].*", text):
            return parse_date(text[:10])
        if re.fullmatch(r"\d{9,13}", text):
            seconds = int(text) / (1000 if len(text) > 11 else 1)
            return datetime.fromtimestamp(seconds, tz=UTC).date()
        raise


def parse_rating(text: str) -> int:
    try:
        rating = int(Decimal(text))
    except (InvalidOperation, ValueError):
        raise ValueError(f"rating {shown(text)} is not a number") from None
    if not 1 <= rating <= 5 or Decimal(text) != rating:
        raise ValueError(f"rating {shown(text)} is not a whole number of stars from 1 to 5")
    return rating


class People:
    """The workspace's people, by email and by name, for who heard a field note."""

    def __init__(self, workspace: Workspace):
        self.found: dict[str, Person] = {}
        for person in workspace.people.all():
            self.found.setdefault(person.name.strip().lower(), person)
        for person in workspace.people.all():
            self.found[person.email.strip().lower()] = person

    def find(self, text: str):
        person = self.found.get(text.strip().lower())
        if person is None:
            raise ValueError(f"no person with the email or name {shown(text)} in this workspace")
        return person


def clean_row(
    fields: dict,
    people: People,
    strict_kind: bool,
    order: DayOrder = "",
    latest: date | None = None,
) -> dict:
    """Validate one row, returning FeedbackItem field values or raising ValueError.

    Only the fields the file has are in the values; a blank cell of one clears it. A date after
    `latest` (a day, when given), and a competitor comparison naming no competitor, are
    refused as the field note's form refuses them.
    """
    if fields.get("error"):
        raise ValueError(fields["error"])
    if not fields.get("key"):
        raise ValueError("the key (the item's id in its source) is empty")
    if not fields.get("text", "").strip():
        raise ValueError("the text is empty")
    problems = []
    for name, limit in MAX_LENGTHS.items():
        if len(fields.get(name, "")) > limit:
            problems.append(f"{name} {shown(fields[name], 20)} is longer than {limit} characters")
    values: dict = {"text": fields["text"].strip()}
    for name in ("title", "account", "segment", "competitor", "url"):
        if name in fields:
            values[name] = fields[name]
    try:
        values["received_on"] = parse_day(fields["date"], order) if fields.get("date") else None
    except ValueError as error:
        problems.append(f"date {error}")
    if not fields.get("date"):
        problems.append("the date is empty")
    elif latest and values.get("received_on") and values["received_on"] > latest:
        # Quoted as every other bad value is, with the day it is measured against.
        problems.append(f"date {shown(fields['date'])} is after today ({latest}): {FUTURE_DAY}")
    for name, parse in (
        ("account_value", parse_value),
        ("rating", parse_rating),
        ("heard_by", people.find),
    ):
        if name in fields:
            try:
                values[name] = parse(fields[name]) if fields[name] else None
            except ValueError as error:
                problems.append(str(error))
    if "heard_by" in values:
        values["heard_by_id"] = values.pop("heard_by").pk if values["heard_by"] else None
    if values.get("url"):
        try:
            URLValidator()(values["url"])
        except ValidationError:
            problems.append(f"url {shown(values['url'])} is not a web address")
    kind = fields.get("kind", "")
    if kind:
        if kind.strip().lower() not in KINDS:
            problems.append(f"kind {shown(kind)} is not one of {', '.join(Kind.values)}")
        else:
            values["kind"] = KINDS[kind.strip().lower()]
    elif strict_kind:
        problems.append(f"the kind is empty (one of {', '.join(Kind.values)})")
    elif fields.get("type", "").strip().lower() in TYPE_WORDS:
        values["kind"] = TYPE_WORDS[fields["type"].strip().lower()]
    if values.get("kind") == Kind.COMPARISON and not fields.get("competitor", "").strip():
        problems.append(NO_COMPETITOR)
    if problems:
        # One sentence: a problem said as a sentence of its own keeps its full stop at the end
        # only ("in the future.; account value …" had read as two).
        raise ValueError("; ".join([p.rstrip(".") for p in problems[:-1]] + problems[-1:]))
    return values


# Reading


Upload = TextIO | BinaryIO | bytes | str


def read(source: Upload) -> str:
    """A file's text: UTF-8, or UTF-16 with a byte-order mark (Google Play's reviews). A
    character no database stores (a NUL) is left for each CSV row to report, so that one such
    line does not hide the file's other bad rows."""
    data: bytes | str
    if isinstance(source, bytes | str):
        data = source
    else:
        buffer = getattr(source, "buffer", None)
        data = buffer.read() if buffer is not None else source.read()
    return tabular.decode(data, utf16=True) if isinstance(data, bytes) else data


def read_rows(
    files: list[tuple[str, Upload]], file_format: str, mapping: dict[str, str]
) -> tuple[list[Row], DayOrder]:
    """Every file's rows, and the order of their slashed dates; each file that cannot be read
    at all is named with why."""
    rows, errors, texts = [], [], []
    named = len(files) > 1 or file_format == "interviews"
    for name, source in files:
        try:
            text = read(source)
            texts.append(text)
            if file_format == "interviews":
                tabular.check_text(text)
                rows += formats.read_interview(name, text)
            else:
                rows += formats.read_csv(text, file_format, mapping, name if named else "")
        except ImportFailed as failure:
            errors += [in_file(error, name) if named else error for error in failure.errors]
    if errors:
        raise ImportFailed(errors)
    return rows, with_rows(day_order("\n".join(texts)), rows)


def with_rows(order: DayOrder, rows: list[Row]) -> DayOrder:
    """A file that mixes day-first and month-first dates, with the row of each: a refused
    date then points at the two rows that disagree."""
    if not isinstance(order, Mixed):
        return order

    def placed(written: str) -> str:
        row = next((r for r in rows if written in r.fields.get("date", "")), None)
        return f"{written} on {row.where}" if row else written

    return Mixed(placed(order.day_first), placed(order.month_first))


def in_file(error: RowError, name: str) -> RowError:
    where = error.where or (f"{name} line {error.line}" if error.line else name)
    return RowError(error.line, error.message, where)


def import_feedback(
    workspace: Workspace,
    files: Iterable[tuple[str, Upload]],
    file_format: str,
    mapping: dict[str, str] | None = None,
    by=None,
) -> ImportResult:
    """Create or update feedback items keyed by (source, key); any bad row rejects every file.

    `files` are (name, file) pairs: an upload, a file the CLI opened, bytes or text; the name
    says where a problem is, and an interview's name is its key. `mapping` reads a field from
    another column (field → column), e.g. {"account_value": "ARR"}; `by` is who imports.
    """
    mapping = dict(mapping or {})
    files = list(files)
    if file_format not in FORMATS:
        known = ", ".join(FORMATS)
        raise ImportFailed([RowError(0, f"no format {file_format!r}; formats: {known}")])
    unknown = sorted(set(mapping) - set(FIELDS))
    if unknown:
        raise ImportFailed(
            [RowError(0, f"unknown field(s) in mapping: {', '.join(unknown)}; fields: {FIELDS}")]
        )
    if mapping and file_format == "interviews":
        raise ImportFailed([RowError(0, "a mapping applies to CSV files, not interview notes")])
    if not files:
        raise ImportFailed([RowError(0, "no file to import")])
    rows, order = read_rows(files, file_format, mapping)
    today = timezone.localdate()  # the workspace's, as on the field note's page
    cleaned = clean_rows(workspace, rows, file_format == "field", order, latest=today)
    source = str(SOURCE_OF_FORMAT[file_format])
    try:
        result = save_items(workspace, source, cleaned.items, by)
    except IntegrityError:
        # Only another import of the same new keys, committed while this one ran, gets here.
        message = "another import added some of these items meanwhile; import the file again"
        raise ImportFailed([RowError(0, message)]) from None
    result.file_format, result.skipped = file_format, cleaned.skipped
    result.repeated = cleaned.repeated
    return result


@dataclass
class Cleaned:
    items: list[tuple[str, dict]]  # (key, FeedbackItem field values)
    skipped: int = 0  # rows that are no item
    repeated: int = 0  # rows that repeat an earlier row word for word


def clean_rows(
    workspace: Workspace,
    rows: list[Row],
    strict_kind: bool,
    order: DayOrder,
    latest: date | None = None,
) -> Cleaned:
    """Every row checked, every bad one named. A row that repeats an earlier one word for word
    is skipped and counted: the two cannot be told apart, nor kept apart (they share a key)."""
    people, errors, found = People(workspace), [], Cleaned([])
    seen: dict[str, Row] = {}
    for row in rows:
        if row.skip and not row.fields.get("error"):
            found.skipped += 1
            continue
        key = row.fields.get("key", "")
        earlier = seen.get(key) if key else None
        if earlier is not None and earlier.fields == row.fields:
            found.repeated += 1
            continue
        try:
            if earlier is not None:
                raise ValueError(repeats(row, earlier))
            found.items.append((key, clean_row(row.fields, people, strict_kind, order, latest)))
            seen[key] = row
        except ValueError as error:
            where = row.where if row.where != f"line {row.line}" else ""
            errors.append(RowError(row.line, str(error), where))
    if errors:
        raise ImportFailed(errors)
    return found


def repeats(row: Row, earlier: Row) -> str:
    """Why a row is refused that has an earlier row's key but other values."""
    names = sorted(set(row.fields) | set(earlier.fields))
    differ = ", ".join(n for n in names if row.fields.get(n) != earlier.fields.get(n))
    if row.fields["key"] == formats.content_key(row.fields):  # the file has no key column
        return (
            f"it has the date, account and text of {earlier.where} but a different {differ}: "
            "keep one of them, or add a key column to keep both"
        )
    return f"key {shown(row.fields['key'])} repeats {earlier.where} with a different {differ}"


# Saving


@dataclass
class SavePlan:
    result: ImportResult
    new: list[FeedbackItem] = field(default_factory=list)
    changed: list[FeedbackItem] = field(default_factory=list)
    fields: set[str] = field(default_factory=set)


def save_items(workspace: Workspace, source: str, items: list[tuple[str, dict]], by=None):
    """Bulk create the new items and update the changed ones: one transaction, all or nothing.
    Reading the existing items and working out the changes happens before it (write_planned)."""
    return write_planned(
        workspace,
        lambda: plan_save(workspace, source, items, by),
        lambda plan: write_save(workspace, plan),
    )


def plan_save(workspace: Workspace, source: str, items: list[tuple[str, dict]], by) -> SavePlan:
    existing = existing_items(workspace, source, [key for key, _ in items])
    plan = SavePlan(ImportResult())
    for key, values in items:
        plan.result.keys.append(key)
        item = existing.get(key)
        if item is None:
            plan.new.append(
                FeedbackItem(
                    workspace=workspace, source=source, source_key=key, created_by=by, **values
                )
            )
            continue
        changed = {name for name, value in values.items() if getattr(item, name) != value}
        for name in changed:
            setattr(item, name, values[name])
        if changed:
            plan.changed.append(item)
            plan.fields |= {name.removesuffix("_id") for name in changed}
        else:
            plan.result.unchanged += 1
    plan.result.created, plan.result.updated = len(plan.new), len(plan.changed)
    return plan


def write_save(workspace: Workspace, plan: SavePlan) -> ImportResult:
    FeedbackItem.objects.bulk_create(plan.new, batch_size=500)
    stamp(plan.changed)
    update_rows(plan.changed, sorted(plan.fields | {"updated_at"}))
    if plan.new or plan.changed:
        bump(workspace.pk)  # bulk writes send no signal
    return plan.result


def existing_items(workspace: Workspace, source: str, keys: list[str]) -> dict[str, FeedbackItem]:
    items = FeedbackItem.objects.filter(workspace=workspace, source=source)
    return rows_by_key(items, "source_key", keys)
