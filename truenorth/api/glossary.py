"""Glossary terms: read by everyone in the organisation, as the glossary pages are. A term's own
operation carries each function's reading with the check-in answers its page shows (only the
functions above the anonymity threshold, and the answers only to those who read results)."""

from datetime import datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as HttpStatus

from truenorth.api.auth import ApiProblem
from truenorth.api.core import CONFLICT, NOT_A_BOOLEAN, AnId, Pages, membership, responses
from truenorth.api.forms import checked, form_data, refused, refused_by_action
from truenorth.api.strict import StrictBody, unchanged
from truenorth.glossary import actions
from truenorth.glossary.forms import FUNCTIONS, MAX_DEFINITION_CHARS, TermForm
from truenorth.glossary.measure import pair_verdict
from truenorth.glossary.models import Definition, Source, Term
from truenorth.glossary.views import readings_for, term_json
from truenorth.ids import MAX_ID
from truenorth.workspaces.access import INTERNAL, WRITE

router = Router(tags=["glossary"])


class TermLink(Schema):
    id: int
    name: str


class FurthestPair(Schema):
    """The pair of functions the glossary names: the flagged pair furthest apart, else the two
    furthest apart; `named_as` says which."""

    named_as: Literal["flagged pair", "furthest apart"] = Field(
        description="What the pair is: the flagged pair (a flagged pair can be closer than two "
        "that are not: contradicting each other flags it at any distance), or the two "
        "furthest apart where nothing is flagged."
    )
    first: str
    second: str
    divergence: float = Field(description="How far apart the two read the term, 0 to 100.")
    reads_differently: bool = Field(
        description="Flagged: 84.6 or more apart, or contradicting each other."
    )
    contradiction: str = Field(
        description="Why the two contradict each other, in words; '' if not."
    )


class TermFields(Schema):
    """What the glossary's list and a term's page both give of a term."""

    id: int
    name: str
    canonical_definition: str
    owner: str | None = Field(description="The owner's name; owner_id is as a write takes it.")
    owner_id: int | None
    related: list[TermLink]
    divergence: float | None
    furthest_pair: FurthestPair | None = Field(
        None, description="Null until two functions have a reading and it is measured."
    )
    flagged: bool | None = Field(
        None,
        description="Whether a pair of functions reads it as different senses or contradicts "
        "each other; null until measured.",
    )
    pair_verdict: str | None = Field(
        None,
        description="Whether it is flagged and why, in words; null until measured.",
    )
    functions_with_a_reading: int | None = Field(
        None,
        description="How many functions the divergence compared: those with an editor's "
        "definition or published check-in answers above the anonymity threshold; null until "
        "measured.",
    )
    archived: bool
    updated_at: datetime


class TermOut(TermFields):
    """A term as the glossary lists it, with each function's definition written by an editor."""

    definitions: dict[str, str]

    @staticmethod
    def resolve_owner(term: Term) -> str | None:
        return term.owner.name if term.owner else None

    @staticmethod
    def resolve_related(term: Term) -> list[dict]:
        return [{"id": t.pk, "name": t.name} for t in term.related.all()]

    @staticmethod
    def resolve_archived(term: Term) -> bool:
        return term.archived_at is not None

    @staticmethod
    def resolve_pair_verdict(term: Term) -> str | None:
        return pair_verdict(term) or None

    @staticmethod
    def resolve_definitions(term: Term) -> dict[str, str]:
        return {d.function: d.text for d in term.definitions.all()}


class Reading(Schema):
    function: str
    definition: str | None
    quotes: list[str]
    unquoted_answers: int = Field(
        0,
        description="Answers measured but not quoted: no reading of them is shared by the threshold.",
    )


class TermDetail(TermFields):
    """A term as its page shows it: each function's reading (an editor's definition and, for
    those who read check-in results, the published answers of functions above the anonymity
    threshold, without names), and how many answers were hidden or withheld."""

    definitions: dict[str, str] = Field(description="Each function's definition by an editor.")
    readings: list[Reading]
    hidden_answers: int
    withheld_answers: int
    divergence_detail: dict[str, Any] | None


class TermFilter(Schema):
    archived: bool = False
    updated_since: datetime | None = None


def with_definitions(terms):
    """Terms with their owner, related terms and each function's definition by an editor."""
    editors = Definition.objects.filter(source=Source.EDITOR)
    return terms.select_related("owner").prefetch_related(
        "related", Prefetch("definitions", queryset=editors)
    )


@router.get("/workspaces/{slug}/terms", response=responses(list[TermOut]))
@paginate(Pages)
def list_terms(request, slug: str, filters: Query[TermFilter]):
    """The glossary's terms by name (archived ones with `archived=true`)."""
    workspace = membership(request, slug, INTERNAL).workspace
    terms = Term.all_objects.filter(workspace=workspace, archived_at__isnull=not filters.archived)
    if filters.updated_since:
        terms = terms.filter(updated_at__gte=filters.updated_since)
    return with_definitions(terms).order_by("name", "pk")


@router.get("/workspaces/{slug}/terms/{id}", response=responses(TermDetail))
def get_term(request, slug: str, id: int = Path(..., ge=1, le=MAX_ID)):
    """One term (archived ones too) with each function's reading. Its divergence is the one
    last measured (by the term's page or a worker, which measures it again when the anonymity
    threshold changes), not measured again here."""
    found = membership(request, slug, INTERNAL)
    term = Term.all_objects.filter(workspace=found.workspace, pk=id).first()
    if term is None:
        raise Http404("No such term.")
    return term_read(found, term)


def term_read(found, term: Term) -> dict:
    """The term page's reading, with all the list gives of a term: its editors' definitions,
    and its time as the list writes it (the page's twin rounds it to the second)."""
    editors = term.definitions.filter(source=Source.EDITOR)
    return {
        **term_json(term, readings_for(found, term)),
        "owner_id": term.owner_id,
        "definitions": {d.function: d.text for d in editors},
        "updated_at": term.updated_at,
    }


DEFINITIONS = (
    "Each function's own definition, by function (engineering, sales, …); an empty text "
    "removes that function's. Functions not sent keep theirs."
)


# A related term's id: one no term has is the form's to refuse, naming `related`.
TermId = Annotated[int, NOT_A_BOOLEAN]


class TermIn(StrictBody):
    """A term as its form takes it: people and related terms by id."""

    name: str = Field(..., min_length=1, max_length=100)
    canonical_definition: str = Field(..., min_length=1, max_length=MAX_DEFINITION_CHARS)
    owner: AnId | None = Field(None, description="A person (not a partner).")
    related: list[TermId] = Field(default_factory=list, description="Other terms' ids.")
    definitions: dict[str, str] = Field(default_factory=dict, description=DEFINITIONS)


class TermPatch(StrictBody):
    """Only the fields sent change; `related` sent replaces the list. A term as read may be sent
    back: `owner_id` is taken as `owner`, and `owner` (a name) beside it when it is that
    person's or as read; `related` as read ({"id", "name"}) is taken by id; `id` must be the term's, `archived` as
    read; the rest of what a read adds is ignored."""

    read_as = TermDetail
    changed_by = {"archived": "POST …/terms/{id}/archive or …/restore"}
    ids_of = {"owner_id": "owner"}
    named_in = {"owner": "people"}
    links = ("related",)

    name: str | None = Field(None, min_length=1, max_length=100)
    canonical_definition: str | None = Field(None, min_length=1, max_length=MAX_DEFINITION_CHARS)
    owner: AnId | None = None
    related: list[TermId] | None = None
    definitions: dict[str, str] | None = Field(None, description=DEFINITIONS)


def saved_term(request, workspace, values: dict, term: Term) -> Term:
    """The term saved through its form and each definition through `define`, all or nothing;
    what the page refuses is a 400 naming the field."""
    definitions = values.pop("definitions", None) or {}
    unknown = sorted(set(definitions) - dict(FUNCTIONS).keys())
    if unknown:
        known = ", ".join(dict(FUNCTIONS))
        raise refused("term", "definitions", f"{unknown[0]!r} is not a function: {known}.")
    form = TermForm(data=form_data(values), instance=term, workspace=workspace)
    checked(form, "term")
    try:
        with transaction.atomic():
            saved = actions.save_term(
                form.save(commit=False), form.cleaned_data["related"], by=request.user
            )
            for function, text in definitions.items():
                actions.define(saved, function, text, by=request.user)
    except ValidationError as error:  # a check only the model makes
        raise refused_by_action("term", error) from None
    return with_definitions(Term.all_objects.filter(pk=saved.pk)).get()


@router.post("/workspaces/{slug}/terms", response=responses(TermOut, 201))
def create_term(request, slug: str, body: TermIn):
    """Add a term to the glossary, with any function's own definition (owners and editors; a
    write token). A name the glossary has already, archived or not, is a 400."""
    workspace = membership(request, slug, WRITE).workspace
    return HttpStatus(201, saved_term(request, workspace, body.dict(), Term()))


def any_term(workspace, term_id: int) -> Term:
    found = Term.all_objects.filter(workspace=workspace, pk=term_id).first()
    if found is None:
        raise Http404("No such term.")
    return found


@router.patch("/workspaces/{slug}/terms/{id}", response={**responses(TermOut), **CONFLICT})
def update_term(request, slug: str, body: TermPatch, id: int = Path(..., ge=1, le=MAX_ID)):
    """Change a term or a function's definition of it. An archived term is restored before it
    is changed (409), as on its page."""
    found = membership(request, slug, WRITE)
    workspace = found.workspace
    term = any_term(workspace, id)
    if term.archived_at:
        raise ApiProblem(409, "Archived", f"Restore “{term.name}” before changing it.")
    body.check_as_read(term_read(found, term), "term", workspace=workspace)
    current = {
        "name": term.name,
        "canonical_definition": term.canonical_definition,
        "owner": term.owner_id,
        "related": list(term.related.values_list("pk", flat=True)),
    }
    changes = body.dict(exclude_unset=True)
    if "definitions" in changes:
        changes["definitions"] = changed_definitions(term, changes["definitions"] or {})
    if unchanged({**current, "definitions": {}}, changes):
        return with_definitions(Term.all_objects.filter(pk=term.pk)).get()
    return saved_term(request, workspace, {**current, **changes}, term)


def changed_definitions(term: Term, sent: dict[str, str]) -> dict[str, str]:
    """The definitions sent that differ from the editors' own (an unknown function stays, for
    saved_term to refuse)."""
    current = {d.function: d.text for d in term.definitions.filter(source=Source.EDITOR)}
    return {f: text for f, text in sent.items() if current.get(f, "") != text.strip()}


@router.post("/workspaces/{slug}/terms/{id}/archive", response={**responses(TermOut), **CONFLICT})
def archive(request, slug: str, id: int = Path(..., ge=1, le=MAX_ID)):
    """Take a term out of the glossary's list and exports, its readings kept; 409 when it is
    archived already."""
    term = any_term(membership(request, slug, WRITE).workspace, id)
    if not actions.archive_term(term):
        raise ApiProblem(409, "Already archived", f"“{term.name}” is archived already.")
    return with_definitions(Term.all_objects.filter(pk=term.pk)).get()


@router.post("/workspaces/{slug}/terms/{id}/restore", response={**responses(TermOut), **CONFLICT})
def restore(request, slug: str, id: int = Path(..., ge=1, le=MAX_ID)):
    """Bring an archived term back; 409 when it is not archived."""
    term = any_term(membership(request, slug, WRITE).workspace, id)
    if not actions.restore_term(term):
        raise ApiProblem(409, "Not archived", f"“{term.name}” is not archived.")
    return with_definitions(Term.all_objects.filter(pk=term.pk)).get()


@router.delete("/workspaces/{slug}/terms/{id}", response=responses(None, 204))
def delete(request, slug: str, id: int = Path(..., ge=1, le=MAX_ID)):
    """Delete a term and its definitions; the check-in questions that asked about it, and their
    answers, stay in their check-ins."""
    actions.delete_term(any_term(membership(request, slug, WRITE).workspace, id))
    return HttpStatus(204, None)
