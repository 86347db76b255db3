"""iCalendar files of events: public data only, stable UIDs, times in Europe/Berlin."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils.translation import gettext as _

from events.models import Event, EventStatus

BERLIN = ZoneInfo("Europe/Berlin")


def calendar_for(events, *, name: str, method: str = "PUBLISH") -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Stadtdialog//stadtdialog//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Berlin")
    moments = []
    # An event whose times lie outside the bounds (a row written around the services) cannot be
    # put in Berlin time; it is left out rather than failing the feed of every other event.
    for event in (event for event in events if event.has_bounded_times()):
        calendar.add_component(vevent_for(event))
        moments += [event.starts_at, event.ends_at]
    if moments:
        # By default the VTIMEZONE lists every transition from 1970 to 2038 (some 4 kB per file);
        # the ones around the events are all a calendar program needs to place them.
        calendar.add_missing_timezones(
            first_date=min(moments).astimezone(BERLIN).date() - timedelta(days=1),
            last_date=max(moments).astimezone(BERLIN).date() + timedelta(days=1),
        )
    return calendar


def vevent_for(event: Event, *, uid: str | None = None, sequence: int = 0) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", uid or f"event-{event.public_id}@stadtdialog")
    vevent.add("dtstamp", event.updated_at)
    vevent.add("sequence", sequence)
    vevent.add("dtstart", event.starts_at.astimezone(BERLIN))
    vevent.add("dtend", event.ends_at.astimezone(BERLIN))
    vevent.add("summary", event.title)
    vevent.add("description", event.description)
    vevent.add("url", settings.SITE_URL + event.get_absolute_url())
    vevent.add("location", public_location(event))
    vevent.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")
    return vevent


def public_location(event: Event) -> str:
    """Where the event happens, as the public may know it. For online events this is only the
    word 'Online': access data is never part of a public calendar."""
    if event.venue is not None and event.has_venue:
        place = f"{event.venue.name}, {event.venue.address}"
        return place if event.format != "hybrid" else f"{place} / {_('online')}"
    return _("Online")
