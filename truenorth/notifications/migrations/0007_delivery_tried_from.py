"""Each webhook delivery records which process made its latest try: the web server, a worker
or the command line. Each reads its own settings, so a change made from a shell without the
server's environment posted without TRUENORTH_WEBHOOK_ALLOW_HTTP and its delivery said "this
server does not set" it, though the web server does (and its Send again delivered the post).
The failure now names the process that tried. Rows from before stay blank."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0006_email_handed_to'),
    ]

    operations = [
        migrations.AddField(
            model_name='delivery',
            name='tried_from',
            field=models.CharField(blank=True, choices=[('web', 'the web server'), ('worker', 'a worker'), ('command', 'the command line')], max_length=8),
        ),
    ]
