"""Releases, offers and walk-ins at the same moment, with real threads on PostgreSQL.

Each thread has its own connection. A short pause is added inside the seat decision in the tests
and in their controls alike, so that the controls (`without_seat_lock`) reliably show
the race the pool lock prevents."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connections

from events.models import SeatPool
from registrations import reconfirmation, seating, seats, services
from registrations.checkin.walk_ins import register_walk_in
from registrations.models import OutboxMail, Registration
from registrations.submissions import RegistrationData
from tests.factories import register
from tests.registrations.reconfirm_helpers import counters_match_rows, reconfirming, run_reconfirmation

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SEATS = 10


def at_once(calls) -> list:
    """Run each call in its own thread and connection, all released together; their results."""
    start = threading.Barrier(len(calls))
    results, errors = [], []
    lock = threading.Lock()

    def run(call):
        start.wait()
        try:
            result = call()
            with lock:
                results.append(result)
        except Exception as error:
            with lock:
                errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


@pytest.fixture
def slow_promotion(monkeypatch):
    original = seating.waiting_lines

    def slow(event, pools):
        lines = original(event, pools)
        time.sleep(0.02)
        return lines

    monkeypatch.setattr(seating, "waiting_lines", slow)


@pytest.fixture
def deadline_day(make_event, person, now):
    """Ten seats: five reconfirmed, five asked without an answer; ten people waiting."""
    event = reconfirming(make_event(format="onsite", onsite=SEATS), now=now, answer_hours=24)
    seated = [register(event, person(name=f"Seated {n}"), now) for n in range(SEATS)]
    for n in range(SEATS):
        register(event, person(name=f"Waiting {n}"), now)
    run_reconfirmation(now=event.reconfirm_asked_at())
    for registration in seated[:5]:
        reconfirmation.reconfirm(registration, now=event.reconfirm_asked_at())
    return event, seated


def race_at_the_deadline(event, seated):
    """Two seat release jobs release the unanswered seats while five people who reconfirmed cancel."""
    deadline = event.reconfirm_deadline()
    calls = [lambda: reconfirmation.release_due(now=deadline) for _ in range(2)]
    calls += [
        lambda registration=registration: services.cancel(registration, actor=None, now=deadline)
        for registration in seated[:5]
    ]
    return at_once(calls)


def test_releases_and_cancellations_at_once_free_each_seat_once_and_offer_it_once(deadline_day, slow_promotion):
    event, seated = deadline_day
    results = race_at_the_deadline(event, seated)
    reports = [result for result in results if isinstance(result, reconfirmation.ReleaseReport)]
    assert sum(report.released for report in reports) == 5
    rows = Registration.objects.filter(event=event)
    assert rows.filter(status="offered").count() == SEATS
    assert rows.filter(status="confirmed").count() == 0
    assert counters_match_rows(event)
    released = OutboxMail.objects.filter(event=event, kind="cancelled", facts__reason="not_reconfirmed")
    assert sorted(released.values_list("to", flat=True)) == sorted(r.email for r in seated[5:])
    offers = list(OutboxMail.objects.filter(event=event, kind="seat_offered").values_list("to", flat=True))
    assert len(offers) == len(set(offers)) == SEATS


def test_without_the_lock_the_same_moment_loses_count_of_the_seats(deadline_day, slow_promotion, without_seat_lock):
    """Control: the test above can see the race at all."""
    event, seated = deadline_day
    race_at_the_deadline(event, seated)
    pool = SeatPool.objects.get(event=event)
    held = Registration.objects.filter(event=event, status__in=["offered", "confirmed"]).count()
    waiting = Registration.objects.filter(event=event, status="waitlisted").count()
    assert not counters_match_rows(event) or (held < pool.capacity and waiting > 0)


def test_accepting_while_the_offer_expires_ends_in_exactly_one_of_the_two(deadline_day):
    event, _seated = deadline_day
    run_reconfirmation(now=event.reconfirm_deadline())
    offered = Registration.objects.filter(event=event, status="offered").order_by("pk").first()
    expiry = offered.offer_expires_at

    def accept():
        try:
            return reconfirmation.accept_offer(offered, now=expiry - timedelta(seconds=1)).status
        except reconfirmation.DomainError as refusal:
            return refusal.code

    results = at_once([accept, lambda: reconfirmation.release_due(now=expiry)])
    offered.refresh_from_db()
    outcome = next(result for result in results if isinstance(result, str))
    assert (outcome, offered.status) in {("confirmed", "confirmed"), ("offer_expired", "cancelled")}
    assert counters_match_rows(event)


@pytest.fixture
def slow_seat_rule(monkeypatch):
    original = seats.register

    def slow(*args, **kwargs):
        time.sleep(0.02)
        return original(*args, **kwargs)

    monkeypatch.setattr(seats, "register", slow)


def walk_ins_race_for_the_last_seat(make_event, organiser):
    event = make_event(format="onsite", onsite=1)
    door_time = event.starts_at - timedelta(minutes=5)
    calls = [
        lambda n=n: register_walk_in(
            event,
            RegistrationData(seat_type="onsite", name=f"Walk-in {n}", accept_terms=True),
            actor=organiser,
            now=door_time,
        )
        for n in range(6)
    ]
    at_once(calls)
    return event


def test_walk_ins_racing_for_the_last_seat_get_one_seat_and_a_gapless_door_queue(make_event, organiser, slow_seat_rule):
    event = walk_ins_race_for_the_last_seat(make_event, organiser)
    rows = Registration.objects.filter(event=event)
    assert rows.filter(status="confirmed", checked_in_at__isnull=False).count() == 1
    assert sorted(rows.filter(status="waitlisted").values_list("waitlist_position", flat=True)) == [1, 2, 3, 4, 5]
    assert counters_match_rows(event)


def test_without_the_lock_walk_ins_overbook_the_room(make_event, organiser, slow_seat_rule, without_seat_lock):
    """Control: the test above can see the race at all."""
    event = walk_ins_race_for_the_last_seat(make_event, organiser)
    assert Registration.objects.filter(event=event, status="confirmed").count() > 1
