"""The personal calendar entry of one registration.

One UID per registration, so that each update replaces the entry in the citizen's calendar;
SEQUENCE is the registration's `calendar_sequence` at the time of the change, raised on every
change, so calendars keep the newest. Public data of the event only: never access data.
"""

from functools import cache

import icalendar

from events.calendar import vevent_for
from registrations.mail import sender_address
from registrations.models import Registration

REQUEST, CANCEL = "REQUEST", "CANCEL"

# The rules of Europe/Berlin since 1996, as Outlook and Google write them. icalendar can derive a
# VTIMEZONE from zoneinfo, but that lists every transition since 1893: 10 ms and kilobytes per mail.
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


def registration_uid(registration: Registration) -> str:
    return f"registration-{registration.public_id}@stadtdialog"


def registration_calendar(registration: Registration, *, sequence: int, method: str, tentative: bool = False) -> bytes:
    """An iTIP message: REQUEST adds or updates the entry, CANCEL removes it."""
    event = registration.event
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Stadtdialog//stadtdialog//DE")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    vevent = vevent_for(event, uid=registration_uid(registration), sequence=sequence)
    del vevent["status"]
    vevent.add("status", "CANCELLED" if method == CANCEL else ("TENTATIVE" if tentative else "CONFIRMED"))
    organizer = icalendar.vCalAddress(f"mailto:{sender_address()}")
    organizer.params["cn"] = icalendar.vText("Stadtdialog")
    vevent.add("organizer", organizer)
    attendee = icalendar.vCalAddress(f"mailto:{registration.email}")
    attendee.params.update({"cn": icalendar.vText(registration.name), "partstat": "ACCEPTED", "rsvp": "FALSE"})
    vevent.add("attendee", attendee)
    calendar.add_component(berlin_timezone())
    calendar.add_component(vevent)
    return calendar.to_ical()
