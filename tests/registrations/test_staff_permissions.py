"""Only the organisers of an event (and superusers) see or change it on the staff pages.

Three actors: an organiser of this event, an organiser of another event (404: the event's
existence is not given away), and an anonymous visitor (sent to the login)."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from events.models import AuditEntry, SeatPool
from registrations.models import Registration
from tests.factories import make_user
from tests.registrations.staff_helpers import client_of, enter, statuses

pytest_plugins = ["tests.registrations.staff_fixtures"]
pytestmark = pytest.mark.usefixtures("staff_english")

PAGES = ["event", "registrations", "export", "phone"]


@pytest.fixture
def staff_registration(staff_event, staff_now):
    return enter(staff_event, "Erika Musterfrau", seat="online", at=staff_now - timedelta(hours=1))


def page_urls(event, registration) -> list[str]:
    return [reverse(f"staff:{name}", args=[event.slug]) for name in PAGES] + [
        reverse("staff:registration", args=[event.slug, registration.pk])
    ]


def change_requests(event, registration) -> list[tuple[str, dict]]:
    return [
        (reverse("staff:phone", args=[event.slug]), {"name": "Eindringling", "phone": "1", "seat_type": "online"}),
        (reverse("staff:release", args=[event.slug, "onsite"]), {"onsite-count": "1"}),
        (reverse("staff:allocate", args=[event.slug]), {}),
        (reverse("staff:cancel", args=[event.slug, registration.pk]), {}),
    ]


def test_the_organiser_of_the_event_sees_every_page(staff_client, staff_event, staff_registration):
    for url in [reverse("staff:dashboard"), *page_urls(staff_event, staff_registration)]:
        assert staff_client.get(url).status_code == 200, url


def test_a_superuser_sees_every_page_without_being_in_the_team(staff_event, staff_registration):
    client = client_of(make_user("admin", email="admin@stadt.example", superuser=True))

    for url in page_urls(staff_event, staff_registration):
        assert client.get(url).status_code == 200, url


def test_an_organiser_of_another_event_finds_nothing(
    staff_outsider, staff_other_event, staff_event, staff_registration
):
    client = client_of(staff_outsider)

    for url in page_urls(staff_event, staff_registration):
        assert client.get(url).status_code == 404, url


def test_an_organiser_of_another_event_changes_nothing(
    staff_outsider, staff_other_event, staff_event, staff_registration
):
    client = client_of(staff_outsider)
    before = statuses(staff_event)

    for url, data in change_requests(staff_event, staff_registration):
        assert client.post(url, data).status_code == 404, url

    assert statuses(staff_event) == before
    assert SeatPool.objects.get(event=staff_event, seat_type="onsite").reserved == 1
    assert not AuditEntry.objects.filter(event=staff_event, actor=staff_outsider).exists()


def test_a_registration_is_not_found_under_another_event(staff_client, staff_organiser, staff_other_event, staff_event):
    staff_other_event.team.add(staff_organiser)
    foreign = enter(staff_other_event, "Fremd", seat="online", at=staff_other_event.registration_opens_at)

    response = staff_client.get(reverse("staff:registration", args=[staff_event.slug, foreign.pk]))

    assert response.status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_login(client, staff_event, staff_registration):
    for url in [reverse("staff:dashboard"), *page_urls(staff_event, staff_registration)]:
        response = client.get(url)
        assert response.status_code == 302, url
        target = urlsplit(response.url)
        assert target.path == reverse("staff:login")
        assert target.query == f"next={url}"


def test_an_anonymous_visitor_changes_nothing(client, staff_event, staff_registration):
    before = statuses(staff_event)

    for url, data in change_requests(staff_event, staff_registration):
        response = client.post(url, data)
        assert response.status_code == 302, url
        assert urlsplit(response.url).path == reverse("staff:login")

    assert statuses(staff_event) == before
    assert Registration.objects.count() == 1


def test_the_dashboard_lists_only_the_organisers_own_events(staff_client, staff_event, staff_other_event):
    html = staff_client.get(reverse("staff:dashboard")).content.decode()

    assert reverse("staff:event", args=[staff_event.slug]) in html
    assert staff_other_event.slug not in html
