"""A draft update keeps the workspace's data version its facts were gathered at, so its page can
say when data behind them changed since ("Gathered before later changes: gather again to include
them"): after a decision was recorded, a draft still showed it among the open ones beside only
the time its facts were gathered. Drafts gathered before this migration have no version and say
nothing until gathered again; published updates keep their facts and never say it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("updates", "0005_deleted_drafts"),
    ]

    operations = [
        migrations.AddField(
            model_name="update",
            name="gathered_version",
            field=models.CharField(blank=True, editable=False, max_length=32),
        ),
    ]
