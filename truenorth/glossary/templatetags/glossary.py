"""{% glossary_link word %}: where a page flags jargon, a link to the word's glossary entry, or an
offer to add it (seed 002: shared language needs a place where each word is defined)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode

register = template.Library()


def known_terms(membership) -> dict[str, int]:
    """The workspace's terms by lower-case name, read once per request."""
    if not hasattr(membership, "_glossary_terms"):
        names = membership.workspace.terms.values_list("name", "pk")
        membership._glossary_terms = {name.lower(): pk for name, pk in names}
    return membership._glossary_terms


def find(word: str, terms: dict[str, int]) -> int | None:
    """The term a flagged word names, case-insensitively; "KPIs" finds "KPI"."""
    lowered = word.lower()
    return terms.get(lowered) or terms.get(lowered.removesuffix("s"))


@register.simple_tag(takes_context=True)
def glossary_link(context, word: str) -> str:
    membership = context.get("membership")
    if membership is None or not membership.can_read_internal:
        return ""
    slug = membership.workspace.slug
    term = find(word, known_terms(membership))
    if term is not None:
        url = reverse("term", args=[slug, term])
        return format_html('<a class="glossary-link" href="{}">“{}” in the glossary</a>', url, word)
    if not membership.can_write:
        return ""
    url = f"{reverse('new_term', args=[slug])}?{urlencode({'name': word})}"
    return format_html('<a class="glossary-add" href="{}">Add {} to the glossary</a>', url, word)
