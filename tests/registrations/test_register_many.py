"""register_many(): a batch (a chunk of the e-mail intake, or requests that arrived together)
is seated in order of receipt, and each submission gets its own registration or refusal."""

from datetime import timedelta

import pytest

from core.errors import DomainError
from events.models import AuditEntry
from registrations import services
from registrations.models import ConsentRecord, OutboxMail, Registration
from registrations.services import AlreadyRegistered
from registrations.submissions import Submission

pytestmark = pytest.mark.django_db


def waiting(event, seat="onsite"):
    rows = Registration.objects.filter(event=event, seat_type=seat, status="waitlisted")
    return list(rows.order_by("waitlist_position").values_list("name", "waitlist_position"))


def at(now, minutes):
    return now - timedelta(minutes=minutes)


def test_a_batch_takes_seats_in_order_of_receipt_not_in_order_of_the_list(make_event, person, now):
    event = make_event(format="onsite", onsite=2)
    submissions = [
        Submission(person(name="third"), "email", at(now, 10)),
        Submission(person(name="first"), "email", at(now, 30)),
        Submission(person(name="fourth"), "email", at(now, 5)),
        Submission(person(name="second"), "email", at(now, 20)),
    ]
    outcomes = services.register_many(event, submissions, now=now)
    assert [(r.name, r.status, r.waitlist_position) for r in outcomes] == [
        ("third", "waitlisted", 1),
        ("first", "confirmed", None),
        ("fourth", "waitlisted", 2),
        ("second", "confirmed", None),
    ]
    pool = event.seat_pools.get()
    assert (pool.confirmed, pool.waitlisted) == (2, 2)
    # Everything a single registration writes, for each of them.
    assert ConsentRecord.objects.filter(registration__event=event).count() == 4
    assert AuditEntry.objects.filter(event=event, action="registration.created").count() == 4
    assert sorted(OutboxMail.objects.filter(event=event).values_list("kind", flat=True)) == [
        "confirmed",
        "confirmed",
        "waitlisted",
        "waitlisted",
    ]
    assert {OutboxMail.objects.get(registration=r).facts["position"] for r in outcomes if r.waitlist_position} == {1, 2}


def test_a_refused_submission_does_not_hold_up_the_others(make_event, person, now):
    event = make_event(format="onsite", onsite=5)
    outcomes = services.register_many(
        event,
        [
            Submission(person(name="ok"), "email", at(now, 3)),
            Submission(person(name="no seat type", seat="online"), "email", at(now, 2)),
            Submission(person(name="", email="x@example.org"), "email", at(now, 1)),
        ],
        now=now,
    )
    assert outcomes[0].status == "confirmed"
    assert [(o.code, o.status) for o in outcomes[1:]] == [("seat_type_not_offered", 422), ("name_required", 422)]
    assert Registration.objects.filter(event=event).count() == 1


def test_one_person_twice_in_a_batch_registers_once_and_the_later_is_already_registered(make_event, person, now):
    event = make_event(format="onsite", onsite=5)
    later = Submission(person(name=" EVA ", email="EVA@example.org"), "email", at(now, 1))
    earlier = Submission(person(name="Eva", email="eva@example.org"), "email", at(now, 9))
    outcomes = services.register_many(event, [later, earlier], now=now)
    assert isinstance(outcomes[0], AlreadyRegistered)
    assert outcomes[0].existing == outcomes[1]
    assert outcomes[1].name == "Eva"
    assert Registration.objects.filter(event=event).count() == 1


def test_an_address_registered_before_the_batch_is_already_registered(make_event, person, now):
    event = make_event(format="onsite", onsite=5)
    eva = person(name="Eva", email="eva@example.org")
    first = services.register(event, eva, channel="web", received_at=now, now=now)
    outcomes = services.register_many(
        event,
        [Submission(person(name="Eva", email="eva@example.org"), "email", now), Submission(person(), "email", now)],
        now=now,
    )
    assert isinstance(outcomes[0], AlreadyRegistered) and outcomes[0].existing == first
    assert outcomes[1].status == "confirmed"


def test_newcomers_received_earlier_than_people_waiting_go_before_them(make_event, person, now, organiser):
    event = make_event(format="onsite", onsite=1)
    for name, minutes in (("seated", 60), ("waiting 40", 40), ("waiting 20", 20)):
        services.register(event, person(name=name), channel="web", received_at=at(now, minutes), now=now)
    services.register_many(
        event,
        [
            Submission(person(name="call 50", email="", phone="1"), "phone", at(now, 50), organiser),
            Submission(person(name="mail 30"), "email", at(now, 30)),
            Submission(person(name="mail 10"), "email", at(now, 10)),
        ],
        now=now,
    )
    assert waiting(event) == [("call 50", 1), ("waiting 40", 2), ("mail 30", 3), ("waiting 20", 4), ("mail 10", 5)]
    assert event.seat_pools.get().waitlisted == 5


def test_a_batch_with_nothing_valid_writes_nothing(make_event, person, now):
    event = make_event(format="onsite", onsite=5, closes=now - timedelta(minutes=1), opens=now - timedelta(days=1))
    outcomes = services.register_many(event, [Submission(person(), "email", now)], now=now)
    assert isinstance(outcomes[0], DomainError) and outcomes[0].code == "registration_closed"
    assert not Registration.objects.filter(event=event).exists()
    assert not OutboxMail.objects.filter(event=event).exists()
