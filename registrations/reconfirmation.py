"""Reconfirmation against no-shows (docs/allocation.md, "Reconfirmation and offers").

For an event with `reconfirm_days_before`, from `reconfirm_asked_at()` on, two jobs run the steps
with `now=` passed in:

1. `ask_due` (the mail round, `send_outbox --loop` and the `queue_scheduled_mails` task): ask
   every confirmed person with an e-mail address who registered before that time, once (a
   conditional UPDATE on `reconfirm_asked_at`, so two runs at once ask nobody twice);
2. `release_due` (the seat release job, `release_seats --loop` and the `release_due_seats` task):
   after `reconfirm_deadline()`, release the seats of those asked who did not answer: the
   registration is cancelled with the reason `not_reconfirmed`, the person is told, and the seat
   goes on to the waiting list, as an offer (`seats.Terms.offer_until`);
3. `release_due` too, at any time: release offers that expired (`offer_expired`), so the seat is
   offered to the next.

Releases and answers to offers run under the seat pool lock, like every change of seats; a row
that a parallel run changed first no longer matches and is left alone.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from core.errors import DomainError
from events.models import AuditEntry, Event, EventStatus
from events.services import audit_entry, record_audit
from registrations import seating, seats, services
from registrations.mail import notices
from registrations.models import MailKind, Registration, Status

NOT_RECONFIRMED = "not_reconfirmed"
OFFER_EXPIRED = "offer_expired"
OFFER_DECLINED = "offer_declined"
RECONFIRMATION_DECLINED = "reconfirmation_declined"


@dataclass
class ReleaseReport:
    released: int = 0  # not reconfirmed by the deadline
    expired: int = 0  # offers not accepted in time


def _reconfirming(now: datetime):
    """The published events that reconfirm and whose time to ask has come, not yet over."""
    events = Event.objects.filter(
        status=EventStatus.PUBLISHED, reconfirm_days_before__isnull=False, ends_at__gt=now
    ).select_related("venue")
    return [event for event in events if event.reconfirm_asked_at() <= now]


def ask_due(*, now: datetime) -> int:
    """Step 1 for every event between its time to ask and its deadline; how many were asked."""
    return sum(ask(event, now=now) for event in _reconfirming(now) if now < event.reconfirm_deadline())


def release_due(*, now: datetime) -> ReleaseReport:
    """Steps 2 and 3 for every event: the seats not reconfirmed by the deadline (until the start)
    and the offers that expired."""
    report = ReleaseReport()
    for event in _reconfirming(now):
        if event.reconfirm_deadline() <= now < event.starts_at:
            report.released += release(event, _unanswered(event), reason=NOT_RECONFIRMED, now=now)
        report.expired += release(
            event,
            Registration.objects.filter(status=Status.OFFERED, offer_expires_at__lte=now),
            reason=OFFER_EXPIRED,
            now=now,
        )
    return report


def ask(event: Event, *, now: datetime) -> int:
    """Queue the request to reconfirm for everyone due; each person exactly once."""
    due = Registration.objects.filter(
        event=event,
        status=Status.CONFIRMED,
        reconfirm_asked_at__isnull=True,
        reconfirmed_at__isnull=True,
        entered_at__lt=event.reconfirm_asked_at(),
    ).exclude(email="")
    asked = []
    with transaction.atomic():
        for registration in due:
            marked = Registration.objects.filter(
                pk=registration.pk, status=Status.CONFIRMED, reconfirm_asked_at__isnull=True
            ).update(reconfirm_asked_at=now)
            if not marked:
                continue  # a parallel run asked first, or the person cancelled meanwhile
            registration.event, registration.reconfirm_asked_at = event, now
            notices.tell(
                registration, MailKind.RECONFIRM, now=now, facts={"deadline": event.reconfirm_deadline().isoformat()}
            )
            asked.append(registration)
        AuditEntry.objects.bulk_create(
            [audit_entry("registration.reconfirm_asked", actor=None, now=now, event=event, target=r) for r in asked]
        )
    return len(asked)


def _unanswered(event: Event):
    return Registration.objects.filter(
        event=event, status=Status.CONFIRMED, reconfirm_asked_at__isnull=False, reconfirmed_at__isnull=True
    )


def release(event: Event, registrations, *, reason: str, now: datetime) -> int:
    """Cancel these registrations of the event for `reason`, one seat type at a time under its pool
    lock, in order of receipt; each freed seat goes on at once. Returns how many were released."""
    released = 0
    for seat_type in sorted(event.seat_types):
        with transaction.atomic():
            seating.lock(event, {seat_type})
            # Read under the lock: what a parallel run released meanwhile no longer matches.
            chosen = registrations.filter(event=event, seat_type=seat_type).select_for_update().in_queue_order()
            for registration in chosen:
                registration.event = event
                services.cancel(registration, actor=None, now=now, reason=reason, system=True)
                released += 1
    return released


def reconfirm(registration: Registration, *, now: datetime) -> Registration:
    """The citizen confirms that they come. An answer after the deadline still counts while the
    seat has not been released; the conditional UPDATE decides against a release running now."""
    if registration.status == Status.OFFERED:
        return accept_offer(registration, now=now)
    with transaction.atomic():
        answered = Registration.objects.filter(
            pk=registration.pk, status=Status.CONFIRMED, reconfirmed_at__isnull=True
        ).update(reconfirmed_at=now)
        registration.refresh_from_db(fields=["status", "reconfirmed_at"])
        if not answered:
            if registration.status == Status.CONFIRMED:
                return registration  # confirmed twice: nothing more to do
            raise DomainError("seat_released", _("This registration no longer holds a seat."), status=409)
        record_audit(
            "registration.reconfirmed",
            actor=None,
            label=registration.name,
            now=now,
            event=registration.event,
            target=registration,
        )
    return registration


def accept_offer(registration: Registration, *, now: datetime) -> Registration:
    """The offered seat becomes a confirmed one, if the offer is still open. The seat was held
    (counted) since the offer, so the counters stay as they are."""
    event = registration.event
    with transaction.atomic():
        pools = seating.lock(event, {registration.seat_type})
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        registration.event = event
        if registration.status == Status.CONFIRMED:
            return registration  # accepted twice
        moves = seats.accept_offer(pools, seating.party(registration), now=now)
        if moves.parties[registration.pk].status != Status.CONFIRMED:
            raise DomainError(
                "offer_expired", _("This offer has expired; the seat went to the next person."), status=409
            )
        registration.reconfirmed_at = now
        seating.write(event, moves, now=now, held={registration.pk: registration}, also=["reconfirmed_at"])
        record_audit(
            "registration.offer_accepted",
            actor=None,
            label=registration.name,
            now=now,
            event=event,
            target=registration,
            data={"seat": registration.seat_type},
        )
        notices.tell_seated(registration, now=now, promoted=True)
    return registration


def awaits_answer(registration: Registration, *, now: datetime) -> bool:
    """An open offer, or a request to reconfirm not answered yet (and the event not started)."""
    if registration.status == Status.OFFERED:
        return registration.offer_expires_at is not None and now < registration.offer_expires_at
    return (
        registration.status == Status.CONFIRMED
        and registration.reconfirm_asked_at is not None
        and registration.reconfirmed_at is None
        and now < registration.event.starts_at
    )


def decline(registration: Registration, *, now: datetime) -> Registration:
    """The citizen gives the seat (or the offered seat) back; it goes on to the next at once."""
    reason = OFFER_DECLINED if registration.status == Status.OFFERED else RECONFIRMATION_DECLINED
    return services.cancel(registration, actor=None, now=now, reason=reason)


@dataclass(frozen=True)
class ReconfirmStatus:
    asked: int
    reconfirmed: int
    unanswered: int
    released: int
    open_offers: list[Registration]
    waiting_for_answer: list[Registration]


def status_of(event: Event) -> ReconfirmStatus | None:
    """What organisers see on the event page. Four queries, however many registrations."""
    if event.reconfirm_days_before is None:
        return None
    counted = Registration.objects.filter(event=event).aggregate(
        asked=Count("pk", filter=Q(reconfirm_asked_at__isnull=False)),
        reconfirmed=Count("pk", filter=Q(reconfirmed_at__isnull=False, status=Status.CONFIRMED)),
        unanswered=Count(
            "pk", filter=Q(reconfirm_asked_at__isnull=False, reconfirmed_at__isnull=True, status=Status.CONFIRMED)
        ),
    )
    released = event.audit_entries.filter(action="registration.cancelled", data__reason=NOT_RECONFIRMED).count()
    offers = Registration.objects.filter(event=event, status=Status.OFFERED).order_by("offer_expires_at", "pk")
    return ReconfirmStatus(
        asked=counted["asked"],
        reconfirmed=counted["reconfirmed"],
        unanswered=counted["unanswered"],
        released=released,
        open_offers=list(offers),
        waiting_for_answer=list(_unanswered(event).order_by("name", "pk")),
    )
