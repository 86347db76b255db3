"""Pages for the team of one event: the guard of events/access.py, with the event's venue."""

from events import access
from events.access import Capability
from events.models import Event


def organiser_page(capability: Capability = Capability.MANAGE):
    """`view(request, event, ...)` for `<slug:slug>` URLs; see `events.access.organiser_page`."""
    return access.organiser_page(capability, Event.objects.select_related("venue"))
