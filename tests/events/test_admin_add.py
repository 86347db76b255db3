"""The admin saves events through the services: an added event is created by
`events.services.create_event` (keyword lock, seat pools, terms, team, audit, announcement), and
a save the service refuses after the form's own checks passed (another save came in between)
shows the form again with the reason, never a 500."""

import json
import threading
from datetime import timedelta

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from events.admin import EventAdmin
from events.models import AuditEntry, Event
from events.services import VenueData, find_or_create_venue
from events.signals import event_published
from tests.events.test_admin import change_form_data

ADD_URL = reverse("admin:events_event_add")
CHANGELIST = reverse("admin:events_event_changelist")


def add_form_data(*, seats: dict[str, tuple[int, int]], **fields) -> dict:
    """What the admin's add form posts: an event in three weeks with the given seat pool rows."""
    starts_at = timezone.localtime(timezone.now() + timedelta(days=21)).replace(hour=18, minute=0, second=0)
    moments = {
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=2),
        "registration_opens_at": starts_at - timedelta(days=20),
        "registration_closes_at": starts_at - timedelta(days=1),
    }
    data = {
        "slug": "stadtteilgespraech-nord",
        "title_de": "Stadtteilgespräch Nord",
        "title_en": "",
        "description_de": "",
        "description_en": "",
        "format": "online",
        "venue": "",
        "keyword": "",
        "registration_email": "",
        "registration_phone": "",
        "allocation": "first_come",
        "livestream_url": "",
        "interpretation_languages": json.dumps([]),
        "status": "published",
        "retention_days": "",
        "reminder_hours_before": 24,
        "seat_pools-TOTAL_FORMS": len(seats),
        "seat_pools-INITIAL_FORMS": 0,
        "seat_pools-MIN_NUM_FORMS": 0,
        "seat_pools-MAX_NUM_FORMS": 1000,
    }
    for name, moment in moments.items():
        data[f"{name}_0"], data[f"{name}_1"] = moment.strftime("%Y-%m-%d"), moment.strftime("%H:%M:%S")
    for index, (seat_type, (capacity, reserved)) in enumerate(seats.items()):
        row = f"seat_pools-{index}-"
        data.update({f"{row}seat_type": seat_type, f"{row}capacity": capacity, f"{row}reserved": reserved})
    data.update(fields)
    return data


def pools(event) -> dict[str, tuple[int, int]]:
    return {pool.seat_type: (pool.capacity, pool.reserved) for pool in event.seat_pools.all()}


@pytest.fixture
def meanwhile(monkeypatch):
    """Runs `change` once, after the admin form and its inline rows have passed all their checks
    and before the admin saves, as another organiser's save that commits in between. On
    PostgreSQL it runs in a thread with its own connection and commits for real; SQLite has one
    writer at a time, so there it runs in the request's own transaction and is rolled back with it."""

    def install(change):
        save = EventAdmin.save_model
        pending = [change]

        def change_then_save(admin, request, obj, form, change_flag):
            if pending:
                run_elsewhere(pending.pop())
            return save(admin, request, obj, form, change_flag)

        monkeypatch.setattr(EventAdmin, "save_model", change_then_save)

    return install


def run_elsewhere(change):
    if connection.vendor != "postgresql":
        change()
        return
    failures = []

    def run():
        try:
            change()
        except Exception as failure:  # reported in the test's own thread, below
            failures.append(failure)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert not failures, failures


def form_errors(response) -> dict:
    return response.context["adminform"].form.errors


# Adding


@pytest.mark.django_db
def test_organiser_adds_an_event_the_way_the_service_creates_it(client, organiser):
    announced = []

    def listen(sender, event, **details):
        announced.append(event.slug)

    event_published.connect(listen)
    client.force_login(organiser.user)
    venue = find_or_create_venue(VenueData("DIEZE", "Erinstraße 6, 44575 Castrop-Rauxel"))
    data = add_form_data(
        seats={"onsite": (30, 2), "online": (60, 0)},
        format="hybrid",
        venue=venue.pk,
        keyword="Nord 12.03.",
        livestream_url="https://stream.example.org/nord",
    )

    try:
        response = client.post(ADD_URL, data)
    finally:
        event_published.disconnect(listen)

    assert response.status_code == 302, response.context and form_errors(response)
    assert response.url == CHANGELIST
    event = Event.objects.get()
    assert (event.slug, event.title_de, event.venue, event.keyword_normalized) == (
        "stadtteilgespraech-nord",
        "Stadtteilgespräch Nord",
        venue,
        "nord1203",
    )
    assert pools(event) == {"onsite": (30, 2), "online": (60, 0)}
    terms = event.consent_terms.get()
    assert (terms.version, terms.broadcast_consent_required) == (1, True)
    assert list(event.team.all()) == [organiser.user]
    assert AuditEntry.objects.filter(event=event, action="event.created", actor=organiser.user).count() == 1
    assert announced == [event.slug]
    assert LogEntry.objects.get(object_id=str(event.pk)).action_flag == ADDITION


@pytest.mark.django_db
def test_save_and_continue_after_adding_opens_the_new_event(client, organiser):
    client.force_login(organiser.user)

    response = client.post(ADD_URL, add_form_data(seats={"online": (60, 0)}, _continue="1"))

    assert response.status_code == 302
    assert response.url == reverse("admin:events_event_change", args=[Event.objects.get().pk])


@pytest.mark.django_db
def test_an_online_event_added_with_a_livestream_asks_no_broadcast_consent(client, organiser):
    # Nobody is filmed at an online-only event: the service's rule, which the admin used to skip.
    client.force_login(organiser.user)

    client.post(ADD_URL, add_form_data(seats={"online": (60, 0)}, livestream_url="https://stream.example.org/x"))

    assert Event.objects.get().consent_terms.get().broadcast_consent_required is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("seats", "changes", "field"),
    [
        ({}, {}, None),  # an online event needs online seats
        ({"online": (10, 20)}, {}, None),
        ({"online": (60, 0)}, {"format": "hybrid"}, "venue"),
    ],
    ids=["no seats", "more reserved than seats", "hybrid without venue"],
)
def test_adding_an_invalid_event_shows_the_errors_and_saves_nothing(client, organiser, seats, changes, field):
    client.force_login(organiser.user)

    response = client.post(ADD_URL, add_form_data(seats=seats, **changes))

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.has_error(field) if field else form.non_field_errors()
    assert not Event.objects.exists()
    assert not AuditEntry.objects.filter(action="event.created").exists()


@pytest.mark.django_db
def test_adding_with_a_keyword_another_open_event_holds_shows_the_form_error(client, organiser, make_event):
    make_event(keyword="Nord 12.03.")
    client.force_login(organiser.user)

    response = client.post(ADD_URL, add_form_data(seats={"online": (60, 0)}, keyword="nord 1203"))

    assert response.status_code == 200
    assert response.context["adminform"].form.has_error("keyword")
    assert Event.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_keyword_taken_while_the_add_form_was_checked_is_a_form_error_not_a_500(
    client, organiser, make_event, meanwhile
):
    meanwhile(lambda: make_event(title_de="Schneller", keyword="Nord 12.03."))
    client.force_login(organiser.user)

    response = client.post(ADD_URL, add_form_data(seats={"online": (60, 0)}, keyword="Nord 12.03."))

    assert response.status_code == 200
    errors = form_errors(response)
    assert list(errors) == ["keyword"]
    assert errors["keyword"] == [
        "Das Stichwort „Nord 12.03.“ wird schon von „Schneller“ verwendet, wofür die Anmeldung offen ist."
    ]
    assert response.context["adminform"].form["title_de"].value() == "Stadtteilgespräch Nord"
    assert not Event.objects.filter(title_de="Stadtteilgespräch Nord").exists()


@pytest.mark.django_db(transaction=True)
def test_a_slug_taken_while_the_add_form_was_checked_is_a_form_error_not_a_500(
    client, organiser, make_event, meanwhile
):
    meanwhile(lambda: Event.objects.filter(pk=make_event().pk).update(slug="stadtteilgespraech-nord"))
    client.force_login(organiser.user)

    response = client.post(ADD_URL, add_form_data(seats={"online": (60, 0)}))

    assert response.status_code == 200
    assert list(form_errors(response)) == ["slug"]
    assert len(form_errors(response)["slug"]) == 1
    assert not Event.objects.filter(title_de="Stadtteilgespräch Nord").exists()


@pytest.mark.django_db
def test_anonymous_cannot_add_an_event(client):
    response = client.post(ADD_URL, add_form_data(seats={"online": (60, 0)}))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_a_signed_in_citizen_without_staff_status_cannot_add_an_event(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("citizen"))

    response = client.post(ADD_URL, add_form_data(seats={"online": (60, 0)}))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_an_event_added_by_one_organiser_is_not_another_teams(client, organiser, other_organiser):
    client.force_login(organiser.user)
    client.post(ADD_URL, add_form_data(seats={"online": (60, 0)}))
    event = Event.objects.get()
    client.force_login(other_organiser.user)

    assert list(client.get(CHANGELIST).context["cl"].queryset) == []
    assert client.get(reverse("admin:events_event_change", args=[event.pk])).status_code in {302, 403, 404}


# Changing


@pytest.mark.django_db(transaction=True)
def test_a_keyword_taken_while_the_change_form_was_checked_is_a_form_error_not_a_500(
    client, organiser, make_event, meanwhile
):
    event = make_event(title_de="Langsam", team=[organiser])
    meanwhile(lambda: make_event(title_de="Schneller", keyword="Nord 12.03."))
    client.force_login(organiser.user)

    response = client.post(
        reverse("admin:events_event_change", args=[event.pk]),
        change_form_data(event, keyword="Nord 12.03.", title_de="Langsam, neu"),
    )

    assert response.status_code == 200
    assert list(form_errors(response)) == ["keyword"]
    event.refresh_from_db()
    assert (event.title_de, event.keyword) == ("Langsam", "")
    assert not event.audit_entries.filter(action="event.updated").exists()
