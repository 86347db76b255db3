"""The rule of checking in: a ticket lets one person in once.

Exactly once, even when two scanners read the same code at the same moment: the check-in is a
conditional `UPDATE … SET checked_in_at = now WHERE checked_in_at IS NULL AND status = 'confirmed'`,
and only the scanner whose UPDATE changed the row says "welcome"; the other one reads the time the
first one wrote and says "already checked in at 18:04".
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.errors import DomainError
from events.models import Event, EventStatus, SeatType
from events.services import record_audit
from registrations.models import Registration, Status
from registrations.promotion import DOOR_OPENS_BEFORE_START, door_is_open
from registrations.tickets import normalize_code


class Outcome:
    WELCOME = "welcome"
    ALREADY_CHECKED_IN = "already_checked_in"
    NOT_CONFIRMED = "not_confirmed"
    ONLINE_SEAT = "online_seat"
    WRONG_EVENT = "wrong_event"
    CANCELLED = "cancelled"
    EVENT_CANCELLED = "event_cancelled"
    DOOR_CLOSED = "door_closed"
    UNKNOWN = "unknown_ticket"


@dataclass(frozen=True)
class CheckInResult:
    outcome: str
    registration: Registration | None = None

    @property
    def admitted(self) -> bool:
        return self.outcome == Outcome.WELCOME

    @property
    def door_window(self) -> str:
        return door_closed_message(self.registration.event) if self.outcome == Outcome.DOOR_CLOSED else ""


def find_ticket(event: Event, scanned_or_typed: str) -> Registration | None:
    """A scanned secret, or a typed short code of this event (or of another, to say so)."""
    text = scanned_or_typed.strip()
    if not text:
        return None
    by_secret = Registration.objects.filter(ticket_secret=text)
    code = normalize_code(text)
    by_code = Registration.objects.filter(ticket_code=code) if 4 <= len(code) <= 8 else Registration.objects.none()
    candidates = (by_secret | by_code).select_related("event")
    found = list(candidates[:20])
    return next((r for r in found if r.event_id == event.pk), found[0] if found else None)


def check_in(event: Event, ticket: str, *, actor, now: datetime) -> CheckInResult:
    return admit(event, find_ticket(event, ticket), actor=actor, now=now)


def check_in_registration(event: Event, registration_id: int, *, actor, now: datetime) -> CheckInResult:
    """From the name list, for people who have no ticket with them. Looked up within the event:
    ids are sequential, and another event's registration must not give away its title or date."""
    registration = event.registrations.filter(pk=registration_id).select_related("event").first()
    return admit(event, registration, actor=actor, now=now)


def admit(event: Event, registration: Registration | None, *, actor, now: datetime) -> CheckInResult:
    if registration is None:
        return CheckInResult(Outcome.UNKNOWN)
    if registration.event_id != event.pk:
        return CheckInResult(Outcome.WRONG_EVENT, registration)
    if event.status == EventStatus.CANCELLED:
        return CheckInResult(Outcome.EVENT_CANCELLED, registration)
    # The same window as for walk-ins: a ticket scanned days ahead would count as "came".
    if not door_is_open(event, now=now):
        return CheckInResult(Outcome.DOOR_CLOSED, registration)
    if registration.status == Status.CANCELLED:
        return CheckInResult(Outcome.CANCELLED, registration)
    if registration.status != Status.CONFIRMED:
        return CheckInResult(Outcome.NOT_CONFIRMED, registration)
    if registration.seat_type != SeatType.ONSITE:
        return CheckInResult(Outcome.ONLINE_SEAT, registration)
    admitted = Registration.objects.filter(
        pk=registration.pk, status=Status.CONFIRMED, checked_in_at__isnull=True
    ).update(checked_in_at=now, checked_in_by=actor if getattr(actor, "pk", None) else None)
    registration.refresh_from_db(fields=["status", "checked_in_at", "checked_in_by"])
    if not admitted:
        if registration.checked_in_at is not None:
            return CheckInResult(Outcome.ALREADY_CHECKED_IN, registration)
        return CheckInResult(Outcome.CANCELLED, registration)  # cancelled between reading and admitting
    record_audit("registration.checked_in", actor=actor, now=now, event=event, target=registration)
    return CheckInResult(Outcome.WELCOME, registration)


def refusal(result: CheckInResult) -> DomainError:
    """A refused check-in as a domain error with a stable code, for the API."""
    registration = result.registration
    messages = {
        Outcome.UNKNOWN: _("No registration has this code."),
        Outcome.WRONG_EVENT: _("This ticket is for another event."),
        Outcome.EVENT_CANCELLED: _("This event is cancelled."),
        Outcome.CANCELLED: _("This registration is cancelled."),
        Outcome.NOT_CONFIRMED: _("This registration has no confirmed seat."),
        Outcome.ONLINE_SEAT: _("This registration is for an online seat."),
    }
    if result.outcome == Outcome.DOOR_CLOSED:
        message = door_closed_message(registration.event)
    elif result.outcome == Outcome.ALREADY_CHECKED_IN:
        time = timezone.localtime(registration.checked_in_at, timezone.get_default_timezone())
        message = _("Already checked in at %(time)s.") % {"time": f"{time:%H:%M}"}
    else:
        message = messages[result.outcome]
    return DomainError(result.outcome, message, status=404 if result.outcome == Outcome.UNKNOWN else 409)


def door_closed_message(event: Event) -> str:
    berlin = timezone.get_default_timezone()
    opens = timezone.localtime(event.starts_at - DOOR_OPENS_BEFORE_START, berlin)
    ends = timezone.localtime(event.ends_at, berlin)
    return _("Check-in is open from an hour before the start until the end: %(opens)s to %(ends)s.") % {
        "opens": date_format(opens, "SHORT_DATETIME_FORMAT"),
        "ends": date_format(ends, "SHORT_DATETIME_FORMAT"),
    }
