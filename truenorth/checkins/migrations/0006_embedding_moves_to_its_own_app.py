"""The embedding cache now belongs to truenorth.embeddings; its table stays, under its name."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("checkins", "0005_invitation_delivery"),
        ("embeddings", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Embedding")],
            database_operations=[],
        )
    ]
