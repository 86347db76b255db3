"""Organisers revoke a registration's personal links from its page on the staff pages.

Three actors: the organiser of the event (the old links stop working, the history says who did
it), an organiser of another event (404, nothing changes) and an anonymous visitor (sent to the
login, nothing changes)."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import translation

from events.models import AuditEntry
from registrations.links import cancel_url, consent_url, manage_path
from registrations.models import Registration
from tests.registrations.staff_helpers import client_of, enter

pytest_plugins = ["tests.registrations.staff_fixtures"]
pytestmark = pytest.mark.usefixtures("staff_english")


@pytest.fixture
def staff_registration(staff_event, staff_now):
    return enter(staff_event, "Erika Musterfrau", seat="online", at=staff_now - timedelta(hours=1))


def revoke_url(registration) -> str:
    return reverse("staff:revoke_links", args=[registration.event.slug, registration.pk])


def personal_paths(registration) -> list[str]:
    return [manage_path(registration)] + [
        urlsplit(url).path for url in (cancel_url(registration), consent_url(registration))
    ]


def revocations(registration):
    return AuditEntry.objects.filter(action="registration.links_revoked", target_id=registration.pk)


def test_the_organiser_revokes_the_links_and_the_old_ones_stop_working(
    client, staff_client, staff_registration, staff_organiser
):
    old = personal_paths(staff_registration)
    assert [client.get(path).status_code for path in old] == [200, 200, 200]

    response = staff_client.post(revoke_url(staff_registration))

    assert response.status_code == 302
    assert response.url == reverse("staff:registration", args=[staff_registration.event.slug, staff_registration.pk])
    assert [client.get(path).status_code for path in old] == [404, 404, 404]
    staff_registration.refresh_from_db()
    assert client.get(manage_path(staff_registration)).status_code == 200, "the link of the next mail works"
    assert revocations(staff_registration).get().actor == staff_organiser
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "no longer work" in message and "No new link was sent" in message


def test_the_revocation_shows_in_the_registrations_history(staff_client, staff_registration):
    staff_client.post(revoke_url(staff_registration))

    page = staff_client.get(reverse("staff:registration", args=[staff_registration.event.slug, staff_registration.pk]))

    row = page.text[page.text.rindex("<tr", 0, page.text.index("Personal links revoked")) :].split("</tr>")[0]
    assert ">orga<" in row


def test_the_button_and_the_message_speak_german_on_german_pages(staff_client, staff_registration):
    with translation.override("de"):
        detail = reverse("staff:registration", args=[staff_registration.event.slug, staff_registration.pk])
        assert "Persönliche Links sperren" in staff_client.get(detail).text
        response = staff_client.post(revoke_url(staff_registration), follow=True)
    assert "funktionieren nicht mehr" in response.text
    assert "Persönliche Links gesperrt" in response.text


def test_the_detail_page_offers_the_button_as_a_csrf_protected_form(staff_client, staff_registration):
    page = staff_client.get(reverse("staff:registration", args=[staff_registration.event.slug, staff_registration.pk]))

    form_start = page.text.index(f'action="{revoke_url(staff_registration)}"')
    form = page.text[page.text.rindex("<form", 0, form_start) : page.text.index("</form>", form_start)]
    assert 'method="post"' in form and "csrfmiddlewaretoken" in form
    assert "Revoke personal links" in form and 'aria-describedby="links-hint"' in form


def test_a_post_without_the_csrf_token_is_refused(staff_organiser, staff_registration):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_organiser)
    old = manage_path(staff_registration)

    assert client.post(revoke_url(staff_registration)).status_code == 403

    assert not revocations(staff_registration).exists()
    assert Client().get(old).status_code == 200


def test_a_get_changes_nothing(staff_client, staff_registration):
    assert staff_client.get(revoke_url(staff_registration)).status_code == 405
    assert not revocations(staff_registration).exists()


def test_an_organiser_of_another_event_cannot_revoke(client, staff_outsider, staff_other_event, staff_registration):
    old = manage_path(staff_registration)

    assert client_of(staff_outsider).post(revoke_url(staff_registration)).status_code == 404

    assert client.get(old).status_code == 200
    assert not revocations(staff_registration).exists()


def test_an_anonymous_visitor_is_sent_to_the_login(client, staff_registration):
    old = manage_path(staff_registration)

    response = client.post(revoke_url(staff_registration))

    assert response.status_code == 302 and urlsplit(response.url).path == reverse("staff:login")
    assert client.get(old).status_code == 200
    assert not revocations(staff_registration).exists()


def test_an_unknown_registration_or_one_under_another_event_is_not_found(
    staff_client, staff_organiser, staff_event, staff_other_event
):
    staff_other_event.team.add(staff_organiser)
    foreign = enter(staff_other_event, "Fremd", seat="online", at=staff_other_event.registration_opens_at)
    version = foreign.manage_link_version

    assert staff_client.post(reverse("staff:revoke_links", args=[staff_event.slug, foreign.pk])).status_code == 404
    assert staff_client.post(reverse("staff:revoke_links", args=[staff_event.slug, 999_999])).status_code == 404

    assert Registration.objects.get(pk=foreign.pk).manage_link_version == version
