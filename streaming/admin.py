"""Django admin: interpreters and livestreams of one's own events; the Zoom sync to look at."""

from django.contrib import admin

from events.admin import TeamScopedAdmin
from streaming.models import Attendance, Interpreter, Livestream, ZoomMeeting, ZoomRegistrant


@admin.register(Interpreter)
class InterpreterAdmin(TeamScopedAdmin):
    list_display = ["name", "event", "language_from", "language_to"]
    list_select_related = ["event"]


@admin.register(Livestream)
class LivestreamAdmin(TeamScopedAdmin):
    list_display = ["event", "status", "updated_at"]
    list_select_related = ["event"]
    exclude = ["updated_by"]


class ReadOnlyTeamAdmin(TeamScopedAdmin):
    """Written by the sync and by webhooks only; organisers act on the streaming pages."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ZoomMeeting)
class ZoomMeetingAdmin(ReadOnlyTeamAdmin):
    list_display = ["event", "meeting_id", "goal", "state", "attempts", "next_attempt_at", "last_error"]
    list_filter = ["state", "goal"]
    list_select_related = ["event"]
    exclude = ["passcode"]


@admin.register(ZoomRegistrant)
class ZoomRegistrantAdmin(ReadOnlyTeamAdmin):
    event_path = "meeting__event"
    list_display = ["registration", "goal", "state", "attempts", "last_error"]
    list_filter = ["state", "goal"]
    list_select_related = ["registration"]

    def event_of(self, obj):
        return obj.meeting.event


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyTeamAdmin):
    event_path = "meeting__event"
    list_display = ["joined_at", "left_at", "name", "registration", "matched_by"]
    list_select_related = ["registration"]

    def event_of(self, obj):
        return obj.meeting.event
