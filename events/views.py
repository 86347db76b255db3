from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _

from core.hooks import answers
from core.public_pages import public_page
from events.access import capabilities_of
from events.calendar import calendar_for, calendar_version
from events.legal import easy_read_blocks, legal_page, plays_in_page
from events.models import Event, EventStatus, LegalPageKind
from events.signals import event_page_section


@public_page
def upcoming_events(request):
    now = timezone.now()
    events = list(Event.objects.public().for_lists().filter(ends_at__gte=now))
    for event in events:
        event.takes_registrations = event.still_takes_registrations(now)
    return render(request, "events/event_list.html", {"events": events, "showing_past": False})


@public_page
def past_events(request):
    events = Event.objects.public().for_lists().filter(ends_at__lt=timezone.now()).order_by("-starts_at")
    return render(request, "events/event_list.html", {"events": events, "showing_past": True})


@public_page
def event_detail(request, slug):
    """The public page of an event. A draft is shown only to its team, as a preview marked as
    such (anyone else gets 404, so that a draft is not given away)."""
    event = get_object_or_404(Event.objects.with_public_details(), slug=slug)
    preview = event.status == EventStatus.DRAFT
    if preview and not capabilities_of(request.user, event):
        raise Http404
    context = {
        "event": event,
        "preview": preview,
        "terms": event.current_terms(),
        "takes_registrations": event.still_takes_registrations(timezone.now()),
        "about_sections": answers(event_page_section, Event, request=request, event=event, place="about"),
        "sections": answers(event_page_section, Event, request=request, event=event, place="registration"),
        "stream_sections": answers(event_page_section, Event, request=request, event=event, place="livestream"),
    }
    response = render(request, "events/event_detail.html", context)
    if preview:
        response["Cache-Control"] = "private, no-store"
    return response


def ics_response(request, events: list[Event], *, name: str, filename: str) -> HttpResponse:
    """A calendar file that subscribers poll: a 304 while nothing in it changed (ETag, and
    Last-Modified for clients that only send If-Modified-Since)."""
    version = calendar_version(events)
    response = HttpResponse(content_type="text/calendar; charset=utf-8")
    response["ETag"] = version.etag
    if version.last_modified is not None:
        response["Last-Modified"] = http_date(version.last_modified.timestamp())
    response["Cache-Control"] = "no-cache"  # may be stored, but asked again each time
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    answer = get_conditional_response(
        request,
        etag=version.etag,
        last_modified=int(version.last_modified.timestamp()) if version.last_modified else None,
        response=response,
    )
    if answer is not response:
        return answer
    response.content = calendar_for(events, name=name, now=timezone.now()).to_ical()
    return response


def event_calendar(request, slug):
    event = get_object_or_404(Event.objects.public().select_related("venue"), slug=slug)
    return ics_response(request, [event], name=event.title, filename=f"{event.slug}.ics")


def calendar_feed(request):
    events = list(Event.objects.public().select_related("venue"))
    return ics_response(request, events, name=_("Stadtdialog events"), filename="stadtdialog.ics")


def legal(request, kind):
    return render(request, "events/legal_page.html", {"page": legal_page(kind)})


def easy_language(request):
    """The site explained in Leichte Sprache (German) or easy read (English), BITV 2.0 § 4."""
    page = legal_page(LegalPageKind.EASY_LANGUAGE)
    return render(request, "events/easy_language.html", {"page": page, "blocks": easy_read_blocks(page.body)})


def sign_language(request):
    """The city's video in German Sign Language with its text alternative, BITV 2.0 § 4. Nothing
    is embedded from another site: a file on this site plays in the page, anything else is a link."""
    page = legal_page(LegalPageKind.SIGN_LANGUAGE)
    context = {"page": page, "plays_in_page": bool(page.video_url) and plays_in_page(page.video_url)}
    return render(request, "events/sign_language.html", context)
