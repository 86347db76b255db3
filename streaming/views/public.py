"""Public pages: the livestream (on the event page and on its own page) behind a two-click
privacy notice, and a registrant's online access data behind their signed link."""

from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone

from core.private_pages import kept_private
from events.models import Event, Format
from ideas.models import LiveVia
from ideas.services.live import live_channel_open
from ideas.views.live import live_link
from registrations.links import registration_for_token
from registrations.models import Registration
from streaming.access import access_for_registrant
from streaming.livestream import stream_of

# The visitor's agreement travels in the address of this one page view and nowhere else: no
# cookie, no session, so the next visit asks again.
CONSENT_PARAMETER = "stream"
CONSENT_VALUE = "load"


def stream_context(request, event: Event) -> dict | None:
    stream = stream_of(event)
    if stream is None:
        return None
    return {
        "event": event,
        "stream": stream,
        "consented": request.GET.get(CONSENT_PARAMETER) == CONSENT_VALUE,
        "consent_parameter": CONSENT_PARAMETER,
        "consent_value": CONSENT_VALUE,
        "onsite_participants": event.format in (Format.ONSITE, Format.HYBRID),
    }


def livestream_section(request, event: Event):
    context = stream_context(request, event)
    if context is None:
        return ""
    return render_to_string("streaming/_livestream_section.html", context, request=request)


def stream_page(request, slug):
    event = get_object_or_404(Event.objects.public(), slug=slug, livestream_url__gt="")
    # Viewers at home send their ideas through the live channel, marked as coming from the stream.
    live = live_link(event, LiveVia.STREAM) if live_channel_open(event, now=timezone.now()) else None
    return render(request, "streaming/stream_page.html", {**stream_context(request, event), "live": live})


def access_section(request, registration: Registration, *, now) -> str:
    """The meeting's access data on the registrant's personal page, for whom and when
    `access_for_registrant` allows it; nothing otherwise."""
    access = access_for_registrant(registration, now=now)
    if access is None:
        return ""
    return render_to_string("streaming/_access_section.html", {"access": access}, request=request)


def registrant_access(request, token):
    """A registrant's personal Zoom access, behind the personal link."""
    registration = registration_for_token(token, now=timezone.now())
    if registration is None:
        response = render(request, "registrations/invalid_link.html", status=404)
    else:
        now = timezone.now()
        context = {
            "registration": registration,
            "event": registration.event,
            "access": access_for_registrant(registration, now=now),
            "due": registration.event.access_data_due_at(),
            "now": now,
        }
        response = render(request, "streaming/registrant_access.html", context)
    return kept_private(response)
