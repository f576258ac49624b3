"""Claims imported from CSV: every row valid, or none saved (then all checked at once).

Columns (header row, any order): date (YYYY-MM-DD, or as a spreadsheet writes it), account,
said_by, text, source. said_by is a person of the workspace by email or name; any other name is
kept as written; a partner is refused, as claims are said by the company.

A row is the claim already recorded when it has the same date, account, speaker and text, in
any case and spacing (the source may differ): importing a file again, or a file that repeats a
row, saves each claim once, and the skipped rows are counted, not checked again.
"""

from dataclasses import dataclass, field
from typing import BinaryIO, TextIO

from django.db import transaction
from django.utils import timezone

from truenorth.claims.actions import check_claims
from truenorth.claims.models import MAX_CLAIM_TEXT, Claim
from truenorth.tabular import (
    DayOrder,
    ImportFailed,
    RowError,
    day_order,
    folded,
    parse_date,
    read_table,
    read_text,
)
from truenorth.workspaces.figures import bump
from truenorth.workspaces.models import Workspace

REQUIRED = ("date", "account", "text")
COLUMNS = ("date", "account", "said_by", "text", "source")
# Characters: the model's max_length, and for the text what one claim can sensibly be (a longer
# one is most often a quote left open that took the rows after it).
LIMITS = {"account": 200, "said_by": 200, "source": 100, "text": MAX_CLAIM_TEXT}


@dataclass
class Imported:
    claims: list[Claim] = field(default_factory=list)  # saved now, and checked
    already: int = 0  # rows that are a claim recorded before this import
    repeated: int = 0  # rows that repeat an earlier row of the file

    def skipped(self) -> str:
        """ "3 already recorded, skipped; 1 repeating an earlier row, skipped", or blank."""
        parts = [f"{self.already} already recorded, skipped"] if self.already else []
        if self.repeated:
            parts.append(f"{self.repeated} repeating an earlier row, skipped")
        return "; ".join(parts)


def import_claims(
    workspace: Workspace, stream: TextIO | BinaryIO, by=None, embedder=None
) -> Imported:
    """Create one claim per row not recorded yet, then check the new ones against the roadmap
    in one run (so one over-promise notification for the whole import)."""
    found = new_claims(workspace, read_claims(workspace, stream, by))
    with transaction.atomic():
        Claim.objects.bulk_create(found.claims, batch_size=500)
        bump(workspace.pk)  # bulk writes send no signal
    check_claims(workspace, found.claims, embedder)
    return found


def same_claim(claim: Claim) -> tuple:
    """What makes two records one claim: the day, the account, who said it and the words, in
    any case and spacing. The source is left out: one sentence said once is one claim, whether
    the call notes or the deck recorded it."""
    speaker = claim.said_by_id or folded(claim.said_by_name)
    return (claim.said_on, folded(claim.account), speaker, folded(claim.text))


def new_claims(workspace: Workspace, claims: list[Claim]) -> Imported:
    """The rows that are not a claim already recorded, nor a repeat of an earlier row."""
    days = {claim.said_on for claim in claims}
    recorded = {same_claim(c) for c in workspace.claims.filter(said_on__in=days)}
    found, seen = Imported(), set()
    for claim in claims:
        key = same_claim(claim)
        if key in recorded:
            found.already += 1
        elif key in seen:
            found.repeated += 1
        else:
            seen.add(key)
            found.claims.append(claim)
    return found


def read_claims(workspace: Workspace, stream: TextIO | BinaryIO, by=None) -> list[Claim]:
    text = read_text(stream)
    table, order = read_table(text, delimiters=",;\t"), day_order(text)
    header = [name.lower() for name in table.header]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ImportFailed(
            [RowError(0, f"missing column(s) {', '.join(missing)}; columns: {', '.join(COLUMNS)}")]
        )
    people = People(workspace)
    claims, errors = [], []
    for line, cells in table.rows:
        row = dict(zip(header, cells, strict=False))
        try:
            values = {name: (row.get(name) or "").strip() for name in COLUMNS}
            if problem := table.one_line(line, values, multiline=("text",)):
                raise ValueError(problem)
            claims.append(clean_row(workspace, values, people, by, order))
        except ValueError as error:
            errors.append(RowError(line, str(error)))
    if errors:
        raise ImportFailed(errors)
    if not claims:
        raise ImportFailed([RowError(0, "the file has no claims")])
    return claims


class People:
    """The workspace's people by email and by name (a name two people share is ambiguous)."""

    def __init__(self, workspace: Workspace):
        self.by_email = {p.email.lower(): p for p in workspace.people.all()}
        self.by_name: dict = {}
        for person in self.by_email.values():
            key = person.name.lower()
            self.by_name[key] = None if key in self.by_name else person

    def find(self, text: str):
        """(person, free-text name): a person of the workspace, or the name as written. A
        partner is refused, as the claim form leaves partners out."""
        person, name = self.named(text)
        if person is not None and person.function == "partner":
            raise ValueError(f"{person.name} is a partner; claims are said by the company")
        return person, name

    def named(self, text: str):
        key = text.lower()
        if key in self.by_email:
            return self.by_email[key], ""
        if key in self.by_name:
            if self.by_name[key] is None:
                raise ValueError(f"several people are named {text!r}; give the email")
            return self.by_name[key], ""
        if "@" in text:
            raise ValueError(f"no person with email {text!r} in this workspace")
        return None, text


def clean_row(workspace: Workspace, values: dict, people: People, by, order: DayOrder) -> Claim:
    for name in REQUIRED:
        if not values[name]:
            raise ValueError(f"{name} is empty")
    for name, limit in LIMITS.items():
        if len(values[name]) > limit:
            raise ValueError(f"{name} is longer than {limit} characters")
    try:
        said_on = parse_date(values["date"], order)
    except ValueError as error:
        raise ValueError(f"date {error}") from None
    if said_on > timezone.localdate():
        raise ValueError(
            f"date {said_on} has not come yet; record a claim on or after the day it was said."
        )
    person, name = people.find(values["said_by"]) if values["said_by"] else (None, "")
    return Claim(
        workspace=workspace,
        said_on=said_on,
        account=values["account"],
        said_by=person,
        said_by_name=name,
        text=values["text"],
        source=values["source"],
        created_by=by if by is not None and by.is_authenticated else None,
    )
