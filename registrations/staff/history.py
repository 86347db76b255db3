"""A registration's history for organisers: who did what, when, read from the audit log.

It shows the entries about the registration itself and those about its event as a whole (event
created or changed, reserved seats released, seats allocated), which explain why a status
changed. Other registrations' entries of the same event are left out: there may be thousands.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.templatetags.site import berlin
from events.models import AuditEntry, Event, SeatType
from events.services import SECRET_EVENT_FIELDS
from registrations.models import Channel, ConsentKind, MailKind, Registration, Status

ACTIONS = {
    "registration.created": gettext_lazy("Registration received"),
    "registration.cancelled": gettext_lazy("Registration cancelled"),
    "registration.promoted": gettext_lazy("Moved up from the waiting list to a confirmed seat"),
    "registration.links_revoked": gettext_lazy("Personal links revoked"),
    "registration.changed": gettext_lazy("Name, language, needs or companions changed"),
    "registration.details_changed": gettext_lazy("Answers or needs changed"),
    "registration.email_change_requested": gettext_lazy("New e-mail address entered, awaiting confirmation"),
    "registration.email_changed": gettext_lazy("New e-mail address confirmed by its owner"),
    "registration.confirmation_resent": gettext_lazy("Confirmation mail sent again"),
    "seats.released": gettext_lazy("Reserved seats released"),
    "event.allocated": gettext_lazy("Seats allocated in order of receipt"),
    "event.created": gettext_lazy("Event created"),
    "event.updated": gettext_lazy("Event changed"),
    "event.copied": gettext_lazy("Event created as a copy"),
    "event.registrants_told": gettext_lazy("Registrants told by e-mail"),
    "registration.seat_switched": gettext_lazy("Type of seat switched"),
    "registration.offered": gettext_lazy("Seat offered from the waiting list"),
    "registration.offer_accepted": gettext_lazy("Offered seat accepted"),
    "registration.reconfirm_asked": gettext_lazy("Asked to reconfirm the seat"),
    "registration.reconfirmed": gettext_lazy("Seat reconfirmed"),
    "registration.walk_in": gettext_lazy("Registered at the door"),
    "registration.checked_in": gettext_lazy("Checked in"),
    "registration.checked_out": gettext_lazy("Checked out"),
    "consent.withdrawn": gettext_lazy("Consent withdrawn"),
}
# How the facts of an audit line are named on the page; the values are shown by `shown_value`.
FACT_LABELS = {
    "seat": gettext_lazy("type of seat"),
    "from": gettext_lazy("switched from"),
    "to": gettext_lazy("switched to"),
    "status": gettext_lazy("status"),
    "previous_status": gettext_lazy("status before"),
    "position": gettext_lazy("place on the waiting list"),
    "seats": gettext_lazy("people"),
    "people": gettext_lazy("people"),
    "companions": gettext_lazy("companions"),
    "fields": gettext_lazy("changed"),
    "expires_at": gettext_lazy("held until"),
    "kind": gettext_lazy("kind"),
    "version": gettext_lazy("version"),
    "mails": gettext_lazy("e-mails"),
    "via": gettext_lazy("by"),
    "venue": gettext_lazy("venue"),
    "venue.accessibility": gettext_lazy("accessibility of the venue"),
    "terms": gettext_lazy("consent terms"),
    "slug": gettext_lazy("web address"),
}
SEAT_TYPE_FACTS = ("seat", "from", "to")
STATUS_FACTS = ("status", "previous_status")
WHO_CHANGED = {"organiser": gettext_lazy("the organisers"), "citizen": gettext_lazy("the registrant")}
EVENT_TARGETS = ("event", "seatpool")
# The fields `registration.changed` names (registrations/changes.py), as organisers call them.
CHANGED_FIELDS = {
    "name": gettext_lazy("name"),
    "needs": gettext_lazy("needs"),
    "language": gettext_lazy("language"),
    "companions": gettext_lazy("companions"),
}
VIA = {"organiser": gettext_lazy("entered by the organisers"), "citizen": gettext_lazy("asked for by the person")}


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
    if entry.action == "registration.changed":
        fields = ", ".join(str(CHANGED_FIELDS.get(name, name)) for name in data.get("fields", []))
        return _("%(fields)s; status: %(status)s") % {
            "fields": fields,
            "status": label(Status.choices, data.get("status")),
        }
    if entry.action in (
        "registration.details_changed",
        "registration.email_change_requested",
        "registration.email_changed",
    ):
        return str(VIA.get(data.get("via"), ""))
    if entry.action == "registration.confirmation_resent":
        return _("status: %(status)s") % {"status": label(Status.choices, data.get("status"))}
    if entry.action == "registration.seat_switched":
        return _("%(before)s → %(after)s, status: %(status)s") % {
            "before": label(SeatType.choices, data.get("from")),
            "after": label(SeatType.choices, data.get("to")),
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
    if entry.action == "event.copied":
        return _("copied from %(slug)s") % {"slug": data.get("from")}
    if entry.action == "event.updated":
        return "; ".join(event_change(key, value) for key, value in data.items())
    return "; ".join(f"{fact_label(key)}: {shown_value(entry, key, value)}" for key, value in data.items())


def fact_label(key: str) -> str:
    return str(FACT_LABELS.get(key, key))


def shown_value(entry: AuditEntry, key: str, value) -> str:
    """One fact of an audit line in words: labels for stored codes, Berlin time for moments."""
    if key in SEAT_TYPE_FACTS:
        return label(SeatType.choices, value)
    if key in STATUS_FACTS:
        return label(Status.choices, value)
    if key == "kind":
        return label(ConsentKind.choices if entry.action.startswith("consent.") else MailKind.choices, value)
    if key == "fields":
        return ", ".join(field_name(Registration, name) for name in value)
    if key == "via":
        return str(WHO_CHANGED.get(value, value))
    if key == "expires_at":
        return moment(value)
    if value is None:
        return "–"
    return str(value)


def field_name(model: type[models.Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def moment(value) -> str:
    try:
        return berlin(datetime.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def event_change(key: str, value) -> str:
    """One changed field of an event, as `update_event` records it: the field's name and the new
    value in words."""
    if key.startswith("seats."):
        seat = label(SeatType.choices, key.removeprefix("seats."))
        if value == "removed":
            return _("%(seat)s: removed") % {"seat": seat}
        return _("%(seat)s: %(capacity)s seats, %(reserved)s reserved") % {"seat": seat, **value}
    if key == "venue.accessibility":
        return _("accessibility of the venue described anew")
    if key == "terms":
        return _("new version of the consent terms")
    if key == "venue":
        return f"{fact_label(key)}: {value}"
    try:
        field = Event._meta.get_field(key)
    except FieldDoesNotExist:
        return f"{key}: {value}"
    if key in SECRET_EVENT_FIELDS:
        shown = _("changed (not shown)")
    elif field.choices:
        shown = label(field.flatchoices, value)
    elif isinstance(field, models.DateTimeField):
        shown = moment(value)
    elif isinstance(field, models.BooleanField):
        shown = _("yes") if value in ("True", True) else _("no")
    elif value in ("", "None", None):
        shown = "–"
    else:
        shown = str(value)
    return f"{field.verbose_name}: {shown}"
