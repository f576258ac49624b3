"""Each email delivery records where the server's settings sent it at the time: a mail server,
or a backend that only prints or keeps emails (the console's, say). The log used to read this
from the settings in force when it was viewed, so a server set to print emails and later given a
mail server still called old emails unsent, and a copy of the data on another server called
printed emails delivered. Rows from before stay blank and read "sent" as they did."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0005_sealed_webhooks"),
    ]

    operations = [
        migrations.AddField(
            model_name="delivery",
            name="handed_to",
            field=models.CharField(
                blank=True,
                choices=[
                    ("mail_server", "a mail server"),
                    ("console", "the server's output"),
                    ("files", "files on the server"),
                    ("memory", "the server's memory"),
                    ("dropped", "nowhere"),
                    ("other", "a backend that is no mail server"),
                ],
                max_length=12,
            ),
        ),
    ]
