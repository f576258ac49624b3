"""An initiative's page lists the decisions that touch or block it, newest first, as does the
API's initiative; partners never see those links."""

import html
from datetime import date

import pytest

from tests.api import api_request
from truenorth.decisions import actions
from truenorth.decisions.models import Decision
from truenorth.roadmap.models import Visibility


def add(workspace, title, raised=date(2026, 3, 1), shared=False) -> Decision:
    decision = Decision(
        workspace=workspace,
        title=title,
        question=f"{title}?",
        raised_on=raised,
        shared_with_partners=shared,
    )
    return actions.add_decision(decision)


@pytest.fixture
def linked(workspace, strategy):
    """Three decisions on the partner-visible initiative: one touching it, decided; a later
    one blocking it, open; a third on another initiative."""
    initiative = strategy["initiatives"][Visibility.PARTNER]
    touching = add(workspace, "Wizard per ERP", shared=True)
    actions.decide(touching, date(2026, 3, 3), "One wizard per ERP.")
    touching.initiatives.add(initiative)
    blocking = add(workspace, "Which ERPs first", raised=date(2026, 3, 5), shared=True)
    blocking.blocks.add(initiative)
    add(workspace, "Unrelated").initiatives.add(strategy["initiatives"][Visibility.INTERNAL])
    return initiative


def test_the_page_lists_its_decisions_newest_first(linked, client_for):
    page = client_for("member").get(f"/w/acme/roadmap/{linked.pk}/").content.decode()
    shown = html.unescape(page[page.index('id="initiative-decisions"') :])
    assert shown.index("#2 Which ERPs first") < shown.index("#1 Wizard per ERP")
    assert "Unrelated" not in shown
    assert 'href="/w/acme/decisions/2/"' in shown and 'href="/w/acme/decisions/1/"' in shown
    assert "Decided 3 Mar 2026" in shown and "Touches it" in shown
    assert "Raised 5 Mar 2026, not decided yet" in shown
    assert "Holds it up until it is decided" in shown


def test_an_initiative_with_no_decision_says_so(strategy, client_for):
    initiative = strategy["initiatives"][Visibility.INTERNAL]
    page = client_for("member").get(f"/w/acme/roadmap/{initiative.pk}/").content.decode()
    assert 'id="no-initiative-decisions"' in page


def test_the_api_gives_its_decisions(linked, client, users):
    url = f"/api/v1/workspaces/acme/initiatives/{linked.pk}"
    found = api_request(client, users["viewer"], "get", url).json()
    assert [(d["number"], d["link"]) for d in found["decisions"]] == [
        (2, "holds it up until it is decided"),
        (1, "touches it"),
    ]
    assert found["decisions"][1]["decided_on"] == "2026-03-03"
    # A read sent back changes nothing and is not refused for its decisions.
    back = api_request(client, users["editor"], "patch", url, found, "write")
    assert back.status_code == 200, back.content


def test_partners_never_see_an_initiative_s_decisions(linked, client_for, client, users):
    """Even shared decisions: their links to initiatives are the organisation's."""
    page = client_for("partner").get(f"/w/acme/roadmap/{linked.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "initiative-decisions" not in text and "Wizard per ERP" not in text
    url = f"/api/v1/workspaces/acme/initiatives/{linked.pk}"
    found = api_request(client, users["partner"], "get", url)
    assert found.status_code == 200 and "decisions" not in found.json()
