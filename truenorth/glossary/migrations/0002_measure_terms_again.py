from django.db import migrations


def forget_every_measurement(apps, schema_editor):
    """A function's check-in answers are now quoted only when they are exactly the answers its
    report counted (glossary/readings.py), and figures record the threshold they were read
    under. Figures kept before may quote a group the report shows larger: they are measured
    again when next looked at."""
    Term = apps.get_model("glossary", "Term")
    Term.objects.filter(divergence_measured_at__isnull=False).update(
        divergence=None, divergence_detail={}, divergence_measured_at=None
    )
    # The alignment dashboard names terms read differently: its cached figures go too.
    apps.get_model("workspaces", "DataVersion").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("glossary", "0001_terms_and_definitions"),
        ("workspaces", "0003_data_version"),
    ]

    operations = [migrations.RunPython(forget_every_measurement, migrations.RunPython.noop)]
