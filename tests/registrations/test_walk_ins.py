"""Walk-ins at the door: a free on-site seat by the same rule as every registration, checked in
at once, or the door queue when the room is full; the door queue gets the next free seat."""

from datetime import timedelta

import pytest

from core.errors import DomainError
from events.models import AuditEntry, SeatPool
from registrations import services
from registrations.checkin.services import check_in
from registrations.checkin.views import counts
from registrations.checkin.walk_ins import door_queue, register_walk_in
from registrations.models import ConsentRecord, OutboxMail, Registration
from registrations.submissions import RegistrationData
from tests.factories import register
from tests.registrations.reconfirm_helpers import counters_match_rows, waiting

pytestmark = pytest.mark.django_db


def walk_in(name="Walk-in", **fields):
    return RegistrationData(seat_type="onsite", name=name, accept_terms=True, broadcast_consent=True, **fields)


@pytest.fixture
def at_the_door(make_event):
    def make(**options):
        options.setdefault("format", "onsite")
        event = make_event(**options)
        return event, event.starts_at - timedelta(minutes=30)

    return make


def test_a_walk_in_takes_a_free_seat_and_is_checked_in_at_once(at_the_door, organiser):
    event, door_time = at_the_door(onsite=2)
    registration = register_walk_in(event, walk_in("Frau Yilmaz", phone="0231 55"), actor=organiser, now=door_time)
    assert (registration.status, registration.channel, registration.seat_type) == ("confirmed", "door", "onsite")
    assert (registration.checked_in_at, registration.checked_in_by) == (door_time, organiser)
    assert registration.entered_by == organiser
    consent = ConsentRecord.objects.get(registration=registration, kind="terms")
    assert (consent.channel, consent.recorded_by) == ("door", organiser)
    assert SeatPool.objects.get(event=event).confirmed == 1
    assert counts(event) == {"expected": 1, "arrived": 1, "left": 0, "walk_ins": 1, "door_queue": 0}
    assert AuditEntry.objects.filter(event=event, action="registration.walk_in", target_id=registration.pk).exists()
    assert check_in(event, registration.ticket_code, actor=organiser, now=door_time).outcome == "already_checked_in"


def test_a_walk_in_with_an_address_gets_the_confirmation_with_the_ticket(at_the_door, organiser):
    event, door_time = at_the_door(onsite=2)
    registration = register_walk_in(event, walk_in(email="tuer@example.org"), actor=organiser, now=door_time)
    assert OutboxMail.objects.get(registration=registration).kind == "confirmed"


def test_when_the_room_is_full_walk_ins_queue_at_the_door_and_get_the_next_free_seat_first(
    at_the_door, person, now, organiser
):
    event, door_time = at_the_door(onsite=1)
    seated = register(event, person(name="Seated"), now)
    register(event, person(name="Online waiting"), now)
    first = register_walk_in(event, walk_in("Door 1"), actor=organiser, now=door_time)
    register_walk_in(event, walk_in("Door 2"), actor=organiser, now=door_time + timedelta(minutes=1))
    assert (first.status, first.checked_in_at) == ("waitlisted", None)
    assert [r.name for r in door_queue(event)] == ["Door 1", "Door 2"]
    assert counts(event)["door_queue"] == 2

    services.cancel(seated, actor=None, now=door_time + timedelta(minutes=5))

    first.refresh_from_db()
    assert first.status == "confirmed"
    assert waiting(event) == [("Online waiting", 1), ("Door 2", 2)]
    assert counters_match_rows(event)
    assert check_in(event, first.ticket_code, actor=organiser, now=door_time).outcome == "welcome"


def test_before_the_door_opens_a_freed_seat_goes_to_the_head_of_the_waiting_list(at_the_door, person, now, organiser):
    event, _door_time = at_the_door(onsite=1)
    seated = register(event, person(name="Seated"), now)
    register(event, person(name="Waiting"), now)
    services.cancel(seated, actor=None, now=event.starts_at - timedelta(hours=2))
    assert Registration.objects.get(name="Waiting").status == "confirmed"


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("too_early", "door_closed"),
        ("after_the_end", "door_closed"),
        ("online_only", "online_only"),
        ("cancelled_event", "event_cancelled"),
        ("no_name", "name_required"),
        ("bad_address", "invalid_email"),
        ("no_consent", "consent_required"),
    ],
)
def test_refusals_are_clear_and_save_nothing(at_the_door, organiser, case, code):
    event, door_time = at_the_door(format="online" if case == "online_only" else "onsite")
    data = walk_in()
    if case == "too_early":
        door_time = event.starts_at - timedelta(hours=1, minutes=1)
    elif case == "after_the_end":
        door_time = event.ends_at
    elif case == "cancelled_event":
        event.status = "cancelled"
        event.save()
    elif case == "no_name":
        data = walk_in(name="  ")
    elif case == "bad_address":
        data = walk_in(email="kein-at-zeichen")
    elif case == "no_consent":
        data = RegistrationData(seat_type="onsite", name="X", broadcast_consent=True)

    with pytest.raises(DomainError) as refused:
        register_walk_in(event, data, actor=organiser, now=door_time)

    assert refused.value.code == code
    assert not Registration.objects.filter(event=event).exists()
    assert all(pool.confirmed == pool.waitlisted == 0 for pool in SeatPool.objects.filter(event=event))


def test_an_address_registered_already_is_refused(at_the_door, person, now, organiser):
    event, door_time = at_the_door(onsite=5)
    register(event, person(name="Dana Albers", email="da@example.org"), now)
    with pytest.raises(services.AlreadyRegistered):
        register_walk_in(event, walk_in("Dana Albers", email="DA@example.org"), actor=organiser, now=door_time)
    assert Registration.objects.filter(event=event).count() == 1
    assert SeatPool.objects.get(event=event).confirmed == 1


def test_the_door_opens_an_hour_before_the_start(at_the_door, organiser):
    event, _ = at_the_door(onsite=5)
    opening = event.starts_at - timedelta(hours=1)
    assert register_walk_in(event, walk_in(), actor=organiser, now=opening).status == "confirmed"
