"""Change instead of cancel: a registration switches seat type, or its details are edited.

A switch is a move under THE capacity lock (`seating.lock`, both pools of the event in the order of
their names), decided by THE seat rule (`seats.switch`): the party takes free seats of the new
type, or, only if the citizen agreed, joins the end of that type's waiting list (in order of the
time of the switch, kept in `queued_at`); only then are the old seats given back, which promotes
the next waiting people as a cancel does. See docs/allocation.md.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.addresses import normalize_email
from core.errors import DomainError
from events.models import EventStatus, SeatType
from events.services import record_audit
from registrations import address_change, answers, seating, seats, submissions
from registrations.mail import notices
from registrations.models import Channel, ConsentKind, ConsentRecord, Language, Registration, Status
from registrations.names import clean_name


class SeatTypeFull(DomainError):
    status = 409

    def __init__(self):
        super().__init__(
            "seat_type_full",
            _(
                "There are not enough free seats of this kind. Nothing has changed; you can keep your place "
                "or join the waiting list of the other kind."
            ),
            field="join_waiting_list",
        )


def switch_seat_type(
    registration: Registration,
    seat_type: str,
    *,
    actor,
    now: datetime,
    join_waiting_list: bool = False,
    broadcast_consent: bool = False,
) -> Registration:
    """Move the registration (with its companions) to the other seat type of a hybrid event.

    Raises SeatTypeFull (409, nothing changed) when the new type has no seats for the whole party
    and `join_waiting_list` was not confirmed."""
    event = registration.event
    _check_changeable(registration, now=now)
    if seat_type not in event.seat_types:
        raise DomainError(
            "seat_type_not_offered", _("This event offers no seats of this kind."), status=422, field="seat"
        )
    with transaction.atomic():
        pools = seating.lock(event, event.seat_types)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        registration.event = event
        _check_changeable(registration, now=now)
        previous_seat, previous_status = registration.seat_type, registration.status
        if seat_type == previous_seat:
            raise DomainError("same_seat_type", _("You already have this kind of seat."), status=409, field="seat")
        new_consent = _broadcast_consent_to_record(
            registration, seat_type, given=broadcast_consent, actor=actor, now=now
        )
        try:
            moves = seats.switch(
                pools,
                seating.waiting_lines(event, pools),
                seating.party(registration),
                seat_type,
                queued_at=now,  # the new line is joined now: after everyone already waiting for it
                may_wait=join_waiting_list,
                terms=seating.terms(event, now=now),
            )
        except seats.DoesNotFit:
            raise SeatTypeFull() from None
        registration.status_changed_at = now
        if previous_seat == SeatType.ONLINE:
            registration.access_data_sent_at = None  # coming back online later sends the data again
        told = seating.write(
            event,
            moves,
            now=now,
            held={registration.pk: registration},
            also=["status_changed_at", "access_data_sent_at"],
        )
        if new_consent is not None:
            new_consent.save()
        record_audit(
            "registration.seat_switched",
            actor=actor,
            label="" if actor else registration.name,
            now=now,
            event=event,
            target=registration,
            data={
                "from": previous_seat,
                "to": seat_type,
                "previous_status": previous_status,
                "status": registration.status,
                "position": registration.waitlist_position,
                "seats": registration.seats,
            },
        )
        notices.tell_changed(
            registration,
            by_organiser=actor is not None,
            now=now,
            facts={"previous_seat": previous_seat, "seat": seat_type},
        )
        seating.tell_moved_up(event, moves, told, now=now)
    return registration


def change_details(
    registration: Registration,
    *,
    name: str,
    needs: str,
    language: str,
    actor,
    now: datetime,
    companions: int | None = None,
    join_waiting_list: bool = False,
) -> Registration:
    """Name, needs, language of the mails and, where given, the number of companions, all or
    nothing. The e-mail address is who the registration is and is not changed here (cancel and
    register again).

    Fewer companions give their seats back at once (the next waiting move up). More companions
    take free seats if nobody waits for them; otherwise the whole party moves to the end of the
    line, only if `join_waiting_list` was confirmed (else `not_enough_seats`, nothing changes)."""
    _check_changeable(registration, now=now)
    name, needs = clean_name(name), needs.strip()
    if not name:
        raise DomainError("name_required", _("Please enter a name."), status=422, field="name")
    if language not in Language.values:
        raise DomainError("invalid_language", _("Please choose a language."), status=422, field="language")
    wanted = {"name": name, "needs": needs, "language": language}
    if companions is not None:
        submissions.check_companions(registration.event, companions)
        wanted["companions"] = companions
    changed = [field for field, value in wanted.items() if getattr(registration, field) != value]
    if not changed:
        return registration
    try:
        with transaction.atomic():
            if "companions" in changed:
                registration = _resize_party(registration, companions, join_waiting_list=join_waiting_list, now=now)
            registration.name, registration.needs, registration.language = name, needs, language
            registration.save(update_fields=["name", "name_normalized", "needs", "language"])
            record_audit(
                "registration.changed",
                actor=actor,
                label="" if actor else registration.name,
                now=now,
                event=registration.event,
                target=registration,
                # Which fields, not what they say: the log is read by more people.
                data={"fields": changed, "companions": registration.companions, "status": registration.status},
            )
            notices.tell_changed(registration, by_organiser=actor is not None, now=now, facts={})
    except IntegrityError:
        registration.refresh_from_db()
        raise DomainError(
            "already_registered",
            _("Someone of this name is already registered with this e-mail address."),
            status=409,
            field="name",
        ) from None
    return registration


@dataclass(frozen=True)
class RegistrationEdit:
    """Everything organisers edit about a registration on its back-office page."""

    name: str
    email: str
    language: str
    needs: str
    answers: dict[int, str]
    accessibility: answers.NeedsData
    companions: int | None = None
    join_waiting_list: bool = False


def edit_registration(
    registration: Registration, edit: RegistrationEdit, *, actor, now: datetime
) -> tuple[Registration, list[str]]:
    """An organiser's edit of a registration, all or nothing: name, language, needs and companions
    (`change_details`, under the seat lock when the party changes), answers and structured needs
    (`answers.change_details`), and a new e-mail address, which only takes effect when its owner
    confirms it (`address_change.change_email`). Returns the registration and what changed:
    "details", "answers", "email" (awaiting confirmation)."""
    changed = []
    address = edit.email.strip()
    if not address and registration.email:
        raise DomainError(
            "email_required",
            _("An e-mail address cannot be removed here. Cancel the registration if the person wants no mails."),
            status=422,
            field="email",
        )
    with transaction.atomic():
        before = (registration.name, registration.needs, registration.language, registration.companions)
        registration = change_details(
            registration,
            name=edit.name,
            needs=edit.needs,
            language=edit.language,
            companions=edit.companions,
            join_waiting_list=edit.join_waiting_list,
            actor=actor,
            now=now,
        )
        if before != (registration.name, registration.needs, registration.language, registration.companions):
            changed.append("details")
        held = answers.details_of(registration)
        wanted = answers.cleaned_answers(registration.event, edit.answers, channel=Channel.EMAIL)
        if wanted != held.answers or edit.accessibility != held.needs:
            answers.change_details(registration, edit.answers, edit.accessibility, actor=actor, now=now)
            changed.append("answers")
        if address and normalize_email(address) != registration.email_normalized:
            address_change.change_email(registration, address, actor=actor, now=now)
            changed.append("email")
    return registration, changed


class NotEnoughSeats(DomainError):
    status = 409

    def __init__(self):
        super().__init__(
            "not_enough_seats",
            _(
                "There are not enough free seats for more companions. Nothing has changed; you can keep your "
                "place or move with your companions to the end of the waiting list."
            ),
            field="join_waiting_list",
        )


def _resize_party(registration: Registration, companions: int, *, join_waiting_list: bool, now: datetime):
    """Under THE capacity lock: give back or take the seats of the companions who drop out or
    join (`seats.resize`; docs/allocation.md, *Parties*). Returns the registration as locked and changed."""
    event = registration.event
    pools = seating.lock(event, event.seat_types)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.event = event
    _check_changeable(registration, now=now)
    try:
        moves = seats.resize(
            pools,
            seating.waiting_lines(event, pools),
            seating.party(registration),
            1 + companions,
            queued_at=now,  # a larger party that waits joins the line now, behind everyone waiting
            may_wait=join_waiting_list,
            terms=seating.terms(event, now=now),
        )
    except seats.DoesNotFit:
        raise NotEnoughSeats() from None
    told = seating.write(event, moves, now=now, held={registration.pk: registration}, also=["companions"])
    seating.tell_moved_up(event, moves, told, now=now)
    return registration


def other_seat_type(registration: Registration) -> SeatType | None:
    """The seat type a registration of a hybrid event can switch to."""
    others = registration.event.seat_types - {registration.seat_type}
    return SeatType(others.pop()) if len(others) == 1 else None


def can_change(registration: Registration, *, now: datetime) -> bool:
    try:
        _check_changeable(registration, now=now)
    except DomainError:
        return False
    return True


def _check_changeable(registration: Registration, *, now: datetime) -> None:
    if registration.status == Status.CANCELLED:
        raise DomainError("already_cancelled", _("This registration is already cancelled."), status=409)
    event = registration.event
    if event.status != EventStatus.PUBLISHED:
        raise DomainError("event_not_bookable", _("This event does not take registrations."), status=409)
    if now >= event.starts_at:
        raise DomainError(
            "event_started", _("The event has started; the registration can no longer change."), status=409
        )


def _broadcast_consent_to_record(
    registration: Registration, seat_type: str, *, given: bool, actor, now: datetime
) -> ConsentRecord | None:
    """Switching to on site at a filmed event asks for the consent to appear in the broadcast
    (`submissions.broadcast_consent_asked`); the seat never depends on it. A consent already given
    and not withdrawn counts."""
    event = registration.event
    if not given or not submissions.broadcast_consent_asked(event, seat_type):
        return None
    if registration.consents.filter(kind=ConsentKind.BROADCAST, withdrawn_at__isnull=True).exists():
        return None
    terms = event.current_terms()
    english = registration.language == Language.ENGLISH and terms.broadcast_text_en
    return ConsentRecord(
        registration=registration,
        kind=ConsentKind.BROADCAST,
        terms=terms,
        terms_version=terms.version,
        text=terms.broadcast_text_en if english else terms.broadcast_text_de,
        # Taken down by an organiser (on the phone), or given by the citizen on the manage page.
        channel=Channel.PHONE if actor is not None else Channel.WEB,
        given_at=now,
        recorded_by=actor,
    )
