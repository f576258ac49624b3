"""The term page in plain words, with the real model: what the figure is and what good looks
like, drawn from the analysis' own cut, a heading that fits whether or not a pair is flagged,
and every column named."""

import re

from tests.test_glossary_divergence import CUSTOMER, term_with
from truenorth.analysis.divergence import READS_DIFFERENTLY
from truenorth.analysis.measures import alike_band

CLIENT = {"finance": "Who pays the bill.", "sales": "Who pays the invoice."}


def page_of(client_for, term, role="viewer") -> str:
    return client_for(role).get(f"/w/acme/glossary/{term.pk}/").content.decode()


def test_the_term_page_says_what_the_figure_means_in_plain_words(client_for, workspace):
    term = term_with(workspace, "customer", CUSTOMER)
    page = page_of(client_for, term)
    assert "How differently the functions read “customer”" in page
    assert "two functions 84.6 or more apart read the word as different senses" in page
    assert "Good: lower is better" in page
    for said in ("100 minus", "Good: lower;", "85 or more"):
        assert said not in page, said
    # Every column has a heading, and on a phone every cell its label: no bare "no".
    table = re.search(r'<table class="pairs stack".*?</table>', page, re.S).group(0)
    assert re.findall(r"<th[^>]*>(.*?)</th>", table) == [
        "Functions",
        "How far apart",
        "What it means",
        "In their words",
    ]
    assert ">no<" not in table
    assert all("data-label" in cell for cell in re.findall(r"<td(?! class=\"lead\")[^>]*>", table))
    assert "<strong>different senses of the word</strong>" in table


def test_the_figure_has_a_verdict_in_words_and_one_cut_everywhere(client_for, workspace):
    term = term_with(workspace, "customer", CUSTOMER)
    page = page_of(client_for, term)
    term.refresh_from_db()
    figure = re.search(r'<p class="measure-value">(\d+)', page).group(1)
    verdict = re.search(r'<p class="measure-verdict">([^<]*)</p>', page).group(1)
    if term.divergence >= READS_DIFFERENTLY:
        assert verdict.startswith("High: even on average the functions are 84.6 or more apart")
    else:
        assert verdict.startswith("One pair of functions reads it as different senses")
        assert verdict.endswith("though the average of every pair is under 84.6.")
    # The words come before what good looks like, so the figure is never read as good.
    assert page.index(verdict) < page.index("Good: lower is better")
    assert figure == f"{term.divergence:.0f}"
    data = client_for("member").get(f"/w/acme/glossary/{term.pk}.json").json()
    assert (data["divergence_verdict"], data["reads_differently_from"]) == (verdict, 84.6)
    listed = client_for("member").get("/w/acme/glossary/").content.decode()
    assert "From 84.6, two functions read it as different senses" in listed


def test_the_heading_fits_a_term_no_pair_of_which_is_flagged(client_for, workspace):
    term = term_with(workspace, "client", CLIENT)
    page = page_of(client_for, term)
    assert "No two functions read &#x27;client&#x27; far enough apart to flag" in page
    assert "Functions read the term differently" not in page
    assert "How differently the functions read “client”" in page
    # A member, who reads no check-in results, sees the same plain headline.
    member = page_of(client_for, term, "member")
    assert "How differently the functions read “client”" in member and "Good: lower is" in member
    term.refresh_from_db()
    alike = 100 - term.divergence
    shared = {"good": "mostly agree", "fair": "share only some details", "poor": "share little"}
    said = (
        "Nothing flagged: no pair of functions is 84.6 or more apart, where two readings count "
        "as different senses of the word. On average"
        f"{'' if alike >= 50 else ', though,'} the readings {shared[alike_band().level(alike)]} "
        f"({alike:.0f} of 100 alike; 50 or more reads as mostly one meaning)."
    )
    assert said in page and said in member
    # The sentences agree: nothing says "far apart" beside "not far enough apart to flag", and
    # the cut never stands alone as "Under 84.6".
    for page_read in (page, member):
        assert "readings far apart" not in page_read and "Under 84.6" not in page_read
    assert "under 84.6: not flagged" in page and "not far enough apart" not in page
