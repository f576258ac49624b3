"""Why publishing a closed check-in was refused, and when, kept as it was first decided
(overlaps.refused_for_good). Worked out again each time it was shown, a refusal named the rounds
published near it since, as if they had caused it, and moved the day from which a new check-in
is no longer compared; its page, list, CSV, API and command line now show the reason it was given.
Check-ins nobody tried to publish have none, and show the reason worked out as before."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("checkins", "0014_checkin_answerers_when_published"),
    ]

    operations = [
        migrations.AddField(
            model_name="checkin",
            name="refused_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="checkin",
            name="refused_because",
            field=models.TextField(blank=True, default="", editable=False),
        ),
    ]
