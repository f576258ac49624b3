"""Who a published check-in's figures sum over, kept as it was published (overlaps.freeze): moving
people between teams, their leaving or erasure must not change what later check-ins are compared
with."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("checkins", "0012_invitation_answered_function"),
    ]

    operations = [
        migrations.AddField(
            model_name="checkin",
            name="people_when_published",
            field=models.JSONField(blank=True, editable=False, null=True),
        ),
    ]
