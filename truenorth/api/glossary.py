"""Glossary terms: read by everyone in the organisation, as the glossary pages are. A term's own
operation carries each function's reading with the check-in answers its page shows (only the
functions above the anonymity threshold, and the answers only to those who read results)."""

from datetime import datetime
from typing import Any

from django.db.models import Prefetch
from django.http import Http404
from ninja import Path, Query, Router, Schema
from ninja.pagination import paginate

from truenorth.api.core import Pages, membership, responses
from truenorth.glossary.models import Definition, Source, Term
from truenorth.glossary.views import readings_for, term_json
from truenorth.ids import MAX_ID
from truenorth.workspaces.access import INTERNAL

router = Router(tags=["glossary"])


class TermLink(Schema):
    id: int
    name: str


class TermFields(Schema):
    """What the glossary's list and a term's page both give of a term."""

    id: int
    name: str
    canonical_definition: str
    owner: str | None
    related: list[TermLink]
    divergence: float | None
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
    def resolve_definitions(term: Term) -> dict[str, str]:
        return {d.function: d.text for d in term.definitions.all()}


class Reading(Schema):
    function: str
    definition: str | None
    quotes: list[str]


class TermDetail(TermFields):
    """A term as its page shows it: each function's reading (an editor's definition and, for
    those who read check-in results, the published answers of functions above the anonymity
    threshold, without names), and how many answers were hidden or withheld."""

    readings: list[Reading]
    hidden_answers: int
    withheld_answers: int
    divergence_detail: dict[str, Any] | None


class TermFilter(Schema):
    archived: bool = False
    updated_since: datetime | None = None


@router.get("/workspaces/{slug}/terms", response=responses(list[TermOut]))
@paginate(Pages)
def list_terms(request, slug: str, filters: Query[TermFilter]):
    """The glossary's terms by name (archived ones with `archived=true`)."""
    workspace = membership(request, slug, INTERNAL).workspace
    terms = Term.all_objects.filter(workspace=workspace, archived_at__isnull=not filters.archived)
    if filters.updated_since:
        terms = terms.filter(updated_at__gte=filters.updated_since)
    editors = Definition.objects.filter(source=Source.EDITOR)
    terms = terms.select_related("owner").prefetch_related(
        "related", Prefetch("definitions", queryset=editors)
    )
    return terms.order_by("name", "pk")


@router.get("/workspaces/{slug}/terms/{id}", response=responses(TermDetail))
def get_term(request, slug: str, id: int = Path(..., ge=1, le=MAX_ID)):
    """One term (archived ones too) with each function's reading. Its divergence is the one
    last measured (by the term's page or a worker, which measures it again when the anonymity
    threshold changes), not measured again here."""
    found = membership(request, slug, INTERNAL)
    term = Term.all_objects.filter(workspace=found.workspace, pk=id).first()
    if term is None:
        raise Http404("No such term.")
    return term_json(term, readings_for(found, term))
