"""Before an update is published: the warnings an editor reads (an empty or placeholder text, a
period not over, a published update covering the same days), publishing early only when asked
for plainly, publishing only the facts the editor was shown, "Gather again" keeping what was
typed, and a partner learning nothing of a draft."""

from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from django.utils import timezone

from tests.api import caller
from truenorth.cli import main
from truenorth.roadmap.models import Initiative
from truenorth.updates import actions, rules
from truenorth.updates.models import Update

PAGES = "/w/acme/updates"
STAMP = 'name="facts_seen" value="'


@pytest.fixture
def month(workspace, strategy):
    """A draft for this month, not over yet, as the demo's December draft was."""
    today = timezone.localdate()
    start = today.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    if end == today:  # the last day of a month: make the period run a day longer
        end += timedelta(days=1)
    return actions.open_draft(workspace, start, end)


@pytest.fixture
def past(workspace, strategy):
    """A draft for a period that has ended."""
    today = timezone.localdate()
    return actions.open_draft(workspace, today - timedelta(days=40), today - timedelta(days=10))


def test_an_empty_or_placeholder_text_is_warned_of(db, past):
    warned = rules.warnings(past)
    assert "The narrative is empty: every internal version opens with it." in warned
    assert "The note for partners is empty: it is all partners read in your words." in warned
    actions.save_texts(past, "This month so far: to be written at the month's end.", "TBD")
    warned = " ".join(rules.warnings(past))
    assert "The narrative reads as a placeholder (“to be written”)" in warned
    assert "The note for partners reads as a placeholder (“TBD”)" in warned
    actions.save_texts(past, "The close got faster.", "Thank you for the referrals.")
    assert rules.warnings(past) == []


def test_a_period_not_over_is_published_only_when_asked_for_plainly(db, month):
    actions.save_texts(month, "The close got faster.", "Thank you.")
    assert any("days still to come" in w or "today included" in w for w in rules.warnings(month))
    with pytest.raises(actions.NeedsConfirmation) as unconfirmed:
        actions.publish(month)
    assert "publishing now freezes its facts before it is over" in unconfirmed.value.problems[0]
    month.refresh_from_db()
    assert not month.is_published
    actions.publish(month, before_period_end=True)
    assert month.is_published


def test_the_page_asks_to_confirm_publishing_early(db, month, client_for):
    client = client_for("editor")
    url = f"{PAGES}/{month.number}/"
    page = client.get(url).content.decode()
    assert 'name="before_period_end"' in page and "Publish before the period ends" in page
    texts = {"narrative": "The close got faster.", "partner_note": "Thank you."}
    refused = client.post(f"{url}publish/", texts)
    assert refused.status_code == 409 and "before it is over" in refused.content.decode()
    assert "The close got faster." in refused.content.decode()  # kept in its box
    assert not Update.objects.get(pk=month.pk).is_published
    assert client.post(f"{url}publish/", {**texts, "before_period_end": "on"}).status_code == 302
    assert Update.objects.get(pk=month.pk).is_published


def test_the_api_and_the_command_line_publish_early_only_with_their_flag(db, month, users, client):
    call = caller(client, users, "/api/v1/workspaces/acme/updates")
    call("patch", f"/{month.number}", {"narrative": "Faster close.", "partner_note": "Thanks."})
    refused = call("post", f"/{month.number}/publish", {})
    assert refused.status_code == 409 and "before it is over" in refused.json()["detail"]
    done = CliRunner().invoke(main, ["updates", "publish", str(month.number), "-w", "acme"])
    assert done.exit_code == 1 and "before it is over" in done.output
    assert not Update.objects.get(pk=month.pk).is_published
    done = CliRunner().invoke(
        main, ["updates", "publish", str(month.number), "--early", "-w", "acme"]
    )
    assert done.exit_code == 0, done.output
    assert Update.objects.get(pk=month.pk).is_published


def test_what_is_published_is_what_the_page_showed(db, past, strategy, client_for):
    """A change since the page was shown is not published unseen: the facts are gathered again
    and shown, and publishing once more publishes them."""
    client = client_for("editor")
    url = f"{PAGES}/{past.number}/"
    page = client.get(url).content.decode()
    seen = page.split(STAMP, 1)[1].split('"', 1)[0]
    Initiative.objects.filter(pk=strategy["initiatives"]["partner"].pk).update(
        title="Renamed since the page was shown"
    )
    texts = {"narrative": "The close got faster.", "partner_note": "Thank you.", "facts_seen": seen}
    refused = client.post(f"{url}publish/", texts)
    assert refused.status_code == 409 and "The facts changed since they were shown" in (
        refused.content.decode()
    )
    past.refresh_from_db()
    assert not past.is_published
    assert "Renamed since the page was shown" in str(past.facts)  # gathered again, to read
    shown = refused.content.decode().split(STAMP, 1)[1].split('"', 1)[0]
    assert shown != seen
    assert client.post(f"{url}publish/", {**texts, "facts_seen": shown}).status_code == 302
    past.refresh_from_db()
    assert past.is_published


def test_the_api_publishes_only_the_facts_it_read(db, past, strategy, users, client):
    call = caller(client, users, "/api/v1/workspaces/acme/updates")
    read = call("patch", f"/{past.number}", {"narrative": "Faster.", "partner_note": "Thanks."})
    Initiative.objects.filter(pk=strategy["initiatives"]["partner"].pk).update(title="Renamed")
    stale = {"facts_gathered_at": read.json()["gathered_at"]}
    refused = call("post", f"/{past.number}/publish", stale)
    assert refused.status_code == 409 and "facts changed" in refused.json()["detail"]
    fresh = call("get", f"/{past.number}").json()
    published = call("post", f"/{past.number}/publish", {"facts_gathered_at": fresh["gathered_at"]})
    assert published.status_code == 200, published.json()


def test_gather_again_keeps_the_texts_typed(db, past, client_for):
    client = client_for("editor")
    url = f"{PAGES}/{past.number}/"
    page = client.get(url).content.decode()
    assert f'form="texts-form" formaction="{url}gather/"' in page
    typed = {"narrative": "Typed, not saved.", "partner_note": "Typed for partners."}
    response = client.post(f"{url}gather/", typed, follow=True)
    html = response.content.decode()
    assert "Facts gathered again from live data and texts saved." in html
    assert "Typed, not saved." in html and "Typed for partners." in html
    past.refresh_from_db()
    assert (past.narrative, past.partner_note) == (typed["narrative"], typed["partner_note"])


def test_a_period_overlapping_a_published_update_is_warned_of(db, workspace, strategy, client_for):
    first = actions.open_draft(workspace, date(2026, 11, 6), date(2026, 12, 5))
    actions.save_texts(first, "A month.", "Thanks.")
    actions.publish(first, before_period_end=True)
    client = client_for("editor")
    response = client.post(
        f"{PAGES}/new/",
        {"period": "custom", "start": "2026-11-01", "end": "2026-11-30", "title": ""},
        follow=True,
    )
    said = (
        "Update 1 (6 November 2026 to 5 December 2026) is published and covers part of this period"
    )
    assert said in response.content.decode()
    second = workspace.updates.get(number=2)
    assert any(said in w for w in rules.warnings(second))
    apart = actions.open_draft(
        workspace, first.period_end + timedelta(days=1), first.period_end + timedelta(days=30)
    )
    assert not rules.overlap_warnings(apart)


def test_a_partner_learns_nothing_of_a_draft_or_an_update_page(db, past, client_for):
    client = client_for("partner")
    assert client.get(f"{PAGES}/{past.number}/").status_code == 404
    assert client.get(f"{PAGES}/{past.number}.json").status_code == 404
    assert client.get(f"{PAGES}/99/").status_code == 404


def test_check_exits_1_when_it_lists_problems(db, past, strategy):
    internal = strategy["initiatives"]["internal"]
    actions.save_texts(past, "", f"We are also working on {internal.title.lower()}.")
    done = CliRunner().invoke(main, ["updates", "check", str(past.number), "-w", "acme"])
    assert done.exit_code == 1 and "Problems:" in done.output
    actions.save_texts(past, "The close got faster.", "Thank you.")
    done = CliRunner().invoke(main, ["updates", "check", str(past.number), "-w", "acme"])
    assert done.exit_code == 0 and "No problems" in done.output
