"""The consent link and the reconfirm link open only what their purpose needs: their pages hand
out no manage link (which opens changes, the ticket and the access data; findings L3). The
consent page cancels itself, because withdrawing the terms means not taking part."""

import pytest
from django.urls import reverse

from registrations.links import MANAGE_SALT, consent_url, manage_token, reconfirm_url
from registrations.models import Registration, Status
from tests.factories import register

pytestmark = pytest.mark.django_db


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


@pytest.fixture
def registration(make_event, person, now):
    return register(make_event(format="onsite", onsite=2), person(name="Clara"), now)


def test_the_consent_page_gives_no_manage_link(client, registration):
    page = client.get(path_of(consent_url(registration)))

    assert page.status_code == 200
    assert manage_token(registration) not in page.text
    assert "/anmeldung/" not in page.text
    assert 'name="kind" value="terms"' in page.text


def test_the_reconfirm_page_gives_no_manage_link(client, registration):
    page = client.get(path_of(reconfirm_url(registration)))

    assert page.status_code == 200
    assert manage_token(registration) not in page.text
    assert "/anmeldung/" not in page.text


def test_withdrawing_the_terms_on_the_consent_page_cancels_after_confirming(client, registration):
    path = path_of(consent_url(registration))

    answer = client.post(path, {"kind": "terms", "confirm": "on"}, follow=True)

    assert answer.status_code == 200
    assert Registration.objects.get(pk=registration.pk).status == Status.CANCELLED
    assert answer.redirect_chain[-1][0] == path
    assert 'value="terms"' not in answer.text


def test_cancelling_without_ticking_the_box_cancels_nothing(client, registration):
    answer = client.post(path_of(consent_url(registration)), {"kind": "terms"})

    assert answer.status_code == 422
    assert Registration.objects.get(pk=registration.pk).status == Status.CONFIRMED
    assert "kern-error" in answer.text or "error" in answer.text


def test_a_manage_token_opens_no_consent_page_and_a_consent_token_no_manage_page(client, registration):
    consent_token = path_of(consent_url(registration)).rstrip("/").rsplit("/", 1)[1]

    assert (
        client.get(reverse("registrations:consent", args=[manage_token(registration, salt=MANAGE_SALT)])).status_code
        == 404
    )
    assert client.get(reverse("registrations:manage", args=[consent_token])).status_code == 404
    assert client.post(reverse("registrations:cancel", args=[consent_token]), {"confirm": "on"}).status_code == 404
    assert Registration.objects.get(pk=registration.pk).status == Status.CONFIRMED


def test_a_forged_consent_link_cancels_nothing(client, registration):
    answer = client.post(reverse("registrations:consent", args=["forged"]), {"kind": "terms", "confirm": "on"})

    assert answer.status_code == 404
    assert Registration.objects.get(pk=registration.pk).status == Status.CONFIRMED
