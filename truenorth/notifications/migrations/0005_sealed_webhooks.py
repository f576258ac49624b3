"""A webhook's address and signing secret sealed (truenorth.sealing), so a backup or a database
dump gives neither away; its host kept readable for pages, JSON and logs. Back again, they are
unsealed into their old columns (one this server's secret key cannot read comes back blank)."""

from urllib.parse import urlsplit

from django.db import migrations, models

from truenorth import sealing

# As in notifications.models when this was written: the key of each is made from these.
URL_PURPOSE = "truenorth webhook address"
SECRET_PURPOSE = "truenorth webhook signing secret"


def seal_rows(apps, schema_editor):
    for hook in apps.get_model("notifications", "Webhook").objects.all():
        hook.host = urlsplit(hook.url).hostname or ""
        hook.url_sealed = sealing.seal(hook.url, URL_PURPOSE)
        hook.secret_sealed = sealing.seal(hook.secret, SECRET_PURPOSE)
        hook.save(update_fields=["host", "url_sealed", "secret_sealed"])


def unseal_rows(apps, schema_editor):
    for hook in apps.get_model("notifications", "Webhook").objects.all():
        hook.url = sealing.unsealed(hook.url_sealed, URL_PURPOSE) or ""
        hook.secret = sealing.unsealed(hook.secret_sealed, SECRET_PURPOSE) or ""
        hook.save(update_fields=["url", "secret"])


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0004_decision_reversed"),
    ]

    operations = [
        migrations.AddField(
            model_name="webhook",
            name="host",
            field=models.CharField(blank=True, max_length=255),
        ),
        migrations.AddField(
            model_name="webhook",
            name="url_sealed",
            field=models.TextField(default="", editable=False),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="webhook",
            name="secret_sealed",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(seal_rows, unseal_rows),
        # Blank allowed before it goes, so that going back can add the column to filled rows.
        migrations.AlterField(
            model_name="webhook", name="url", field=models.URLField(blank=True, max_length=500)
        ),
        migrations.RemoveField(model_name="webhook", name="url"),
        migrations.RemoveField(model_name="webhook", name="secret"),
    ]
