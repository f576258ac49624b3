"""A list's pages, as every paged page and JSON twin reads them: the page asked for, and the
neighbouring pages' addresses with the same filters."""

from urllib.parse import urlencode

from django.core.paginator import Page, Paginator


def page_number(request) -> str:
    """The ?page= asked for, or "1" for anything else: a few digits, never any text (a page of
    999999 is the last page, as Paginator.get_page gives it)."""
    number = request.GET.get("page", "")
    return number if number.isdigit() and len(number) < 7 else "1"


def page_of(request, rows, per_page: int) -> Page:
    return Paginator(rows, per_page).get_page(page_number(request))


def where_it_is(page: Page, here: str, query: dict) -> dict:
    """A JSON twin's place in its pages: `page`, `pages`, and `next` and `previous`, the address
    of the neighbouring page with the same filters (null at the ends)."""

    def link(number: int) -> str:
        return f"{here}?{urlencode({**query, 'page': number})}"

    return {
        "page": page.number,
        "pages": page.paginator.num_pages,
        "next": link(page.next_page_number()) if page.has_next() else None,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
    }
