from django.db import migrations, models
from django.db.models import OuterRef, Q, Subquery


def record_promises(apps, schema_editor):
    """Check-ins whose links went out (or that hold answers) were promised the workspace's
    threshold as it stands now: the best record of what their invitations said."""
    CheckIn = apps.get_model("checkins", "CheckIn")
    Workspace = apps.get_model("workspaces", "Workspace")
    current = Workspace.objects.filter(pk=OuterRef("workspace_id")).values("anonymity_threshold")
    asked = Q(invitations__isnull=False) | Q(responses__isnull=False)
    ids = CheckIn.objects.filter(asked).values("pk").distinct()
    CheckIn.objects.filter(pk__in=ids).update(promised_threshold=Subquery(current))


class Migration(migrations.Migration):
    dependencies = [
        ("checkins", "0010_invitation_answered_team"),
        ("workspaces", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="checkin",
            name="promised_threshold",
            field=models.PositiveSmallIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(record_promises, migrations.RunPython.noop),
    ]
