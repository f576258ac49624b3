"""A term's page on a phone: each function's reading stacks one under another, nothing scrolls
sideways, axe finds nothing serious, and an editor writes a function's definition from there."""

import pytest

from tests.browser.phone import fits, table_reads_well
from truenorth.glossary.actions import define, save_term
from truenorth.glossary.models import Term
from truenorth.workspaces.models import Function

pytestmark = pytest.mark.browser


def test_an_editor_reads_and_defines_a_term_on_a_phone(
    transactional_db, live_server, page, log_in_on_a_phone, users, output_dir
):
    term = save_term(
        Term(
            workspace=users["editor"].memberships.get().workspace,
            name="customer",
            canonical_definition="An organisation with a paid subscription to our product.",
        )
    )
    define(term, Function.FINANCE, "Whoever pays the invoice: the legal entity we bill.")
    define(term, Function.SUPPORT, "The people who open tickets with us, day to day.")
    log_in_on_a_phone("editor", f"/w/acme/glossary/{term.pk}/")
    finance = page.locator("#reading-finance")
    support = page.locator("#reading-support")
    assert "Whoever pays the invoice" in finance.inner_text()
    # Side by side on a wide screen, stacked on a phone: one column, one card under another.
    first, second = support.bounding_box(), finance.bounding_box()
    assert first["x"] == second["x"] and second["y"] >= first["y"] + first["height"]
    page.screenshot(path=str(output_dir / "term-390.png"), full_page=True)
    table_reads_well(page, "#divergence-pairs", "In their words")
    # Every cell of a card says what it is: no bare "no" under a hidden header.
    assert page.locator("#divergence-pairs td:not(.lead):not([data-label])").count() == 0

    page.get_by_role("link", name="Write the definition for Engineering").click()
    page.get_by_label("What it means to this function").fill("A tenant in our database.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/glossary/{term.pk}/")
    assert "A tenant in our database." in page.locator("#reading-engineering").inner_text()
    fits(page)

    page.goto(f"{live_server.url}/w/acme/glossary/")
    page.screenshot(path=str(output_dir / "glossary-390.png"), full_page=True)
    table_reads_well(page, "table.glossary", "Canonical definition")


def test_the_glossary_list_says_why_a_term_is_flagged_on_a_phone(
    transactional_db, live_server, page, log_in_on_a_phone, users, output_dir
):
    from tests.test_glossary_divergence import term_with
    from tests.test_glossary_flagged import LAUNCH, RENEWAL

    workspace = users["viewer"].memberships.get().workspace
    term_with(workspace, "renewal", RENEWAL, "Another contract term, signed.")
    term_with(workspace, "launch", LAUNCH, "The day it is on for every customer.")
    log_in_on_a_phone("viewer", "/w/acme/glossary/")
    said = page.locator("table.glossary .pair-verdict").all_inner_texts()
    assert said == [
        "Flagged: Finance and Sales give different numbers for the same thing.",
        "Not flagged: the model can miss definitions that name different people; read them "
        "side by side.",
    ]
    # Under each figure, the pair the line names and what it is, on the phone's width too.
    named = page.locator("table.glossary .named-pair").all_inner_texts()
    assert named[0] == "flagged pair: Finance and Sales, 100"
    assert named[1].startswith("furthest apart: ") and len(named) == 2
    fits(page)
    page.screenshot(path=str(output_dir / "glossary-390.png"), full_page=True)
    table_reads_well(page, "table.glossary", "Canonical definition")
