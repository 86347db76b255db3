import pytest
from django.core.cache import cache

from core.clients import parse_networks
from registrations.models import Registration

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counts(settings):
    cache.clear()
    settings.RATE_LIMITS = {"register": (3, 60)}
    yield
    cache.clear()


def body(number):
    return {"name": f"P {number}", "email": f"p{number}@example.org", "seat": "online", "accept_terms": True}


def test_api_answers_429_with_retry_after_beyond_the_limit_and_saves_nothing(client, make_event):
    event = make_event(format="online")
    url = f"/api/events/{event.slug}/registrations"
    codes = [client.post(url, body(n), content_type="application/json").status_code for n in range(4)]
    assert codes == [202, 202, 202, 429]
    limited = client.post(url, body(9), content_type="application/json")
    assert limited.json()["code"] == "rate_limited" and limited["Retry-After"] == "60"
    assert Registration.objects.count() == 3


def test_the_form_shows_a_friendly_page_when_limited(client, make_event):
    event = make_event(format="online")
    url = f"/veranstaltungen/{event.slug}/anmelden/"
    for number in range(3):
        client.post(
            url,
            {
                "name": "x",
                "email": f"f{number}@example.org",
                "seat_type": "online",
                "language": "de",
                "accept_terms": "on",
            },
        )
    limited = client.post(
        url, {"name": "x", "email": "late@example.org", "seat_type": "online", "language": "de", "accept_terms": "on"}
    )
    assert limited.status_code == 429
    assert "<form" not in limited.text or "anmelden" not in limited.text
    assert not Registration.objects.filter(email="late@example.org").exists()


def test_organisers_entering_phone_calls_are_not_limited(client, make_event, organiser, bearer):
    event = make_event(format="online", organiser=organiser)
    url = f"/api/events/{event.slug}/registrations"
    for number in range(5):
        data = {**body(number), "channel": "phone", "phone": "0231"}
        assert client.post(url, data, content_type="application/json", headers=bearer(organiser)).status_code == 201


def through_proxy(client, url, data, *, forwarded, proxy="10.0.0.1"):
    return client.post(url, data, content_type="application/json", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=forwarded)


def test_behind_a_trusted_proxy_each_citizen_has_their_own_limit(client, make_event, settings):
    settings.TRUSTED_PROXIES = parse_networks("10.0.0.1")
    event = make_event(format="online")
    url = f"/api/events/{event.slug}/registrations"
    codes = [through_proxy(client, url, body(n), forwarded=f"203.0.113.{n}").status_code for n in range(10)]
    assert codes == [202] * 10


def test_behind_an_untrusted_proxy_everyone_shares_its_address(client, make_event, settings):
    settings.TRUSTED_PROXIES = []
    event = make_event(format="online")
    url = f"/api/events/{event.slug}/registrations"
    codes = [through_proxy(client, url, body(n), forwarded=f"203.0.113.{n}").status_code for n in range(4)]
    assert codes == [202, 202, 202, 429]


def test_a_citizen_forging_forwarded_addresses_stays_one_client(client, make_event, settings):
    settings.TRUSTED_PROXIES = parse_networks("10.0.0.1")
    event = make_event(format="online")
    url = f"/api/events/{event.slug}/registrations"
    codes = [
        through_proxy(client, url, body(n), forwarded=f"198.51.100.{n}, 203.0.113.5").status_code for n in range(4)
    ]
    assert codes == [202, 202, 202, 429]
