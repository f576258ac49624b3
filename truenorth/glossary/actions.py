"""Write the glossary; what views, the CLI and the demo call. Each action is one transaction."""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from truenorth.checkins.actions import add_question, create_checkin
from truenorth.checkins.models import (
    BACK_BRIEF,
    TERM_QUESTIONS,
    CheckIn,
    Kind,
    Question,
    SourceKind,
)
from truenorth.glossary.models import Definition, Source, Term, TermQuestion
from truenorth.sending import in_quotes
from truenorth.workspaces.figures import bump


def question_prompt(term: Term) -> str:
    return f"In your own words, what does “{term.name}” mean in your work?"


def own_checkin_title(terms: list[Term]) -> str:
    """A check-in of its own's title until an editor writes another."""
    if len(terms) == 1:
        return f"What does “{terms[0].name}” mean to you?"
    names = [f"“{term.name}”" for term in terms]
    return f"What do {', '.join(names[:-1])} and {names[-1]} mean to you?"


@transaction.atomic
def save_term(term: Term, related: Iterable[Term] | None = None, by=None) -> Term:
    """Create or change a term; `related`, when given, replaces its (unarchived) related terms."""
    term.updated_at = timezone.now()
    if term.pk is None:
        term.created_by = by
    term.full_clean()
    term.save()
    if related is not None:
        # An archived related term is offered by no form: its link stays until it is restored.
        archived = term.related(manager="all_objects").filter(archived_at__isnull=False)
        term.related.set([*(t for t in related if t.pk != term.pk), *archived])
    return term


@transaction.atomic
def define(term: Term, function: str, text: str, by=None) -> Definition | None:
    """Set a function's own definition of the term, as an editor writes it; empty text removes it."""
    text = text.strip()
    current = term.definitions.filter(source=Source.EDITOR, function=function).first()
    if not text:
        if current:
            current.delete()
            touch(term)
        return None
    definition = current or Definition(term=term, function=function, source=Source.EDITOR)
    definition.text = text
    definition.written_by = by
    definition.full_clean(exclude=["term"])
    definition.updated_at = touch(term)
    definition.save()
    return definition


def touch(term: Term) -> datetime:
    """Mark the term changed (one of its definitions did), and return when. Saving it renews the
    cached figures that read it, such as the alignment dashboard's words read differently."""
    term.updated_at = timezone.now()
    term.save(update_fields=["updated_at"])
    return term.updated_at


@transaction.atomic
def archive_term(term: Term) -> bool:
    """Take a term out of the glossary list and exports, its readings kept. False if it was
    archived already."""
    unarchived = Term.all_objects.filter(pk=term.pk, archived_at__isnull=True)
    return changed(term, unarchived.update(archived_at=timezone.now()))


@transaction.atomic
def restore_term(term: Term) -> bool:
    archived = Term.all_objects.filter(pk=term.pk, archived_at__isnull=False)
    return changed(term, archived.update(archived_at=None))


def changed(term: Term, rows: int) -> bool:
    """Whether an update changed the term; if it did, the cached figures are renewed (an update
    sends no signal, workspaces/figures.py)."""
    if rows:
        bump(term.workspace_id)
    return rows == 1


@transaction.atomic
def delete_term(term: Term) -> None:
    """Delete the term, its definitions and its links to check-in questions (the questions and
    their answers stay in their check-ins)."""
    term.delete()


def can_ask_in(checkin: CheckIn) -> str | None:
    """Why a question cannot be added to the check-in now, or None when it can."""
    if checkin.template == BACK_BRIEF:
        return "it is a decision's back-brief, which asks only what was heard"
    if checkin.closes_at <= timezone.now():
        return "it has closed"
    if checkin.responses.exists():
        return "people have answered it already, so its questions are fixed"
    return None


@transaction.atomic
def ask_functions(term: Term, checkin: CheckIn) -> TermQuestion:
    """Add "In your own words, what does <term> mean in your work?" to a check-in nobody has
    answered yet. Its answers are compared with the canonical definition in the check-in's report
    (a text source), and grouped per function on the term's page once the results are published."""
    if checkin.workspace_id != term.workspace_id:
        raise ValidationError("That check-in is in another workspace.")
    if why := can_ask_in(checkin):
        raise ValidationError(f"{in_quotes(checkin.title)} cannot take a new question: {why}.")
    if TermQuestion.objects.filter(term=term, question__checkin=checkin).exists():
        title = in_quotes(checkin.title)
        raise ValidationError(f"{title} already asks what “{term.name}” means.")
    question = Question(
        checkin=checkin,
        prompt=question_prompt(term),
        kind=Kind.TEXT,
        required=False,  # nobody should make up a meaning for a word their work never uses
        source_kind=SourceKind.TEXT,
        source_text=term.canonical_definition,
    )
    add_question(question)
    return TermQuestion.objects.create(term=term, question=question)


@transaction.atomic
def ask_in_own_checkin(terms: list[Term], title, opens_at, closes_at, **asked) -> CheckIn:
    """A new check-in asking only what each of the terms means, one question a term, sent as
    any check-in is. `asked` is create_checkin's: anonymous, by, functions, teams. It is not an
    Alignment pulse (TERM_QUESTIONS): nobody restates the vision to say what a word means, and
    its figures stay off the alignment dashboard and out of the pulses' trends."""
    if not terms:
        raise ValidationError("Choose at least one term to ask about.")
    if closes_at <= timezone.now():  # a pulse may be written down afterwards; this asks ahead
        raise ValidationError("It would close before anyone could answer: close it later.")
    workspace = terms[0].workspace
    checkin = create_checkin(
        workspace, title, opens_at, closes_at, template=TERM_QUESTIONS, **asked
    )
    for term in terms:
        ask_functions(term, checkin)
    return checkin
