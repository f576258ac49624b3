"""Each change of a person's address kept in the settings history, with the person it is of
(workspaces.people.update_person): a check-in's new link goes to the address People has now."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workspaces", "0014_login_link_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="settingchange",
            name="person",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="address_changes",
                to="workspaces.person",
            ),
        ),
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
                ],
                max_length=40,
            ),
        ),
    ]
