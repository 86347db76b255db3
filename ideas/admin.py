"""Read-only admin views for looking things up. Every change goes through the ideas pages or the
API, which call the services and write the audit log; the admin would bypass both."""

from django.contrib import admin

from events import access
from events.access import Capability
from events.admin import TeamScopedAdmin
from ideas.models import BacklogItem, BreakoutGroup, Idea, WorkingGroup


class ReadOnlyAdmin(TeamScopedAdmin):
    # Moderators may look up their events' groups and ideas (no submitter addresses: excluded below).
    capability = Capability.MODERATE

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BreakoutGroup)
class BreakoutGroupAdmin(ReadOnlyAdmin):
    list_display = ["name", "event", "kind", "topic"]
    list_filter = ["kind"]
    exclude = ["poster_key"]


@admin.register(Idea)
class IdeaAdmin(ReadOnlyAdmin):
    list_display = ["title", "event", "group", "moderation", "for_plenum", "working_group", "created_at"]
    list_filter = ["moderation", "for_plenum"]
    search_fields = ["title", "text"]
    exclude = ["submitter_email"]


class WorkingGroupScopedAdmin(ReadOnlyAdmin):
    """Working groups span events: every organiser may look them up, like their public pages."""

    capability = Capability.MANAGE

    def get_queryset(self, request):
        return admin.ModelAdmin.get_queryset(self, request)

    def has_module_permission(self, request):
        return request.user.is_staff and access.organises_any_event(request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)


@admin.register(WorkingGroup)
class WorkingGroupAdmin(WorkingGroupScopedAdmin):
    list_display = ["title", "slug"]
    filter_horizontal = ["leads"]


@admin.register(BacklogItem)
class BacklogItemAdmin(WorkingGroupScopedAdmin):
    list_display = ["title", "working_group", "position", "status"]
    list_filter = ["status", "working_group"]
