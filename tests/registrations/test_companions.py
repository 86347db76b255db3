"""Companions: a registration brings up to `max_companions` people, who take seats of the same
type in the same transaction, all or none; the counters count seats; a party waits in strict order."""

from datetime import timedelta

import pytest

from core.errors import DomainError
from registrations import changes, services
from registrations.models import OutboxMail, Registration
from registrations.submissions import Submission
from tests.factories import bearer, register

pytestmark = pytest.mark.django_db


def line(event, seat="onsite"):
    waiting = Registration.objects.filter(event=event, seat_type=seat, status="waitlisted")
    return [(r.name, r.waitlist_position, r.seats) for r in waiting.order_by("waitlist_position")]


def counters(event, seat="onsite"):
    pool = event.seat_pools.get(seat_type=seat)
    return pool.confirmed, pool.waitlisted, pool.pending


def test_a_party_takes_its_seats_together_and_the_counters_count_seats(make_event, person, now):
    event = make_event(format="onsite", onsite=5, max_companions=3)
    party = register(event, person(name="Familie Roth", companions=3), now)
    assert (party.status, party.seats) == ("confirmed", 4)
    assert counters(event) == (4, 0, 0)
    assert event.seat_pools.get().available == 1


def test_a_party_that_does_not_fit_waits_as_a_whole_and_nobody_overtakes_it(make_event, person, now):
    event = make_event(format="onsite", onsite=3, max_companions=3)
    register(event, person(name="Single"), now)
    party = register(event, person(name="Party", companions=2), now)
    assert (party.status, party.waitlist_position) == ("waitlisted", 1)
    # Two seats are free, but the party of three at the head waits, and so does the next one.
    after = register(event, person(name="After"), now)
    assert after.status == "waitlisted"
    assert line(event) == [("Party", 1, 3), ("After", 4, 1)]
    assert counters(event) == (1, 4, 0)


def test_a_freed_seat_seats_the_party_at_the_head_once_it_fits_and_the_list_stays_gapless(make_event, person, now):
    event = make_event(format="onsite", onsite=3, max_companions=3)
    single = register(event, person(name="Single"), now)
    party = register(event, person(name="Party", companions=2), now)
    register(event, person(name="After"), now)
    services.cancel(single, actor=None, now=now)
    party.refresh_from_db()
    assert party.status == "confirmed"
    assert line(event) == [("After", 1, 1)]
    assert counters(event) == (3, 1, 0)


def test_leaving_the_waiting_list_moves_those_behind_up_by_the_seats_of_the_party(make_event, person, now):
    event = make_event(format="onsite", onsite=1, max_companions=3)
    register(event, person(name="Seated"), now)
    party = register(event, person(name="Party", companions=2), now)
    register(event, person(name="Behind"), now)
    services.cancel(party, actor=None, now=now)
    assert line(event) == [("Behind", 1, 1)]
    assert counters(event) == (1, 1, 0)


def test_a_late_typed_registration_goes_before_a_waiting_party_counting_seats(make_event, person, now, organiser):
    event = make_event(format="onsite", onsite=1, max_companions=3)
    register(event, person(name="Seated"), now)
    register(event, person(name="Party", companions=2), now + timedelta(minutes=2))
    register(event, person(name="Last"), now + timedelta(minutes=3))
    call = person(name="Caller", companions=1)
    later = now + timedelta(minutes=4)
    register(event, call, later, channel="phone", received_at=now + timedelta(minutes=1), actor=organiser)
    assert line(event) == [("Caller", 1, 2), ("Party", 3, 3), ("Last", 6, 1)]
    assert counters(event) == (1, 6, 0)


def test_allocation_at_the_deadline_seats_parties_in_order_without_overtaking(make_event, person, now):
    event = make_event(format="onsite", allocation="at_deadline", onsite=3, max_companions=3)
    register(event, person(name="First", companions=1), now)
    register(event, person(name="Party", companions=2), now + timedelta(minutes=1))
    register(event, person(name="Single"), now + timedelta(minutes=2))
    assert counters(event) == (0, 0, 6)
    outcome = services.allocate(event, actor=None, now=event.registration_closes_at + timedelta(minutes=1))
    assert outcome == {"onsite": {"confirmed": 2, "waitlisted": 4}}
    assert line(event) == [("Party", 1, 3), ("Single", 4, 1)]
    assert counters(event) == (2, 4, 0)


def test_reseating_after_a_move_to_a_smaller_room_keeps_parties_whole(make_event, person, now):
    event = make_event(format="onsite", onsite=6, max_companions=3)
    register(event, person(name="A", companions=1), now)
    register(event, person(name="B", companions=2), now + timedelta(minutes=1))
    register(event, person(name="C"), now + timedelta(minutes=2))
    pool = event.seat_pools.get()
    pool.capacity = 4
    pool.save()
    services.reseat_after_move(event, now=now)
    assert line(event) == [("B", 1, 3), ("C", 4, 1)]
    assert counters(event) == (2, 4, 0)


def test_releasing_reserved_seats_seats_a_waiting_party(make_event, person, now, organiser):
    event = make_event(format="onsite", onsite=4, reserved=2, max_companions=3)
    register(event, person(name="A"), now)
    party = register(event, person(name="Party", companions=2), now)
    assert party.status == "waitlisted"
    services.release_reserved(event, "onsite", 2, actor=organiser, now=now)
    party.refresh_from_db()
    assert party.status == "confirmed"
    assert counters(event) == (4, 0, 0)


def test_a_switching_party_moves_all_its_seats(make_event, person, now):
    event = make_event(onsite=3, online=3, max_companions=2)
    party = register(event, person(name="Party", companions=2), now)
    changes.switch_seat_type(party, "online", actor=None, now=now)
    assert counters(event, "onsite") == (0, 0, 0)
    assert counters(event, "online") == (3, 0, 0)
    register(event, person(name="On site", seat="onsite"), now)
    with pytest.raises(DomainError) as refusal:  # two seats free on site, the party needs three
        changes.switch_seat_type(party, "onsite", actor=None, now=now)
    assert refusal.value.code == "seat_type_full"
    changes.switch_seat_type(party, "onsite", actor=None, now=now, join_waiting_list=True)
    assert line(event, "onsite") == [("Party", 1, 3)]
    assert counters(event, "onsite") == (1, 3, 0)
    assert counters(event, "online") == (0, 0, 0)


@pytest.mark.parametrize("companions", [-1, 3])
def test_companions_below_zero_or_over_the_limit_are_refused_and_nothing_is_saved(make_event, person, now, companions):
    event = make_event(format="onsite", onsite=10, max_companions=2)
    with pytest.raises(DomainError) as refusal:
        register(event, person(name="Party", companions=companions), now)
    assert (refusal.value.code, refusal.value.status, refusal.value.field) == ("too_many_companions", 422, "companions")
    assert not Registration.objects.exists()
    assert not OutboxMail.objects.exists()
    assert counters(event) == (0, 0, 0)


def test_an_event_without_companions_refuses_any(make_event, person, now):
    event = make_event(format="onsite", onsite=10)
    with pytest.raises(DomainError) as refusal:
        register(event, person(name="Party", companions=1), now)
    assert refusal.value.code == "too_many_companions"


def test_two_people_sharing_an_address_can_register_but_one_person_cannot_twice(make_event, person, now):
    event = make_event(format="onsite", onsite=10)
    register(event, person(name="Max Roth", email="familie@example.org"), now)
    register(event, person(name="Eva Roth", email="Familie@example.org"), now)
    with pytest.raises(services.AlreadyRegistered):
        register(event, person(name=" eva  ROTH", email="familie@example.org"), now)
    assert Registration.objects.filter(event=event).count() == 2


def test_a_batch_sorts_out_one_person_twice_but_keeps_a_housemate(make_event, person, now):
    event = make_event(format="onsite", onsite=10)
    register(event, person(name="Max", email="home@example.org"), now)
    outcomes = services.register_many(
        event,
        [
            Submission(person(name="Eva", email="home@example.org"), "email", now),
            Submission(person(name="max", email="HOME@example.org"), "email", now),
            Submission(person(name="Eva", email="home@example.org"), "email", now + timedelta(seconds=1)),
        ],
        now=now,
    )
    assert isinstance(outcomes[0], Registration)
    assert isinstance(outcomes[1], services.AlreadyRegistered)
    assert isinstance(outcomes[2], services.AlreadyRegistered) and outcomes[2].existing == outcomes[0]


def test_confirmation_mail_says_how_many_people_come(make_event, person, now, settings):
    from registrations.mail.compose import render

    event = make_event(format="onsite", onsite=10, max_companions=2)
    party = register(event, person(name="Party", companions=2, language="en"), now)
    mail = OutboxMail.objects.get(registration=party)
    assert mail.facts["companions"] == 2
    text = render(mail).body
    assert "Your registration is for 3 people: you and 2 companions." in text


def test_a_seat_pool_shows_seats_not_registrations_in_the_public_figures(make_event, person, now, client):
    event = make_event(format="onsite", onsite=4, max_companions=3)
    register(event, person(name="Party", companions=3), now)
    answer = client.get(f"/api/events/{event.slug}").json()
    assert answer["seats"]["onsite"] == {"capacity": 4, "confirmed": 4, "available": 0, "waitlisted": 0}
    assert answer["max_companions"] == 3


def test_an_earlier_receipt_that_goes_before_a_stuck_party_and_fits_is_seated_at_once(
    make_event, person, now, organiser
):
    event = make_event(format="onsite", onsite=3, max_companions=3)
    register(event, person(name="Single"), now + timedelta(minutes=1))
    register(event, person(name="Party", companions=2), now + timedelta(minutes=2))
    call = person(name="Caller")
    caller = register(event, call, now + timedelta(minutes=5), channel="phone", received_at=now, actor=organiser)
    assert caller.status == "confirmed"
    assert line(event) == [("Party", 1, 3)]
    assert counters(event) == (2, 3, 0)


def statements_of_a_batch(event, person, now, size, companions):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    batch = [Submission(person(companions=companions), "web", now) for _ in range(size)]
    with CaptureQueriesContext(connection) as captured:
        outcomes = services.register_many(event, batch, now=now)
    assert all(isinstance(outcome, Registration) for outcome in outcomes)
    return len(captured)


def test_a_batch_costs_the_same_statements_with_or_without_parties_and_however_large(make_event, person, now):
    """The rush path: parties add no statement per batch or per registration."""
    plain = statements_of_a_batch(make_event(format="onsite", onsite=100), person, now, 2, 0)
    large = statements_of_a_batch(make_event(format="onsite", onsite=100), person, now, 20, 0)
    parties = statements_of_a_batch(make_event(format="onsite", onsite=100, max_companions=2), person, now, 20, 2)
    assert plain == large == parties


def test_organisers_set_the_companions_of_an_event_through_the_api_within_the_limit(client, make_event, organiser):
    event = make_event(format="onsite", onsite=10)
    event.team.add(organiser)
    headers = bearer(organiser)
    path = f"/api/events/{event.slug}"
    too_many = client.patch(path, {"max_companions": 11}, content_type="application/json", headers=headers)
    assert too_many.status_code == 422
    ok = client.patch(path, {"max_companions": 2}, content_type="application/json", headers=headers)
    assert ok.status_code == 200
    event.refresh_from_db()
    assert event.max_companions == 2


def change_party(registration, companions, now, **kwargs):
    return changes.change_details(
        registration,
        name=registration.name,
        needs=registration.needs,
        language=registration.language,
        companions=companions,
        actor=None,
        now=now,
        **kwargs,
    )


def test_a_companion_who_drops_out_gives_the_seat_to_the_next_waiting(make_event, person, now):
    event = make_event(format="onsite", onsite=3, max_companions=3)
    party = register(event, person(name="Party", companions=2), now)
    waiting = register(event, person(name="Waiting"), now)
    changed = change_party(party, 1, now)
    assert (changed.companions, changed.status) == (1, "confirmed")
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert counters(event) == (3, 0, 0)
    assert OutboxMail.objects.filter(registration=party, kind="changed").count() == 1


def test_a_waiting_party_that_shrinks_keeps_its_place_and_those_behind_move_up(make_event, person, now):
    event = make_event(format="onsite", onsite=1, max_companions=3)
    register(event, person(name="Seated"), now)
    party = register(event, person(name="Party", companions=3), now)
    register(event, person(name="Behind"), now)
    change_party(party, 1, now)
    assert line(event) == [("Party", 1, 2), ("Behind", 3, 1)]
    assert counters(event) == (1, 3, 0)


def test_more_companions_take_free_seats_or_are_refused_and_nothing_changes(make_event, person, now):
    event = make_event(format="onsite", onsite=3, max_companions=3)
    party = register(event, person(name="Party"), now)
    change_party(party, 1, now)
    assert counters(event) == (2, 0, 0)
    register(event, person(name="Other"), now)
    with pytest.raises(DomainError) as refusal:
        change_party(party, 2, now)
    assert (refusal.value.code, refusal.value.status) == ("not_enough_seats", 409)
    party.refresh_from_db()
    assert (party.companions, party.status) == (1, "confirmed")
    assert counters(event) == (3, 0, 0)


def test_a_growing_party_moves_to_the_end_of_the_line_only_when_confirmed(make_event, person, now):
    event = make_event(format="onsite", onsite=3, max_companions=3)
    party = register(event, person(name="Party", companions=1), now)
    register(event, person(name="Other"), now)
    register(event, person(name="Waiting"), now)
    later = now + timedelta(minutes=5)
    moved = change_party(party, 2, later, join_waiting_list=True)
    assert (moved.status, moved.queued_at) == ("waitlisted", later)
    # The two freed seats went to the first waiting; the party waits behind.
    assert line(event) == [("Party", 1, 3)]
    assert counters(event) == (2, 3, 0)


def test_more_companions_than_allowed_are_refused_when_changing(make_event, person, now):
    event = make_event(format="onsite", onsite=10, max_companions=1)
    party = register(event, person(name="Party"), now)
    with pytest.raises(DomainError) as refusal:
        change_party(party, 2, now)
    assert refusal.value.code == "too_many_companions"
    assert counters(event) == (1, 0, 0)
