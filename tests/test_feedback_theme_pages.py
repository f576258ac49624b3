"""Reading and acting on a theme's items with the real model: linking a whole theme shows what
it would link and leaves out the items far from the target; an item's nearest targets come
nearest first; recent demand is counted apart from old tickets; a theme's items are listed by
a filter on every twin; and the counts say what they count."""

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from click.testing import CliRunner
from django.utils import timezone

from tests.api import api_request
from truenorth.cli import main
from truenorth.feedback.imports import ImportFailed, import_feedback
from truenorth.feedback.models import FeedbackItem, NeedLink
from truenorth.feedback.themes import theme_figures
from truenorth.roadmap.models import Initiative, Status

REMINDERS = [
    "Remind approvers when an invoice has waited two days",
    "Approvers forget invoices, please send them reminders",
    "Send a reminder email to the approver after a day",
]
AUDITORS = "Our auditors need read-only access to the audit trail"
OLD_SSO = [
    "Single sign-on with Okta is required by our IT",
    "we need SAML SSO before security signs off",
    "Log in with Azure AD, no more separate passwords",
    "SSO through Google Workspace please",
]
DECIDE = "/w/acme/feedback/themes/decide/"


def add(workspace, texts, days_ago=0, prefix="r", value=None) -> list[FeedbackItem]:
    today = timezone.localdate()
    return [
        FeedbackItem.objects.create(
            workspace=workspace,
            source="zendesk",
            source_key=f"{prefix}-{n}",
            text=text,
            account=f"{prefix}-account-{n}",
            account_value=value if n == 0 else None,
            received_on=today - timedelta(days=days_ago),
        )
        for n, text in enumerate(texts)
    ]


@pytest.fixture
def reminders(workspace):
    return Initiative.objects.create(
        workspace=workspace,
        key="RM-13",
        title="Approver reminders and out-of-office escalation",
        problem="Invoices sit for days when an approver is away or forgets them.",
        status=Status.IN_PROGRESS,
    )


def test_linking_a_theme_shows_what_it_links_and_leaves_far_items_out(
    client_for, workspace, reminders
):
    near = add(workspace, REMINDERS)
    [far] = add(workspace, [AUDITORS], prefix="a")
    ids = ",".join(str(item.pk) for item in [*near, far])
    form = {"items": ids, "target": f"initiative-{reminders.pk}", "decision": "accept"}
    editor = client_for("editor")
    shown = editor.post(DECIDE, form)
    page = shown.content.decode()
    assert shown.status_code == 200 and not NeedLink.objects.exists()
    assert "Link 3 of 4 items to RM-13 Approver reminders" in page
    assert "1 item far from it, left out" in page and "under 20 an item is not even" in page
    assert re.search(rf'<input type="checkbox" name="also" value="{far.pk}"> Our auditors', page)
    [to_link] = re.findall(r'name="items" value="([\d,]*)"', page)
    assert sorted(map(int, to_link.split(","))) == sorted(item.pk for item in near)
    # Only the explicit confirmation links, and only what it names.
    confirmed = {**form, "items": to_link, "confirmed": "yes"}
    answer = editor.post(DECIDE, confirmed, follow=True).content.decode()
    assert "addresses these 3 items" in answer
    assert set(NeedLink.objects.values_list("item_id", flat=True)) == {i.pk for i in near}
    editor.post(DECIDE, {**confirmed, "also": [far.pk]})
    assert NeedLink.objects.filter(item=far, accepted=True).exists()
    nothing = editor.post(DECIDE, {**confirmed, "items": ""})
    assert nothing.status_code == 400 and b"No item was chosen" in nothing.content
    themes = editor.get("/w/acme/feedback/themes/").content.decode()
    assert "Confirm for all" not in themes


def test_an_items_nearest_targets_come_nearest_first(client, users, workspace):
    for key, title, problem in (
        ("RM-11", "Approve from Slack and Microsoft Teams", "Approvers live in chat."),
        ("RM-14", "Mobile approvals for iOS and Android", "Approvers are away from desks."),
        (
            "RM-23",
            "Guided setup checklist in the product",
            "New admins do not know what to do after connecting the ERP, and wait for their "
            "implementation call to find out.",
        ),
    ):
        Initiative.objects.create(
            workspace=workspace, key=key, title=title, problem=problem, status=Status.PLANNED
        )
    # RM-23 scores 23, far under the match cut (35) and far over the others (under 7): the
    # demo's wording, which asked for "a checklist in the app", scored on the cut, and with the
    # CPU's int8 arithmetic RM-23 either matched it or came nearest.
    [lost] = add(
        workspace, ["Their new controller had no idea what came next after connecting NetSuite."]
    )
    path = f"/api/v1/workspaces/acme/feedback/{lost.pk}/roadmap"
    found = api_request(client, users["member"], "get", path).json()
    assert found["addressed_by"] == []  # so all three are among the nearest
    assert [target["key"] for target in found["nearest"]][0] == "RM-23"


def test_each_theme_counts_its_recent_items_and_can_rank_by_them(client_for, workspace):
    add(workspace, OLD_SSO, days_ago=3 * 365, prefix="old")
    add(workspace, REMINDERS, prefix="new")
    found = theme_figures(workspace)
    old = next(t for t in found["themes"] if t["items"] == len(OLD_SSO))
    new = next(t for t in found["themes"] if t["items"] == len(REMINDERS))
    assert (old["recent"], new["recent"]) == (0, len(REMINDERS))
    assert old["number"] < new["number"]  # the most accounts first, as numbered
    market = found["market"]
    assert (market["demand"], market["recent_demand"]) == (7, 3)
    reader = client_for("member")
    page = reader.get("/w/acme/feedback/themes/").content.decode()
    assert '(<span class="recent">0 in the last 12 months</span>)' in page
    # The figure in one short sentence, how it is counted in a second, smaller one.
    assert "Nothing on the roadmap addresses " in page and "In the last 12 months: " in page
    assert '<small id="unaddressed-how">A request is one account&#x27;s asking' in page
    recent = reader.get("/w/acme/feedback/themes/?order=recent").content.decode()
    assert recent.index(f'id="theme-{new["number"]}"') < recent.index(f'id="theme-{old["number"]}"')
    assert reader.get("/w/acme/feedback/themes/?order=loudest").status_code == 400


def test_a_themes_items_are_listed_by_its_filter_everywhere(client, client_for, users, workspace):
    add(workspace, OLD_SSO, prefix="sso")
    add(workspace, REMINDERS, prefix="rem")
    themes = theme_figures(workspace)["themes"]
    sso = next(t for t in themes if t["items"] == len(OLD_SSO))
    reader = client_for("member")
    html = reader.get("/w/acme/feedback/themes/").content.decode()
    assert f'/w/acme/feedback/?theme={sso["number"]}">all 4 items<span' in html
    listed = reader.get(f"/w/acme/feedback/?theme={sso['number']}").content.decode()
    assert f"Theme {sso['number']}," in listed and all(t in listed for t in OLD_SSO)
    assert not any(text in listed for text in REMINDERS)
    twin = reader.get(f"/w/acme/feedback.json?theme={sso['number']}").json()
    assert {item["id"] for item in twin["items"]} == set(sso["members"])
    assert twin["theme_label"] == sso["label"]
    spreadsheet = reader.get(f"/w/acme/feedback.csv?theme={sso['number']}").content.decode()
    rows = list(csv.reader(io.StringIO(spreadsheet)))
    assert len(rows) == 1 + len(OLD_SSO)
    path = f"/api/v1/workspaces/acme/feedback?theme={sso['number']}"
    api = api_request(client, users["member"], "get", path).json()
    assert {item["id"] for item in api["items"]} == set(sso["members"])
    for bad in ("99", "0", "x"):
        answer = reader.get(f"/w/acme/feedback/?theme={bad}")
        assert answer.status_code == 400
    missing = api_request(client, users["member"], "get", path.replace(f"={sso['number']}", "=99"))
    assert missing.status_code == 400 and "No theme 99" in missing.content.decode()
    item = reader.get(f"/w/acme/feedback/{sso['members'][0]}/").content.decode()
    assert re.search(rf'id="item-theme"><a [^>]*#theme-{sso["number"]}">{sso["number"]}\. ', item)


def test_the_counts_say_what_they_count(client_for, workspace, tmp_path):
    add(workspace, REMINDERS, prefix="rem", value=Decimal(50_000))
    page = client_for("member").get("/w/acme/feedback/themes/").content.decode()
    assert "worth 50K a year (the 1 account with a value)" in page
    assert "worth 50K a year (the 1 with a value)" in page
    assert re.search(r"<figcaption>[^<]*counts the accounts asking[^<]*</figcaption>", page)
    said = CliRunner().invoke(main, ["themes", "-w", "acme"]).output
    assert "3 items from 3 accounts, in 1 theme " in said and "1 accounts" not in said
    with pytest.raises(ImportFailed) as failed:
        import_feedback(workspace, [("x.csv", b"id,words\n1,hello\n")], "reviews")
    assert "in an app-store reviews export" in failed.value.errors[0].message
