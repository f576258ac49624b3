from django.contrib import admin

from truenorth.strategy.models import Goal, Vision


@admin.register(Vision)
class VisionAdmin(admin.ModelAdmin):
    list_display = ["workspace", "number", "horizon", "created_at"]
    list_filter = ["workspace"]


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["rank", "title", "period", "workspace"]
    list_filter = ["workspace"]
