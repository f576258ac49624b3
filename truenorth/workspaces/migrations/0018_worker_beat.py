"""A heartbeat for each `truenorth worker` process: with the database queue and no worker
running, a queued analysis or import waited for ever under "it starts as soon as a worker is
free", and nothing said that no worker existed. Each worker now writes its row every 15 seconds
from a thread of its own, and pages showing queued work say when none has been seen in the last
minute. A new table; no row is written by the migration."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workspaces", "0017_key_fingerprint"),
    ]

    operations = [
        migrations.CreateModel(
            name="WorkerBeat",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=150, unique=True)),
                ("started_at", models.DateTimeField()),
                ("last_seen", models.DateTimeField(db_index=True)),
            ],
        ),
    ]
