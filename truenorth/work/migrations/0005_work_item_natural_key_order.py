"""Work items listed in the natural order of their keys: sorted as text, BLK-10 came before
BLK-9 and a tracker of 5,000 items read BLK-1, BLK-10, BLK-100, BLK-1000 on the work list and in
the API. Each item now keeps `key_order`, its key with every number written length first
(work.models.key_order), so the database sorts and pages the list itself on SQLite and
PostgreSQL alike; existing items get theirs here. The trackers' names also read "GitHub", not
"Github", in the choices (the import page's "Keys from" list)."""

import re

from django.db import migrations, models


def key_order(key: str) -> str:
    """work.models.key_order as it was when this ran."""
    return re.sub(
        r"\d+",
        lambda found: f"{len(found[0].lstrip('0') or '0'):03d}{found[0].lstrip('0') or '0'}",
        key,
    )


def fill_key_order(apps, schema_editor):
    WorkItem = apps.get_model("work", "WorkItem")
    items = list(WorkItem.objects.only("pk", "external_key"))
    for item in items:
        item.key_order = key_order(item.external_key)
    WorkItem.objects.bulk_update(items, ["key_order"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("roadmap", "0007_initiative_change_visibility"),
        ("strategy", "0006_goal_value"),
        ("work", "0004_workitem_updated_at"),
        ("workspaces", "0016_login_role_history"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="workitem",
            options={"ordering": ["source", "key_order", "pk"]},
        ),
        migrations.AddField(
            model_name="workitem",
            name="key_order",
            field=models.CharField(default="", editable=False, max_length=400),
        ),
        migrations.AlterField(
            model_name="trackermapping",
            name="source",
            field=models.CharField(
                blank=True,
                choices=[
                    ("jira", "Jira"),
                    ("linear", "Linear"),
                    ("github", "GitHub"),
                    ("csv", "CSV"),
                    ("manual", "Manual"),
                ],
                help_text="Blank: any tracker.",
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="workitem",
            name="source",
            field=models.CharField(
                choices=[
                    ("jira", "Jira"),
                    ("linear", "Linear"),
                    ("github", "GitHub"),
                    ("csv", "CSV"),
                    ("manual", "Manual"),
                ],
                default="csv",
                max_length=10,
            ),
        ),
        migrations.RunPython(fill_key_order, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="workitem",
            index=models.Index(
                fields=["workspace", "source", "key_order"], name="work_item_key_order"
            ),
        ),
    ]
