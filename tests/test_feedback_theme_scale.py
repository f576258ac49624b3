"""Feedback themes among hundreds of real, unrelated items, with the real model: a small
distinct need keeps its own theme, an issue template's markup neither groups nor is quoted, and
labels hold no link parts or one word twice."""

import csv
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from truenorth.analysis.themes import Theme
from truenorth.feedback.models import FeedbackItem
from truenorth.feedback.themes import ItemFacts, theme_figures, theme_labels

EVALDATA = Path(__file__).resolve().parents[2] / "shared" / "evaldata"
needs_evaldata = pytest.mark.skipif(not EVALDATA.exists(), reason="no shared/evaldata here")
csv.field_size_limit(10**8)

# Three needs of a finance team, four customers each: as distinct as needs get.
NEEDS = {
    "audit": [
        "Our external auditors want proof of who approved each invoice and when",
        "Auditors asked for the approval trail of 40 sampled invoices, I print them one by one",
        "Can our auditors get their own read-only login to see approvals?",
        "We need an export of every approval with approver and timestamp for the SOX audit",
    ],
    "bank": [
        "A supplier emailed new bank details and we nearly paid a fraudster",
        "Changing a vendor's bank account should need a second person to confirm",
        "Alert me when a supplier's bank details change before the payment run",
        "Verify vendor bank account changes by phone, we got scammed last year",
    ],
    "currency": [
        "Bills in euros land in Xero at the wrong exchange rate",
        "Use the invoice date's exchange rate for foreign currency bills",
        "Every EUR bill is off by a few dollars after conversion",
        "Foreign currency invoices convert at today's rate, not the invoice date's",
    ],
}


def reviews(count: int) -> list[str]:
    with (EVALDATA / "app-reviews" / "dataset_unbalanced_4000.csv").open(errors="replace") as f:
        found = dict.fromkeys(" ".join(row["review"].split()) for row in csv.DictReader(f))
    return [text for text in found if len(text.split()) >= 6][:count]


def issues(count: int) -> list[tuple[str, str]]:
    """(title, body) of real GitHub issues, most written in their repository's template."""
    with (EVALDATA / "github-issues" / "issues_train.csv").open(encoding="utf-8") as f:
        rows = [row for row in csv.DictReader(f) if row["body"]]
    return [(row["title"], row["body"]) for row in rows[:count]]


def add(workspace, source: str, key: str, text: str, title: str = "", days: int = 0) -> None:
    FeedbackItem.objects.create(
        workspace=workspace,
        source=source,
        source_key=key,
        title=title,
        text=text,
        account=f"Account {key}",
        received_on=timezone.localdate() - timedelta(days=days),
    )


@needs_evaldata
@pytest.mark.django_db
def test_small_needs_keep_their_themes_beside_hundreds_of_unrelated_items(workspace):
    for n, text in enumerate(reviews(250)):
        add(workspace, "app_review", f"r{n}", text, days=n % 300)
    for n, (title, body) in enumerate(issues(120)):
        add(workspace, "zendesk", f"i{n}", body, title=title, days=n % 300)
    for need, texts in NEEDS.items():
        for n, text in enumerate(texts):
            add(workspace, "zendesk", f"{need}-{n}", text)
    keys = dict(FeedbackItem.objects.filter(workspace=workspace).values_list("pk", "source_key"))
    found = theme_figures(workspace)["themes"]

    theme_of = {keys[m]: t["number"] for t in found for m in t["members"]}
    for need in NEEDS:
        held = {theme_of.get(f"{need}-{n}") for n in range(4)}
        assert len(held) == 1 and None not in held, (need, held)
    # Each need a theme of its own, not one theme for all that is about finance.
    assert len({theme_of[f"{need}-0"] for need in NEEDS}) == 3
    # 382 items are many themes, not a dozen.
    assert len(found) >= 382 / 25
    for theme in found:
        assert "https" not in theme["label"] and "#" not in theme["label"]
        assert all("###" not in q["text"] and "<!--" not in q["text"] for q in theme["quotes"])


@needs_evaldata
def test_an_issue_is_read_as_its_title_and_words_not_its_template():
    title, body = next((t, b) for t, b in issues(5000) if "### Issue type" in b)
    item = ItemFacts(1, title, body, "", "", None, timezone.localdate(), "zendesk", "problem", "")
    assert item.words.startswith(title)
    assert "###" not in item.words and "Have you reproduced the bug" not in item.words
    commented = "<!-- Note: if the issue is about documentation, use the docs form -->\nIt crashes"
    assert ItemFacts(2, "", commented, "", "", None, timezone.localdate(), "", "", "").said == (
        "It crashes"
    )


def test_a_label_names_one_word_once_and_no_part_of_a_link():
    texts = [
        "Notifications alerts broken, see https com html",
        "Notification alerts missing on github com",
        "No notifications alerts since the update",
    ]
    day = timezone.localdate()
    items = [ItemFacts(n, "", t, "", "", None, day, "", "", "") for n, t in enumerate(texts)]
    theme = Theme([0, 1, 2], centroid=None, quotes=[0, 1, 2])  # type: ignore[arg-type]
    [(said, _)] = theme_labels([theme], items, set())
    assert said == "notifications alerts"


@pytest.mark.django_db
def test_an_item_in_japanese_is_marked_as_likely_not_english(workspace):
    for n in range(3):
        add(
            workspace,
            "intercom",
            f"ja-{n}",
            "Slackで請求書を承認できるようにしてほしいです。承認者がログインしません。",
        )
    add(workspace, "intercom", "en", "Please let us approve invoices in Slack")
    found = theme_figures(workspace)
    quotes = [q for theme in found["themes"] for q in theme["quotes"]]
    assert any(q["not_english"] for q in quotes)
    assert not any(q["not_english"] for q in quotes if q["text"].startswith("Please"))
    assert sum(theme["not_english"] for theme in found["themes"]) == 3
