"""Feedback themes with the real model: what customers ask for, grouped by meaning, counted by
items, accounts and account value (each account once), with a trend a month."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from click.testing import CliRunner
from django.utils import timezone
from django.utils.html import escape

from tests.api import api_request
from truenorth.cli import main
from truenorth.feedback.models import FeedbackItem
from truenorth.feedback.themes import MIN_THEME, month_keys, theme_figures

EXPORT = [
    "Please let us export the invoice list to Excel",
    "need a CSV export of all invoices for our auditors",
    "Can't get my invoices out into a spreadsheet, export pls",
    "We want to download the whole invoice register as xlsx",
    "export to excel is a must for our finance team",
]
MOBILE = [
    "I want to approve invoices from my phone",
    "Approvals on mobile please, I'm never at my desk",
    "an iPhone app so managers can approve on the go",
    "approving from the android app would save us days",
]
LOGIN = [
    "Single sign-on with Okta is required by our IT",
    "we need SAML SSO before security signs off",
    "Log in with Azure AD, no more separate passwords",
]
TOPICS = {"export": EXPORT, "mobile": MOBILE, "login": LOGIN}


@pytest.fixture
def feedback(workspace):
    today = timezone.localdate()
    rows = []
    for topic, texts in TOPICS.items():
        for n, text in enumerate(texts):
            # Two items of the export theme come from one account: it counts once.
            account = "Globex" if topic == "export" and n < 2 else f"{topic}-{n}"
            rows.append(
                FeedbackItem(
                    workspace=workspace,
                    source="zendesk",
                    source_key=f"{topic}-{n}",
                    text=text,
                    account=account,
                    account_value=Decimal(1000 * (n + 1)),
                    received_on=today - timedelta(days=40 * n),
                )
            )
    FeedbackItem.objects.bulk_create(rows)
    return {row.source_key: row for row in FeedbackItem.objects.filter(workspace=workspace)}


def topic_of(item_id: int, feedback: dict) -> str:
    return next(key.split("-")[0] for key, row in feedback.items() if row.pk == item_id)


def test_each_topic_is_one_theme(workspace, feedback):
    found = theme_figures(workspace)
    assert found["items"] == 12
    grouped = [{topic_of(i, feedback) for i in theme["members"]} for theme in found["themes"]]
    assert sorted(map(sorted, grouped)) == [["export"], ["login"], ["mobile"]]
    assert all(theme["items"] >= MIN_THEME for theme in found["themes"])


def test_a_theme_counts_each_account_once_with_its_value(workspace, feedback):
    found = theme_figures(workspace)
    [export] = [t for t in found["themes"] if topic_of(t["members"][0], feedback) == "export"]
    assert (export["items"], export["accounts"]) == (5, 4)
    # Globex's two items give 1,000 and 2,000: the account counts once, at 2,000.
    assert export["value"] == 2000 + 3000 + 4000 + 5000
    assert len(export["quotes"]) == 3 and all(q["text"] in EXPORT for q in export["quotes"])


def test_the_trend_counts_items_a_month_and_the_most_accounts_come_first(workspace, feedback):
    found = theme_figures(workspace)
    assert found["months"] == month_keys(timezone.localdate())
    assert [sum(t["trend"]) for t in found["themes"]] == [t["items"] for t in found["themes"]]
    assert [t["accounts"] for t in found["themes"]] == sorted(
        (t["accounts"] for t in found["themes"]), reverse=True
    )
    assert [t["number"] for t in found["themes"]] == [1, 2, 3]


def test_no_feedback_is_no_theme(workspace):
    assert theme_figures(workspace) == {
        "items": 0,
        "accounts": 0,
        "value": 0.0,
        "themes": [],
        "months": month_keys(timezone.localdate()),
    }


def test_a_new_item_renews_the_kept_themes(workspace, feedback):
    assert theme_figures(workspace)["items"] == 12
    FeedbackItem.objects.create(
        workspace=workspace,
        source="field",
        source_key="field-1",
        text="Export the invoices to Excel, every Monday",
        received_on=timezone.localdate(),
    )
    assert theme_figures(workspace)["items"] == 13
    feedback["login-0"].delete()
    assert theme_figures(workspace)["items"] == 12


def test_the_page_shows_each_theme_with_quotes_and_its_twin_agrees(client_for, feedback):
    page = client_for("member").get("/w/acme/feedback/themes/")
    twin = client_for("member").get("/w/acme/feedback/themes.json").json()
    html = page.content.decode()
    assert page.status_code == 200 and len(twin["themes"]) == 3
    for theme in twin["themes"]:
        assert f'id="theme-{theme["number"]}"' in html
        assert all(escape(q["text"]) in html for q in theme["quotes"])
    assert "Accounts asking, by theme" in html and "12 items from 11 accounts" in html


def test_partners_read_no_theme(client_for, feedback):
    for path in ("/w/acme/feedback/themes/", "/w/acme/feedback/themes.json"):
        assert client_for("partner").get(path).status_code == 403


def test_the_command_lists_the_themes_with_a_quote(feedback):
    said = CliRunner().invoke(main, ["themes", "-w", "acme"])
    assert said.exit_code == 0, said.output
    assert "12 items from 11 accounts, in 3 themes" in said.output
    as_json = json.loads(CliRunner().invoke(main, ["themes", "--json", "-w", "acme"]).output)
    assert [t["label"] for t in as_json["themes"]][0] in said.output


def test_the_api_reads_feedback_and_its_themes_inside_the_organisation(client, users, feedback):
    def get(role: str, path: str):
        return api_request(client, users[role], "get", f"/api/v1/workspaces/acme/{path}", None)

    listed = get("member", "feedback?account=globex").json()
    assert listed["count"] == 2 and {i["account"] for i in listed["items"]} == {"Globex"}
    one = get("member", f"feedback/{listed['items'][0]['id']}").json()
    assert one["text"] in EXPORT and one["source"] == "zendesk"
    assert (
        get("member", "themes").json()["themes"]
        == theme_figures(feedback["login-0"].workspace)["themes"]
    )
    assert get("member", "feedback?source=carrier-pigeon").status_code == 400
    for path in ("feedback", "themes", f"feedback/{one['id']}"):
        assert get("partner", path).status_code == 403
