"""The rules an organiser expects when creating or changing an event (events.services)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone, translation

from core.errors import ValidationFailed
from events import services
from events.models import AuditEntry, Event, SeatPool, normalize_keyword
from events.services import SeatPlan, VenueData

VENUE = VenueData("DIEZE", "Erinstraße 6, 44575 Castrop-Rauxel")


def event_fields(**changes):
    starts_at = timezone.now() + timedelta(days=20)
    return {
        "title_de": "Digitalisierung im Dialog",
        "format": "online",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=2),
        "registration_opens_at": timezone.now() - timedelta(days=1),
        "registration_closes_at": starts_at - timedelta(days=2),
        "status": "published",
        **changes,
    }


def create(fields=None, *, seats=None, venue=None, actor=None):
    return services.create_event(
        fields or event_fields(),
        seats={"online": SeatPlan(75)} if seats is None else seats,
        venue=venue,
        actor=actor,
        now=timezone.now(),
    )


def problem_codes(failure: pytest.ExceptionInfo) -> dict[str, set[str]]:
    return {field: {error.code for error in errors} for field, errors in failure.value.errors.items()}


@pytest.mark.django_db
def test_valid_event_is_saved_with_seats_terms_team_and_audit(organiser):
    event = create(actor=organiser.user)

    assert event.slug.startswith("digitalisierung-im-dialog-")
    assert [(pool.seat_type, pool.capacity, pool.reserved) for pool in event.seat_pools.all()] == [("online", 75, 0)]
    assert event.current_terms().version == 1
    assert list(event.team.all()) == [organiser.user]
    assert AuditEntry.objects.filter(event=event, action="event.created", actor=organiser.user).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"ends_at": timezone.now() + timedelta(days=20)}, "ends_at", "ends_before_start"),
        (
            {"registration_closes_at": timezone.now() + timedelta(days=21)},
            "registration_closes_at",
            "registration_closes_after_start",
        ),
        (
            {
                "registration_opens_at": timezone.now() + timedelta(days=5),
                "registration_closes_at": timezone.now() + timedelta(days=4),
            },
            "registration_closes_at",
            "registration_window_empty",
        ),
    ],
)
def test_impossible_times_are_refused_and_nothing_is_saved(changes, field, code):
    fields = event_fields(starts_at=timezone.now() + timedelta(days=20, hours=1), **changes)

    with pytest.raises(ValidationFailed) as failure:
        create(fields)

    assert code in problem_codes(failure)[field]
    assert not Event.objects.exists()
    assert not SeatPool.objects.exists()


@pytest.mark.django_db
def test_reserved_seats_cannot_exceed_capacity():
    with pytest.raises(ValidationFailed) as failure:
        create(seats={"online": SeatPlan(capacity=10, reserved=11)})

    assert problem_codes(failure) == {"seats": {"reserved_exceeds_capacity"}}
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_all_seats_may_be_reserved():
    event = create(seats={"online": SeatPlan(capacity=10, reserved=10)})

    assert event.seat_pool("online").available == 0


@pytest.mark.django_db
def test_database_refuses_more_reserved_seats_than_capacity_even_past_the_service(make_event):
    pool = make_event(format="online").seat_pool("online")
    pool.reserved = pool.capacity + 1

    with pytest.raises(IntegrityError):
        pool.save()


@pytest.mark.django_db
@pytest.mark.parametrize("format", ["onsite", "hybrid"])
def test_onsite_and_hybrid_events_need_a_venue(format):
    seats = {"onsite": SeatPlan(30), "online": SeatPlan(30)} if format == "hybrid" else {"onsite": SeatPlan(30)}

    with pytest.raises(ValidationFailed) as failure:
        create(event_fields(format=format), seats=seats, venue=None)

    assert problem_codes(failure) == {"venue": {"venue_required"}}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("format", "seats", "missing"),
    [
        ("onsite", {}, "onsite"),
        ("online", {}, "online"),
        ("hybrid", {"online": SeatPlan(30)}, "onsite"),
        ("hybrid", {"onsite": SeatPlan(30)}, "online"),
    ],
)
def test_each_format_needs_its_seat_types(format, seats, missing):
    with pytest.raises(ValidationFailed) as failure:
        create(event_fields(format=format), seats=seats, venue=VENUE)

    assert problem_codes(failure) == {"seats": {"seats_required"}}
    assert missing in failure.value.errors["seats"][0].message


@pytest.mark.django_db
def test_online_event_offers_no_onsite_seats():
    with pytest.raises(ValidationFailed) as failure:
        create(seats={"online": SeatPlan(30), "onsite": SeatPlan(30)})

    assert problem_codes(failure) == {"seats": {"seat_type_not_offered"}}


@pytest.mark.django_db
def test_hybrid_event_with_venue_and_both_seat_types_is_valid():
    event = create(
        event_fields(format="hybrid"), seats={"onsite": SeatPlan(30, 2), "online": SeatPlan(100)}, venue=VENUE
    )

    assert {pool.seat_type for pool in event.seat_pools.all()} == {"onsite", "online"}
    assert event.venue.name == "DIEZE"


@pytest.mark.django_db
def test_same_title_on_the_same_day_gets_the_next_free_slug():
    first, second, third = create(), create(), create()

    assert second.slug == f"{first.slug}-2"
    assert third.slug == f"{first.slug}-3"


@pytest.mark.django_db
def test_the_slug_names_the_day_in_berlin_not_in_utc():
    starts_at = datetime(2027, 8, 20, 22, 30, tzinfo=UTC)  # 00:30 on 21 August in Berlin
    event = create(event_fields(starts_at=starts_at, ends_at=starts_at + timedelta(hours=2)))
    assert event.slug == "digitalisierung-im-dialog-2027-08-21"


@pytest.mark.django_db
def test_a_slug_asked_for_that_is_taken_is_refused_and_nothing_is_saved():
    taken = create()

    with pytest.raises(ValidationFailed) as failure:
        services.create_event(
            event_fields(title_de="Ganz anderer Titel"),
            seats={"online": SeatPlan(75)},
            venue=None,
            slug=taken.slug,
            actor=None,
            now=timezone.now(),
        )

    assert problem_codes(failure) == {"slug": {"slug_taken"}}
    assert failure.value.message == "Eine andere Veranstaltung hat schon diesen Kurznamen (URL)."
    assert list(Event.objects.all()) == [taken]
    assert SeatPool.objects.count() == 1


@pytest.mark.django_db
def test_keyword_collision_names_the_event_that_holds_the_keyword(make_event):
    holder = make_event(title_de="Auftakt Digitalisierungsstrategie", keyword="Digitalisierung 20.08.")

    with pytest.raises(ValidationFailed) as failure:
        create(event_fields(keyword="digitalisierung 2008"))

    assert problem_codes(failure) == {"keyword": {"keyword_taken"}}
    assert holder.title_de in failure.value.errors["keyword"][0].message


@pytest.mark.django_db
def test_keyword_collision_message_is_translated(make_event):
    make_event(title_de="Auftakt", title_en="Kick-off", keyword="Trikala")

    with translation.override("en"), pytest.raises(ValidationFailed) as failure:
        create(event_fields(keyword="TRIKALA"))

    assert failure.value.message == (
        "The keyword “TRIKALA” is already used by “Kick-off”, which is open for registration."
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "holder_changes",
    [
        {"status": "cancelled"},
        {
            "registration_opens_at": timezone.now() - timedelta(days=9),
            "registration_closes_at": timezone.now() - timedelta(days=1),
        },
    ],
    ids=["cancelled", "registration-closed"],
)
def test_keyword_is_free_again_once_its_event_no_longer_takes_registrations(make_event, holder_changes):
    make_event(keyword="Trikala", **holder_changes)

    event = create(event_fields(keyword="Trikala"))

    assert event.keyword_normalized == "trikala"


@pytest.mark.django_db
def test_changing_an_event_keeps_its_own_keyword(make_event):
    event = make_event(keyword="Trikala")

    services.update_event(event, {"title_de": "Trikala und Castrop-Rauxel"}, actor=None, now=timezone.now())

    event.refresh_from_db()
    assert (event.title_de, event.keyword) == ("Trikala und Castrop-Rauxel", "Trikala")


@pytest.mark.django_db
def test_refused_change_leaves_the_event_and_its_seats_as_they_were(make_event):
    event = make_event(format="online", title_de="Vorher")

    with pytest.raises(ValidationFailed):
        services.update_event(
            event,
            {"title_de": "Nachher", "ends_at": event.starts_at - timedelta(hours=1)},
            seats={"online": SeatPlan(capacity=5)},
            actor=None,
            now=timezone.now(),
        )

    event.refresh_from_db()
    assert event.title_de == "Vorher"
    assert event.seat_pool("online").capacity == 40


@pytest.mark.django_db
def test_change_cannot_add_seats_the_format_does_not_offer(make_event):
    event = make_event(format="online")

    with pytest.raises(ValidationFailed) as failure:
        services.update_event(event, {}, seats={"onsite": SeatPlan(30)}, actor=None, now=timezone.now())

    assert problem_codes(failure) == {"seats": {"seat_type_not_offered"}}
    assert list(event.seat_pools.values_list("seat_type", flat=True)) == ["online"]


@pytest.mark.django_db
def test_changing_to_hybrid_needs_the_new_venue_and_seats(make_event):
    event = make_event(format="online")

    with pytest.raises(ValidationFailed) as failure:
        services.update_event(event, {"format": "hybrid"}, actor=None, now=timezone.now())

    assert problem_codes(failure) == {"venue": {"venue_required"}, "seats": {"seats_required"}}

    services.update_event(
        event, {"format": "hybrid"}, seats={"onsite": SeatPlan(20)}, venue=VENUE, actor=None, now=timezone.now()
    )
    event.refresh_from_db()
    assert (event.format, event.venue.name, event.seat_pool("onsite").capacity) == ("hybrid", "DIEZE", 20)


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("Digitalisierung 20.08.", "Digitalisierung 20.08."),
        ("digitalisierung 20.08.", "Digitalisierung 20.08."),
        ("„Digitalisierung 20.08.“", "Digitalisierung 20.08."),
        ('"DIGITALISIERUNG  20.08"', "Digitalisierung 20.08."),
        ("'Digitalisierung 2008'", "Digitalisierung 20.08."),
        ("Digitalisierung\t20. 08.", "Digitalisierung 20.08."),
    ],
)
def test_keyword_matches_whatever_the_case_spacing_quotes_and_dots(written, stored):
    assert normalize_keyword(written) == normalize_keyword(stored)


@pytest.mark.parametrize(
    ("written", "stored"), [("Digitalisierung 20.08.", "Digitalisierung 21.08."), ("Trikala", "Trikala 2")]
)
def test_different_keywords_stay_different(written, stored):
    assert normalize_keyword(written) != normalize_keyword(stored)
