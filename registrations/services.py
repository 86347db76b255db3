"""Registering, allocating, cancelling and promoting: every rule about seats lives here.

Capacity is decided in exactly one place, `_locked_pool()`: each change that touches the seats of
one seat type first takes a row lock on that SeatPool and then reads and writes its counters in
the same transaction (see docs/allocation.md).
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from events.errors import Busy, DomainError
from events.models import Allocation, Event, EventStatus, SeatPool, SeatType
from events.services import record_audit
from registrations.mail import notices
from registrations.models import Channel, ConsentKind, ConsentRecord, Registration, Status
from registrations.signals import registration_status_changed


@dataclass(frozen=True)
class RegistrationData:
    name: str
    seat_type: str
    email: str = ""
    phone: str = ""
    language: str = "de"
    needs: str = ""
    accept_terms: bool = False
    broadcast_consent: bool = False


class AlreadyRegistered(DomainError):
    status = 409

    def __init__(self, existing: Registration):
        super().__init__(
            "already_registered",
            _("This e-mail address is already registered for this event (status: %(status)s).")
            % {"status": existing.get_status_display()},
        )
        self.existing = existing


def register(
    event: Event, data: RegistrationData, *, channel: str, received_at: datetime, now: datetime, actor=None
) -> Registration:
    """The one way in, for the web form, the API, staff on the phone and the e-mail intake."""
    check_registration(event, data, channel=channel, received_at=received_at, now=now)
    terms = event.current_terms()
    try:
        with transaction.atomic():
            pool = _locked_pool(event, data.seat_type)
            registration = Registration(
                event=event,
                seat_type=data.seat_type,
                name=data.name.strip(),
                email=data.email.strip(),
                phone=data.phone.strip(),
                language=data.language,
                needs=data.needs.strip(),
                channel=channel,
                received_at=received_at,
                entered_at=now,
                entered_by=actor if channel == Channel.PHONE else None,
                status_changed_at=now,
            )
            _place(registration, pool, event)
            # A second active registration of the address fails here, on the partial unique
            # index, and rolls the whole transaction back (see the except below).
            registration.save()
            pool.save(update_fields=["confirmed", "waitlisted", "pending"])
            _record_consents(registration, terms, data, channel=channel, now=now, actor=actor)
            record_audit(
                "registration.created",
                actor=actor,
                label=registration.name if actor is None else "",
                now=now,
                event=event,
                target=registration,
                data={"channel": channel, "status": registration.status, "seat": registration.seat_type},
            )
            notices.tell_received(registration, now=now)
            _status_changed(registration, "", now=now)
    except IntegrityError:
        existing = _active_registration_of(event, data.email.strip())
        if existing is None:
            raise
        raise AlreadyRegistered(existing) from None
    return registration


def check_registration(event: Event, data: RegistrationData, *, channel: str, received_at: datetime, now: datetime):
    """Refusals that need no lock. Raises DomainError with a stable code."""
    if event.status != EventStatus.PUBLISHED:
        raise DomainError("event_not_bookable", _("This event does not take registrations."), status=409)
    if channel == Channel.PHONE and received_at > now:
        raise DomainError("received_in_future", _("The time of the call cannot be in the future."), field="received_at")
    if received_at < event.registration_opens_at:
        raise DomainError("registration_not_open", _("Registration has not opened yet."), status=409)
    if received_at > event.registration_closes_at:
        raise DomainError("registration_closed", _("Registration for this event has closed."), status=409)
    if data.seat_type not in event.seat_types:
        raise DomainError(
            "seat_type_not_offered", _("This event offers no seats of this kind."), status=422, field="seat"
        )
    if not data.name.strip():
        raise DomainError("name_required", _("Please enter a name."), status=422, field="name")
    if channel != Channel.PHONE and not data.email.strip():
        raise DomainError("email_required", _("Please enter an e-mail address."), status=422, field="email")
    if channel == Channel.PHONE and not (data.email.strip() or data.phone.strip()):
        raise DomainError(
            "contact_required",
            _("A phone registration needs a phone number or an e-mail address."),
            status=422,
            field="phone",
        )
    if data.email.strip():
        try:
            validate_email(data.email.strip())
        except ValidationError:
            raise DomainError(
                "invalid_email", _("Please enter a valid e-mail address."), status=422, field="email"
            ) from None
    terms = event.current_terms()
    if terms is not None and not data.accept_terms:
        raise DomainError(
            "consent_required", _("Please agree to the terms of participation."), status=422, field="accept_terms"
        )
    if broadcast_consent_needed(event, data.seat_type) and not data.broadcast_consent:
        raise DomainError(
            "consent_required",
            _("On-site participants of this broadcast event must agree to appear in the broadcast."),
            status=422,
            field="broadcast_consent",
        )


def broadcast_consent_needed(event: Event, seat_type: str) -> bool:
    terms = event.current_terms()
    return bool(terms and terms.broadcast_consent_required and seat_type == SeatType.ONSITE)


def cancel(registration: Registration, *, actor, now: datetime, reason: str = "") -> Registration:
    """Cancel a registration; a confirmed seat goes at once to the first on the waiting list."""
    with transaction.atomic():
        pool = _locked_pool(registration.event, registration.seat_type)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == Status.CANCELLED:
            raise DomainError("already_cancelled", _("This registration is already cancelled."), status=409)
        previous = registration.status
        _leave_queue(registration, pool)
        registration.status = Status.CANCELLED
        registration.status_changed_at = now
        registration.save(update_fields=["status", "waitlist_position", "status_changed_at"])
        _status_changed(registration, previous, now=now)
        record_audit(
            "registration.cancelled",
            actor=actor,
            label="" if actor else registration.name,
            now=now,
            event=registration.event,
            target=registration,
            data={"previous_status": previous, "reason": reason},
        )
        notices.tell_cancelled(registration, by_organiser=actor is not None, now=now)
        _fill_free_seats(pool, registration.event, now=now)
        pool.save(update_fields=["confirmed", "waitlisted", "pending"])
    return registration


def revoke_personal_links(registration: Registration, *, actor, now: datetime) -> Registration:
    """Every manage, cancel and consent link sent so far stops working (a mail forwarded by
    mistake); the citizen gets new links from the organisers or by registering again."""
    with transaction.atomic():
        Registration.objects.filter(pk=registration.pk).update(manage_link_version=F("manage_link_version") + 1)
        registration.refresh_from_db(fields=["manage_link_version"])
        record_audit("registration.links_revoked", actor=actor, now=now, event=registration.event, target=registration)
    return registration


def release_reserved(event: Event, seat_type: str, count: int, *, actor, now: datetime) -> SeatPool:
    """Give reserved seats to the public; waiting people move up at once."""
    with transaction.atomic():
        pool = _locked_pool(event, seat_type)
        if count < 1 or count > pool.reserved:
            raise DomainError(
                "invalid_release",
                _("You can release between 1 and %(reserved)s seats.") % {"reserved": pool.reserved},
                status=422,
            )
        pool.reserved -= count
        record_audit(
            "seats.released", actor=actor, now=now, event=event, target=pool, data={"seat": seat_type, "count": count}
        )
        _fill_free_seats(pool, event, now=now)
        pool.save(update_fields=["reserved", "confirmed", "waitlisted", "pending"])
    return pool


def allocate(event: Event, *, actor, now: datetime) -> dict[str, dict[str, int]]:
    """Seat the pending registrations of an `at_deadline` event strictly in order of receipt.

    Running it again finds nothing pending and changes nothing."""
    if event.allocation != Allocation.AT_DEADLINE:
        raise DomainError("not_at_deadline", _("This event seats people as they register."), status=409)
    if now < event.registration_closes_at:
        raise DomainError("deadline_not_reached", _("Seats are allocated after registration has closed."), status=409)
    outcome = {}
    with transaction.atomic():
        for seat_type in sorted(event.seat_types):
            pool = _locked_pool(event, seat_type)
            pending = list(
                Registration.objects.filter(event=event, seat_type=seat_type, status=Status.PENDING)
                .in_queue_order()
                .select_for_update()
            )
            confirmed = waitlisted = 0
            for registration in pending:
                pool.pending -= 1
                _seat_or_queue(registration, pool, now=now)
                registration.save(update_fields=["status", "waitlist_position", "status_changed_at"])
                _status_changed(registration, Status.PENDING, now=now)
                notices.tell_seated(registration, now=now, promoted=False)
                if registration.status == Status.CONFIRMED:
                    confirmed += 1
                else:
                    waitlisted += 1
            pool.save(update_fields=["confirmed", "waitlisted", "pending"])
            outcome[seat_type] = {"confirmed": confirmed, "waitlisted": waitlisted}
        record_audit("event.allocated", actor=actor, now=now, event=event, target=event, data=outcome)
    return outcome


def fill_free_seats(event: Event, *, now: datetime, actor=None) -> None:
    """After capacity grew or seats were freed elsewhere: promote waiting people into free seats."""
    with transaction.atomic():
        for seat_type in sorted(event.seat_types):
            pool = _locked_pool(event, seat_type)
            _fill_free_seats(pool, event, now=now)
            pool.save(update_fields=["confirmed", "waitlisted", "pending"])


def reseat_in_original_order(event: Event, *, now: datetime) -> None:
    """After a move (perhaps to a smaller room): confirmed people keep their seats in order of
    receipt while seats allow, the rest go to the head of the waiting list, which keeps its order.
    With more seats than before, the first waiting move up."""
    for seat_type in sorted(event.seat_types):
        pool = _locked_pool(event, seat_type)
        active = Registration.objects.select_for_update().filter(event=event, seat_type=seat_type)
        seated = list(active.filter(status=Status.CONFIRMED).in_queue_order())
        waiting = list(active.filter(status=Status.WAITLISTED).order_by("waitlist_position"))
        free = max(0, pool.capacity - pool.reserved)
        for place, registration in enumerate(seated + waiting):
            status, position = (Status.CONFIRMED, None) if place < free else (Status.WAITLISTED, place - free + 1)
            if (registration.status, registration.waitlist_position) != (status, position):
                previous = registration.status
                registration.status, registration.waitlist_position = status, position
                registration.status_changed_at = now
                registration.save(update_fields=["status", "waitlist_position", "status_changed_at"])
                if previous != status:
                    _status_changed(registration, previous, now=now)
        pool.confirmed = min(free, len(seated) + len(waiting))
        pool.waitlisted = len(seated) + len(waiting) - pool.confirmed
        pool.save(update_fields=["confirmed", "waitlisted"])


def withdraw_consent(consent: ConsentRecord, *, now: datetime) -> ConsentRecord:
    """Withdrawn consents are recorded, never deleted; staff at the door see the withdrawal."""
    if consent.withdrawn_at is not None:
        return consent
    with transaction.atomic():
        ConsentRecord.objects.filter(pk=consent.pk, withdrawn_at__isnull=True).update(withdrawn_at=now)
        consent.withdrawn_at = now
        registration = consent.registration
        record_audit(
            "consent.withdrawn", actor=None, label=registration.name, now=now, event=registration.event,
            target=registration, data={"kind": consent.kind, "version": consent.terms_version},
        )  # fmt: skip
    return consent


def _status_changed(registration: Registration, previous: str, *, now: datetime) -> None:
    """Tell the layers above (Zoom registrants), inside the transaction of the change."""
    registration_status_changed.send(sender=Registration, registration=registration, previous_status=previous, now=now)


def _locked_pool(event: Event, seat_type: str) -> SeatPool:
    """THE capacity lock. Callers must be inside a transaction."""
    queryset = SeatPool.objects.filter(event=event, seat_type=seat_type)
    if settings.SEAT_POOL_LOCKING:
        # How long we wait for the lock is PostgreSQL's lock_timeout, set for every connection
        # in config/settings.py (one round trip less than SET LOCAL in each transaction).
        queryset = queryset.select_for_update()
    try:
        return queryset.get()
    except SeatPool.DoesNotExist:
        raise DomainError(
            "seat_type_not_offered", _("This event offers no seats of this kind."), status=422, field="seat"
        ) from None
    except OperationalError as error:
        raise Busy("busy", _("Too many registrations at this moment. Please try again in a few seconds.")) from error


def _active_registration_of(event: Event, email: str) -> Registration | None:
    if not email:
        return None
    return Registration.objects.active().filter(event=event, email_normalized=email.strip().casefold()).first()


def _place(registration: Registration, pool: SeatPool, event: Event) -> None:
    """Decide the status of a new registration under the pool lock."""
    if event.allocation == Allocation.AT_DEADLINE:
        registration.status = Status.PENDING
        pool.pending += 1
    else:
        _seat_or_queue(registration, pool, now=registration.entered_at)


def _seat_or_queue(registration: Registration, pool: SeatPool, *, now: datetime) -> None:
    registration.status_changed_at = now
    if pool.available > 0 and pool.waitlisted == 0:
        registration.status = Status.CONFIRMED
        registration.waitlist_position = None
        pool.confirmed += 1
        return
    registration.status = Status.WAITLISTED
    registration.waitlist_position = _queue_position(registration, pool)
    pool.waitlisted += 1


def _queue_position(registration: Registration, pool: SeatPool) -> int:
    """Where a newcomer joins the waiting list: after everyone who reached the city earlier.

    A phone call entered late keeps its place before web registrations that came after the call."""
    waiting = Registration.objects.filter(event=pool.event_id, seat_type=pool.seat_type, status=Status.WAITLISTED)
    later = waiting.filter(received_at__gt=registration.received_at)
    first_later = later.order_by("waitlist_position").values_list("waitlist_position", flat=True).first()
    if first_later is None:
        return pool.waitlisted + 1
    _shift_positions(pool, from_position=first_later, by=+1)
    return first_later


def _shift_positions(pool: SeatPool, *, from_position: int, by: int) -> None:
    """Move everyone at or after `from_position` on the waiting list by `by` places."""
    rows = Registration.objects.filter(
        event=pool.event_id, seat_type=pool.seat_type, status=Status.WAITLISTED, waitlist_position__gte=from_position
    )
    rows.update(waitlist_position=F("waitlist_position") + by)


def _leave_queue(registration: Registration, pool: SeatPool) -> None:
    if registration.status == Status.CONFIRMED:
        pool.confirmed -= 1
    elif registration.status == Status.PENDING:
        pool.pending -= 1
    elif registration.status == Status.WAITLISTED:
        position = registration.waitlist_position
        registration.waitlist_position = None
        pool.waitlisted -= 1
        _shift_positions(pool, from_position=position + 1, by=-1)


def _fill_free_seats(pool: SeatPool, event: Event, *, now: datetime) -> None:
    """Promote from the head of the waiting list while seats are free."""
    while pool.available > 0 and pool.waitlisted > 0:
        first = (
            Registration.objects.select_for_update()
            .filter(event=event, seat_type=pool.seat_type, status=Status.WAITLISTED)
            .order_by("waitlist_position")
            .first()
        )
        if first is None:
            break
        first.status = Status.CONFIRMED
        first.waitlist_position = None
        first.status_changed_at = now
        first.save(update_fields=["status", "waitlist_position", "status_changed_at"])
        _status_changed(first, Status.WAITLISTED, now=now)
        pool.confirmed += 1
        pool.waitlisted -= 1
        _shift_positions(pool, from_position=2, by=-1)
        record_audit(
            "registration.promoted",
            actor=None,
            label="system",
            now=now,
            event=event,
            target=first,
            data={"seat": pool.seat_type},
        )
        notices.tell_seated(first, now=now, promoted=True)


def _record_consents(registration, terms, data: RegistrationData, *, channel, now, actor) -> None:
    if terms is None:
        return
    records = [
        ConsentRecord(
            registration=registration,
            kind=ConsentKind.TERMS,
            terms=terms,
            terms_version=terms.version,
            text=terms.text_de if registration.language == "de" else (terms.text_en or terms.text_de),
            channel=channel,
            given_at=now,
            recorded_by=actor if channel == Channel.PHONE else None,
        )
    ]
    if broadcast_consent_needed(registration.event, registration.seat_type) and data.broadcast_consent:
        records.append(
            ConsentRecord(
                registration=registration,
                kind=ConsentKind.BROADCAST,
                terms=terms,
                terms_version=terms.version,
                text=terms.broadcast_text_de
                if registration.language == "de"
                else (terms.broadcast_text_en or terms.broadcast_text_de),
                channel=channel,
                given_at=now,
                recorded_by=actor if channel == Channel.PHONE else None,
            )
        )
    ConsentRecord.objects.bulk_create(records)
