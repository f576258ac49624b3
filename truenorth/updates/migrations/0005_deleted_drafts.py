"""The numbers of deleted drafts, so that a number once given never names another update."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("updates", "0004_withdrawn_from_partners"),
        ("workspaces", "0014_login_link_history"),
    ]

    operations = [
        migrations.CreateModel(
            name="DeletedDraft",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveIntegerField()),
                ("deleted_at", models.DateTimeField(auto_now_add=True)),
                (
                    "workspace",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="deleted_drafts",
                        to="workspaces.workspace",
                    ),
                ),
            ],
        ),
    ]
