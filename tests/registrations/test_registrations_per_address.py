"""The limit of registrations per e-mail address of an event (reliability M7): a household registers
its members under their own names, one address cannot take a room's seats."""

from datetime import timedelta

import pytest

from core.errors import DomainError
from events.models import DEFAULT_REGISTRATIONS_PER_ADDRESS
from registrations import services
from registrations.models import Registration
from registrations.submissions import Submission
from tests.factories import bearer, register

pytestmark = pytest.mark.django_db


def test_new_events_allow_a_household_of_four_per_address(make_event):
    assert make_event(format="onsite").max_registrations_per_address == DEFAULT_REGISTRATIONS_PER_ADDRESS == 4


def test_the_registration_after_the_limit_is_refused_with_a_code_and_nothing_is_saved(make_event, person, now):
    event = make_event(format="onsite", onsite=10, max_registrations_per_address=2)
    for name in ("Max Muster", "Erika Muster"):
        register(event, person(name=name, email="familie@example.org"), now)
    with pytest.raises(DomainError) as refusal:
        register(event, person(name="Moritz Muster", email="Familie@Example.org"), now)
    assert (refusal.value.code, refusal.value.status, refusal.value.field) == ("address_limit_reached", 409, "email")
    assert "2" in refusal.value.message
    assert Registration.objects.count() == 2
    assert event.seat_pools.get().confirmed == 2


def test_a_cancelled_registration_frees_its_place_under_the_limit(make_event, person, now):
    event = make_event(format="onsite", max_registrations_per_address=1)
    first = register(event, person(name="Max Muster", email="familie@example.org"), now)
    services.cancel(first, actor=None, now=now)
    assert register(event, person(name="Erika Muster", email="familie@example.org"), now).status == "confirmed"


def test_within_one_batch_the_earlier_submissions_are_the_ones_registered(make_event, person, now):
    event = make_event(format="hybrid", max_registrations_per_address=2)
    people = [
        Submission(person(seat, name=f"Kind {n}", email="familie@example.org"), "web", now - timedelta(seconds=3 - n))
        for n, seat in enumerate(["onsite", "online", "onsite"])
    ]
    outcomes = services.register_many(event, list(reversed(people)), now=now)
    assert [getattr(outcome, "code", "registered") for outcome in outcomes] == [
        "address_limit_reached",
        "registered",
        "registered",
    ]


def test_the_limit_counts_across_seat_types_and_channels_of_citizens(make_event, person, now):
    event = make_event(format="hybrid", max_registrations_per_address=2)
    register(event, person("onsite", name="A", email="familie@example.org"), now)
    register(event, person("online", name="B", email="familie@example.org"), now, channel="email")
    with pytest.raises(DomainError):
        register(event, person("online", name="C", email="familie@example.org"), now)


def test_organisers_on_the_phone_are_not_limited_and_do_not_count(make_event, person, now, organiser):
    event = make_event(format="onsite", max_registrations_per_address=1)
    for name in ("A", "B"):
        register(event, person(name=name, email="familie@example.org"), now, channel="phone", actor=organiser)
    assert register(event, person(name="C", email="familie@example.org"), now).status == "confirmed"


def test_zero_means_no_limit(make_event, person, now):
    event = make_event(format="onsite", max_registrations_per_address=0)
    for number in range(6):
        register(event, person(name=f"Person {number}", email="verein@example.org"), now)
    assert Registration.objects.count() == 6


def test_the_api_answers_409_with_the_code(client, make_event):
    event = make_event(format="online", max_registrations_per_address=1)
    payload = {"email": "familie@example.org", "seat": "online", "accept_terms": True}
    url = f"/api/events/{event.slug}/registrations"
    assert client.post(url, payload | {"name": "A"}, content_type="application/json").status_code == 202
    refused = client.post(url, payload | {"name": "B"}, content_type="application/json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "address_limit_reached"
    assert refused.json()["detail"].startswith("Für diese Veranstaltung kann sich nur 1 Person")


def test_organisers_set_the_limit_through_the_api(client, organiser, make_event):
    event = make_event(format="onsite", team=[organiser])

    def change(limit):
        body = {"max_registrations_per_address": limit}
        return client.patch(
            f"/api/events/{event.slug}", body, content_type="application/json", headers=bearer(organiser)
        )

    assert change(0).json()["max_registrations_per_address"] == 0
    assert change(101).status_code == 422
    event.refresh_from_db()
    assert event.max_registrations_per_address == 0
