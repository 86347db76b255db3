"""A registration's history for organisers: who did what, when, read from the audit log.

It shows the entries about the registration itself and those about its event as a whole (event
created or changed, reserved seats released, seats allocated), which explain why a status
changed. Other registrations' entries of the same event are left out: there may be thousands.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.models import AuditEntry, SeatType
from registrations.models import Channel, Registration, Status

ACTIONS = {
    "registration.created": gettext_lazy("Registration received"),
    "registration.cancelled": gettext_lazy("Registration cancelled"),
    "registration.promoted": gettext_lazy("Moved up from the waiting list to a confirmed seat"),
    "registration.links_revoked": gettext_lazy("Personal links revoked"),
    "registration.seat_switched": gettext_lazy("Seat type switched"),
    "seats.released": gettext_lazy("Reserved seats released"),
    "event.allocated": gettext_lazy("Seats allocated in order of receipt"),
    "event.created": gettext_lazy("Event created"),
    "event.updated": gettext_lazy("Event changed"),
}
EVENT_TARGETS = ("event", "seatpool")


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    who: str
    what: str
    details: str
    about_event: bool


def history_of(registration: Registration) -> list[HistoryLine]:
    entries = (
        AuditEntry.objects.filter(
            Q(target_type="registration", target_id=registration.pk)
            | Q(event=registration.event_id, target_type__in=EVENT_TARGETS)
        )
        .select_related("actor")
        .order_by("at", "pk")
    )
    return [
        HistoryLine(
            at=entry.at,
            who=who(entry),
            what=str(ACTIONS.get(entry.action, entry.action)),
            details=details(entry),
            about_event=entry.target_type != "registration",
        )
        for entry in entries
    ]


def who(entry: AuditEntry) -> str:
    if entry.actor is not None:
        return entry.actor.get_username()
    if entry.actor_label in ("", "system"):
        return _("system")
    return _("%(name)s (self-service)") % {"name": entry.actor_label}


def label(choices, value) -> str:
    return str(dict(choices).get(value, value))


def details(entry: AuditEntry) -> str:
    data = entry.data or {}
    if entry.action == "registration.created":
        return _("via %(channel)s, %(seat)s, status: %(status)s") % {
            "channel": label(Channel.choices, data.get("channel")),
            "seat": label(SeatType.choices, data.get("seat")),
            "status": label(Status.choices, data.get("status")),
        }
    if entry.action == "registration.cancelled":
        text = _("status before: %(status)s") % {"status": label(Status.choices, data.get("previous_status"))}
        if data.get("reason"):
            text += "; " + _("reason: %(reason)s") % {"reason": data["reason"]}
        return text
    if entry.action == "registration.seat_switched":
        return _("%(from)s → %(to)s, status: %(status)s") % {
            "from": label(SeatType.choices, data.get("from")),
            "to": label(SeatType.choices, data.get("to")),
            "status": label(Status.choices, data.get("status")),
        }
    if entry.action == "registration.promoted":
        return label(SeatType.choices, data.get("seat"))
    if entry.action == "seats.released":
        return _("%(count)s × %(seat)s") % {
            "count": data.get("count"),
            "seat": label(SeatType.choices, data.get("seat")),
        }
    if entry.action == "event.allocated":
        return "; ".join(
            _("%(seat)s: %(confirmed)s confirmed, %(waitlisted)s on the waiting list")
            % {
                "seat": label(SeatType.choices, seat),
                "confirmed": outcome.get("confirmed", 0),
                "waitlisted": outcome.get("waitlisted", 0),
            }
            for seat, outcome in sorted(data.items())
        )
    # An action without its own wording: at least the known values in the page's language.
    known = {**dict(Status.choices), **dict(SeatType.choices), **dict(Channel.choices)}
    return "; ".join(
        f"{key}: {known.get(value, value) if isinstance(value, str) else value}" for key, value in data.items()
    )
