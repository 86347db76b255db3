"""iCalendar files of events: public data only, stable UIDs, times in Europe/Berlin.

Every calendar we write (an event's file, the feed, the entry mailed to a registrant) carries the
same full VTIMEZONE: one made for a date range would let a reader that caches zones by TZID
(vobject: Radicale, khal) place a winter event with the summer offset, or the reverse.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import cache

import icalendar
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.berlin import BERLIN
from events.models import Event, EventStatus

# The rules of Europe/Berlin since 1996, as Outlook and Google write them. icalendar can derive a
# VTIMEZONE from zoneinfo, but that lists every transition since 1893: kilobytes per file.
BERLIN_VTIMEZONE = b"""BEGIN:VTIMEZONE
TZID:Europe/Berlin
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
"""


@cache
def berlin_timezone() -> icalendar.Timezone:
    return icalendar.Timezone.from_ical(BERLIN_VTIMEZONE)


def new_calendar(*, method: str) -> icalendar.Calendar:
    """An empty calendar with our PRODID and the Europe/Berlin VTIMEZONE every VEVENT refers to."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Stadtdialog//stadtdialog//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add_component(berlin_timezone())
    return calendar


def calendar_for(events, *, name: str, now: datetime) -> icalendar.Calendar:
    """An event's file or the feed, in the active language; `now` is when the file is made."""
    calendar = new_calendar(method="PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Berlin")
    # An event whose times lie outside the bounds (a row written around the services) cannot be
    # put in Berlin time; it is left out rather than failing the feed of every other event.
    for event in events:
        if event.has_bounded_times():
            calendar.add_component(vevent_for(event, stamp=now))
    return calendar


# Part of every ETag: a release that writes the files differently gives subscribers the new file.
FILE_FORMAT = 2


@dataclass(frozen=True)
class CalendarVersion:
    etag: str
    last_modified: datetime | None


def calendar_version(events: list[Event]) -> CalendarVersion:
    """What a calendar file is made of, apart from its DTSTAMP (the time it was made): the same
    version means the same entries. The venue is named too, since editing it leaves the event's
    `updated_at` alone."""
    parts = [str(FILE_FORMAT), get_language() or "", settings.SITE_URL]
    for event in events:
        venue = event.venue
        parts += [
            str(event.pk),
            event.updated_at.isoformat(),
            venue.name if venue else "",
            venue.address if venue else "",
        ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
    # Weak: two downloads of one version differ in DTSTAMP, not in meaning (RFC 9110 8.8.1).
    return CalendarVersion(f'W/"{digest}"', max((event.updated_at for event in events), default=None))


def vevent_for(
    event: Event, *, stamp: datetime, uid: str | None = None, sequence: int | None = None, location: str | None = None
) -> icalendar.Event:
    """`stamp` (DTSTAMP) is when this calendar object is made, not when the event last changed
    (RFC 5545 3.8.7.2); SEQUENCE is the event's, unless a registrant's entry counts its own."""
    vevent = icalendar.Event()
    vevent.add("uid", uid or f"event-{event.public_id}@stadtdialog")
    vevent.add("dtstamp", stamp)
    vevent.add("sequence", event.calendar_sequence if sequence is None else sequence)
    vevent.add("dtstart", event.starts_at.astimezone(BERLIN))
    vevent.add("dtend", event.ends_at.astimezone(BERLIN))
    vevent.add("summary", event.title)
    vevent.add("description", event.description)
    vevent.add("url", settings.SITE_URL + event.get_absolute_url())
    vevent.add("location", public_location(event) if location is None else location)
    vevent.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")
    return vevent


def public_location(event: Event) -> str:
    """Where the event happens, as the public may know it. For online events this is only the
    word 'Online': access data is never part of a public calendar."""
    if event.venue is not None and event.has_venue:
        place = venue_text(event)
        return place if event.format != "hybrid" else f"{place} / {_('online')}"
    return _("Online")


def venue_text(event: Event) -> str:
    return f"{event.venue.name}, {event.venue.address}"
