"""Changing an event's format (on site / online / hybrid) changes its seat pools with it: a newly
offered seat type gets a pool with the seats the organiser gives, a seat type no longer offered
loses its pool, and the change is refused while people hold registrations for that seat type.

One service function does it (`events.services.update_event`); the API and the admin's change
form both go through it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import ValidationFailed
from events import services
from events.models import AuditEntry, Event
from events.services import SeatPlan, VenueData
from registrations import services as registration_services
from registrations.submissions import RegistrationData
from tests.events.test_admin import change_form_data

VENUE = VenueData("DIEZE", "Erinstraße 6, 44575 Castrop-Rauxel")


def register(event, seat_type: str, number: int = 1):
    now = timezone.now()
    data = RegistrationData(
        name=f"Citizen {number}", email=f"c{number}@example.org", seat_type=seat_type, accept_terms=True
    )
    return registration_services.register(event, data, channel="web", received_at=now, now=now)


def pools(event) -> dict[str, tuple[int, int]]:
    return {pool.seat_type: (pool.capacity, pool.reserved) for pool in event.seat_pools.all()}


def change(event, fields, **options):
    return services.update_event(event, fields, actor=None, now=timezone.now(), **options)


# The service


@pytest.mark.django_db
def test_going_hybrid_creates_the_pool_of_the_new_seat_type_with_the_seats_given(make_event):
    event = make_event(format="online", seats={"online": SeatPlan(80, 5)})

    change(event, {"format": "hybrid"}, seats={"onsite": SeatPlan(30, 2)}, venue=VENUE)

    event.refresh_from_db()
    assert event.format == "hybrid"
    assert pools(event) == {"online": (80, 5), "onsite": (30, 2)}


@pytest.mark.django_db
def test_going_online_removes_the_on_site_pool_nobody_holds(make_event):
    event = make_event(format="hybrid")

    change(event, {"format": "online"})

    assert set(pools(event)) == {"online"}
    entry = AuditEntry.objects.filter(event=event, action="event.updated").latest("pk")
    assert entry.data["seats.onsite"] == "removed"


@pytest.mark.django_db
def test_switching_from_on_site_to_online_swaps_the_pools(make_event):
    event = make_event(format="onsite")

    change(event, {"format": "online"}, seats={"online": SeatPlan(100)})

    assert pools(event) == {"online": (100, 0)}


@pytest.mark.django_db
def test_a_seat_type_whose_registrations_are_all_cancelled_can_be_dropped(make_event):
    event = make_event(format="hybrid")
    registration_services.cancel(register(event, "onsite"), actor=None, now=timezone.now())

    change(event, {"format": "online"})

    assert set(pools(event)) == {"online"}


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["confirmed", "waitlisted", "pending"])
def test_dropping_a_seat_type_people_hold_is_refused_and_nothing_is_saved(make_event, status):
    allocation = "at_deadline" if status == "pending" else "first_come"
    capacity = 1 if status == "waitlisted" else 10
    event = make_event(
        format="hybrid", allocation=allocation, seats={"onsite": SeatPlan(capacity), "online": SeatPlan(40)}
    )
    registrations = [register(event, "onsite", number) for number in range(2 if status == "waitlisted" else 1)]
    assert registrations[-1].status == status

    with pytest.raises(ValidationFailed) as refusal:
        change(event, {"format": "online", "title_de": "Nur noch online"}, seats={"online": SeatPlan(60)})

    assert refusal.value.code == "seat_type_in_use"
    assert {field: [e.code for e in errors] for field, errors in refusal.value.errors.items()} == {
        "format": ["seat_type_in_use"]
    }
    assert str(len(registrations)) in refusal.value.message
    event.refresh_from_db()
    assert event.format == "hybrid"
    assert event.title_de != "Nur noch online"
    assert pools(event) == {"onsite": (capacity, 0), "online": (40, 0)}


@pytest.mark.django_db
def test_a_new_seat_type_needs_its_seats(make_event):
    event = make_event(format="online")

    with pytest.raises(ValidationFailed) as refusal:
        change(event, {"format": "hybrid"}, venue=VENUE)

    assert refusal.value.code == "seats_required"
    event.refresh_from_db()
    assert (event.format, set(pools(event))) == ("online", {"online"})


@pytest.mark.django_db
def test_a_change_that_keeps_the_format_keeps_every_pool(make_event):
    event = make_event(format="hybrid")
    register(event, "onsite")

    change(event, {"title_de": "Neuer Titel"}, seats={"online": SeatPlan(50)})

    assert pools(event) == {"onsite": (40, 0), "online": (50, 0)}


# The API


@pytest.mark.django_db
def test_organiser_changes_the_format_through_the_api(api_client, make_event, organiser):
    event = make_event(format="online", team=[organiser])

    response = api_client.patch(
        f"/events/{event.slug}",
        {
            "format": "hybrid",
            "venue": {"name": "DIEZE", "address": "Erinstraße 6"},
            "seats": {"onsite": {"capacity": 25}},
        },
        organiser=organiser,
    )

    assert response.status_code == 200, response.content
    assert set(response.json()["seats"]) == {"onsite", "online"}
    assert response.json()["seats"]["onsite"]["capacity"] == 25

    response = api_client.patch(f"/events/{event.slug}", {"format": "online"}, organiser=organiser)

    assert response.status_code == 200, response.content
    assert set(response.json()["seats"]) == {"online"}
    assert set(pools(event)) == {"online"}


@pytest.mark.django_db
def test_api_refuses_to_drop_a_seat_type_people_hold(api_client, make_event, organiser):
    event = make_event(format="hybrid", team=[organiser])
    register(event, "online")
    before = api_client.get(f"/events/{event.slug}").json()

    response = api_client.patch(
        f"/events/{event.slug}", {"format": "onsite", "title": "Nur vor Ort"}, organiser=organiser
    )

    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "seat_type_in_use"
    assert body["detail"]
    assert {"field": "format", "code": "seat_type_in_use", "detail": body["detail"]} in body["errors"]
    assert api_client.get(f"/events/{event.slug}").json() == before


@pytest.mark.django_db
def test_only_the_events_organisers_change_its_format_through_the_api(
    api_client, make_event, organiser, other_organiser
):
    event = make_event(format="hybrid", team=[organiser])

    refused_other = api_client.patch(f"/events/{event.slug}", {"format": "online"}, organiser=other_organiser)
    refused_anonymous = api_client.patch(f"/events/{event.slug}", {"format": "online"})

    assert (refused_other.status_code, refused_other.json()["code"]) == (404, "not_found")
    assert (refused_anonymous.status_code, refused_anonymous.json()["code"]) == (401, "not_authenticated")
    event.refresh_from_db()
    assert (event.format, set(pools(event))) == ("hybrid", {"onsite", "online"})


# The admin's change form (the organisers' staff page for events)


def admin_change_url(event) -> str:
    return reverse("admin:events_event_change", args=[event.pk])


def dropping_onsite(event) -> dict:
    """The change form switched to online, with the on-site pool row marked for deletion."""
    data = change_form_data(event, format="online")
    row = next(index for index, pool in enumerate(event.seat_pools.all()) if pool.seat_type == "onsite")
    data[f"seat_pools-{row}-DELETE"] = "on"
    return data


@pytest.mark.django_db
def test_admin_change_of_format_goes_through_the_service(client, make_event, organiser):
    event = make_event(format="hybrid", team=[organiser])
    client.force_login(organiser.user)

    response = client.post(admin_change_url(event), dropping_onsite(event))

    assert response.status_code == 302, response.context and response.context["errors"]
    event.refresh_from_db()
    assert (event.format, set(pools(event))) == ("online", {"online"})
    entry = AuditEntry.objects.filter(event=event, action="event.updated").latest("pk")
    assert entry.actor == organiser.user
    assert entry.data["format"] == "online"


@pytest.mark.django_db
def test_admin_adds_the_pool_of_a_newly_offered_seat_type(client, make_event, organiser):
    event = make_event(format="online", team=[organiser])
    venue = services.find_or_create_venue(VENUE)
    client.force_login(organiser.user)
    data = change_form_data(event, format="hybrid", venue=venue.pk)
    data.update(
        {
            "seat_pools-TOTAL_FORMS": 2,
            "seat_pools-1-event": event.pk,
            "seat_pools-1-seat_type": "onsite",
            "seat_pools-1-capacity": 35,
            "seat_pools-1-reserved": 3,
        }
    )

    response = client.post(admin_change_url(event), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    event.refresh_from_db()
    assert (event.format, event.venue_id) == ("hybrid", venue.pk)
    assert pools(event) == {"online": (40, 0), "onsite": (35, 3)}


@pytest.mark.django_db
def test_admin_shows_a_form_error_when_the_dropped_seat_type_is_in_use(client, make_event, organiser):
    event = make_event(format="hybrid", team=[organiser])
    register(event, "onsite")
    client.force_login(organiser.user)

    response = client.post(admin_change_url(event), dropping_onsite(event))

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.has_error("format")
    assert "1" in form.errors["format"][0]
    event.refresh_from_db()
    assert (event.format, set(pools(event))) == ("hybrid", {"onsite", "online"})


@pytest.mark.django_db
def test_admin_of_another_team_cannot_change_the_format(client, make_event, organiser, other_organiser):
    event = make_event(format="hybrid", team=[organiser])
    client.force_login(other_organiser.user)

    response = client.post(admin_change_url(event), dropping_onsite(event))

    assert response.status_code in {302, 403, 404}
    event.refresh_from_db()
    assert (event.format, set(pools(event))) == ("hybrid", {"onsite", "online"})


@pytest.mark.django_db
def test_anonymous_cannot_change_the_format_in_the_admin(client, make_event):
    event = make_event(format="hybrid")

    response = client.post(admin_change_url(event), dropping_onsite(event))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert Event.objects.get(pk=event.pk).format == "hybrid"


@pytest.mark.django_db
def test_the_refusal_is_in_german_by_default(make_event):
    event = make_event(format="hybrid")
    register(event, "onsite")

    with pytest.raises(ValidationFailed) as refusal:
        change(event, {"format": "online"})

    assert refusal.value.message.startswith("1 Personen haben eine Anmeldung für die Platzart „Platz vor Ort“")
