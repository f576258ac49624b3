"""Customer success hears first: a customer-facing initiative that ships should have been in a
published update's support version, as coming, at least the workspace's notice days before.

Small hand-made workspaces pin the verdicts with fixed days (real SQLite, real updates published
through updates.actions); the demo, built once for the module, shows RM-11 flagged on the pages
and on the alignment dashboard."""

import json
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from truenorth.dashboard import signals
from truenorth.dashboard.signals import cached_dashboard
from truenorth.roadmap.actions import save_initiative
from truenorth.roadmap.models import Initiative, Status, Visibility
from truenorth.updates import actions, audiences, notice
from truenorth.updates.models import Audience
from truenorth.workspaces.actions import change_settings
from truenorth.workspaces.figures import data_version
from truenorth.workspaces.models import Workspace

TODAY = timezone.localdate()
SHIPPED = TODAY - timedelta(days=5)


def item(workspace, title, visibility=Visibility.PARTNER, status=Status.COMMITTED):
    return save_initiative(
        Initiative(
            workspace=workspace,
            title=title,
            status=status,
            visibility=visibility,
            # A planned item's date promises nothing, so partners must not read it: none yet.
            target_date=SHIPPED if status == Status.COMMITTED else None,
        )
    )


def tell(workspace, on: date, publish=True):
    """An update for the 30 days to `on`, gathered on `on` and (unless not) published that day."""
    update = actions.open_draft(workspace, on - timedelta(days=29), on, today=on)
    if publish:
        actions.publish(update, today=on, before_period_end=True)  # its last day
        moment = timezone.make_aware(datetime.combine(on, time(12)))
        type(update).objects.filter(pk=update.pk).update(published_at=moment)
        update.refresh_from_db()
    return update


def commit(initiative):
    initiative.status, initiative.target_date = Status.COMMITTED, SHIPPED
    return save_initiative(initiative)


def ship(*initiatives):
    for i in initiatives:
        i.status, i.actual_date = Status.SHIPPED, SHIPPED
        save_initiative(i)


@pytest.fixture
def told(workspace):
    """Early told 20 days ahead, late 10 days ahead, silent never; internal and drafted ones
    shipped the same day; all shipped five days ago."""
    early = item(workspace, "Bulk approvals")
    late = item(workspace, "Approval comments", Visibility.PUBLIC, Status.PLANNED)
    silent = item(workspace, "Receipt scanning", Visibility.PUBLIC, Status.PLANNED)
    hidden = item(workspace, "Queue rewrite", Visibility.INTERNAL)
    tell(workspace, SHIPPED - timedelta(days=20))  # lists early and hidden as coming
    commit(late)
    tell(workspace, SHIPPED - timedelta(days=10))  # lists early, late and hidden
    commit(silent)
    tell(workspace, SHIPPED - timedelta(days=8), publish=False)  # a draft: told nobody
    ship(early, late, silent, hidden)
    return {"early": early, "late": late, "silent": silent, "hidden": hidden}


def verdicts(workspace) -> dict[str, tuple[str, int | None]]:
    return {n.title: (n.verdict, n.days_of_notice) for n in notice.recent(workspace).notices}


def test_told_20_days_ahead_is_in_time_10_late_and_silence_is_never(db, workspace, told):
    assert workspace.support_notice_days == 14
    assert verdicts(workspace) == {
        "Bulk approvals": (notice.IN_TIME, 20),
        "Approval comments": (notice.LATE, 10),
        "Receipt scanning": (notice.NEVER, None),
    }
    found = notice.recent(workspace)
    assert (found.in_time, found.late, found.never) == (1, 1, 1)
    assert found.share_in_time == pytest.approx(1 / 3)
    assert [n.title for n in found.flagged] == ["Approval comments", "Receipt scanning"]
    first = next(n for n in found.notices if n.title == "Bulk approvals")
    assert first.told_in == 1 and first.first_told == SHIPPED - timedelta(days=20)


def test_internal_items_never_count_though_support_was_told(db, workspace, told):
    support = audiences.version(workspace.updates.get(number=1), Audience.SUPPORT)
    coming = next(s for s in support.sections if s.heading == audiences.CHANGES_COMING)
    assert told["hidden"].pk in {line.initiative for line in coming.lines}
    assert "Queue rewrite" not in verdicts(workspace)


def test_a_drafts_listing_does_not_count(db, workspace, told):
    draft = workspace.updates.get(number=3)
    support = audiences.version(draft, Audience.SUPPORT)
    coming = next(s for s in support.sections if s.heading == audiences.CHANGES_COMING)
    assert told["silent"].pk in {line.initiative for line in coming.lines}
    assert verdicts(workspace)["Receipt scanning"] == (notice.NEVER, None)
    # published today: after shipping
    actions.publish(draft, today=SHIPPED - timedelta(days=8), before_period_end=True)
    assert verdicts(workspace)["Receipt scanning"] == (notice.NEVER, None)


def test_changing_the_notice_days_changes_the_verdict(db, workspace, told):
    change_settings(workspace, None, support_notice_days=7)
    assert verdicts(workspace)["Approval comments"] == (notice.IN_TIME, 10)
    change_settings(workspace, None, support_notice_days=21)
    assert verdicts(workspace)["Bulk approvals"] == (notice.LATE, 20)
    assert notice.recent(workspace).share_in_time == 0


def test_shipped_outside_the_window_does_not_count(db, workspace):
    old = item(workspace, "Old feature")
    old.status, old.actual_date = Status.SHIPPED, TODAY - timedelta(days=notice.WINDOW_DAYS)
    save_initiative(old)
    assert notice.recent(workspace).notices == []


def organisation(workspace) -> dict:
    board = json.loads(json.dumps(cached_dashboard(workspace).as_dict()))
    return next(s for s in board["organisation"] if s["key"] == "updates.support_notice")


def test_the_dashboard_signal_and_its_json(db, workspace, told):
    found = organisation(workspace)
    assert found["name"] == "Customer success heard first"
    assert found["value"] == 33.3 and found["unit"] == "%"
    assert found["evidence"] == f"/w/{workspace.slug}/updates/"
    assert found["good_looks_like"] == "good is 100%"
    assert "Approval comments (told 10 days before it shipped)" in found["note"]
    assert "Receipt scanning (never in an update before it shipped)" in found["note"]
    # Changing the setting is a write like any other: the cached dashboard follows it.
    before = data_version(workspace)
    change_settings(workspace, None, support_notice_days=7)
    assert data_version(workspace) != before
    assert organisation(workspace)["value"] == 66.7


def test_publishing_an_update_replaces_the_data_version(db, workspace):
    update = actions.open_draft(workspace, TODAY - timedelta(days=29), TODAY)
    before = data_version(workspace)
    actions.publish(update, before_period_end=True)
    assert data_version(workspace) != before


def test_with_nothing_customer_facing_shipped_the_signal_has_no_value(db, workspace):
    hidden = item(workspace, "Queue rewrite", Visibility.INTERNAL)
    ship(hidden)
    found = signals.support_heard_first(workspace)
    assert found.value is None
    assert "No customer-facing change" in found.note


# --- The demo ---


@pytest.fixture(scope="module")
def demo(built_demo):
    return built_demo


def test_the_demo_flags_rm11_never_told(db, demo: Workspace):
    found = notice.recent(demo)
    rm11 = next(n for n in found.notices if n.key == "RM-11")
    assert rm11.title == "Approve from Slack and Microsoft Teams"
    # Dated from the day the demo was built, which is not TODAY when the run crosses midnight.
    built_on = timezone.localdate(demo.created_at)
    assert rm11.shipped_on == built_on - timedelta(days=28)
    assert rm11.verdict == notice.NEVER and rm11 in found.flagged
    signal = signals.support_heard_first(demo)
    assert signal.value is not None and signal.value < 100
    assert "Approve from Slack and Microsoft Teams (never" in signal.note


def test_the_demo_pages_show_it_to_internal_readers_only(db, demo, demo_client):
    base = f"/w/{demo.slug}"
    client = demo_client(demo, "viewer")
    for path in (f"{base}/updates/1/", f"{base}/updates/1/support/"):
        html = client.get(path).content.decode()
        assert 'id="heard-late"' in html, path
        assert "Approve from Slack and Microsoft Teams" in html
        assert "never in an update before it shipped" in html
        assert f"{demo.support_notice_days} days of notice asked for" in html
    for audience in ("partners", "sales", "engineering"):
        html = client.get(f"{base}/updates/1/{audience}/").content.decode()
        assert 'id="heard-late"' not in html and "Heard too late" not in html
    partner = demo_client(demo, "partner")
    assert partner.get(f"{base}/updates/1/support/").status_code == 404
    html = partner.get(f"{base}/updates/1/partners/").content.decode()
    assert "Heard too late" not in html and "never in an update" not in html
    dashboard = demo_client(demo, "viewer").get(f"{base}/alignment/").content.decode()
    assert "Customer success heard first" in dashboard
    board = demo_client(demo, "viewer").get(f"{base}/alignment.json").json()
    keys = [s["key"] for s in board["organisation"]]
    assert "updates.support_notice" in keys
    twin = client.get(f"{base}/updates/1.json").json()["heard_late"]
    flagged = {n["title"]: n["verdict"] for n in twin["notices"]}
    assert flagged["Approve from Slack and Microsoft Teams"] == notice.NEVER
    partner = demo_client(demo, "partner")  # one test client: log in as the partner again
    twin = partner.get(f"{base}/updates/1.json")  # sent to their version, which has no notices
    assert twin.status_code == 302 and twin["Location"] == f"{base}/updates/1/partners.json"
    assert "heard_late" not in partner.get(twin["Location"]).json()
