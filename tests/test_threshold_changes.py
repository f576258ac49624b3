"""A check-in keeps the anonymity threshold its invitations promised: lowering the workspace's
threshold never reaches answers given under a higher promise, raising it applies at once. Its
results notice says so when too few answered to show anything. Analyses run with the real model.
"""

from datetime import timedelta

import pytest
from click.testing import CliRunner
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.conftest import team_of
from truenorth.checkins.actions import create_alignment_pulse, issue_links, privacy, submit_response
from truenorth.checkins.measure import analyze, close_checkin
from truenorth.checkins.models import CheckIn
from truenorth.cli import main
from truenorth.notifications.models import Event, Notification
from truenorth.workspaces.actions import change_settings
from truenorth.workspaces.models import Function, Person, Workspace

# (team, function, people): at a threshold of 3, Tiger and Ops would be shown.
TEAMS = [
    ("Tiger", Function.SUPPORT, 3),
    ("Ops", Function.CUSTOMER_SUCCESS, 4),
    ("Deals", "sales", 5),
]


@pytest.fixture
def people(workspace):
    found = []
    for name, function, size in TEAMS:
        found += team_of(workspace, name, function, size)[1]
    return found


def sent_pulse(workspace, title="Pulse"):
    """An anonymous pulse, open since yesterday, whose links went out."""
    opens = timezone.now() - timedelta(days=1)
    checkin = create_alignment_pulse(workspace, title, opens, opens + timedelta(days=7))
    links = {link.person.pk: link.token for link in issue_links(checkin)}
    return checkin, links


def answered_by(checkin, links, who):
    questions = {q.role: q for q in checkin.questions.all()}
    for n, person in enumerate(who):
        answers = {
            questions["vision"]: f"Finance teams close their books in {n + 2} days.",
            questions["priorities"]: "1. Touchless invoices 2. Payments 3. SOC 2",
            questions["purpose"]: "My work gets invoices approved without anyone touching them.",
            questions["direction"]: 1 + n % 5,
        }
        submit_response(checkin.invitations.get(person=person), links[person.pk], answers)
    close_checkin(checkin)
    return checkin


def shown_sizes(report: dict) -> list[int]:
    sections = [*report["questions"], report["direction"], report["line_of_sight"]]
    return [
        group["n"]
        for section in sections
        for breakdown in section.get("by", {}).values()
        for group in breakdown["groups"]
    ]


def test_lowering_the_threshold_never_reaches_answers_given_under_a_higher_one(
    workspace, people, client_for
):
    checkin, links = sent_pulse(workspace)
    assert "groups of at least 5 people" in privacy(checkin)
    change_settings(workspace, None, anonymity_threshold=3)
    answered_by(CheckIn.objects.get(pk=checkin.pk), links, people)
    report = analyze(CheckIn.objects.get(pk=checkin.pk)).data
    assert report["threshold"] == 5
    assert shown_sizes(report) and min(shown_sizes(report)) >= 5
    shown = client_for("viewer").get(f"/w/acme/checkins/{checkin.pk}/report.json").json()
    assert shown["report"]["threshold"] == 5 and min(shown_sizes(shown["report"])) >= 5
    assert "groups of at least 5 people" in privacy(CheckIn.objects.get(pk=checkin.pk))


def test_a_lower_threshold_applies_to_checkins_sent_after_it(workspace, people):
    change_settings(workspace, None, anonymity_threshold=3)
    checkin, links = sent_pulse(workspace)
    change_settings(workspace, None, anonymity_threshold=4)  # raised again: it applies
    answered_by(checkin, links, people)
    assert analyze(CheckIn.objects.get(pk=checkin.pk)).data["threshold"] == 4


def test_raising_the_threshold_applies_to_checkins_sent_before(workspace, people):
    checkin, links = sent_pulse(workspace)
    change_settings(workspace, None, anonymity_threshold=7)
    answered_by(checkin, links, people)
    report = analyze(CheckIn.objects.get(pk=checkin.pk)).data
    assert report["threshold"] == 7 and all(n >= 7 for n in shown_sizes(report))


def test_the_settings_page_and_the_cli_warn_when_lowering(workspace, users, client_for):
    said = "applies only to check-ins whose invitations go out after this change"
    page = client_for("owner").post(
        "/w/acme/settings/",
        {
            "name": "Acme",
            "anonymity_threshold": "4",
            "time_zone": "UTC",
            "sender_address": "",
            "support_notice_days": "14",
            "slack_webhook_url": "",
        },
        follow=True,
    )
    assert said in page.content.decode()
    lowered = CliRunner().invoke(main, ["settings", "-w", "acme", "--anonymity-threshold", "3"])
    assert lowered.exit_code == 0 and said in lowered.stderr
    raised = CliRunner().invoke(main, ["settings", "-w", "acme", "--anonymity-threshold", "6"])
    assert raised.exit_code == 0 and said not in raised.output


def test_too_few_answers_are_notified_as_no_results(workspace, people):
    checkin, links = sent_pulse(workspace, "Tiger pulse")
    answered_by(checkin, links, people[:3])
    report = analyze(CheckIn.objects.get(pk=checkin.pk))
    assert report.data.get("suppressed")
    told = Notification.objects.get(event=Event.RESULTS_READY)
    assert told.title == "Closed without results: Tiger pulse"
    assert "closed with too few answers to show anything" in told.text
    assert "published" not in told.text and "3" not in told.text


@pytest.mark.django_db(transaction=True)
def test_the_migration_records_the_current_threshold_on_checkins_already_sent():
    before = [("checkins", "0010_invitation_answered_team")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before[0]).apps
    workspace = Workspace.objects.create(name="Old", slug="old", anonymity_threshold=6)
    person = Person.objects.create(workspace=workspace, name="Ann", email="ann@old.test")
    old_checkin = apps.get_model("checkins", "CheckIn")
    now = timezone.now()
    sent, unsent = (
        old_checkin.objects.create(workspace_id=workspace.pk, title=t, opens_at=now, closes_at=now)
        for t in ("Sent", "Unsent")
    )
    apps.get_model("checkins", "Invitation").objects.create(
        checkin_id=sent.pk, person_id=person.pk, token_hash="x" * 64
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    promised = dict(
        CheckIn.objects.filter(workspace=workspace).values_list("title", "promised_threshold")
    )
    assert promised == {"Sent": 6, "Unsent": None}
