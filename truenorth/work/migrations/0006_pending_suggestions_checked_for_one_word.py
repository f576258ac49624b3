"""A link suggestion whose item shares a single word with its target is now made only where the
rest of the title is on the target's topic too (work.traceability.resting_on_one_word), and the
suggestions page says so of each. Pending suggestions made before were not checked: they go,
and the next refresh makes them again where they stand. Accepted and rejected ones stay, so a
pair someone decided is still never suggested again."""

from django.db import migrations


def drop_pending_suggestions(apps, schema_editor):
    LinkSuggestion = apps.get_model("work", "LinkSuggestion")
    LinkSuggestion.objects.filter(decision="pending").delete()


class Migration(migrations.Migration):
    dependencies = [("work", "0005_work_item_natural_key_order")]

    operations = [migrations.RunPython(drop_pending_suggestions, migrations.RunPython.noop)]
