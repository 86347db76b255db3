"""Pages behind a personal link keep the site's `same-origin` referrer policy, so that a browser
posts their forms with the site's Origin and the CSRF check accepts them (findings D1: under
`no-referrer` Chromium sent `Origin: null` and every cancel, change and erasure answered 403)."""

from urllib.parse import urlsplit

import pytest
from django.test import Client

from registrations.links import cancel_url, consent_url, details_url, manage_url, reconfirm_url
from registrations.models import Status
from tests.factories import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration(make_event, person, now):
    return register(make_event(), person(), now)


def path(url: str) -> str:
    return urlsplit(url).path


@pytest.mark.parametrize("link", [manage_url, cancel_url, details_url, consent_url, reconfirm_url])
def test_personal_pages_send_the_sites_same_origin_referrer_policy(client, registration, link):
    page = client.get(path(link(registration)))

    assert page["Referrer-Policy"] == "same-origin"
    assert page["Cache-Control"] == "private, no-store"


def browser_post(client: Client, url: str, data: dict, *, origin: str):
    """A form post as Chromium sends it: the CSRF cookie and field from the page, and an Origin."""
    client.get(url)
    token = client.cookies["csrftoken"].value
    return client.post(url, {"csrfmiddlewaretoken": token, **data}, headers={"Origin": origin})


def test_a_cancellation_posted_with_the_sites_origin_is_accepted(registration):
    browser = Client(enforce_csrf_checks=True)

    answer = browser_post(browser, path(cancel_url(registration)), {"confirm": "on"}, origin="http://testserver")

    assert answer.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Status.CANCELLED


def test_control_the_same_post_with_origin_null_is_refused(registration):
    browser = Client(enforce_csrf_checks=True)

    answer = browser_post(browser, path(cancel_url(registration)), {"confirm": "on"}, origin="null")

    assert answer.status_code == 403
    registration.refresh_from_db()
    assert registration.status != Status.CANCELLED
