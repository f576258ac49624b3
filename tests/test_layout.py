"""What every page's layout gives (base.html): the sections a role may open with the current one
marked, a skip link, the favicon; and the overview's headline figures."""

import re

import pytest


def current_sections(page: str) -> set[str]:
    return set(re.findall(r'aria-current="page">([^<]+)</a>', page))


@pytest.mark.parametrize(
    "path, section",
    [
        ("/w/acme/", "Overview"),
        ("/w/acme/roadmap/", "Roadmap"),
        ("/w/acme/roadmap/overruns/", "Overruns"),  # the longest matching address wins
        ("/w/acme/work/orphans/", "Work"),
        ("/w/acme/teams/", "People"),
    ],
)
def test_it_marks_the_section_a_page_belongs_to(client_for, strategy, path, section):
    page = client_for("owner").get(path).content.decode()
    assert current_sections(page) == {section}  # in the row of links and in the phone menu


def test_each_role_gets_only_the_sections_it_may_open(client_for, strategy):
    partner = client_for("partner").get("/w/acme/roadmap/").content.decode()
    sections = re.findall(r'<a href="/w/acme/([a-z/]*)"', partner.split("</nav>")[0])
    assert sections == ["roadmap/"]
    member = client_for("member").get("/w/acme/").content.decode()
    assert 'href="/w/acme/alignment/"' not in member and 'href="/w/acme/settings/"' not in member


def test_every_page_has_a_skip_link_and_a_favicon(client_for, strategy):
    page = client_for("viewer").get("/w/acme/goals/").content.decode()
    assert '<a class="skip-link" href="#content">' in page and '<main id="content"' in page
    assert re.search(r'<link rel="icon" href="/static/truenorth/favicon.svg"', page)


def test_the_overview_leads_with_its_headline_figures(client_for, strategy):
    page = client_for("viewer").get("/w/acme/").content.decode()
    orphans = page.split('id="headline-orphans"')[1].split("</section>")[0]
    assert '<p class="headline-value">50<span class="headline-unit">%</span>' in orphans
    assert 'href="/w/acme/work/orphans/"' in orphans
    assert 'id="headline-line-of-sight"' in page  # a viewer may read check-in results


def test_members_get_no_check_in_result_on_the_overview(client_for, strategy):
    client_for("viewer").get("/w/acme/")  # the viewers' overview is cached first
    page = client_for("member").get("/w/acme/").content.decode()
    assert 'id="headline-orphans"' in page and 'id="headline-line-of-sight"' not in page
