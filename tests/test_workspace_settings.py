import os
import re
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.html import escape

from tests.migrating import migrate
from truenorth.cli import main
from truenorth.workspaces.actions import change_settings
from truenorth.workspaces.models import MailServer, SettingChange, Workspace

URL = "/w/acme/settings/"
UNCHANGED = {
    "name": "Acme",
    "anonymity_threshold": "5",
    "time_zone": "UTC",
    "sender_address": "",
    "support_notice_days": "14",
    "slack_webhook_url": "",  # blank keeps the webhook set (none here)
}


def form(**changes) -> dict:
    """The settings form as a browser posts it: every field, these ones changed."""
    return UNCHANGED | changes


def history():
    return list(
        SettingChange.objects.values_list("setting", "old_value", "new_value", "changed_by")
    )


def test_it_changes_the_threshold_and_records_who(client_for, users):
    response = client_for("owner").post(URL, form(name="Acme", anonymity_threshold="7"))
    assert response.status_code == 302
    assert Workspace.objects.get().anonymity_threshold == 7
    assert history() == [("anonymity_threshold", "5", "7", users["owner"].pk)]


def test_it_records_one_row_per_setting_changed(client_for, users):
    client_for("owner").post(URL, form(name="Acme Corp", anonymity_threshold="4"))
    assert {(setting, new) for setting, _, new, _ in history()} == {
        ("name", "Acme Corp"),
        ("anonymity_threshold", "4"),
    }


def test_saving_the_same_values_records_nothing(client_for, users):
    response = client_for("owner").post(
        URL, form(name="Acme", anonymity_threshold="5"), follow=True
    )
    assert "Nothing changed." in response.content.decode()
    assert history() == []


def test_the_page_explains_the_threshold_and_lists_the_history(client_for, users):
    client = client_for("owner")
    client.post(URL, form(name="Acme", anonymity_threshold="8"))
    page = client.get(URL).content.decode()
    assert "No group of fewer than 8 people is shown anywhere" in page
    assert "It can never go below 3." in page
    assert (
        '<td data-label="Who">Owner</td><td data-label="What">Anonymity threshold</td>'
        '<td data-label="From">5</td><td data-label="To">8</td>'
    ) in page


@pytest.mark.parametrize(
    "value, error",
    [
        ("2", "can never be below 3 people"),
        ("0", "can never be below 3 people"),
        ("abc", "a whole number of people"),
        ("51", "at most 50 people"),
        ("", "Give the anonymity threshold"),
    ],
)
def test_it_refuses_a_bad_threshold(client_for, users, value, error):
    response = client_for("owner").post(URL, form(name="Renamed", anonymity_threshold=value))
    assert response.status_code == 400
    assert error in response.content.decode()
    assert Workspace.objects.values_list("name", "anonymity_threshold").get() == ("Acme", 5)
    assert history() == []


@pytest.mark.parametrize("role", ["editor", "member", "viewer", "partner"])
def test_only_owners_see_or_change_settings(client_for, users, role):
    client = client_for(role)
    assert client.get(URL).status_code == 403
    assert client.get("/w/acme/settings.json").status_code == 403
    assert client.post(URL, form(name="Acme", anonymity_threshold="3")).status_code == 403
    assert Workspace.objects.get().anonymity_threshold == 5


def test_an_outsider_learns_nothing(client_for, users):
    assert client_for("outsider").get(URL).status_code == 404


@pytest.mark.parametrize("role, shown", [("owner", True), ("editor", False), ("viewer", False)])
def test_the_navigation_links_to_settings_for_owners_only(client_for, users, role, shown):
    page = client_for(role).get("/w/acme/").content.decode()
    assert (f'href="{URL}"' in page) is shown


def test_the_json_twin_has_the_settings_and_the_history(client_for, users):
    client = client_for("owner")
    client.post(URL, form(name="Acme", anonymity_threshold="6"))
    data = client.get("/w/acme/settings.json").json()
    assert data["settings"] == {
        "name": "Acme",
        "anonymity_threshold": 6,
        "time_zone": "UTC",
        "sender_address": "",
        "slack_webhook_url": "",  # shown by its host only
        "support_notice_days": 14,
    }
    assert data["language_model"] == {"model": "all-MiniLM-L6-v2", "engine": "onnx"}
    [change] = data["history"]
    assert change["setting"] == "anonymity_threshold"
    assert (change["old_value"], change["new_value"], change["changed_by"]) == ("5", "6", "owner")
    assert change["changed_at"]


def test_the_action_refuses_a_threshold_below_3_and_changes_nothing(workspace):
    with pytest.raises(ValidationError):
        change_settings(workspace, None, anonymity_threshold=2)
    assert workspace.anonymity_threshold == 5
    assert Workspace.objects.get().anonymity_threshold == 5
    assert history() == []


def test_the_action_refuses_an_unknown_setting(workspace):
    with pytest.raises(ValueError, match="slug"):
        change_settings(workspace, None, slug="other")


def test_a_change_in_the_admin_is_recorded(client, workspace):
    admin = get_user_model().objects.create_superuser("root", "root@acme.test", "pw")
    client.force_login(admin)
    response = client.post(
        f"/admin/workspaces/workspace/{workspace.pk}/change/",
        form(slug="acme-2", anonymity_threshold="6"),
    )
    assert response.status_code == 302
    assert Workspace.objects.values_list("slug", "anonymity_threshold").get() == ("acme-2", 6)
    assert history() == [("anonymity_threshold", "5", "6", admin.pk)]


def run(*args):
    return CliRunner().invoke(main, ["settings", "-w", "acme", *args])


def test_the_cli_prints_the_settings(workspace):
    result = run()
    assert result.exit_code == 0, result.output
    assert result.output == (
        "name: Acme\nanonymity_threshold: 5\ntime_zone: UTC\nsender_address: \n"
        "slack_webhook_url: \nsupport_notice_days: 14\n"
    )
    workspace.slack_webhook_url = "https://hooks.example.com/services/T0/B0/secret"
    workspace.save()
    assert "slack_webhook_url: hooks.example.com\n" in run().output  # its host only
    assert "secret" not in run().output


def test_the_cli_sets_the_webhook_and_the_notice_days_recording_the_host_only(workspace):
    url = "https://hooks.example.com/services/T0/B0/secret"
    result = run("--slack-webhook", url, "--support-notice-days", "21")
    assert result.exit_code == 0, result.output
    assert "secret" not in result.output and "hooks.example.com" in result.output
    workspace.refresh_from_db()
    assert (workspace.slack_webhook_url, workspace.support_notice_days) == (url, 21)
    assert "secret" not in str(list(workspace.setting_changes.values_list("new_value")))
    refused = run("--support-notice-days", "91")
    assert refused.exit_code != 0 and "90" in refused.output
    assert run("--slack-webhook", "").exit_code == 0
    workspace.refresh_from_db()
    assert workspace.slack_webhook_url == ""


def test_the_cli_changes_settings_and_records_them(workspace):
    result = run("--anonymity-threshold", "7", "--name", "Acme Corp")
    assert result.exit_code == 0, result.output
    assert "Changed Name: Acme → Acme Corp." in result.output
    assert "Changed Anonymity threshold: 5 → 7." in result.output
    assert Workspace.objects.values_list("name", "anonymity_threshold").get() == ("Acme Corp", 7)
    assert {changed_by for *_, changed_by in history()} == {None}
    assert "Nothing changed." in run("--anonymity-threshold", "7").output


@pytest.mark.parametrize("value", ["2", "0", "-1", "51"])
def test_the_cli_refuses_a_threshold_out_of_range(workspace, value):
    result = run("--anonymity-threshold", value)
    assert result.exit_code == 2
    assert "can never go below 3" in result.output
    assert "Traceback" not in result.output
    assert Workspace.objects.get().anonymity_threshold == 5
    assert history() == []


def test_the_cli_refuses_an_empty_name(workspace):
    result = run("--name", " ")
    assert result.exit_code == 2
    assert "name: This field cannot be blank." in result.output
    assert Workspace.objects.get().name == "Acme"


def test_the_time_zone_dates_the_workspaces_pages(client_for, users, workspace):
    response = client_for("owner").post(URL, form(time_zone="Asia/Tokyo"))
    assert response.status_code == 302
    assert history() == [("time_zone", "UTC", "Asia/Tokyo", users["owner"].pk)]
    page = client_for("owner").get(URL).content.decode()
    changed_at = SettingChange.objects.get().changed_at.astimezone(ZoneInfo("Asia/Tokyo"))
    assert f'<td data-label="When">{changed_at:%-d %b %Y %H:%M}</td>' in page
    # The times moved with the zone: the page names the one they are shown in.
    assert "Times are shown in Asia/Tokyo time, the workspace's time zone" in page
    [change] = client_for("owner").get("/w/acme/settings.json").json()["history"]
    assert change["changed_at"].endswith("Z")  # in UTC, as docs/people.md says


def test_an_unknown_time_zone_is_refused(client_for, users):
    response = client_for("owner").post(URL, form(time_zone="Mars/Olympus"))
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    with pytest.raises(ValidationError):
        change_settings(Workspace.objects.get(), None, time_zone="Mars/Olympus")
    assert Workspace.objects.get().time_zone == "UTC"


def test_emails_come_from_the_sender_address(client_for, users, mailoutbox):
    client_for("owner").post(URL, form(sender_address="alignment@acme.test"))
    invited = {"email": "new@acme.test", "role": "member", "confirmed": "new@acme.test member"}
    client_for("owner").post("/w/acme/logins/invite/", invited)
    [email] = mailoutbox
    assert email.from_email == "Acme <alignment@acme.test>"


def test_the_cli_changes_the_time_zone_and_refuses_a_bad_one(workspace):
    assert run("--time-zone", "Europe/Berlin").exit_code == 0
    assert Workspace.objects.get().time_zone == "Europe/Berlin"
    result = run("--time-zone", "Nowhere")
    assert result.exit_code == 2 and "not a time zone" in result.output


def test_the_time_zone_list_offers_places_not_the_servers_own_names(client_for, users):
    page = client_for("owner").get(URL).content.decode()
    offered = re.findall(r'<option value="([^"]+)"', page[page.index('name="time_zone"') :])
    assert offered[0] == "UTC" and "Europe/Berlin" in offered and "America/Sao_Paulo" in offered
    assert not {"localtime", "Factory", "US/Eastern", "Etc/GMT+5"} & set(offered)
    for name in ("localtime", "Factory"):
        response = client_for("owner").post(URL, form(time_zone=name))
        assert response.status_code == 400
        with pytest.raises(ValidationError):
            change_settings(Workspace.objects.get(), None, time_zone=name)
    assert Workspace.objects.get().time_zone == "UTC"


def test_an_alias_set_from_the_command_line_stays_a_choice(client_for, users):
    assert run("--time-zone", "US/Eastern").exit_code == 0
    page = client_for("owner").get(URL).content.decode()
    assert '<option value="US/Eastern" selected>' in page
    assert client_for("owner").post(URL, form(time_zone="US/Eastern")).status_code == 302
    assert Workspace.objects.get().time_zone == "US/Eastern"


def test_the_page_names_the_language_model_that_reads_the_answers(client_for, users, settings):
    settings.EMBEDDING_MODEL, settings.EMBEDDING_ENGINE = "all-mpnet-base-v2", "onnx-fp32"
    page = client_for("owner").get(URL).content.decode()
    assert "Language model: all-mpnet-base-v2</h2>" in page
    assert "run by the <code>onnx-fp32</code> engine" in page
    assert "It runs on this server" in page


@pytest.mark.parametrize(
    "threshold, said",
    [("2", "can never go below 3"), ("7", "say which workspace")],
)
def test_the_threshold_option_works_in_a_fresh_process(tmp_path, threshold, said):
    """The option's check reads the limits from the workspace model: in a process of its own,
    with Django not set up yet, as a shell runs the command (CliRunner above shares the tests')."""
    env = {**os.environ, "TRUENORTH_DATA_DIR": str(tmp_path), "HF_HUB_OFFLINE": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [sys.executable, "-m", "truenorth.cli", "settings", "--anonymity-threshold"]
    done = subprocess.run([*command, threshold], env=env, capture_output=True, text=True)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert said in done.stderr


def test_the_slack_webhook_is_kept_sealed_and_a_restore_under_another_key_asks_for_it(
    workspace, client_for, settings
):
    url = "https://hooks.example.com/services/T0/B0/secret-part"
    assert run("--slack-webhook", url).exit_code == 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT slack_webhook_sealed FROM workspaces_workspace")
        stored = " ".join(row[0] for row in cursor.fetchall())
    assert stored and "secret-part" not in stored and "hooks.example.com" not in stored
    workspace.refresh_from_db()
    assert workspace.slack_webhook_url == url

    settings.SECRET_KEY = "another-secret-key-of-a-restored-server-0123456789"
    workspace.refresh_from_db()
    assert workspace.slack_webhook_url is None
    page = client_for("owner").get("/w/acme/settings/").content.decode()
    assert "secret key cannot read it" in page


def test_a_slack_webhook_that_is_no_url_is_refused(workspace):
    refused = run("--slack-webhook", "not a url")
    assert refused.exit_code != 0 and "slack_webhook_url: Enter a valid URL." in refused.output
    workspace.refresh_from_db()
    assert workspace.slack_webhook_url == ""


BEFORE_SEALING = [("workspaces", "0010_erasure")]
OLD_URL = "https://hooks.example.com/services/T0/B0/oldsecretpart"


@pytest.mark.django_db(transaction=True)
def test_the_migration_seals_a_slack_webhook_saved_before_and_going_back_unseals_it():
    executor = migrate(BEFORE_SEALING)
    try:
        state = executor.loader.project_state(BEFORE_SEALING[0]).apps
        state.get_model("workspaces", "Workspace").objects.create(
            name="Old", slug="old", slack_webhook_url=OLD_URL
        )
        migrate(None)
        with connection.cursor() as cursor:
            cursor.execute("SELECT slack_webhook_sealed FROM workspaces_workspace")
            assert "oldsecretpart" not in str(cursor.fetchall())
        assert Workspace.objects.get(slug="old").slack_webhook_url == OLD_URL

        old = migrate(BEFORE_SEALING).loader.project_state(BEFORE_SEALING[0]).apps
        stored = old.get_model("workspaces", "Workspace").objects.get(slug="old")
        assert stored.slack_webhook_url == OLD_URL
    finally:
        migrate(None)


def test_an_empty_sender_address_reads_as_the_servers_default(client_for, users, settings):
    settings.DEFAULT_FROM_EMAIL = "alignment@server.test"
    client = client_for("owner")
    response = client.post(URL, form(sender_address="cos@acme.test"), follow=True)
    said = "Changed Sender address: the server's default (alignment@server.test) → cos@acme.test."
    assert escape(said) in response.content.decode()
    client.post(URL, form(sender_address=""))
    page = client.get(URL).content.decode()
    assert (
        '<td data-label="What">Sender address</td><td data-label="From">cos@acme.test</td>'
        '<td data-label="To">the server&#x27;s default (alignment@server.test)</td>'
    ) in page
    newest, first = client.get("/w/acme/settings.json").json()["history"]
    assert (newest["new_value"], newest["new_in_words"]) == (
        "",
        "the server's default (alignment@server.test)",
    )
    assert first["old_in_words"] == "the server's default (alignment@server.test)"


def test_the_default_sender_is_the_mail_server_pages_when_it_names_one(workspace):
    MailServer.objects.create(host="mail.acme.test", sender="noreply@acme.test")
    result = run("--sender-address", "cos@acme.test")
    assert "Changed Sender address: the server's default (noreply@acme.test) → cos@acme.test." in (
        result.output
    )


def test_an_empty_slack_webhook_reads_as_none(workspace):
    result = run("--slack-webhook", "https://hooks.example.com/services/T0/B0/secret")
    assert "Changed Slack webhook: none → hooks.example.com." in result.output
