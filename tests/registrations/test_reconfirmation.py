"""Reconfirmation against no-shows: ask, release what is not confirmed, offer the seat to the
waiting list for a limited time. Times are passed in as `now=`; the event starts 10 days after
the fixture's `now`, asks 3 days before (day 7) and gives 24 hours to answer (day 8); offers
are held for 24 hours."""

from datetime import timedelta

import pytest
from django.utils import translation

from core.errors import DomainError, ValidationFailed
from events import services as event_services
from events.models import AuditEntry, SeatPool
from registrations import reconfirmation, services
from registrations.mail.content import content_for
from registrations.models import OutboxMail, Registration
from registrations.privacy.services import registration_data
from tests.factories import register
from tests.registrations.reconfirm_helpers import (
    counters_match_rows,
    reconfirming,
    run_reconfirmation,
    statuses,
    waiting,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_room(make_event, person, now):
    """Two seats (A, B confirmed) and two people waiting (C, D); reconfirmation on."""
    event = reconfirming(make_event(format="onsite", onsite=2), now=now, answer_hours=24)
    people = {name: register(event, person(name=name), now) for name in "ABCD"}
    return event, people


def mails(event, kind):
    return list(OutboxMail.objects.filter(event=event, kind=kind).order_by("pk"))


def test_confirmed_people_are_asked_once_when_the_time_comes(full_room, now):
    event, people = full_room
    assert run_reconfirmation(now=event.reconfirm_asked_at() - timedelta(minutes=1)).asked == 0
    assert run_reconfirmation(now=event.reconfirm_asked_at()).asked == 2
    assert run_reconfirmation(now=event.reconfirm_asked_at() + timedelta(hours=1)).asked == 0
    asked = mails(event, "reconfirm")
    assert sorted(mail.to for mail in asked) == sorted([people["A"].email, people["B"].email])
    content = content_for(asked[0])
    assert "/platz-bestaetigen/" in content.action_url
    assert AuditEntry.objects.filter(event=event, action="registration.reconfirm_asked").count() == 2


def test_people_without_an_address_or_who_registered_after_the_request_are_not_asked(make_event, person, now):
    closes = now + timedelta(days=9, hours=12)
    event = reconfirming(make_event(format="onsite", onsite=5, closes=closes), now=now)
    register(event, person(name="Phone", email="", phone="0231 1"), now, channel="phone")
    register(event, person(name="Early"), now)
    asked_at = event.reconfirm_asked_at()
    register(event, person(name="Late"), asked_at, received_at=asked_at)
    assert run_reconfirmation(now=asked_at + timedelta(minutes=5)).asked == 1
    assert [mail.to for mail in mails(event, "reconfirm")] == ["person2@example.org"]


def test_a_reconfirmed_seat_is_kept_and_unanswered_ones_go_to_the_waiting_list_as_offers(full_room, now):
    event, people = full_room
    run_reconfirmation(now=event.reconfirm_asked_at())
    reconfirmation.reconfirm(people["A"], now=event.reconfirm_asked_at() + timedelta(hours=2))
    deadline = event.reconfirm_deadline()
    report = run_reconfirmation(now=deadline)
    assert (report.released, report.expired) == (1, 0)
    assert statuses(event) == {"A": "confirmed", "B": "cancelled", "C": "offered", "D": "waitlisted"}
    assert waiting(event) == [("D", 1)]
    offered = people["C"]
    offered.refresh_from_db()
    assert offered.offer_expires_at == deadline + timedelta(hours=24)
    assert counters_match_rows(event)
    assert SeatPool.objects.get(event=event).available == 0  # the offered seat is held
    released = mails(event, "cancelled")[-1]
    assert released.to == people["B"].email and released.facts["reason"] == "not_reconfirmed"
    with translation.override("en"):
        assert content_for(released).paragraphs[0].startswith("We asked you to confirm that you are coming")
    assert [mail.to for mail in mails(event, "seat_offered")] == [offered.email]
    cancelled = AuditEntry.objects.get(event=event, action="registration.cancelled")
    assert (cancelled.actor_label, cancelled.data["reason"]) == ("system", "not_reconfirmed")
    assert AuditEntry.objects.filter(event=event, action="registration.offered", target_id=offered.pk).exists()
    assert run_reconfirmation(now=deadline + timedelta(minutes=1)).released == 0


def test_an_offered_seat_cannot_be_taken_by_a_new_registration(full_room, person, now):
    event, people = full_room
    run_reconfirmation(now=event.reconfirm_asked_at())
    for name in "AB":
        reconfirmation.reconfirm(people[name], now=event.reconfirm_asked_at())
    services.cancel(people["A"], actor=None, now=event.reconfirm_asked_at() + timedelta(hours=1))
    assert statuses(event)["C"] == "offered"
    services.cancel(people["D"], actor=None, now=event.reconfirm_asked_at() + timedelta(hours=1))
    later = register(event, person(name="E"), now)
    assert later.status == "waitlisted"
    assert counters_match_rows(event)


def test_an_accepted_offer_is_a_confirmed_seat(full_room, now):
    event, people = full_room
    run_reconfirmation(now=event.reconfirm_asked_at())
    report = run_reconfirmation(now=event.reconfirm_deadline())
    assert report.released == 2
    offered = people["C"]
    offered.refresh_from_db()
    accepted = reconfirmation.accept_offer(offered, now=event.reconfirm_deadline() + timedelta(hours=23))
    assert (accepted.status, accepted.reconfirmed_at) == ("confirmed", event.reconfirm_deadline() + timedelta(hours=23))
    assert mails(event, "promoted")[-1].to == offered.email
    assert counters_match_rows(event)
    assert reconfirmation.accept_offer(accepted, now=event.reconfirm_deadline() + timedelta(hours=23)).status == (
        "confirmed"
    )


def test_an_expired_offer_goes_to_the_next_and_can_no_longer_be_accepted(full_room, now):
    event, people = full_room
    run_reconfirmation(now=event.reconfirm_asked_at())
    reconfirmation.reconfirm(people["A"], now=event.reconfirm_asked_at())
    deadline = event.reconfirm_deadline()
    run_reconfirmation(now=deadline)
    assert run_reconfirmation(now=deadline + timedelta(hours=23, minutes=59)).expired == 0
    expiry = deadline + timedelta(hours=24)
    assert run_reconfirmation(now=expiry).expired == 1
    assert statuses(event) == {"A": "confirmed", "B": "cancelled", "C": "cancelled", "D": "offered"}
    assert mails(event, "cancelled")[-1].facts["reason"] == "offer_expired"
    with pytest.raises(DomainError) as refused:
        reconfirmation.accept_offer(people["C"], now=expiry)
    assert refused.value.code == "offer_expired"
    assert counters_match_rows(event)


def test_an_offer_expires_at_the_start_at_the_latest_and_then_seats_are_simply_given(full_room, now):
    event, people = full_room
    run_reconfirmation(now=event.reconfirm_asked_at())
    reconfirmation.reconfirm(people["A"], now=event.reconfirm_asked_at())
    late = event.starts_at - timedelta(hours=2)
    services.cancel(people["B"], actor=None, now=late)
    people["C"].refresh_from_db()
    assert (people["C"].status, people["C"].offer_expires_at) == ("offered", event.starts_at)
    run_reconfirmation(now=event.starts_at)
    people["D"].refresh_from_db()
    assert people["D"].status == "confirmed"  # the event has started: no more offers
    assert counters_match_rows(event)


def test_a_declined_offer_goes_to_the_next_at_once(full_room, now):
    event, people = full_room
    run_reconfirmation(now=event.reconfirm_asked_at())
    reconfirmation.reconfirm(people["A"], now=event.reconfirm_asked_at())
    run_reconfirmation(now=event.reconfirm_deadline())
    people["C"].refresh_from_db()
    reconfirmation.decline(people["C"], now=event.reconfirm_deadline() + timedelta(hours=1))
    assert statuses(event)["D"] == "offered"
    assert AuditEntry.objects.filter(event=event, data__reason="offer_declined").exists()
    assert counters_match_rows(event)


def test_a_released_seat_cannot_be_reconfirmed_afterwards(full_room, now):
    event, people = full_room
    run_reconfirmation(now=event.reconfirm_asked_at())
    run_reconfirmation(now=event.reconfirm_deadline())
    with pytest.raises(DomainError) as refused:
        reconfirmation.reconfirm(people["B"], now=event.reconfirm_deadline() + timedelta(minutes=1))
    assert refused.value.code == "seat_released"


def test_an_answer_after_the_deadline_counts_while_the_seat_is_not_yet_released(full_room, now):
    event, people = full_room
    run_reconfirmation(now=event.reconfirm_asked_at())
    reconfirmation.reconfirm(people["A"], now=event.reconfirm_deadline() + timedelta(minutes=1))
    assert run_reconfirmation(now=event.reconfirm_deadline() + timedelta(minutes=2)).released == 1
    assert statuses(event)["A"] == "confirmed"


def test_without_reconfirmation_seats_are_given_from_the_waiting_list_as_before(make_event, person, now):
    event = make_event(format="onsite", onsite=1)
    seated = register(event, person(name="A"), now)
    register(event, person(name="B"), now)
    services.cancel(seated, actor=None, now=event.starts_at - timedelta(days=1))
    assert statuses(event)["B"] == "confirmed"
    assert run_reconfirmation(now=event.starts_at - timedelta(days=1)).asked == 0


def test_people_without_an_address_are_given_the_seat_instead_of_an_offer(make_event, person, now):
    event = reconfirming(make_event(format="onsite", onsite=1), now=now)
    seated = register(event, person(name="A"), now)
    register(event, person(name="B", email="", phone="0231 2"), now, channel="phone")
    services.cancel(seated, actor=None, now=event.reconfirm_asked_at() + timedelta(hours=1))
    assert statuses(event)["B"] == "confirmed"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"reconfirm_days_before": 1, "reconfirm_answer_hours": 24}, "reconfirm_after_start"),
        ({"reconfirm_days_before": 3, "reconfirm_answer_hours": 0}, "invalid_reconfirm_hours"),
        ({"reconfirm_days_before": 3, "offer_valid_hours": 0}, "invalid_offer_hours"),
    ],
)
def test_settings_that_cannot_work_are_refused_and_nothing_changes(make_event, now, fields, code):
    event = make_event(format="onsite")
    with pytest.raises(ValidationFailed) as refused:
        event_services.update_event(event, fields, actor=None, now=now)
    assert code in [error.code for errors in refused.value.errors.values() for error in errors]
    event.refresh_from_db()
    assert event.reconfirm_days_before is None


def test_the_citizens_data_export_shows_the_reconfirmation(full_room):
    event, people = full_room
    run_reconfirmation(now=event.reconfirm_asked_at())
    answered = reconfirmation.reconfirm(people["A"], now=event.reconfirm_asked_at() + timedelta(hours=3))
    exported = registration_data(Registration.objects.get(pk=answered.pk))
    assert exported["reconfirm_asked_at"] == event.reconfirm_asked_at().isoformat()
    assert exported["reconfirmed_at"] == (event.reconfirm_asked_at() + timedelta(hours=3)).isoformat()
    assert exported["offer_expires_at"] is None


def test_moving_the_event_keeps_an_open_offer_and_the_counts(full_room, now):
    event, people = full_room
    run_reconfirmation(now=event.reconfirm_asked_at())
    reconfirmation.reconfirm(people["A"], now=event.reconfirm_asked_at())
    moment = event.reconfirm_deadline()
    run_reconfirmation(now=moment)
    later = event.starts_at + timedelta(days=1)
    event_services.move_event(event, starts_at=later, ends_at=later + timedelta(hours=2), actor=None, now=moment)
    assert statuses(event) == {"A": "confirmed", "B": "cancelled", "C": "offered", "D": "waitlisted"}
    assert counters_match_rows(event)
