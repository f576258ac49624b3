"""What a glossary term's page says of a published check-in's answers, for each role, agrees
with its JSON twin and its count of functions; JSON twins refuse in JSON. Real database, the
demo's check-in about "customer", the real model."""

from html import unescape

import pytest

from truenorth.checkins.actions import asks
from truenorth.checkins.measure import analyze, close_checkin
from truenorth.sending import in_quotes


def term_page(client, workspace, term) -> str:
    return unescape(client.get(f"/w/{workspace.slug}/glossary/{term.pk}/").content.decode())


def test_each_role_reads_the_published_answers_as_its_page_and_twin_say(db, demo_client):
    from truenorth.demo.build import build_demo

    workspace = build_demo()
    customer = workspace.terms.get(name="customer")
    checkin = customer.questions.get().question.checkin
    close_checkin(checkin)
    analyze(checkin)

    member = demo_client(workspace, "member")
    page = term_page(member, workspace, customer)
    twin = member.get(f"/w/larkspur/glossary/{customer.pk}.json").json()
    # Engineering has no editor's definition: its six answers are its reading.
    engineering = page.split('id="reading-engineering"')[1].split("</section>")[0]
    assert "No reading yet" not in engineering
    assert "Its people answered in a check-in" in engineering
    assert "the answers are above" not in page
    assert "count in the divergence above, and are read by the workspace’s owners" in page
    assert "11 answers from check-ins, read by the workspace’s owners" in page
    answered = [r["function"] for r in twin["readings"] if r["answered_in_checkins"]]
    assert sorted(answered) == ["engineering", "sales"]
    with_a_reading = [r for r in twin["readings"] if r["definition"] or r["answered_in_checkins"]]
    assert len(with_a_reading) == twin["functions_with_a_reading"]
    assert all(r["quotes"] == [] for r in twin["readings"])

    viewer = demo_client(workspace, "viewer")
    page = term_page(viewer, workspace, customer)
    twin = viewer.get(f"/w/larkspur/glossary/{customer.pk}.json").json()
    engineering = page.split('id="reading-engineering"')[1].split("</section>")[0]
    unquoted = {r["function"]: r["unquoted_answers"] for r in twin["readings"]}
    assert unquoted["engineering"] == 6 and "6 answers measured, not quoted" in engineering
    assert unquoted["sales"] == 5 and twin["functions_with_a_reading"] == 6
    assert "the answers are above" not in page and "quoted where at least 5" in page
    answered = [r["function"] for r in twin["readings"] if r["answered_in_checkins"]]
    assert sorted(answered) == ["engineering", "sales"]


def test_the_invitation_quotes_a_title_with_quotes_of_its_own_once(db):
    from truenorth.demo.build import build_demo

    workspace = build_demo()
    checkin = workspace.checkins.get(title="What we mean by “customer”")
    assert in_quotes(checkin.title) == "“What we mean by ‘customer’”"
    assert "“What we mean by ‘customer’”." in asks(checkin)


def test_a_checkin_twin_refuses_in_json(workspace, client_for):
    member = client_for("member")
    response = member.get("/w/acme/checkins/1/report.json")
    assert response.status_code == 403 and response["Content-Type"] == "application/json"
    assert "owners, editors and viewers" in response.json()["error"]
    response = client_for("viewer").get("/w/acme/checkins/999/report.json")
    assert response.status_code == 404 and response.json()["error"] == (
        "This workspace has no check-in 999."
    )
    response = client_for("viewer").get("/w/nowhere/checkins/1/report.json")
    assert response.status_code == 404 and response.json()["error"] == "No such workspace"


def test_a_glossary_twin_refuses_in_json(workspace, client_for):
    response = client_for("partner").get("/w/acme/glossary.json")
    assert response.status_code == 403 and "not its partners" in response.json()["error"]
    response = client_for("member").get("/w/acme/glossary/999.json")
    assert response.status_code == 404
    assert response.json()["error"] == "This workspace has no term 999."


def test_a_refusal_quotes_a_title_with_quotes_of_its_own_once(db):
    from truenorth.checkins.actions import NotCompanyWide, pin_to_dashboard
    from truenorth.demo.build import build_demo

    workspace = build_demo()
    checkin = workspace.checkins.get(title="What we mean by “customer”")
    with pytest.raises(NotCompanyWide) as refused:
        pin_to_dashboard(checkin)
    assert str(refused.value).startswith("“What we mean by ‘customer’” asks what glossary terms")
