"""The embedding cache moves here from the check-ins app: the table stays as it is (its name
included), only Django's idea of which app owns the model changes."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("checkins", "0005_invitation_delivery")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Embedding",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("model", models.CharField(max_length=200)),
                        ("text_hash", models.CharField(max_length=64)),
                        ("vector", models.BinaryField()),
                    ],
                    options={
                        "db_table": "checkins_embedding",
                        "constraints": [
                            models.UniqueConstraint(
                                models.F("model"), models.F("text_hash"), name="unique_embedding"
                            )
                        ],
                    },
                )
            ],
            database_operations=[],
        )
    ]
