"""The workspace's Slack webhook URL sealed (truenorth.sealing), as the notification webhooks'
are: whoever has it can post into the channel, so a backup or a database dump must not give it
away. Back again, it is unsealed into its old column (one this server's secret key cannot read
comes back blank)."""

from django.db import migrations, models

from truenorth import sealing

# As in workspaces.models when this was written: the key is made from it.
PURPOSE = "truenorth workspace slack webhook"


def seal_rows(apps, schema_editor):
    for workspace in apps.get_model("workspaces", "Workspace").objects.exclude(
        slack_webhook_url=""
    ):
        workspace.slack_webhook_sealed = sealing.seal(workspace.slack_webhook_url, PURPOSE)
        workspace.save(update_fields=["slack_webhook_sealed"])


def unseal_rows(apps, schema_editor):
    for workspace in apps.get_model("workspaces", "Workspace").objects.exclude(
        slack_webhook_sealed=""
    ):
        workspace.slack_webhook_url = (
            sealing.unsealed(workspace.slack_webhook_sealed, PURPOSE) or ""
        )
        workspace.save(update_fields=["slack_webhook_url"])


class Migration(migrations.Migration):
    dependencies = [
        ("workspaces", "0010_erasure"),
    ]

    operations = [
        migrations.AddField(
            model_name="workspace",
            name="slack_webhook_sealed",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(seal_rows, unseal_rows),
        migrations.RemoveField(model_name="workspace", name="slack_webhook_url"),
    ]
