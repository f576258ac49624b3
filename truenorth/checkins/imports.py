"""Answers collected in another survey tool, imported from CSV: every row valid, or none."""

import csv
from typing import TextIO

from django.db import transaction

from truenorth.checkins.actions import save_answers
from truenorth.checkins.models import CheckIn, Kind, Response
from truenorth.work.imports import ImportFailed, RowError
from truenorth.workspaces.models import Function


def question_columns(checkin: CheckIn) -> dict[str, object]:
    """Each question is read from the column named by its role (vision, priorities, purpose,
    direction, comment) or, for any question, q<position>."""
    columns = {}
    for question in checkin.questions.all():
        columns[f"q{question.position}"] = question
        if question.role != "open":
            columns.setdefault(question.role, question)
    return columns


def import_responses(checkin: CheckIn, stream: TextIO) -> int:
    """Import one response per row. Columns: email (or function and team), then the answers."""
    if checkin.finalised_at is not None:
        # Published results are final: answers added now would change them by a few people.
        raise ImportFailed([RowError(0, "this check-in's results are published and final")])
    reader = csv.DictReader(stream)
    header = reader.fieldnames or []
    columns = {name: q for name, q in question_columns(checkin).items() if name in header}
    if not columns:
        expected = ", ".join(question_columns(checkin))
        raise ImportFailed([RowError(0, f"no answer columns; expected some of: {expected}")])
    people = {p.email.lower(): p for p in checkin.workspace.people.select_related("team")}
    teams = {t.name.lower(): t.name for t in checkin.workspace.teams.all()}
    parsed, errors, seen = [], [], {}
    for row in reader:
        try:
            author = row_author(row, people, teams, seen, reader.line_num)
            parsed.append((author, row_answers(row, columns)))
        except ValueError as error:
            errors.append(RowError(reader.line_num, str(error)))
    if errors:
        raise ImportFailed(errors)
    save_responses(checkin, parsed)
    return len(parsed)


def row_author(row, people, teams, seen, line) -> dict:
    email = (row.get("email") or "").strip().lower()
    if email:
        if email not in people:
            raise ValueError(f"no person with email {email!r} in this workspace")
        if email in seen:
            raise ValueError(f"{email} answered already on line {seen[email]}")
        seen[email] = line
        person = people[email]
        return {
            "person": person,
            "function": person.function,
            "team": person.team.name if person.team else "",
        }
    function = (row.get("function") or "").strip().lower().replace(" ", "_")
    if function not in Function.values:
        raise ValueError(f"give an email, or a function (one of {', '.join(Function.values)})")
    team = (row.get("team") or "").strip()
    if team and team.lower() not in teams:
        raise ValueError(f"no team named {team!r} in this workspace")
    return {"person": None, "function": function, "team": teams.get(team.lower(), "")}


def row_answers(row, columns) -> dict:
    answers = {}
    for name, question in columns.items():
        text = (row.get(name) or "").strip()
        if question.kind == Kind.SCALE:
            if text and text not in {"1", "2", "3", "4", "5"}:
                raise ValueError(f"{name} must be a whole number from 1 to 5, not {text!r}")
            answers[question] = int(text) if text else None
        else:
            answers[question] = text
        if question.required and answers[question] in ("", None):
            raise ValueError(f"{name} is required")
    return answers


@transaction.atomic
def save_responses(checkin: CheckIn, parsed: list) -> None:
    for author, answers in parsed:
        if checkin.anonymous:
            author = {**author, "person": None}
        save_answers(Response(checkin=checkin, **author), answers)
