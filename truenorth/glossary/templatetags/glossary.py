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
def glossary_link(context, word: str, new_tab: bool = False) -> str:
    """`new_tab` beside a form being typed in: following the link there must not leave, and
    lose, the unsaved text."""
    membership = context.get("membership")
    if membership is None or not membership.can_read_internal:
        return ""
    slug = membership.workspace.slug
    term = find(word, known_terms(membership))
    if term is not None:
        url = reverse("term", args=[slug, term])
        return _link("glossary-link", url, f"“{word}” in the glossary", new_tab)
    if not membership.can_write:
        return ""
    url = f"{reverse('new_term', args=[slug])}?{urlencode({'name': word})}"
    return _link("glossary-add", url, f"Add {word} to the glossary", new_tab)


def _link(css_class: str, url: str, text: str, new_tab: bool) -> str:
    if new_tab:
        return format_html(
            '<a class="{}" href="{}" target="_blank" rel="noopener">{} (opens in a new tab)</a>',
            css_class,
            url,
            text,
        )
    return format_html('<a class="{}" href="{}">{}</a>', css_class, url, text)
