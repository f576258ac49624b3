"""Each change of who can log in kept in the settings history as "Login's role": a login
invited with its role, given another, or removed, by hand or by deactivating or erasing its
person (workspaces.logins.record_role). Only the field's choices change; no row is rewritten."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workspaces", "0015_address_history"),
    ]

    operations = [
        migrations.AlterField(
            model_name="settingchange",
            name="setting",
            field=models.CharField(
                choices=[
                    ("name", "Name"),
                    ("anonymity_threshold", "Anonymity threshold"),
                    ("time_zone", "Time zone"),
                    ("sender_address", "Sender address"),
                    ("slack_webhook_url", "Slack webhook"),
                    ("support_notice_days", "Customer success notice (days)"),
                    ("erasure", "Person erased"),
                    ("login_link", "Login's person"),
                    ("address", "Person's address"),
                    ("login_role", "Login's role"),
                ],
                max_length=40,
            ),
        ),
    ]
