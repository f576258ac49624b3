"""Answers collected in another survey tool, imported from CSV: every row valid, or none."""

from typing import TextIO

from django.db import transaction
from django.utils import timezone

from truenorth.checkins.models import Answer, CheckIn, Kind, Response, unused_ids
from truenorth.sending import in_quotes
from truenorth.tabular import ImportFailed, RowError, read_table, read_text
from truenorth.workspaces.people import function_of

MAX_ANSWER = 5000  # characters, as the answer form takes them


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
    if why := import_refused(checkin):
        raise ImportFailed([RowError(0, why)])
    table = read_table(read_text(stream), delimiters=",;\t")
    header = table.header
    columns = {name: q for name, q in question_columns(checkin).items() if name in header}
    if not columns:
        expected = ", ".join(question_columns(checkin))
        raise ImportFailed([RowError(0, f"no answer columns; expected some of: {expected}")])
    people = {p.email.lower(): p for p in checkin.workspace.people.select_related("team")}
    teams = {t.name.lower(): t.name for t in checkin.workspace.teams.all()}
    parsed, errors, seen = [], [], {}
    for line, cells in table.rows:
        row = dict(zip(header, cells, strict=False))
        try:
            who = {name: row.get(name) or "" for name in ("email", "function", "team")}
            if problem := table.one_line(line, who):
                raise ValueError(problem)
            author = row_author(row, people, teams, seen, line)
            parsed.append((author, row_answers(row, columns)))
        except ValueError as error:
            errors.append(RowError(line, str(error)))
    if errors:
        raise ImportFailed(errors)
    save_responses(checkin, parsed)
    return len(parsed)


def import_refused(checkin: CheckIn) -> str:
    """Why no answers may be imported into it ('' when they may): its results are published,
    or it takes its answers through personal links (actions.imported_answers)."""
    if checkin.finalised_at is not None:
        # Published results are final: answers added now would change them by a few people.
        return "this check-in's results are published and final"
    links = checkin.invitations.count()
    if not links:
        return ""
    people = "1 person" if links == 1 else f"{links} people"
    return (
        f"{in_quotes(checkin.title)} takes its answers through the personal links it sent "
        f"({people}): imported answers belong to nobody's link, so the counts of answers and "
        "links would disagree, and reminders would go to people who answered in the other tool. "
        "Import them into a check-in that sends no links (`truenorth checkin new`, then import "
        "without sending)."
    )


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
    function = author_function((row.get("function") or "").strip())
    team = (row.get("team") or "").strip()
    if team and team.lower() not in teams:
        raise ValueError(f"no team named {team!r} in this workspace")
    return {"person": None, "function": function, "team": teams.get(team.lower(), "")}


def author_function(text: str) -> str:
    """The function of a row without an email, named as the people import names a bad one."""
    if not text:
        raise ValueError("give an email, or a function (column 'function') and team")
    try:
        return function_of(text)
    except ValueError as error:
        shown = text if len(text) <= 60 else text[:60] + "…"
        raise ValueError(f"column 'function', value {shown!r}: {error}") from None


def row_answers(row, columns) -> dict:
    answers = {}
    for name, question in columns.items():
        text = (row.get(name) or "").strip()
        if question.kind == Kind.SCALE:
            if text and text not in {"1", "2", "3", "4", "5"}:
                raise ValueError(f"{name} must be a whole number from 1 to 5, not {text!r}")
            answers[question] = int(text) if text else None
        elif len(text) > MAX_ANSWER:
            raise ValueError(f"{name} is longer than {MAX_ANSWER} characters")
        else:
            answers[question] = text
        if question.required and answers[question] in ("", None):
            raise ValueError(f"{name} is required")
    return answers


def save_responses(checkin: CheckIn, parsed: list) -> None:
    """Insert every response with its answers in one transaction, all or nothing. The rows are
    built before it, so it only writes: on SQLite it holds the one write lock, and answers sent
    through personal links meanwhile wait for it."""
    anonymous, now = checkin.anonymous, timezone.now()
    responses, answers = [], []
    for author, given in parsed:
        response = Response(checkin=checkin, **author, submitted_at=now)
        if anonymous:  # as actions.save_answers: no author, no time, random ids
            response.person, response.submitted_at = None, None
        responses.append(response)
        answers += [
            Answer(response=response, question=q, **q.answer_fields(v)) for q, v in given.items()
        ]
    with transaction.atomic():
        if anonymous:
            take_random_ids(responses)
            take_random_ids(answers)
        Response.objects.bulk_create(responses, batch_size=500)
        Answer.objects.bulk_create(answers, batch_size=500)


def take_random_ids(rows: list) -> None:
    """Random unused ids, in batches small enough for one query's parameters."""
    for start in range(0, len(rows), 500):
        batch = rows[start : start + 500]
        for row, pk in zip(batch, unused_ids(type(batch[0]), len(batch)), strict=True):
            row.pk = pk
