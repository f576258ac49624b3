"""The notifications' pages and their JSON twin, and `truenorth notifications` at the command
line: one's own choices, the log for those who steer, the webhooks for owners."""

import html
import json
import re
import shlex
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.smtp import mail_server_fixture  # noqa: F401
from truenorth import cli_notifications
from truenorth.checkins.actions import create_alignment_pulse
from truenorth.cli import main
from truenorth.decisions import actions as decisions
from truenorth.decisions.models import Decision
from truenorth.notifications import audience
from truenorth.notifications import events as notify
from truenorth.notifications.models import Delivery, Event, Notification, Preference, Webhook
from truenorth.notifications.tasks import deliver_notification
from truenorth.roadmap.actions import save_initiative
from truenorth.roadmap.models import Initiative, Status
from truenorth.workspaces.models import Function, Person, WorkerBeat

SECRET_URL = "https://hooks.example.test/services/T0/B0/secretpart"
DOCS = Path(__file__).resolve().parent.parent / "docs" / "notifications.md"


def checked(page: str) -> dict[str, str]:
    """The form as the page draws it: each event's radio button that is checked."""
    radios = re.findall(r'<input type="radio" name="(\w+)" value="(\w+)" checked>', page)
    return dict(radios)


def test_a_member_saves_their_own_choices(client_for):
    client = client_for("member")
    page = client.get("/w/acme/notifications/").content.decode()
    assert 'id="preferences"' in page and 'id="log"' not in page
    response = client.post(
        "/w/acme/notifications/", {"over_promise": "all", "decision_made": "none"}
    )
    assert response.status_code == 302
    member = Person.objects.get(email="member@acme.test")
    chosen = dict(Preference.objects.filter(person=member).values_list("event", "by_email"))
    assert chosen == {"over_promise": True, "decision_made": False}
    data = client.get("/w/acme/notifications.json").json()
    assert data["mine"]["over_promise"] == "all" and data["mine"]["decision_made"] == "none"
    assert data["mine"]["update_published"] == "all" == data["defaults"]["update_published"]
    assert data["notifications"] == []
    # "Update published" says that it covers the update's own email too, page and JSON alike.
    covers = "with None, you get neither this notice nor the update when it is sent by email"
    fieldset = re.search(r'id="choice-update_published">.*?</fieldset>', page, re.S)[0]
    assert covers in fieldset and covers in data["also"]["update_published"]
    # Back to the default: no choice stored, the default follows the person again.
    client.post("/w/acme/notifications/", {"decision_made": "involved"})
    assert not Preference.objects.filter(person=member, event="decision_made").exists()


def test_saving_says_what_changed_or_that_nothing_did(client_for):
    client = client_for("member")
    response = client.post(
        "/w/acme/notifications/", {"decision_made": "none", "over_promise": "all"}, follow=True
    )
    said = (
        "Saved. Decision made: none (was: the decisions you own, decide, are consulted on or "
        "are informed of); Over-promise found: all (was: none)."
    )
    assert said in html.unescape(response.content.decode())
    page = client.get("/w/acme/notifications/").content.decode()
    again = client.post("/w/acme/notifications/", checked(page), follow=True)
    assert "Nothing changed." in again.content.decode()
    assert "Saved." not in again.content.decode()


def test_the_page_names_each_default_and_offers_what_can_be_chosen(client_for, workspace):
    page = client_for("member").get("/w/acme/notifications/").content.decode()
    shown = checked(page)
    assert shown["decision_made"] == "involved" == shown["committed_slip"]
    assert shown["update_published"] == "all" and shown["over_promise"] == "none"
    assert "The decisions you own, decide, are consulted on or are informed of (default)" in page
    assert "Slips of initiatives you told a customer were committed (default)" in page
    assert re.search(r'name="over_promise" value="none" checked> None \(default\)', page)
    # Only a decision or a slip depends on what one is involved in.
    assert 'name="over_promise" value="involved"' not in page


def test_saving_the_page_untouched_changes_nothing_and_decisions_still_come(
    client_for, workspace, mail_server
):
    """Saved once without a change, the page had turned decisions off (its box was drawn
    unticked): the member was then left out of a decision they were informed of."""
    client = client_for("member")
    assert (
        client.post(
            "/w/acme/notifications/", checked(client.get("/w/acme/notifications/").content.decode())
        ).status_code
        == 302
    )
    assert not Preference.objects.exists()
    decision = decisions.add_decision(
        Decision(workspace=workspace, title="Ledger", question="Which ledger?")
    )
    decision.informed.add(Person.objects.get(email="member@acme.test"))
    decisions.decide(decision, outcome="The new ledger.")
    deliver_notification.call(Notification.objects.get(event=Event.DECISION_MADE).pk)
    assert mail_server.to("member@acme.test")


def test_an_untouched_save_keeps_a_product_person_hearing_of_their_team_s_slips(
    client_for, workspace, team
):
    member = Person.objects.get(email="member@acme.test")
    member.function = Function.PRODUCT
    member.save()
    client = client_for("member")
    page = client.get("/w/acme/notifications/").content.decode()
    said = "Slips of your team's initiatives, and of those you told a customer of (default)"
    assert said in html.unescape(page)
    client.post("/w/acme/notifications/", checked(page))
    assert not Preference.objects.exists()
    initiative = save_initiative(
        Initiative(
            workspace=workspace,
            title="Approvals",
            status=Status.COMMITTED,
            target_date=date(2026, 3, 1),
            team=team,
        )
    )
    initiative.target_date = date(2026, 4, 15)
    save_initiative(initiative)
    slipped = Notification.objects.get(event=Event.COMMITTED_SLIP)
    assert member in audience.recipients(slipped)


def test_a_member_cannot_ask_for_what_only_results_readers_hear_of(client_for, workspace):
    """ "Results ready" links to a page a member cannot open: it offers no choice, and asking
    is a 400; a choice saved before the rule sends nothing."""
    client = client_for("member")
    page = client.get("/w/acme/notifications/").content.decode()
    assert 'name="results_ready"' not in page and "for logins that read check-in results" in page
    refused = client.post("/w/acme/notifications/", {"results_ready": "all"})
    assert refused.status_code == 400 and "cannot hear of" in refused.content.decode()
    member = Person.objects.get(email="member@acme.test")
    Preference.objects.create(person=member, event=Event.RESULTS_READY, by_email=True)
    assert client.get("/w/acme/notifications.json").json()["mine"]["results_ready"] == "none"
    opened = timezone.now() - timedelta(days=1)
    checkin = create_alignment_pulse(workspace, "Pulse", opened, opened + timedelta(days=7))
    told = notify.results_ready(checkin)
    assert member not in audience.recipients(told)
    assert "results_ready" in client.get("/w/acme/notifications.json").json()["closed"]


def test_an_unknown_choice_is_a_400(client_for):
    response = client_for("member").post("/w/acme/notifications/", {"decision_made": "nonsense"})
    assert response.status_code == 400 and b"nonsense" in response.content
    response = client_for("member").post("/w/acme/notifications/", {"over_promise": "involved"})
    assert response.status_code == 400 and not Preference.objects.exists()


def test_a_login_with_no_person_is_told_why(client_for, users):
    users["viewer"].memberships.update(person=None)
    client = client_for("viewer")
    page = client.get("/w/acme/notifications/").content.decode()
    assert 'id="why-not"' in page and "not linked to a person" in page
    assert client.post("/w/acme/notifications/", {"events": []}).status_code == 400


def test_editors_read_the_log_with_its_deliveries(client_for, workspace, users):
    decision = decisions.add_decision(Decision(workspace=workspace, title="Ledger", question="?"))
    decisions.decide(decision, outcome="The new ledger.")
    page = client_for("editor").get("/w/acme/notifications/").content.decode()
    assert 'id="log"' in page and "Decision 1 made: Ledger" in page
    data = client_for("editor").get("/w/acme/notifications.json").json()
    assert [n["event"] for n in data["notifications"]] == ["decision_made"]
    assert client_for("partner").get("/w/acme/notifications/").status_code == 403


def test_owners_add_test_and_remove_a_webhook_shown_by_host_only(client_for, team):
    client = client_for("owner")
    form = {"what": "add", "url": SECRET_URL, "events": ["decision_made"], "team": str(team.pk)}
    assert client.post("/w/acme/notifications/webhooks/", form).status_code == 302
    hook = Webhook.objects.get()
    assert hook.team == team and hook.events == ["decision_made"]
    page = client.get("/w/acme/notifications/webhooks/").content.decode()
    assert "hooks.example.test" in page and "secretpart" not in page
    # Nothing answers at that host: the test post fails, and says so without the URL.
    tested = client.post("/w/acme/notifications/webhooks/", {"what": "test", "webhook": hook.pk})
    shown = client.get(tested.url).content.decode()
    assert "webhook at hooks.example.test" in shown and "secretpart" not in shown
    gone = client.post("/w/acme/notifications/webhooks/", {"what": "remove", "webhook": hook.pk})
    assert gone.status_code == 302 and not Webhook.objects.exists()


@pytest.mark.parametrize(
    ("form", "says"),
    [
        ({"url": "http://hooks.example.test/x", "events": ["decision_made"]}, "https://"),
        ({"url": SECRET_URL, "events": []}, "required"),
        ({"url": SECRET_URL, "events": ["nope"]}, "not one of the available"),
    ],
)
def test_a_bad_webhook_is_refused_with_a_400(client_for, form, says):
    response = client_for("owner").post("/w/acme/notifications/webhooks/", form | {"what": "add"})
    assert response.status_code == 400 and says in response.content.decode()
    assert not Webhook.objects.exists()


@pytest.mark.parametrize("role", ["editor", "member", "viewer", "partner"])
def test_only_owners_change_webhooks(client_for, role):
    response = client_for(role).post(
        "/w/acme/notifications/webhooks/",
        {"what": "add", "url": SECRET_URL, "events": ["decision_made"]},
    )
    assert response.status_code == 403 and not Webhook.objects.exists()


def test_the_command_line(workspace, users, team):
    run = CliRunner().invoke
    added = run(
        main,
        ["notifications", "webhook", "add", SECRET_URL, "--events", "decision_made"]
        + ["--team", team.name, "-w", "acme"],
    )
    assert added.exit_code == 0 and "hooks.example.test" in added.output
    assert "secretpart" not in added.output
    listed = json.loads(run(main, ["notifications", "webhook", "list", "--json"]).output)
    assert [(w["host"], w["team"]) for w in listed["webhooks"]] == [
        ("hooks.example.test", team.name)
    ]
    refused = run(main, ["notifications", "webhook", "add", "http://x.test/", "--events", "x"])
    assert refused.exit_code != 0
    prefs = run(
        main, ["notifications", "prefs", "member@acme.test", "--on", "over_promise", "--json"]
    )
    assert json.loads(prefs.output)["by_email"]["over_promise"] == "all"
    back = run(main, ["notifications", "prefs", "member@acme.test", "--default", "over_promise"])
    assert back.exit_code == 0 and "none      over_promise" in back.output
    assert not Preference.objects.exists()  # the default is no choice
    partner = run(main, ["notifications", "prefs", "partner@acme.test", "--on", "over_promise"])
    assert partner.exit_code != 0 and "never notified" in partner.output
    hook = Webhook.objects.get()
    assert run(main, ["notifications", "webhook", "remove", str(hook.pk)]).exit_code == 0
    assert run(main, ["notifications", "webhook", "remove", str(hook.pk)]).exit_code != 0
    assert "No notifications yet." in run(main, ["notifications", "list"]).output


def documented(command: str) -> list[list[str]]:
    """The arguments of each example of `truenorth <command> …` in docs/notifications.md."""
    lines = (line.strip() for line in DOCS.read_text().splitlines())
    return [shlex.split(line)[1:] for line in lines if line.startswith(f"truenorth {command} ")]


def test_the_command_line_takes_every_event_the_pages_take():
    assert Event.values == cli_notifications.EVENTS


def test_every_documented_example_runs_as_written(workspace, users, team):
    Person.objects.create(
        workspace=workspace, name="Ana", email="ana@acme.test", function=Function.SALES
    )
    examples = documented("notifications")
    assert len(examples) >= 7
    for args in examples:
        if args[1:3] == ["webhook", "remove"]:  # the example's id: one that exists here
            args[3] = str(Webhook.objects.latest("pk").pk)
        done = CliRunner().invoke(main, args)
        assert done.exit_code == 0, f"{shlex.join(args)}: {done.output}"


def test_the_documented_signed_webhook_hears_of_goals_and_initiatives(workspace):
    [signed] = [args for args in documented("notifications webhook add") if "--signed" in args]
    done = CliRunner().invoke(main, signed)
    assert done.exit_code == 0, done.output
    hook = Webhook.objects.get()
    assert hook.signed and hook.events == [Event.GOAL_CHANGED, Event.INITIATIVE_CHANGED]
    assert done.stdout.strip() == hook.secret


def test_due_tells_of_a_check_in_closing_with_answers_missing_once(workspace, users):
    from datetime import timedelta

    from django.utils import timezone

    from truenorth.checkins.actions import create_alignment_pulse, invite_audience

    now = timezone.now()
    soon = create_alignment_pulse(
        workspace, "Soon", now - timedelta(days=6), now + timedelta(hours=20)
    )
    later = create_alignment_pulse(workspace, "Later", now, now + timedelta(days=6))
    invite_audience(soon)
    invite_audience(later)
    first = CliRunner().invoke(main, ["notifications", "due"])
    assert first.exit_code == 0 and "Check-in closing soon: Soon" in first.output
    assert "Later" not in first.output
    again = CliRunner().invoke(main, ["notifications", "due", "-w", "acme"])
    assert "0 notifications raised." in again.output
    assert Notification.objects.filter(event=Event.CHECKIN_CLOSING).count() == 1


def test_the_log_says_what_happened_to_emails_when_they_were_sent(
    client_for, workspace, users, settings, django_capture_on_commit_callbacks, capsys, mail_server
):
    """The log read the server's settings when viewed: a server given a mail server after it
    printed emails still called them unsent, and the same data on a server with one called the
    printed emails delivered. Each delivery now keeps where its emails went."""
    smtp = settings.EMAIL_BACKEND  # the mail server's, which the fixture set
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    printed = decisions.add_decision(Decision(workspace=workspace, title="Ledger", question="?"))
    printed.deciders.add(*Person.objects.filter(email__in=["editor@acme.test", "owner@acme.test"]))
    with django_capture_on_commit_callbacks(execute=True):
        decisions.decide(printed, outcome="The new ledger.")
    assert "Subject:" in capsys.readouterr().out  # printed, as the console backend does
    words = (
        "2 of 2 emails printed to the server's output, not sent: this server was set to print "
        "emails (TRUENORTH_EMAIL_BACKEND)"
    )

    def shown():
        client = client_for("editor")
        page = html.unescape(client.get("/w/acme/notifications/").content.decode())
        listed = client.get("/w/acme/notifications.json").json()["notifications"]
        out = CliRunner().invoke(main, ["notifications", "list", "-w", "acme"]).output
        return page, listed, out

    # Now sent through a real mail server: the printed ones still say they were printed.
    settings.EMAIL_BACKEND = smtp
    mailed = decisions.add_decision(Decision(workspace=workspace, title="Payroll", question="?"))
    mailed.deciders.add(*Person.objects.filter(email__in=["editor@acme.test", "owner@acme.test"]))
    with django_capture_on_commit_callbacks(execute=True):
        decisions.decide(mailed, outcome="Monthly.")
    assert len(mail_server.messages) == 2
    page, listed, out = shown()
    assert f"Email: {words}" in page and "Email: sent, delivered to 2 of 2" in page
    (sent,), (kept,) = (n["deliveries"] for n in listed[:2])
    assert sent["handed_to"] == "mail_server" and sent["not_mailed"] is None
    assert kept["handed_to"] == "console" and kept["not_mailed"] == words
    assert kept["status"] == "sent"
    assert f"email {words}" in out and "email sent (2 of 2)" in out
    # The test backend keeps them in memory: said so, whatever backend reads the log.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    kept_in_memory = decisions.add_decision(
        Decision(workspace=workspace, title="Desk", question="?")
    )
    kept_in_memory.deciders.add(Person.objects.get(email="editor@acme.test"))
    with django_capture_on_commit_callbacks(execute=True):
        decisions.decide(kept_in_memory, outcome="Hot desks.")
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    page, listed, out = shown()
    assert "Email: 1 of 1 emails kept in the server's memory, not sent" in page
    assert "Email: sent, delivered to 2 of 2" in page  # the mail server's, still
    # A row from before the record says "sent" as it did.
    Delivery.objects.filter(notification__title__contains="Payroll").update(handed_to="")
    page, listed, out = shown()
    assert "Email: sent, delivered to 2 of 2" in page


DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
NOBODY = "Nothing sent: nobody and no webhook hears of it."
QUEUED = "Queued: a worker sends it to the people and webhooks that hear of it."
NO_WORKER = "No worker has ever run on this server, so nothing queued will start."


# A worker closes its database connection after each task: outside the test's transaction, as
# in production, the next query opens another (PostgreSQL's would otherwise end the test's).
@pytest.mark.django_db(transaction=True)
def test_the_log_tells_a_notification_still_queued_from_one_nobody_hears_of(
    client_for, workspace, users, mail_server, django_capture_on_commit_callbacks
):
    """Every notification read "Nothing sent: nobody and no webhook hears of it, or it is still
    queued.", while no worker ran and after one had sent it alike."""
    mail_server.refuse = ""
    with override_settings(TASKS=DATABASE_QUEUE):
        decision = decisions.add_decision(
            Decision(workspace=workspace, title="Ledger", question="?")
        )
        decision.deciders.add(
            *Person.objects.filter(email__in=["editor@acme.test", "owner@acme.test"])
        )
        with django_capture_on_commit_callbacks(execute=True):
            decisions.decide(decision, outcome="The new ledger.")
            # Heard of by webhooks only, and the workspace has none.
            notify.tell(workspace, Event.GOAL_CHANGED, "goal:1", "Goal 1 changed: Grow")

        def shown():
            client = client_for("editor")
            page = html.unescape(client.get("/w/acme/notifications/").content.decode())
            notes = re.findall(r'<span class="sending-note">(.*?)</span>', page)
            listed = client.get("/w/acme/notifications.json").json()["notifications"]
            out = CliRunner().invoke(main, ["notifications", "list", "-w", "acme"]).output
            return notes, [(n["sending"], n["sending_note"]) for n in listed], out

        notes, listed, out = shown()
        waiting = f"{QUEUED} {NO_WORKER} An administrator starts one with"
        assert len(notes) == 2 and all(note.startswith(waiting) for note in notes)
        assert "<code>TRUENORTH_TASKS_BACKEND=database truenorth worker</code>" in notes[0]
        assert [state for state, _ in listed] == ["queued", "queued"]
        assert all(note.startswith(waiting) for _, note in listed)
        assert out.count(QUEUED) == 2 and NOBODY not in out
        assert not mail_server.messages

        # A worker seen lately: queued, and no word of none running.
        WorkerBeat.objects.create(
            name="host:1", started_at=timezone.now(), last_seen=timezone.now()
        )
        notes, listed, _ = shown()
        assert notes == [QUEUED, QUEUED] and [note for _, note in listed] == [QUEUED, QUEUED]

        call_command("db_worker", "--batch", "--no-startup-delay")
        notes, listed, out = shown()
    assert len(mail_server.messages) == 2  # the decision's, to its two deciders
    assert notes == [NOBODY]  # the goal's; the decision's deliveries say how it went
    page = html.unescape(client_for("editor").get("/w/acme/notifications/").content.decode())
    assert "Email: sent, delivered to 2 of 2" in page and QUEUED not in page
    assert listed == [("done", NOBODY), ("done", None)]
    assert NOBODY in out and "email sent (2 of 2)" in out and QUEUED not in out


def test_a_notification_whose_sending_failed_says_so(
    client_for, workspace, users, django_capture_on_commit_callbacks
):
    with override_settings(TASKS=DATABASE_QUEUE):
        with django_capture_on_commit_callbacks(execute=True):
            told = notify.tell(workspace, Event.GOAL_CHANGED, "goal:1", "Goal 1 changed: Grow")
        DBTaskResult.objects.update(status="FAILED")
        [listed] = client_for("editor").get("/w/acme/notifications.json").json()["notifications"]
    assert listed["id"] == told.pk and listed["sending"] == "failed"
    assert listed["sending_note"] == (
        "Not sent: sending it stopped on an error; the worker's output says why."
    )


def test_inline_a_notification_nobody_hears_of_says_only_that(client_for, workspace, users):
    notify.tell(workspace, Event.GOAL_CHANGED, "goal:1", "Goal 1 changed: Grow")
    page = html.unescape(client_for("editor").get("/w/acme/notifications/").content.decode())
    assert f'<span class="sending-note">{NOBODY}</span>' in page and "queued" not in page
