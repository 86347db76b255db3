"""The personal calendar entry of one registration.

One UID per registration, so that each update replaces the entry in the citizen's calendar.
SEQUENCE is the event's `calendar_sequence` plus the registration's own, as they stood when the
mail was queued: the public files count the same event changes. Built inside
`translation.override(language of the registrant)`: title, description and links in that language.
"""

from datetime import datetime

import icalendar
from django.utils.translation import gettext as _

from events.calendar import new_calendar, venue_text, vevent_for
from registrations.mail import sender_address
from registrations.models import Registration, SeatType

REQUEST, CANCEL = "REQUEST", "CANCEL"


def registration_uid(registration: Registration) -> str:
    return f"registration-{registration.public_id}@stadtdialog"


def registration_calendar(
    registration: Registration,
    *,
    sequence: int,
    method: str,
    stamp: datetime,
    links: list[tuple[str, str]] = (),
) -> bytes:
    """An iTIP message: REQUEST adds or updates the entry, CANCEL removes it. `stamp` is when the
    message was made; `links` (label, address) are personal and go only into this entry."""
    event = registration.event
    calendar = new_calendar(method=method)
    vevent = vevent_for(
        event,
        stamp=stamp,
        uid=registration_uid(registration),
        sequence=sequence,
        location=seat_location(registration),
    )
    if links:
        lines = "\n".join(f"{label} {address}" for label, address in links)
        vevent["description"] = icalendar.vText(f"{lines}\n\n{event.description}".strip())
    del vevent["status"]
    vevent.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    organizer = icalendar.vCalAddress(f"mailto:{sender_address()}")
    organizer.params["cn"] = icalendar.vText("Stadtdialog")
    vevent.add("organizer", organizer)
    attendee = icalendar.vCalAddress(f"mailto:{registration.email}")
    # Only a confirmed seat gets a REQUEST (notices.calendar_method): the seat is accepted.
    attendee.params.update({"cn": icalendar.vText(registration.name), "partstat": "ACCEPTED", "rsvp": "FALSE"})
    vevent.add("attendee", attendee)
    calendar.add_component(vevent)
    return calendar.to_ical()


def seat_location(registration: Registration) -> str:
    """Where this person takes part: the venue for a seat in the room, 'Online' for an online
    seat, also in a hybrid event."""
    event = registration.event
    if registration.seat_type == SeatType.ONLINE or event.venue is None or not event.has_venue:
        return _("Online")
    return venue_text(event)
