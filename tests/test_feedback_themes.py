"""Feedback themes with the real model: what customers ask for, grouped by meaning, counted by
items, accounts and account value (each account once), with a trend a month."""

import csv
import io
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from click.testing import CliRunner
from django.utils import timezone
from django.utils.html import escape

from tests.api import api_request
from truenorth.analysis.needs import Target, theme_addressing
from truenorth.cli import main
from truenorth.feedback.actions import decide_theme
from truenorth.feedback.models import FeedbackItem
from truenorth.feedback.theme_views import month_ticks
from truenorth.feedback.themes import (
    MIN_THEME,
    market_words,
    month_keys,
    theme_figures,
    value_words,
)
from truenorth.roadmap.models import Initiative, Status, Visibility
from truenorth.strategy.models import Goal
from truenorth.updates import audiences
from truenorth.updates.facts import gather

EXPORT = [
    "Please let us export the invoice list to Excel",
    "need a CSV export of all invoices for our auditors",
    "Can't get my invoices out into a spreadsheet, export pls",
    "We want to download the whole invoice register as xlsx",
    "export to excel is a must for our finance team",
]
# Each matches the goal of approving on phones clearly (48 or more): "approving from the android
# app would save us days" scored on the match cut (35), either side of it with the CPU's int8
# arithmetic.
MOBILE = [
    "I want to approve invoices from my phone",
    "Approvals on mobile please, I'm never at my desk",
    "an iPhone app so managers can approve from their phones on the go",
    "approvals from the android app would save managers days",
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
        "valued_accounts": 0,
        "themes": [],
        "in_no_theme": [],
        "praise": 0,
        "months": month_keys(timezone.localdate()),
        "market": {
            "demand": 0,
            "unaddressed": 0,
            "unaddressed_share": None,
            "unaddressed_value_share": None,
            "since": None,
            "recent_since": month_keys(timezone.localdate())[0] + "-01",
            "recent_demand": 0,
            "recent_unaddressed": 0,
            "recent_unaddressed_share": None,
            "largest_unaddressed": [],
            "unsupported": [],
        },
        "targets": 0,
        "voices": {},
        "values": None,
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


def test_an_addressed_themes_items_nothing_matches_are_shown_with_quotes(
    client_for, workspace, feedback, roadmap
):
    export = [feedback[f"export-{n}"].pk for n in range(len(EXPORT))]
    register = Initiative.objects.get(key="RM-1")
    decide_theme(workspace, export[:2], register, accepted=True)
    decide_theme(workspace, export[2:], register, accepted=False)
    found = client_for("member").get("/w/acme/feedback/themes.json").json()
    theme = next(t for t in found["themes"] if set(t["members"]) == set(export))
    assert theme["status"] == "committed"
    assert (theme["unmatched"]["items"], theme["unmatched"]["accounts"]) == (3, 3)
    html = client_for("member").get("/w/acme/feedback/themes/").content.decode()
    # Once: the login theme's items match nothing either, but the whole theme says so already.
    assert html.count("Nothing on the roadmap matches") == 1
    assert "Nothing on the roadmap matches 3 of these 5 items, from 3 accounts" in html
    assert all(escape(q["text"]) in html for q in theme["unmatched"]["quotes"])


def test_the_trend_names_every_third_month_under_its_axis(client_for, feedback):
    months = [f"2026-{m:02d}" for m in range(1, 13)]
    ticks = ["", "", "Mar", "", "", "Jun", "", "", "Sep", "", "", "Dec"]
    assert month_ticks(months) == ticks
    html = client_for("member").get("/w/acme/feedback/themes/").content.decode()
    assert "202…" not in html  # a month key cut to fit, as it was


def test_an_initiatives_status_reads_as_words(client_for, feedback, roadmap):
    unasked = Initiative.objects.get(key="RM-2")
    unasked.status = Status.IN_PROGRESS
    unasked.save()
    html = client_for("member").get("/w/acme/feedback/themes/").content.decode()
    assert "Carbon footprint estimate per supplier</a> (in progress)" in html


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


# --- Matched to the roadmap: what addresses each theme, and what nothing does ---


@pytest.fixture
def roadmap(workspace):
    """An initiative for the export theme, a goal for the mobile one, none for single sign-on,
    and one initiative no customer asked for."""
    export = Initiative.objects.create(
        workspace=workspace,
        key="RM-1",
        title="Export the invoice register to Excel and CSV",
        problem="Finance teams copy invoices into spreadsheets by hand for their auditors.",
        status=Status.COMMITTED,
    )
    unasked = Initiative.objects.create(
        workspace=workspace,
        key="RM-2",
        title="Carbon footprint estimate per supplier",
        problem="Sustainability teams want emissions by supplier.",
        status=Status.PLANNED,
    )
    goal = Goal.objects.create(
        workspace=workspace,
        rank=1,
        title="Managers approve invoices on their phones within a day",
        why="Approvals wait for people who are never at their desks.",
        why_now="Approval time doubled this year.",
        metric="Median approval time",
        target="1 day",
        period="2027-H1",
    )
    return {"export": export, "unasked": unasked, "goal": goal}


def theme_about(found: dict, topic: str, feedback: dict) -> dict:
    return next(t for t in found["themes"] if topic_of(t["members"][0], feedback) == topic)


def test_each_theme_is_matched_to_what_addresses_it(workspace, feedback, roadmap):
    found = theme_figures(workspace)
    export = theme_about(found, "export", feedback)
    assert export["status"] == "committed"
    assert export["addressed_by"][0]["key"] == "RM-1"
    assert theme_about(found, "mobile", feedback)["status"] == "goal only"
    assert theme_about(found, "login", feedback)["status"] == "unaddressed"
    market = found["market"]
    assert (market["unaddressed"], market["demand"]) == (3, 11)  # the three login accounts
    assert [t["key"] for t in market["unsupported"]] == ["RM-2"]


def test_an_editors_word_outlives_the_themes(workspace, feedback, roadmap):
    login = [row.pk for key, row in feedback.items() if key.startswith("login")]
    decide_theme(workspace, login, roadmap["unasked"], accepted=True)
    found = theme_figures(workspace)
    [by] = theme_about(found, "login", feedback)["addressed_by"]
    assert (by["key"], by["accepted"], by["items"]) == ("RM-2", True, 3)
    export = [row.pk for key, row in feedback.items() if key.startswith("export")]
    decide_theme(workspace, export, roadmap["export"], accepted=False)
    assert theme_about(theme_figures(workspace), "export", feedback)["status"] == "unaddressed"


def test_an_account_nothing_addresses_inside_an_addressed_theme_is_unaddressed_demand(
    workspace, feedback, roadmap
):
    """The demo's auditors' requests sat inside the approvals theme, which approver reminders
    address: an editor had said nothing addresses them, and they counted as served."""
    before = theme_figures(workspace)["market"]
    assert (before["unaddressed"], before["demand"]) == (3, 11)  # the login theme's accounts
    one = feedback["export-4"]  # the export theme's account "export-4", its one item
    decide_theme(workspace, [one.pk], roadmap["export"], accepted=False)
    found = theme_figures(workspace)
    assert theme_about(found, "export", feedback)["status"] == "committed"  # the theme still is
    market = found["market"]
    assert (market["unaddressed"], market["demand"]) == (4, 11)
    assert market["unaddressed_value_share"] > before["unaddressed_value_share"]
    assert "what customers ask for (4 of 11 requests," in market_words(market)


def test_an_interviews_needs_are_grouped_by_need_not_by_its_title(workspace):
    """Each need of an interview shares the note's title ("Interview: Initech, AP lead"):
    embedded with it, the demo's interview needs made one theme of every topic."""
    today = timezone.localdate()
    interviews = [("Initech", EXPORT[:3]), ("Umbrella", MOBILE[:3])]
    rows = [
        FeedbackItem(
            workspace=workspace,
            source="interview",
            source_key=f"{account}#{n}",
            title=f"Interview: {account}, AP lead",
            text=text,
            account=account,
            received_on=today,
        )
        for account, texts in interviews
        for n, text in enumerate([*texts, *(MOBILE[3:] if account == "Initech" else EXPORT[3:])])
    ]
    FeedbackItem.objects.bulk_create(rows)
    by_id = {row.pk: row for row in FeedbackItem.objects.filter(workspace=workspace)}
    found = theme_figures(workspace)["themes"]
    topics = [
        {"export" if by_id[i].text in EXPORT else "mobile" for i in t["members"]} for t in found
    ]
    assert sorted(map(sorted, topics)) == [["export"], ["mobile"]]
    assert all("interview" not in t["label"] for t in found)


def test_editors_confirm_or_reject_on_the_page_and_readers_cannot(
    client_for, workspace, feedback, roadmap
):
    export = ",".join(str(row.pk) for key, row in feedback.items() if key.startswith("export"))
    form = {"items": export, "target": f"initiative-{roadmap['export'].pk}", "decision": "reject"}
    assert client_for("member").post("/w/acme/feedback/themes/decide/", form).status_code == 403
    page = client_for("editor").get("/w/acme/feedback/themes/").content.decode()
    assert "Committed: the roadmap will deliver this" in page and "Not this" in page
    # Confirming is for the theme's items, after reading what it would link.
    assert '>Confirm for its items…<span class="visually-hidden"> (' in page
    assert (
        "What addresses its items, the most first (the first gives the status; on a tie, the "
        "least advanced comes first)" in page
    )
    assert "Unaddressed: none of its 3 items matched any of the 3 goals and initiatives" in page
    answer = client_for("editor").post("/w/acme/feedback/themes/decide/", form, follow=True)
    assert "does not address these 5 items" in answer.content.decode()
    for bad in (
        {**form, "target": "initiative-99999"},
        {**form, "items": "1,x"},
        {**form, "decision": "maybe"},
    ):
        assert client_for("editor").post("/w/acme/feedback/themes/decide/", bad).status_code == 400


def test_an_initiatives_and_a_goals_pages_quote_the_customers_behind_them(
    client_for, workspace, feedback, roadmap
):
    page = client_for("viewer").get(f"/w/acme/roadmap/{roadmap['export'].pk}/").content.decode()
    assert "What customers said" in page and "from 4 accounts" in page
    assert sum(escape(text) in page for text in EXPORT) == 3  # the latest three
    goals = client_for("viewer").get("/w/acme/goals/").content.decode()
    [line] = [line for line in goals.splitlines() if "Customers:" in line]
    assert any(escape(text) in line for text in MOBILE)  # the goal about approving on phones
    unasked = client_for("viewer").get(f"/w/acme/roadmap/{roadmap['unasked'].pk}/")
    assert "No customer asks for what this addresses yet" in unasked.content.decode()


def test_a_partner_reads_a_shared_initiative_without_its_customers(
    client_for, workspace, feedback, roadmap
):
    shared = roadmap["export"]
    shared.visibility = Visibility.PARTNER
    shared.save()
    page = client_for("partner").get(f"/w/acme/roadmap/{shared.pk}/")
    assert page.status_code == 200 and shared.title in page.content.decode()
    assert "What customers said" not in page.content.decode()
    assert not any(escape(text) in page.content.decode() for text in EXPORT)


def test_updates_name_what_customers_ask_for_most_except_to_partners(workspace, feedback, roadmap):
    today = timezone.localdate()
    facts = gather(workspace, today - timedelta(days=30), today, today)
    [section] = [
        s for s in audiences.executives(facts) if s.heading == "What customers ask for most"
    ]
    assert len(section.lines) == 3
    export = next(line for line in section.lines if "Committed" in line.note)
    assert any(text in export.text for text in EXPORT) and "RM-1" not in export.note
    partner_text = str(audiences.partners(facts))
    assert not any(text in partner_text for text in EXPORT + MOBILE + LOGIN)


# --- Functional and psychological value ---


def test_each_theme_and_goal_has_a_kind_of_value_an_editor_confirms(
    client_for, workspace, feedback, roadmap
):
    found = theme_figures(workspace)
    export = theme_about(found, "export", feedback)
    assert export["kind_of_value"]["kind"] == "functional"  # an export is what it does
    assert export["kind_of_value"]["confirmed"] == 0
    [goal] = found["values"]["goals"]
    assert goal["kind"] in ("functional", "psychological") and not goal["confirmed"]

    editor = client_for("editor")
    items = ",".join(str(i) for i in export["members"])
    editor.post("/w/acme/feedback/themes/value/", {"items": items, "kind": "psychological"})
    editor.post("/w/acme/feedback/themes/value/", {"goal": goal["id"], "kind": "psychological"})
    found = theme_figures(workspace)
    confirmed = theme_about(found, "export", feedback)["kind_of_value"]
    assert (confirmed["kind"], confirmed["confirmed"]) == ("psychological", 5)
    assert found["values"]["goals"][0] == {**goal, "kind": "psychological", "confirmed": True}

    for bad in ({"items": items, "kind": "joy"}, {"goal": "99999", "kind": "functional"}, {}):
        assert editor.post("/w/acme/feedback/themes/value/", bad).status_code == 400
    assert (
        client_for("member")
        .post("/w/acme/feedback/themes/value/", {"items": items, "kind": "functional"})
        .status_code
        == 403
    )


def test_the_dashboard_says_whether_a_goal_serves_the_psychological_value_promised(
    client_for, workspace, feedback, roadmap, strategy
):
    vision = workspace.visions.order_by("-number").first()
    vision.user_benefit = "They feel calm and in control at month end, never afraid of a mistake."
    vision.save()
    html = client_for("owner").get("/w/acme/alignment/").content.decode()
    assert 'id="value-served"' in html and "The vision promises users" in html


def test_the_value_sentences_say_when_no_goal_serves_the_promise():
    vision = {"text": "Calm at month end.", "kind": "psychological", "leaning": "psychological"}
    calm = {"title": "Nobody dreads close week", "kind": "psychological"}
    fast = {"title": "Close in three days", "kind": "functional"}
    values = {"vision": vision, "goals": [fast], "needs_psychological_share": 0.25}
    said = " ".join(value_words(values))
    assert "25% of the customers' needs are about psychological value" in said
    assert "0 of 1 goals are about" in said and "No goal serves" in said
    said = " ".join(value_words({**values, "goals": [fast, calm]}))
    assert "1 of 2 goals is about" in said and "through: Nobody dreads close week." in said
    assert "No goal serves" not in said


# --- The themes as a spreadsheet ---


def csv_of(client, path: str = "/w/acme/feedback/themes.csv") -> list[list[str]]:
    answer = client.get(path)
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(answer.content.decode())))


def test_the_csv_has_a_row_for_each_theme_of_the_json(client_for, feedback, roadmap):
    decide_theme(
        roadmap["export"].workspace,
        [row.pk for key, row in feedback.items() if key.startswith("export")],
        roadmap["export"],
        accepted=True,
    )
    twin = client_for("viewer").get("/w/acme/feedback/themes.json").json()
    header, *rows = csv_of(client_for("viewer"))
    assert header == [
        "number",
        "label",
        "items",
        "accounts",
        "account_value",
        "kind_of_value",
        "value_confirmed_items",
        "status",
        "addressed_by",
        "items_matched_by_nothing",
        "quotes",
        *twin["months"],
    ]
    assert len(rows) == len(twin["themes"]) == 3
    for row, theme in zip(rows, twin["themes"], strict=True):
        cells = dict(zip(header, row, strict=True))
        assert (cells["number"], cells["label"]) == (str(theme["number"]), theme["label"])
        assert (cells["items"], cells["accounts"]) == (str(theme["items"]), str(theme["accounts"]))
        assert float(cells["account_value"]) == theme["value"]
        assert cells["kind_of_value"] == theme["kind_of_value"]["kind"]
        assert cells["status"] == theme["status"]
        assert cells["items_matched_by_nothing"] == str(theme["unmatched"]["items"])
        assert cells["quotes"].split("\n") == [q["text"] for q in theme["quotes"]]
        assert [int(cells[month]) for month in twin["months"]] == theme["trend"]
    export = rows[[t["status"] for t in twin["themes"]].index("committed")]
    assert export[header.index("addressed_by")].startswith(
        "RM-1 Export the invoice register to Excel and CSV (confirmed)"
    )
    assert export[header.index("value_confirmed_items")] == "0"
    login = rows[[t["status"] for t in twin["themes"]].index("unaddressed")]
    assert login[header.index("addressed_by")] == ""


def test_a_quote_that_looks_like_a_formula_is_text_in_the_csv(client_for, feedback):
    for key, row in feedback.items():
        if key.startswith("login"):
            row.text = f'=HYPERLINK("http://evil.test", "{row.text}")'
            row.save()
    twin = client_for("member").get("/w/acme/feedback/themes.json").json()
    header, *rows = csv_of(client_for("member"))
    [login] = [t for t in twin["themes"] if t["quotes"][0]["text"].startswith("=")]
    [row] = [r for r in rows if r[header.index("label")] == login["label"]]
    quotes = row[header.index("quotes")]
    assert quotes.startswith("'=HYPERLINK(")
    assert quotes == "'" + "\n".join(q["text"] for q in login["quotes"])


def test_partners_get_no_csv_and_the_page_links_it(client_for, feedback):
    assert client_for("partner").get("/w/acme/feedback/themes.csv").status_code == 403
    for role in ("owner", "editor", "member", "viewer"):
        assert client_for(role).get("/w/acme/feedback/themes.csv").status_code == 200, role
    page = client_for("viewer").get("/w/acme/feedback/themes/").content.decode()
    assert 'href="/w/acme/feedback/themes.csv"' in page


def initiative(workspace, key: str, title: str, status: str) -> Initiative:
    return Initiative.objects.create(workspace=workspace, key=key, title=title, status=status)


def say_what_addresses(workspace, items: list[int], said: dict) -> None:
    """An editor's word for every item of a theme: each initiative addresses the items given
    for it and no other; RM-1, which the model matches to the export theme, none."""
    for target, addressed in said.items():
        decide_theme(workspace, addressed, target, accepted=True)
        decide_theme(workspace, [i for i in items if i not in addressed], target, accepted=False)


def export_theme(client, feedback) -> tuple[dict, str]:
    found = client.get("/w/acme/feedback/themes.json").json()
    export = {feedback[f"export-{n}"].pk for n in range(len(EXPORT))}
    theme = next(t for t in found["themes"] if set(t["members"]) == export)
    html = client.get("/w/acme/feedback/themes/").content.decode()
    card = html.split(f'id="theme-{theme["number"]}"')[1].split("</li>\n")[0]
    return theme, card


def test_a_tie_gives_a_theme_the_least_advanced_status(client_for, workspace, feedback, roadmap):
    export = [feedback[f"export-{n}"].pk for n in range(len(EXPORT))]
    slack = initiative(workspace, "RM-3", "Approve from Slack", Status.SHIPPED)
    phone = initiative(workspace, "RM-4", "Approvals in the iPhone app", Status.PLANNED)
    say_what_addresses(
        workspace, export, {slack: export[:2], phone: export[2:4], roadmap["export"]: []}
    )
    theme, card = export_theme(client_for("member"), feedback)
    assert theme["status"] == "planned"  # not "shipped": the phone's two items wait for it
    assert [t["key"] for t in theme["addressed_by"]] == ["RM-4", "RM-3"]
    # Each addresses 2 of its 5 items: the status rests on a minority, and says so.
    assert "2 of its 5 items match RM-4 Approvals in the iPhone app (planned)" in card
    assert "Shipped" not in card and "Planned, not committed" not in card


def test_a_theme_is_shipped_only_when_shipped_work_addresses_most_of_it(
    client_for, workspace, feedback, roadmap
):
    export = [feedback[f"export-{n}"].pk for n in range(len(EXPORT))]
    slack = initiative(workspace, "RM-3", "Approve from Slack", Status.SHIPPED)
    say_what_addresses(workspace, export, {slack: export[:2], roadmap["export"]: []})
    theme, card = export_theme(client_for("member"), feedback)
    assert (theme["status"], theme["items_shipped"]) == ("partly shipped", 2)
    assert "Partly shipped: 2 of 5 items" in card
    say_what_addresses(workspace, export, {slack: export[:3]})
    theme, card = export_theme(client_for("member"), feedback)
    assert theme["status"] == "shipped" and "Shipped: the roadmap has delivered this" in card


def test_a_theme_of_mixed_work_reads_the_least_advanced_status():
    """16 items: a shipped, a planned and an exploring initiative address 4 each and nothing
    the other 8; 17 items: Slack (shipped) and mobile approvals (planned) 9 each."""
    targets = [
        Target("initiative", 1, "Approve from Slack", "", "shipped", "RM-1"),
        Target("initiative", 2, "Approvals in the iPhone app", "", "planned", "RM-2"),
        Target("initiative", 3, "PO matching", "", "exploring", "RM-3"),
    ]
    addressed = [{0, 1}] * 2 + [{0}] * 2 + [{1, 2}] * 2 + [{2}] * 2 + [set()] * 8
    found = theme_addressing(list(range(16)), addressed, targets, {}, list(range(16)))
    assert [t["items"] for t in found["addressed_by"]] == [4, 4, 4]
    assert found["status"] == "exploring" and found["addressed_by"][0]["key"] == "RM-3"
    mixed = [{0}] * 8 + [{1}] * 8 + [{0, 1}]
    found = theme_addressing(list(range(17)), mixed, targets, {}, list(range(17)))
    assert (found["status"], found["items_shipped"]) == ("planned", 9)


def test_an_item_in_no_theme_is_counted_and_linked(client_for, users, workspace, feedback):
    # An item that says nothing ("N/A" from a form's required box) joins no theme.
    said_nothing = FeedbackItem.objects.create(
        workspace=workspace,
        source="zendesk",
        source_key="101",
        text="N/A",
        account="Tanaka Shoji",
        received_on=timezone.localdate(),
    )
    client = client_for("member")
    found = client.get("/w/acme/feedback/themes.json").json()
    assert found["items"] == 13 and found["in_no_theme"] == [said_nothing.pk]
    assert sum(t["items"] for t in found["themes"]) == 12
    html = client.get("/w/acme/feedback/themes/").content.decode()
    assert '<a href="#no-theme">1 item is in no theme</a>' in html
    assert f'href="/w/acme/feedback/{said_nothing.pk}/"' in html.split('id="no-theme"')[1]
    said = CliRunner().invoke(main, ["themes", "-w", "acme"]).output
    assert f"1 item(s) in no theme, ids {said_nothing.pk}" in said
    api = api_request(client, users["member"], "get", "/api/v1/workspaces/acme/themes")
    assert api.json()["in_no_theme"] == [said_nothing.pk]
