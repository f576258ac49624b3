"""The glossary in the workspace file: its terms out, and in again on another server."""

from collections import defaultdict

from truenorth.exchange.schema import DefinitionIn, TermIn
from truenorth.glossary.models import Definition, Source, Term


def terms_out(workspace) -> list[dict]:
    """Every term, archived ones too (marked), with the definitions editors wrote."""
    terms = (
        Term.all_objects.filter(workspace=workspace)
        .order_by("pk")
        .select_related("owner")
        .prefetch_related("definitions")
    )
    # Through the link table: `term.related` would leave archived terms out.
    related = defaultdict(list)
    links = Term.related.through.objects.filter(from_term__workspace=workspace)
    for term_id, name in links.order_by("to_term__name").values_list("from_term", "to_term__name"):
        related[term_id].append(name)
    return [
        dict(
            name=t.name,
            canonical_definition=t.canonical_definition,
            owner=t.owner.email if t.owner else None,
            related=related[t.pk],
            definitions=[
                {name: getattr(d, name) for name in DefinitionIn.model_fields}
                for d in t.definitions.all()
                if d.source == Source.EDITOR
            ],
            created_at=t.created_at,
            updated_at=t.updated_at,
            archived_at=t.archived_at,
        )
        for t in terms
    ]


def import_terms(workspace, rows: list[TermIn], people: dict) -> None:
    """The file's terms, their definitions, then their links to each other (a related term may
    come later in the file). References were checked when the file was read."""
    terms = {}
    for row in rows:
        dates = row.model_dump(include={"created_at", "updated_at", "archived_at"})
        term = Term.objects.create(
            workspace=workspace,
            name=row.name,
            canonical_definition=row.canonical_definition,
            owner=people[row.owner] if row.owner else None,
            **{name: value for name, value in dates.items() if value or name == "archived_at"},
        )
        terms[row.name.lower()] = term
    Definition.objects.bulk_create(
        Definition(
            term=terms[row.name.lower()],
            source=Source.EDITOR,
            **{name: value for name, value in d.model_dump().items() if value is not None},
        )
        for row in rows
        for d in row.definitions
    )
    for row in rows:
        if row.related:
            terms[row.name.lower()].related.set(terms[name.lower()] for name in row.related)
