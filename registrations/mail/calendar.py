"""The personal calendar entry of one registration.

One UID per registration, so that each update replaces the entry in the citizen's calendar;
SEQUENCE is the registration's `calendar_sequence` at the time of the change, raised on every
change, so calendars keep the newest. Public data of the event only: never access data.
"""

import icalendar

from events.calendar import vevent_for
from registrations.mail import sender_address
from registrations.models import Registration

REQUEST, CANCEL = "REQUEST", "CANCEL"


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
    calendar.add_component(vevent)
    calendar.add_missing_timezones()
    return calendar.to_ical()
