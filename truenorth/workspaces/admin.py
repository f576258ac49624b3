from django.contrib import admin, messages
from django.db import models

from truenorth.workspaces.actions import STORED_AS, change_settings, lowering_warning
from truenorth.workspaces.models import Membership, Person, SettingChange, Team, Workspace


@admin.register(Workspace)
class WorkspaceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "anonymity_threshold"]
    prepopulated_fields = {"slug": ["name"]}
    # A webhook is an https address; say so rather than lean on Django's changing default.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        if change:
            # Through the action, so a change made here is recorded like one on the settings page.
            edited = {name: getattr(obj, name) for name in SettingChange.Setting.values}
            obj.refresh_from_db(fields=[STORED_AS.get(name, name) for name in edited])
            changes = change_settings(obj, request.user, **edited)
            if warning := lowering_warning(changes):
                self.message_user(request, warning, messages.WARNING)
        super().save_model(request, obj, form, change)


@admin.register(SettingChange)
class SettingChangeAdmin(admin.ModelAdmin):
    list_display = ["workspace", "setting", "old_value", "new_value", "changed_by", "changed_at"]
    list_select_related = ["workspace", "changed_by"]
    list_filter = ["workspace", "setting"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "workspace"]
    list_select_related = ["parent", "workspace"]
    list_filter = ["workspace"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "function", "team", "workspace"]
    list_select_related = ["team", "workspace"]
    list_filter = ["workspace", "function"]
    search_fields = ["name", "email"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "workspace", "role", "person"]
    list_select_related = ["user", "workspace", "person"]
    list_filter = ["workspace", "role"]
