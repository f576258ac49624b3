"""Taking back what partners were shown by mistake. An owner unshared a decision and an
initiative that had been shared by mistake, yet the published update's partners' version still
gave the decision's words and the initiative's due date to partners, on its page, its JSON, their
list of updates and the API. An owner or editor can now withdraw that version (page, API,
command line): partners then get 404 for it and no longer list the update, while every
internal audience reads it as before."""

from datetime import date

import pytest
from click.testing import CliRunner

from tests.api import caller
from truenorth.cli import main
from truenorth.decisions.models import Decision
from truenorth.roadmap.models import Initiative, Status, Visibility
from truenorth.updates import actions, delivery
from truenorth.updates.models import Update

START, END = date(2026, 11, 1), date(2026, 11, 30)
WORDS = "Approvals move to Slack for every customer."
PAGES = "/w/acme/updates"
API = "/api/v1/workspaces/acme/updates"


@pytest.fixture
def published(workspace, users):
    """A published update whose partners' version holds a shared decision's words and a
    shared initiative's due date."""
    Decision.objects.create(
        workspace=workspace,
        number=3,
        title="Approvals in Slack",
        question="Where do approvals happen?",
        status="decided",
        outcome=WORDS,
        raised_on=date(2026, 11, 2),
        decided_on=date(2026, 11, 10),
        shared_with_partners=True,
    )
    Initiative.objects.create(
        workspace=workspace,
        title="Bank feeds",
        status=Status.COMMITTED,
        visibility=Visibility.PARTNER,
        target_date=date(2027, 2, 14),
    )
    update = actions.open_draft(workspace, START, END, today=date(2026, 12, 1))
    actions.save_texts(update, "The close got faster.", "Thank you for the referrals.")
    actions.publish(update, today=date(2026, 12, 1))
    return update


def partner_sees(client, users, update: Update) -> dict[str, int]:
    """The status of each way a partner reads the update's partners' version."""
    client.force_login(users["partner"])
    version = f"{PAGES}/{update.number}/partners"
    api = caller(client, users, API)
    listed = client.get(f"{PAGES}.json").json()["updates"]
    own = api("get", f"/{update.number}", role="partner", scope="read").json()
    return {
        "page": client.get(f"{version}/").status_code,
        # The update's own page sends them to their version, and the API says where it is.
        "own_page": client.get(f"{PAGES}/{update.number}/").get("Location", 404),
        "own_api": own["detail"],
        "json": client.get(f"{version}.json").status_code,
        "markdown": client.get(f"{version}.md").status_code,
        "api": api(
            "get", f"/{update.number}/versions/partners", role="partner", scope="read"
        ).status_code,
        "listed": int(any(u["number"] == update.number for u in listed)),
        "api_listed": len(api("get", "", role="partner", scope="read").json()["items"]),
        "searched": int(f"{PAGES}/{update.number}/" in search_links(client, update.title)),
        "menu": int(f'href="{PAGES}/"' in client.get("/w/acme/").content.decode()),
    }


def search_links(client, words: str) -> str:
    results = client.get("/w/acme/search.json", {"q": words}).json()["results"]
    return " ".join(hit["url"] for kind in results.values() for hit in kind["hits"])


def test_partners_read_the_version_until_it_is_withdrawn(published, client, users):
    client.force_login(users["partner"])
    page = client.get(f"{PAGES}/{published.number}/partners/").content.decode()
    assert WORDS in page and "due 14 February 2027" in page
    assert partner_sees(client, users, published) == {
        "page": 200,
        "own_page": f"{PAGES}/{published.number}/partners/",
        "own_api": "Partners read the partners' version: "
        f"GET {API}/{published.number}/versions/partners",
        "json": 200,
        "markdown": 200,
        "api": 200,
        "listed": 1,
        "api_listed": 1,
        "searched": 1,
        "menu": 1,
    }
    actions.withdraw_from_partners(published, by=users["owner"])
    assert partner_sees(client, users, published) == {
        "page": 404,
        "own_page": 404,  # as for a draft: nothing says it exists
        "own_api": "No such update",
        "json": 404,
        "markdown": 404,
        "api": 404,
        "listed": 0,
        "api_listed": 0,
        "searched": 0,
        "menu": 0,
    }
    listing = client.get(f"{PAGES}/").content.decode()
    assert published.title not in listing


def test_the_page_withdraws_it_after_saying_what_partners_lose(published, client_for):
    client = client_for("editor")
    url = f"{PAGES}/{published.number}/"
    page = client.get(url).content.decode()
    assert 'id="withdraw-confirm"' in page and "Partners lose this update" in page
    done = client.post(f"{url}withdraw-from-partners/", follow=True)
    assert done.status_code == 200
    html = done.content.decode()
    assert "Update 1 was withdrawn from partners on " in html and "by Editor" in html
    assert 'id="withdraw-confirm"' not in html
    update = Update.objects.get(pk=published.pk)
    assert update.withdrawn_from_partners_by.username == "editor"
    again = client.post(f"{url}withdraw-from-partners/")
    assert again.status_code == 409 and "withdrawn from partners on" in again.content.decode()
    data = client.get(f"{PAGES}/{published.number}.json").json()
    assert data["withdrawn_from_partners"]["by"] == "editor"


def test_internal_audiences_read_the_update_as_before(published, client_for):
    client = client_for("viewer")
    engineering = f"{PAGES}/{published.number}/engineering.json"
    before = client.get(engineering).json()
    actions.withdraw_from_partners(published)
    assert client.get(engineering).json() == before
    # The organisation still reads what partners were shown, marked as withdrawn.
    shown = client.get(f"{PAGES}/{published.number}/partners/").content.decode()
    assert WORDS in shown and 'id="withdrawn"' in shown
    assert published.title in client.get(f"{PAGES}/").content.decode()


@pytest.mark.parametrize("role", ["member", "viewer", "partner"])
def test_only_owners_and_editors_withdraw(published, client_for, role):
    client = client_for(role)
    refused = client.post(f"{PAGES}/{published.number}/withdraw-from-partners/")
    assert refused.status_code in (403, 404)
    assert not Update.objects.get(pk=published.pk).is_withdrawn_from_partners


def test_the_api_withdraws_it_once(published, client, users):
    call = caller(client, users, API)
    path = f"/{published.number}/withdraw-from-partners"
    assert call("post", path, role="member").status_code == 403
    done = call("post", path)
    assert done.status_code == 200
    assert done.json()["withdrawn_from_partners"]["by"] == "editor"
    again = call("post", path)
    assert again.status_code == 409 and "withdrawn from partners on" in again.json()["detail"]
    assert call("get", f"/{published.number}", role="viewer", scope="read").json()[
        "withdrawn_from_partners"
    ]


def test_a_draft_cannot_be_withdrawn(workspace, client, users):
    draft = actions.open_draft(workspace, START, END, today=date(2026, 12, 1))
    refused = caller(client, users, API)("post", f"/{draft.number}/withdraw-from-partners")
    assert refused.status_code == 409 and "a draft" in refused.json()["detail"]
    with pytest.raises(ValueError, match="a draft"):
        actions.withdraw_from_partners(draft)


def test_the_command_line_withdraws_it(published, users):
    runner = CliRunner()
    done = runner.invoke(main, ["updates", "withdraw", str(published.number), "-w", "acme"])
    assert done.exit_code == 0, done.output
    assert "Withdrew update 1 from partners" in done.output
    assert Update.objects.get(pk=published.pk).is_withdrawn_from_partners
    again = runner.invoke(main, ["updates", "withdraw", str(published.number), "-w", "acme"])
    assert again.exit_code == 1 and "withdrawn from partners on" in again.output
    listed = runner.invoke(main, ["updates", "list", "-w", "acme"])
    assert "(withdrawn from partners)" in listed.output


def test_a_withdrawn_version_is_not_sent_to_partners_again(published, users, mailoutbox):
    published.workspace.slack_webhook_url = "http://127.0.0.1:9/services/never-called"
    published.workspace.save()
    actions.withdraw_from_partners(published)
    rows = delivery.send(Update.objects.get(pk=published.pk))
    assert {row.audience for row in rows} == {"engineering"}
    assert all(row.channel == "email" for row in rows)
    assert all("partner@" not in m.to[0] for m in mailoutbox)


def test_unsharing_what_partners_read_points_to_withdrawing(published, client_for):
    client = client_for("owner")
    url = f"{PAGES}/{published.number}/"
    assert 'id="unshared-since"' not in client.get(url).content.decode()
    Decision.objects.filter(number=3).update(shared_with_partners=False)
    Initiative.objects.filter(title="Bank feeds").update(visibility=Visibility.INTERNAL)
    page = client.get(url).content.decode()
    assert 'id="unshared-since"' in page
    assert "<li>Bank feeds</li>" in page and "<li>decision 3, Approvals in Slack</li>" in page
    actions.withdraw_from_partners(published)
    assert 'id="unshared-since"' not in client.get(url).content.decode()
