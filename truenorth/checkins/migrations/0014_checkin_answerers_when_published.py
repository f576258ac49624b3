"""Who answered a published check-in, in the groups they answered in, kept as it was published
(overlaps.freeze): its figures sum over them, and the audit of later check-ins compares them."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("checkins", "0013_checkin_people_when_published"),
    ]

    operations = [
        migrations.AddField(
            model_name="checkin",
            name="answerers_when_published",
            field=models.JSONField(blank=True, editable=False, null=True),
        ),
    ]
