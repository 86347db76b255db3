"""Shared steps of the reconfirmation tests: an event that reconfirms, both jobs run at a moment,
and the counts to check."""

from dataclasses import dataclass

from django.db.models import Q

from events import services as event_services
from events.models import SeatPool
from registrations.models import Registration
from registrations.reconfirmation import ask_due, release_due


def reconfirming(event, *, now, days=3, answer_hours=48, offer_hours=24):
    """The event asks `days` before its start, gives `answer_hours` to answer and holds offers
    for `offer_hours` (set through the service organisers use)."""
    fields = {"reconfirm_days_before": days, "reconfirm_answer_hours": answer_hours, "offer_valid_hours": offer_hours}
    return event_services.update_event(event, fields, actor=None, now=now)


@dataclass
class Round:
    asked: int
    released: int
    expired: int


def run_reconfirmation(*, now) -> Round:
    """What happens at `now` in production: the mail worker asks who is due (send_outbox's round),
    the seat release job releases what is due (release_seats's round)."""
    asked = ask_due(now=now)
    released = release_due(now=now)
    return Round(asked=asked, released=released.released, expired=released.expired)


def statuses(event, seat="onsite") -> dict[str, str]:
    return dict(Registration.objects.filter(event=event, seat_type=seat).values_list("name", "status"))


def waiting(event, seat="onsite") -> list[tuple[str, int]]:
    rows = Registration.objects.filter(event=event, seat_type=seat, status="waitlisted").order_by("waitlist_position")
    return list(rows.values_list("name", "waitlist_position"))


def counters_match_rows(event, seat="onsite") -> bool:
    """The pool's counters agree with the registrations: `confirmed` counts held seats
    (confirmed and offered), the waiting list is numbered 1…n without gaps."""
    pool = SeatPool.objects.get(event=event, seat_type=seat)
    rows = Registration.objects.filter(event=event, seat_type=seat)
    held = rows.filter(Q(status="confirmed") | Q(status="offered")).count()
    positions = sorted(rows.filter(status="waitlisted").values_list("waitlist_position", flat=True))
    return (pool.confirmed, pool.waitlisted) == (held, len(positions)) and positions == list(
        range(1, len(positions) + 1)
    )
