from django.contrib import admin

from truenorth.roadmap.actions import save_initiative
from truenorth.roadmap.models import Initiative, InitiativeChange


class ChangeInline(admin.TabularInline):
    model = InitiativeChange
    extra = 0
    readonly_fields = ["field", "old_value", "new_value", "changed_at", "changed_by"]
    can_delete = False


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "visibility", "goal", "target_date", "workspace"]
    list_select_related = ["goal", "workspace"]  # a query per row otherwise: goal may be null
    list_filter = ["workspace", "status", "visibility"]
    search_fields = ["title", "key"]
    inlines = [ChangeInline]

    def save_model(self, request, obj, form, change):
        save_initiative(obj, by=request.user)
