from django.contrib import admin

from truenorth.work.models import WorkItem
from truenorth.workspaces.figures import bump


@admin.register(WorkItem)
class WorkItemAdmin(admin.ModelAdmin):
    list_display = ["external_key", "title", "status", "points", "initiative", "goal", "workspace"]
    list_select_related = ["initiative", "goal", "workspace"]  # nullable: not joined by default
    list_filter = ["workspace", "source", "status"]
    search_fields = ["external_key", "title"]

    # Deleting work items sends no signal the cached figures hear (figures.DELETIONS_WATCHED).
    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        bump(obj.workspace_id)

    def delete_queryset(self, request, queryset):
        workspaces = set(queryset.values_list("workspace_id", flat=True))
        super().delete_queryset(request, queryset)
        for workspace_id in workspaces:
            bump(workspace_id)
