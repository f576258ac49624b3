"""The demo workspace clicked through in Chromium: alignment dashboard, link suggestions, claims
and the goal form's live clarity check."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from truenorth.checkins.measure import analyze
from truenorth.demo.build import build_demo
from truenorth.demo.content import DEMO_PASSWORD

pytestmark = pytest.mark.browser

SLUG = "larkspur"
# Close in meaning to the shipped RM-11 "Approve from Slack and Microsoft Teams".
CLAIM = "Told their AP lead that approvers can approve invoices straight from Slack or Teams."
CLAIM_ACCOUNT = "Fernhill Foods"


@pytest.fixture
def demo(transactional_db):
    """The demo, built for each test: a live-server test always runs in a transactional database
    that is flushed afterwards, so a module-wide demo would not outlive the first test (and the
    flush removes this one, logins included)."""
    return build_demo(fresh=True)


@pytest.fixture
def analysed_live_demo(demo):
    analyze(demo.checkins.order_by("-opens_at").first())
    return demo


@pytest.fixture
def demo_log_in(log_in):
    """Log in through the form as one of the demo's logins (content.LOGINS)."""
    return lambda username, next_path="": log_in(username, next_path, DEMO_PASSWORD)


def screenshot(page, path) -> None:
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000


# --- 1. The alignment dashboard ---


def test_the_owner_reads_the_four_levels_and_follows_the_evidence_of_a_slip(
    live_server, page, demo_log_in, analysed_live_demo, output_dir
):
    demo_log_in("demo")
    page.wait_for_url(f"{live_server.url}/w/{SLUG}/")
    page.click("header nav >> text=Alignment")
    page.wait_for_url(f"**/w/{SLUG}/alignment/")

    for level in ("Individual", "Team", "Organisation", "Market"):
        assert page.locator("section.level > h2", has_text=level).is_visible()
    assert "nothing on the roadmap addresses" in page.locator("#market").inner_text()

    sparklines = page.locator("svg[data-chart=trend]")
    assert sparklines.count() >= 2
    first = sparklines.first
    assert first.is_visible() and first.bounding_box()["width"] > 50
    points = first.locator("polyline").get_attribute("points").split()
    assert len(points) >= 2 and len(set(points)) == len(points)  # a line, not one dot

    # Each team on one line: Integrations' slips read at a glance.
    headers = page.locator("table.team-summary tr").first.locator("th").all_inner_texts()
    column = next(i for i, h in enumerate(headers) if h.startswith("Initiatives slipped"))
    line = page.locator("table.team-summary tr").filter(
        has=page.locator("td:first-child", has_text=re.compile(r"^\s*Integrations\s*$"))
    )
    at_a_glance = re.match(r"[\d.]+", line.locator(":scope > td").nth(column).inner_text())
    assert at_a_glance and float(at_a_glance.group()) > 0
    screenshot(page, output_dir / "alignment-dashboard.png")

    # The team filter narrows the team level to Integrations, with its trends and evidence.
    page.select_option("#team-filter select", "Integrations")
    with page.expect_navigation():
        page.click("#team-filter button")
    assert page.url.endswith("/alignment/?team=Integrations#team")
    expect(page.locator("table.team-signals > tbody > tr")).to_have_count(2)  # header, the team
    expect(page.locator("#team-filter select")).to_have_value("Integrations")
    slipped = page.locator("table.team-signals > tbody > tr").nth(1).locator(":scope > td")
    slipped = slipped.nth(column)  # not the cells of its charts' tables
    assert slipped.locator(".signal-value").inner_text().startswith(at_a_glance.group())

    with page.expect_navigation() as navigation:
        slipped.locator("a.evidence", has_text="Evidence").click()
    assert navigation.value.status == 200
    assert page.url == f"{live_server.url}/w/{SLUG}/roadmap/overruns/"
    assert page.locator("h1", has_text="Overruns").is_visible()
    assert "Integrations" in page.locator("main").inner_text()


# --- 2. Link suggestions ---


def pair_labels(page) -> list[str]:
    """'Select KEY → TARGET' for every pending suggestion on the page."""
    boxes = page.locator("table.suggestions input[name=ids]")
    return [box.get_attribute("aria-label") for box in boxes.all()]


def key_of(label: str) -> str:
    return label.removeprefix("Select ").split(" → ")[0]


def suggestion_row(page, label: str):
    return page.locator("table.suggestions tr").filter(
        has=page.locator(f'input[aria-label="{label}"]')
    )


def unlinked_keys(page, live_server) -> list[str]:
    """Every key on the work list 'Supporting no goal', page after page."""
    page.goto(f"{live_server.url}/w/{SLUG}/work/?link=unlinked")
    keys = []
    while True:
        keys += page.locator("table.items tr td:first-child").all_inner_texts()
        following = page.locator("p.pages a", has_text="next")
        if not following.count():
            return keys
        # Go to the link's address rather than click it: a click does not wait for the
        # next page, so the loop could read the same page twice and skip another.
        page.goto(following.evaluate("link => link.href"))


def test_the_editor_accepts_and_rejects_link_suggestions(
    live_server, page, demo_log_in, demo, output_dir
):
    demo_log_in("pm", f"/w/{SLUG}/work/suggestions/")
    page.wait_for_url(f"**/w/{SLUG}/work/suggestions/")
    labels = pair_labels(page)
    assert labels, "the demo plants items the suggestions find"
    accepted = labels[0]  # the strongest item's best suggestion
    # Reject a pair of another item that has more than one, so the refresh still offers that item.
    keys = [key_of(label) for label in labels]
    rejected = next(
        label for label in labels if key_of(label) != keys[0] and keys.count(key_of(label)) > 1
    )
    unlinked_before = unlinked_keys(page, live_server)
    assert key_of(accepted) in unlinked_before

    page.click("header nav >> text=Work")
    page.click("p.work-pages >> text=Suggestions")
    suggestion_row(page, accepted).locator("button[value=accept]").click()
    expect(page.locator("p.message", has_text="Linked 1 item from suggestions.")).to_be_visible()
    suggestion_row(page, rejected).locator("button[value=reject]").click()
    expect(page.locator("p.message", has_text="Rejected 1 suggestion:")).to_be_visible()

    page.reload()
    assert "1 accepted · 1 rejected" in page.locator("h1").inner_text()
    assert key_of(accepted) not in map(key_of, pair_labels(page))
    unlinked_after = unlinked_keys(page, live_server)
    assert key_of(accepted) not in unlinked_after
    assert len(unlinked_after) == len(unlinked_before) - 1

    page.goto(f"{live_server.url}/w/{SLUG}/work/suggestions/")
    page.click("button:has-text('Refresh suggestions')")
    page.wait_for_url(f"**/w/{SLUG}/work/suggestions/")
    assert page.locator("p.message", has_text="that support no goal").is_visible()
    refreshed = pair_labels(page)
    assert refreshed, "the refresh offers the other pairs again"
    assert rejected not in refreshed
    assert key_of(accepted) not in map(key_of, refreshed)
    assert key_of(rejected) in map(key_of, refreshed)  # the item again, just not that pair
    screenshot(page, output_dir / "suggestions-after-refresh.png")


# --- 3. Claims ---


def test_the_editor_adds_a_claim_and_sees_its_verdict_and_evidence(
    live_server, page, demo_log_in, demo, output_dir
):
    demo_log_in("pm")
    page.wait_for_url(f"{live_server.url}/w/{SLUG}/")
    page.click("header nav >> text=Claims")
    page.click("text=Add a claim")
    page.fill("#id_said_on", timezone.localdate().isoformat())
    page.fill("#id_account", CLAIM_ACCOUNT)
    page.select_option("#id_said_by", label="Ines Duarte")
    page.fill("#id_text", CLAIM)
    page.fill("#id_source", "Sales call")
    page.click("text=Save and check")
    page.wait_for_url(f"**/w/{SLUG}/claims/")
    saved = page.locator("p.message", has_text=f"Saved the claim made to {CLAIM_ACCOUNT} on ")
    assert "Available: " in saved.inner_text()

    row = page.locator("table.claims tr", has_text=CLAIM)
    assert row.count() == 1
    assert row.locator("td").nth(4).inner_text().startswith("Available")
    evidence = row.locator("td").nth(5).locator("a").first
    assert evidence.inner_text() == "Approve from Slack and Microsoft Teams"
    assert re.fullmatch(rf"/w/{SLUG}/roadmap/\d+/", evidence.get_attribute("href"))

    row.locator("td").nth(1).locator("a", has_text=CLAIM_ACCOUNT).click()
    page.wait_for_url(f"**/w/{SLUG}/claims/accounts/**")
    assert page.locator("h1", has_text=f"Claims to {CLAIM_ACCOUNT}").is_visible()
    account_rows = page.locator("table.claims tr").filter(has=page.locator("td"))
    assert account_rows.count() == 1
    assert CLAIM in account_rows.inner_text() and "Available" in account_rows.inner_text()
    screenshot(page, output_dir / "claims-account.png")

    with page.expect_navigation() as navigation:
        account_rows.locator("td").nth(5).locator("a").first.click()
    assert navigation.value.status == 200
    heading = page.locator("h1").inner_text()
    assert "Approve from Slack and Microsoft Teams" in heading and "Shipped" in heading


# --- 4. The goal form's live clarity panel ---


def clarity_score(page) -> int:
    return int(page.locator("#clarity .clarity-score").inner_text().split("/")[0])


def test_a_buzzword_in_a_goal_title_shows_in_the_clarity_panel_as_it_is_typed(
    live_server, page, demo_log_in, demo, output_dir
):
    demo_log_in("pm")
    page.wait_for_url(f"{live_server.url}/w/{SLUG}/")
    page.click("header nav >> text=Goals")
    page.locator("a", has_text="Edit").first.click()
    page.wait_for_url(f"**/w/{SLUG}/goals/*/edit/")
    title = page.input_value("#id_title")
    assert "world-class" not in page.locator("#clarity").inner_text()
    before = clarity_score(page)

    page.fill("#id_title", f"{title} with a world-class capture engine")
    page.locator("#clarity", has_text="world-class").wait_for(timeout=10_000)
    assert clarity_score(page) < before
    assert page.url.endswith("/edit/")  # checked live, nothing saved
    screenshot(page, output_dir / "goal-clarity-live.png")
