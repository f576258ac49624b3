from django.contrib import admin

from truenorth.work.models import WorkItem


@admin.register(WorkItem)
class WorkItemAdmin(admin.ModelAdmin):
    list_display = ["external_key", "title", "status", "points", "initiative", "goal", "workspace"]
    list_filter = ["workspace", "source", "status"]
    search_fields = ["external_key", "title"]
