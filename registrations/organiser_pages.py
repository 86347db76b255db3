"""Pages for the organisers of one event: log in first, and only the event's own team gets in."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from events.models import Event
from events.services import can_manage


def organiser_page(view):
    """`view(request, event, ...)` for `<slug:slug>` URLs; anonymous → login, other teams → 403."""

    @wraps(view)
    def wrapped(request, slug, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        event = get_object_or_404(Event.objects.select_related("venue"), slug=slug)
        if not can_manage(request.user, event):
            raise PermissionDenied
        response = view(request, event, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response

    return wrapped
