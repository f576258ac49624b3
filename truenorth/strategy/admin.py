from django.contrib import admin

from truenorth.strategy.models import Goal, GoalMeasurement, Vision


@admin.register(Vision)
class VisionAdmin(admin.ModelAdmin):
    list_display = ["workspace", "number", "horizon", "created_at"]
    list_filter = ["workspace"]


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["rank", "title", "period", "workspace"]
    list_filter = ["workspace"]


@admin.register(GoalMeasurement)
class GoalMeasurementAdmin(admin.ModelAdmin):
    list_display = ["goal", "measured_on", "value", "unit", "is_target"]
    list_select_related = ["goal"]
