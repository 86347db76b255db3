from datetime import timedelta

import pytest

from core.errors import DomainError
from registrations import services
from registrations.models import ConsentRecord, Registration
from tests.factories import register

pytestmark = pytest.mark.django_db


def test_first_registrations_get_seats_then_the_waiting_list_fills_in_order(make_event, person, now):
    event = make_event(format="onsite", onsite=2)
    results = [register(event, person(), now) for _ in range(4)]
    assert [r.status for r in results] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert [r.waitlist_position for r in results] == [None, None, 1, 2]
    pool = event.seat_pools.get()
    assert (pool.confirmed, pool.waitlisted, pool.available) == (2, 2, 0)


def test_reserved_seats_are_not_given_away(make_event, person, now):
    event = make_event(format="onsite", onsite=3, reserved=2)
    assert register(event, person(), now).status == "confirmed"
    assert register(event, person(), now).status == "waitlisted"


def test_consent_is_stored_as_records_with_version_and_text(make_event, person, now, organiser):
    event = make_event(format="onsite", broadcast=True)
    registration = register(event, person(), now)
    records = {c.kind: c for c in registration.consents.all()}
    assert set(records) == {"terms", "broadcast"}
    assert records["terms"].terms_version == 1
    assert records["terms"].text == "Ich bin einverstanden."
    assert records["broadcast"].channel == "web"
    phone = register(event, person(email="", phone="0231 1234"), now, channel="phone", actor=organiser)
    assert phone.consents.get(kind="terms").recorded_by == organiser


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"accept_terms": False}, "consent_required"),
        ({"seat_type": "online"}, "seat_type_not_offered"),
        ({"name": "   "}, "name_required"),
        ({"email": ""}, "email_required"),
    ],
)
def test_refused_registrations_save_nothing(make_event, person, now, overrides, code):
    event = make_event(format="onsite", broadcast=True)
    with pytest.raises(DomainError) as refusal:
        register(event, person(**overrides), now)
    assert refusal.value.code == code
    assert Registration.objects.count() == 0
    assert ConsentRecord.objects.count() == 0
    assert event.seat_pools.get().confirmed == 0


def test_broadcast_consent_is_not_needed_for_online_seats(make_event, person, now):
    event = make_event(format="hybrid", broadcast=True)
    assert register(event, person(seat="online", broadcast_consent=False), now).status == "confirmed"


def test_an_on_site_seat_never_depends_on_the_broadcast_consent(make_event, person, now):
    event = make_event(format="onsite", broadcast=True)
    seated = register(event, person(broadcast_consent=False), now)
    assert seated.status == "confirmed"
    assert not seated.consents.filter(kind="broadcast").exists()
    filmed = register(event, person(broadcast_consent=True), now)
    assert filmed.consents.filter(kind="broadcast", withdrawn_at__isnull=True).exists()


def test_registration_window_is_judged_by_the_time_of_receipt(make_event, person, now):
    event = make_event(opens=now + timedelta(hours=1), closes=now + timedelta(days=2))
    with pytest.raises(DomainError) as early:
        register(event, person(), now)
    assert early.value.code == "registration_not_open"
    late_event = make_event(opens=now - timedelta(days=2), closes=now - timedelta(hours=1))
    with pytest.raises(DomainError) as late:
        register(late_event, person(), now)
    assert late.value.code == "registration_closed"


def test_a_phone_call_before_the_deadline_may_be_entered_after_it(make_event, person, now, organiser):
    event = make_event(opens=now - timedelta(days=2), closes=now - timedelta(hours=1))
    call = register(
        event,
        person(email="", phone="02305 1"),
        now,
        channel="phone",
        received_at=now - timedelta(hours=2),
        actor=organiser,
    )
    assert call.status == "confirmed"
    assert call.entered_by == organiser


def test_phone_registration_needs_some_contact_and_no_future_call_time(make_event, person, now, organiser):
    event = make_event()
    with pytest.raises(DomainError) as no_contact:
        register(event, person(email="", phone=""), now, channel="phone", actor=organiser)
    assert no_contact.value.code == "contact_required"
    with pytest.raises(DomainError) as future:
        register(event, person(), now, channel="phone", received_at=now + timedelta(minutes=5), actor=organiser)
    assert future.value.code == "received_in_future"


@pytest.mark.parametrize("status", ["draft", "cancelled", "postponed"])
def test_events_that_are_not_published_take_no_registrations(make_event, person, now, status):
    event = make_event(status=status)
    with pytest.raises(DomainError) as refusal:
        register(event, person(), now)
    assert refusal.value.code == "event_not_bookable"


def test_second_registration_of_an_address_is_refused_with_the_existing_status(make_event, person, now):
    event = make_event(format="onsite", onsite=1)
    register(event, person(name="Maria Roth", email="Maria@Example.org"), now)
    with pytest.raises(services.AlreadyRegistered) as again:
        register(event, person(name="maria  roth", email="maria@example.ORG "), now)
    assert again.value.code == "already_registered"
    assert again.value.existing.status == "confirmed"
    assert Registration.objects.count() == 1


def test_an_address_may_register_again_after_cancelling(make_event, person, now):
    event = make_event(format="onsite", onsite=5)
    first = register(event, person(email="x@example.org"), now)
    services.cancel(first, actor=None, now=now)
    assert register(event, person(email="x@example.org"), now).status == "confirmed"


def test_every_change_is_audited(make_event, person, now, organiser):
    event = make_event(format="onsite", onsite=1)
    registration = register(event, person(), now)
    waiting = register(event, person(), now)
    services.cancel(registration, actor=organiser, now=now)
    actions = list(event.audit_entries.order_by("pk").values_list("action", "target_id", "actor_label"))
    assert ("registration.created", registration.pk, registration.name) in actions
    assert ("registration.cancelled", registration.pk, "anna") in actions
    assert ("registration.promoted", waiting.pk, "system") in actions
