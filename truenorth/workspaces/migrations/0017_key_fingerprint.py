"""A fingerprint of the server's secret key, kept in the database: a restore made under another
key than the backup's, or a key changed, had left every emailed link failing with no word of why.
`truenorth restore` writes the backup's fingerprint here and `truenorth serve` compares its own
key with it at start. A new table; no row is written by the migration."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workspaces", "0016_login_role_history"),
    ]

    operations = [
        migrations.CreateModel(
            name="KeyFingerprint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("fingerprint", models.CharField(max_length=16)),
                ("noted_at", models.DateTimeField(auto_now=True)),
            ],
        ),
    ]
