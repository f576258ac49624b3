import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """When each row last changed, for the API's updated_since; rows there already get the
    time of the migration."""

    dependencies = [("roadmap", "0005_initiative_archived_at")]

    operations = [
        migrations.AddField(
            model_name="initiative",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
    ]
