import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("strategy", "0003_goal_archived_at"),
    ]

    operations = [
        migrations.CreateModel(
            name="GoalMeasurement",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("measured_on", models.DateField()),
                ("value", models.FloatField()),
                (
                    "unit",
                    models.CharField(blank=True, help_text='e.g. "%" or "days".', max_length=20),
                ),
                ("is_target", models.BooleanField(default=False)),
                (
                    "goal",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="measurements",
                        to="strategy.goal",
                    ),
                ),
            ],
            options={
                "ordering": ["measured_on", "id"],
                "constraints": [
                    models.UniqueConstraint(
                        models.F("goal"),
                        models.F("measured_on"),
                        models.F("is_target"),
                        name="one_goal_measurement_a_day",
                    )
                ],
            },
        ),
    ]
