"""Save decisions and move them through their statuses; what views, the CLI and the demo call.

Each action runs in one transaction, except add_comment, whose model runs before its one save
(never inside a transaction). Numbers are given under the workspace's row lock
(strategy.actions.lock_workspace), so two people adding a decision at once get 12 and 13."""

import re
from datetime import date

from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from truenorth.analysis import stance
from truenorth.analysis.embed import ModelUnavailable
from truenorth.days import implausible
from truenorth.decisions.models import Comment, Decision, Kind, KindBy, Status
from truenorth.embeddings.cache import cached_embedder
from truenorth.notifications import events as notify
from truenorth.strategy.actions import lock_workspace
from truenorth.workspaces.models import Function, Person, Role, Team
from truenorth.workspaces.people import tree_of


class NotAllowed(ValueError):
    """A change refused with a reason: a day that cannot be, a missing outcome (a 400, never a
    500)."""


class WrongStatus(NotAllowed):
    """A change the decision's current status does not allow: deciding what is decided,
    reversing what is open (the API's 409)."""


@transaction.atomic
def add_decision(decision: Decision, by=None) -> Decision:
    """Save an unsaved decision as the workspace's next number."""
    lock_workspace(decision.workspace)
    latest = Decision.objects.filter(workspace=decision.workspace).aggregate(n=Max("number"))["n"]
    decision.number = (latest or 0) + 1
    if by is not None and getattr(by, "is_authenticated", False):
        decision.created_by = by
    decision.raised_on = decision.raised_on or timezone.localdate()
    check_day(decision.raised_on, "raised")
    decision.save()
    return decision


def today() -> date:
    return timezone.localdate()


# The name of the day each change is recorded on, as its form and the page label it.
DAY_FIELDS = {"made": "Decided on"}


def check_day(on: date, done: str, not_before: date | None = None, before_what: str = "") -> None:
    """Refuse a day on which a decision cannot have been `done` (raised, made, reversed…): a
    mistyped year, a day that has not come, or one before `not_before` (the day it was
    `before_what`). Without this, 2099 read "Open for -26,326 days" on every page and chart."""
    if why := implausible(on):
        raise NotAllowed(why)
    if on > today():
        field = DAY_FIELDS.get(done, f"{done.capitalize()} on")
        raise NotAllowed(f"{field} can't be a future day: {date_format(on)} hasn't come yet.")
    if not_before and on < not_before:
        raise NotAllowed(
            f"A decision cannot be {done} before it was {before_what} ({date_format(not_before)})."
        )


@transaction.atomic
def decide(decision: Decision, on: date | None = None, outcome: str = "", rationale: str = ""):
    """Record the decision as made on `on` (today by default)."""
    if decision.status != Status.PROPOSED:
        raise WrongStatus(f"Decision {decision.number} is {decision.status}, not open.")
    on = on or today()
    check_day(on, "made", decision.raised_on, "raised")
    decision.outcome = outcome or decision.outcome
    decision.rationale = rationale or decision.rationale
    if not decision.outcome.strip():
        raise NotAllowed("Say what was decided before marking it decided.")
    decision.status = Status.DECIDED
    decision.decided_on = on
    decision.save()
    notify.decision_made(decision)
    return decision


def team_people(team: Team) -> QuerySet[Person]:
    """Who "the Sales team" is today: the active people of the team and of every team below it,
    never a partner (by function, role or login), nor anyone who left or was erased."""
    partner_logins = team.workspace.memberships.filter(role=Role.PARTNER, person__isnull=False)
    partners = Q(function=Function.PARTNER) | Q(role=Role.PARTNER)
    partners |= Q(pk__in=partner_logins.values("person_id"))
    people = team.workspace.people.filter(team__in=tree_of(team), active=True, erased=False)
    return people.exclude(partners)


def inform_teams(decision: Decision, teams) -> dict[str, set[int]]:
    """Add each team's people (team_people) to those informed, as the teams are now: who joins
    later is not added, as nothing keeps the teams. Each team's name with its people's ids, for
    saying who was added."""
    added = {}
    for team in teams:
        people = set(team_people(team).values_list("pk", flat=True))
        decision.informed.add(*people)
        added[team.name] = people
    return added


@transaction.atomic
def supersede(old: Decision, new: Decision, on: date | None = None) -> Decision:
    """Mark `old` as replaced by `new` (which records what it supersedes)."""
    if old.pk == new.pk:
        raise NotAllowed(f"Decision {old.number} cannot supersede itself.")
    if old.workspace_id != new.workspace_id:
        raise NotAllowed("A decision is superseded by another decision of the same workspace.")
    if old.status in (Status.SUPERSEDED, Status.REVERSED):
        raise WrongStatus(f"Decision {old.number} is already {old.status}.")
    check_replacement(old, new)
    on = on or today()
    made = old.decided_on
    check_day(on, "superseded", made or old.raised_on, "made" if made else "raised")
    old.status = Status.SUPERSEDED
    old.closed_on = on
    old.save()
    new.supersedes = old
    new.save()
    return old


def check_replacement(old: Decision, new: Decision) -> None:
    """A decision is replaced by a later one that still holds, and replaces one decision: its
    page says "Replaced by decision 11: …", and a replacement's `supersedes` names only one."""
    if new.status in (Status.SUPERSEDED, Status.REVERSED):
        raise NotAllowed(f"Decision {new.number} is {new.status}: it replaces nothing.")
    if new.raised_on < old.raised_on:
        raise NotAllowed(
            f"Decision {new.number} was raised on {new.raised_on:%-d %B %Y}, before decision "
            f"{old.number}: a decision is replaced by a later one."
        )
    if new.supersedes_id not in (None, old.pk):
        raise NotAllowed(
            f"Decision {new.number} already replaces decision {new.supersedes.number}."
        )


@transaction.atomic
def reverse(decision: Decision, why: str, on: date | None = None) -> Decision:
    """Take a decision back, saying why: it no longer holds, and nothing replaces it."""
    if decision.status != Status.DECIDED:
        raise WrongStatus(
            f"Decision {decision.number} is {decision.status}: only a decided one is reversed."
        )
    if not why.strip():
        raise NotAllowed("Say why it is reversed: the log keeps the reason with the decision.")
    on = on or today()
    check_day(on, "reversed", decision.decided_on, "made")
    decision.status = Status.REVERSED
    decision.closed_on = on
    decision.reversed_because = why.strip()
    decision.save()
    notify.decision_reversed(decision)
    return decision


def why_kept(decision: Decision) -> str | None:
    """Why the decision cannot be deleted, or None. Only a proposal nobody has answered goes:
    what was decided, commented on, or points at another decision or a ritual's record stays in
    the log, to be superseded or reversed instead."""
    if decision.status != Status.PROPOSED:
        return (
            f"Decision {decision.number} is {decision.status}: the log keeps it. "
            + ("Reverse it or supersede it instead." if decision.status == Status.DECIDED else "")
        ).strip()
    if decision.comments.exists():
        return "People have commented on it: supersede it by the decision that answers it instead."
    if decision.supersedes_id:
        return f"It supersedes decision {decision.supersedes.number}, which would be left hanging."
    if decision.occurrences.exists():
        return "It is on the record of a ritual's session."
    return None


@transaction.atomic
def delete_decision(decision: Decision) -> None:
    """Delete a proposal recorded by mistake (a duplicate, a test); NotAllowed says why not."""
    current = Decision.objects.select_for_update().get(pk=decision.pk)
    if why := why_kept(current):
        raise NotAllowed(why)
    current.delete()


def add_comment(comment: Comment, embedder=None) -> Comment:
    """Save a comment, sorted by the comment classifier first. The model runs before the write,
    never inside a transaction (tests/test_model_outside_transactions.py); one save needs none."""
    if comment.disagree_and_commit and not comment.kind:
        # The author said they disagree: their own stance, which no model second-guesses.
        comment.kind, comment.kind_by, comment.kind_confidence = Kind.OBJECTION, KindBy.PERSON, None
    elif not comment.kind and is_junk(comment.text):
        comment.kind, comment.kind_by, comment.kind_confidence = Kind.UNCLEAR, KindBy.MODEL, None
    elif not comment.kind:
        comment.kind, comment.kind_by, comment.kind_confidence = sort_comment(
            comment.text, embedder
        )
    comment.save()
    return comment


KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
WORD = re.compile(r"[^\W\d_]+")


def is_junk(text: str) -> bool:
    """No real words and no stated stance: "+1" and "-1" are votes, not junk."""
    return not has_real_words(text) and stance.stated(text) is None


def has_real_words(text: str) -> bool:
    """Whether any word of the text could be a word: the classifier sorts any text into a side,
    and sorted "asdf" and "xxxx" as support, so that junk read as 100% support."""
    return any(could_be_a_word(w.lower()) for w in WORD.findall(text))


def could_be_a_word(word: str) -> bool:
    """Not a key held down ("xxxx"), not a run along a keyboard row ("asdf"), not without a vowel
    ("hjkl"), not six consonants in a row. Words of other scripts than Latin always count."""
    if not word.isascii():
        return True
    if len(word) < 2 or re.search(r"(.)\1\1", word) or not re.search(r"[aeiouy]", word):
        return word in ("a", "i")
    if re.search(r"[^aeiouy]{6}", word):
        return False
    return len(word) < 4 or not any(word in row or word in row[::-1] for row in KEYBOARD_ROWS)


def sort_comment(text: str, embedder=None) -> tuple[str, str, float | None]:
    """(kind, by, confidence) from the comment classifier; unsorted when no model can run."""
    try:
        found = stance.classify([text], embedder or cached_embedder())[0]
    except ModelUnavailable:
        return Kind.UNSORTED, KindBy.UNSORTED, None
    return sorted_by(found)


def sorted_by(found: stance.Stance) -> tuple[str, str, float | None]:
    """(kind, by, confidence): a stance the comment states is its own words, with no confidence
    to report, since no model weighed it."""
    if found.stated:
        return found.kind, KindBy.WORDS, None
    return found.kind, KindBy.MODEL, found.confidence


def sort_unsorted(comments, embedder=None) -> int:
    """Sort every comment (a queryset) that nobody has sorted yet, in one model call; the demo
    builds its comments this way. How many were sorted. A comment whose author disagrees and
    commits is an objection by the author's own word."""
    unsorted = comments.filter(kind=Kind.UNSORTED)
    committed = unsorted.filter(disagree_and_commit=True).update(
        kind=Kind.OBJECTION, kind_by=KindBy.PERSON, kind_confidence=None
    )
    pending = list(unsorted.filter(disagree_and_commit=False))
    junk = [c.pk for c in pending if is_junk(c.text)]
    unclear = unsorted.filter(pk__in=junk).update(kind=Kind.UNCLEAR, kind_by=KindBy.MODEL)
    committed += unclear
    pending = [c for c in pending if c.pk not in junk]
    if not pending:
        return committed
    try:
        found = stance.classify([c.text for c in pending], embedder or cached_embedder())
    except ModelUnavailable:
        return committed
    for comment, result in zip(pending, found, strict=True):
        # Only if still unsorted: a person who set the kind while the model ran keeps it.
        kind, by, confidence = sorted_by(result)
        Comment.objects.filter(pk=comment.pk, kind=Kind.UNSORTED).update(
            kind=kind, kind_by=by, kind_confidence=confidence
        )
    return committed + len(pending)


def correct_kind(comment: Comment, kind: str) -> Comment:
    """A person (the author or an editor) says what the comment is: it overrides the model."""
    if kind not in (Kind.QUESTION, Kind.OBJECTION, Kind.SUPPORT):
        raise NotAllowed(f"A comment is a question, an objection or support, not {kind!r}.")
    comment.kind, comment.kind_by, comment.kind_confidence = kind, KindBy.PERSON, None
    comment.save(update_fields=["kind", "kind_by", "kind_confidence"])
    return comment
