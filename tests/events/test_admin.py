"""The Django admin for organisers: each team sees and changes only its own events."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

CHANGELIST = reverse("admin:events_event_changelist")


def change_url(event) -> str:
    return reverse("admin:events_event_change", args=[event.pk])


def change_form_data(event, **changes) -> dict:
    """What the admin's change form posts for this event, with some fields changed."""
    data = {
        "slug": event.slug,
        "title_de": event.title_de,
        "title_en": event.title_en,
        "description_de": event.description_de,
        "description_en": event.description_en,
        "format": event.format,
        "venue": event.venue_id or "",
        "keyword": event.keyword,
        "registration_email": event.registration_email,
        "registration_phone": event.registration_phone,
        "allocation": event.allocation,
        "livestream_url": event.livestream_url,
        "interpretation_languages": json.dumps(event.interpretation_languages),
        "status": event.status,
    }
    for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
        moment = timezone.localtime(changes.pop(name, getattr(event, name)))
        data[f"{name}_0"], data[f"{name}_1"] = moment.strftime("%Y-%m-%d"), moment.strftime("%H:%M:%S")
    pools = list(event.seat_pools.all())
    data.update(
        {
            "seat_pools-TOTAL_FORMS": len(pools),
            "seat_pools-INITIAL_FORMS": len(pools),
            "seat_pools-MIN_NUM_FORMS": 0,
            "seat_pools-MAX_NUM_FORMS": 1000,
        }
    )
    for index, pool in enumerate(pools):
        row = f"seat_pools-{index}-"
        data.update(
            {
                f"{row}id": pool.pk,
                f"{row}event": event.pk,
                f"{row}seat_type": pool.seat_type,
                f"{row}capacity": pool.capacity,
                f"{row}reserved": pool.reserved,
            }
        )
    data.update(changes)
    return data


@pytest.fixture
def event_a(make_event, organiser):
    return make_event(title_de="Veranstaltung A", format="online", team=[organiser])


@pytest.fixture
def event_b(make_event, other_organiser):
    return make_event(title_de="Veranstaltung B", format="online", team=[other_organiser])


@pytest.mark.django_db
def test_organiser_sees_only_the_events_of_their_team(client, organiser, event_a, event_b):
    client.force_login(organiser.user)

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    assert list(response.context["cl"].queryset) == [event_a]


@pytest.mark.django_db
def test_organiser_changes_their_own_event(client, organiser, event_a):
    client.force_login(organiser.user)

    response = client.post(change_url(event_a), change_form_data(event_a, title_de="Neuer Titel"))

    assert response.status_code == 302, response.context and response.context["errors"]
    event_a.refresh_from_db()
    assert event_a.title_de == "Neuer Titel"
    assert event_a.audit_entries.filter(action="event.updated", actor=organiser.user).exists()


@pytest.mark.django_db
def test_admin_applies_the_event_rules(client, organiser, event_a):
    client.force_login(organiser.user)
    data = change_form_data(
        event_a, title_de="Neuer Titel", registration_closes_at=event_a.starts_at + timedelta(hours=1)
    )

    response = client.post(change_url(event_a), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.has_error("registration_closes_at")
    event_a.refresh_from_db()
    assert event_a.title_de == "Veranstaltung A"


@pytest.mark.django_db
def test_organiser_cannot_open_another_teams_event(client, organiser, event_a, event_b):
    client.force_login(organiser.user)

    response = client.get(change_url(event_b))

    assert response.status_code in {302, 403, 404}
    if response.status_code == 302:
        assert response.url != change_url(event_b)


@pytest.mark.django_db
def test_organiser_cannot_change_another_teams_event(client, organiser, event_a, event_b):
    client.force_login(organiser.user)

    response = client.post(change_url(event_b), change_form_data(event_b, title_de="Übernommen"))

    assert response.status_code in {302, 403, 404}
    event_b.refresh_from_db()
    assert event_b.title_de == "Veranstaltung B"


@pytest.mark.django_db
def test_organiser_cannot_delete_an_event(client, organiser, event_a):
    client.force_login(organiser.user)

    response = client.post(reverse("admin:events_event_delete", args=[event_a.pk]), {"post": "yes"})

    assert response.status_code == 403
    assert type(event_a).objects.filter(pk=event_a.pk).exists()


@pytest.mark.django_db
def test_superuser_sees_every_event(admin_client, event_a, event_b):
    response = admin_client.get(CHANGELIST)

    assert set(response.context["cl"].queryset) == {event_a, event_b}


@pytest.mark.django_db
def test_anonymous_gets_the_login_page(client, event_a):
    for url in (CHANGELIST, change_url(event_a)):
        response = client.get(url)

        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_anonymous_post_changes_nothing(client, event_a):
    response = client.post(change_url(event_a), change_form_data(event_a, title_de="Übernommen"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    event_a.refresh_from_db()
    assert event_a.title_de == "Veranstaltung A"


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["consentterms", "auditentry"])
def test_organiser_sees_terms_and_audit_of_their_own_events_only(client, organiser, event_a, event_b, model):
    own = event_a.consent_terms.get() if model == "consentterms" else event_a.audit_entries.get()
    other = event_b.consent_terms.get() if model == "consentterms" else event_b.audit_entries.get()
    client.force_login(organiser.user)

    listed = client.get(reverse(f"admin:events_{model}_changelist")).context["cl"].queryset

    assert list(listed) == [own]
    assert client.get(reverse(f"admin:events_{model}_change", args=[own.pk])).status_code == 200
    assert client.get(reverse(f"admin:events_{model}_change", args=[other.pk])).status_code in {302, 403, 404}
