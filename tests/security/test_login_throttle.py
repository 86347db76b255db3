import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from core.clients import parse_networks

LOGIN = "/en/admin/login/"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def organiser(db):
    return get_user_model().objects.create_user("orga", password="correct-horse-battery", is_staff=True)


def attempt(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/en/admin/"})


def test_five_failed_logins_lock_the_username_with_a_friendly_429(organiser):
    client = Client()
    for _ in range(4):
        assert attempt(client, "orga", "wrong").status_code == 200
    assert attempt(client, "orga", "wrong").status_code == 429

    locked = attempt(client, "orga", "correct-horse-battery")
    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"
    assert b"Too many failed sign-in attempts" in locked.content
    assert b"15 minutes" in locked.content
    assert "_auth_user_id" not in client.session


def test_the_lock_holds_for_the_username_from_another_client_too(organiser):
    for number in range(5):
        attempt(Client(REMOTE_ADDR=f"10.0.0.{number}"), "ORGA ", "wrong")
    assert attempt(Client(REMOTE_ADDR="10.0.1.1"), "orga", "correct-horse-battery").status_code == 429


def test_other_usernames_and_correct_logins_are_not_locked_by_a_few_failures(organiser):
    client = Client()
    for _ in range(4):
        attempt(client, "orga", "wrong")
    assert attempt(client, "orga", "correct-horse-battery").status_code == 302
    client.logout()
    # The success cleared the count: four more failures still do not lock.
    for _ in range(4):
        assert attempt(client, "orga", "wrong").status_code == 200
    assert attempt(client, "someone", "wrong").status_code == 200


def test_one_client_trying_many_usernames_is_locked(organiser):
    client = Client()
    for number in range(19):
        assert attempt(client, f"user{number}", "wrong").status_code == 200
    assert attempt(client, "user19", "wrong").status_code == 429
    assert attempt(client, "orga", "correct-horse-battery").status_code == 429
    assert attempt(Client(REMOTE_ADDR="10.9.9.9"), "orga", "correct-horse-battery").status_code == 302


def test_the_lock_ends_after_its_time(organiser):
    client = Client()
    with time_machine.travel("2026-03-02 09:00 +01:00", tick=False) as traveller:
        for _ in range(5):
            attempt(client, "orga", "wrong")
        traveller.shift(14 * 60)
        assert attempt(client, "orga", "correct-horse-battery").status_code == 429
        traveller.shift(60 + 1)
        assert attempt(client, "orga", "correct-horse-battery").status_code == 302


def test_the_login_page_itself_still_shows(db):
    response = Client().get(LOGIN)
    assert response.status_code == 200
    assert b'name="password"' in response.content


def test_only_failed_logins_count(organiser):
    client = Client()
    for _ in range(12):
        assert attempt(client, "orga", "correct-horse-battery").status_code == 302
        client.logout()
    assert not AccessAttempt.objects.exists()


def behind_proxy(forwarded):
    return Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)


def test_strangers_behind_the_trusted_proxy_do_not_lock_out_an_organiser(organiser, settings):
    settings.TRUSTED_PROXIES = parse_networks("10.0.0.1")
    for number in range(25):
        attempt(behind_proxy(f"203.0.113.{number}"), f"nobody{number}", "wrong")
    assert attempt(behind_proxy("198.51.100.7"), "orga", "correct-horse-battery").status_code == 302


def test_one_guesser_behind_the_proxy_is_locked_as_one_client_even_when_forging(organiser, settings):
    settings.TRUSTED_PROXIES = parse_networks("10.0.0.1")
    for number in range(20):
        attempt(behind_proxy(f"192.0.2.{number}, 203.0.113.66"), f"user{number}", "wrong")
    assert attempt(behind_proxy("203.0.113.66"), "orga", "correct-horse-battery").status_code == 429
    assert attempt(behind_proxy("198.51.100.7"), "orga", "correct-horse-battery").status_code == 302


def test_failed_attempts_are_kept_with_the_real_client_and_shown_in_the_admin(organiser, settings):
    settings.TRUSTED_PROXIES = parse_networks("10.0.0.1")
    attempt(behind_proxy("2001:db8::7"), "Orga", "wrong")
    kept = AccessAttempt.objects.get()
    assert (kept.username, kept.ip_address, kept.failures_since_start) == ("orga", "2001:db8::7", 1)

    get_user_model().objects.create_superuser("chief", password="another-long-secret")
    admin = Client()
    admin.force_login(get_user_model().objects.get(username="chief"))
    listing = admin.get("/en/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "2001:db8::7" in listing.text


def test_a_failure_from_an_unknown_address_is_kept_without_one(organiser):
    assert attempt(Client(REMOTE_ADDR=""), "orga", "wrong").status_code == 200
    assert AccessAttempt.objects.get().ip_address is None


def test_an_operator_unlocks_a_username_with_axes_reset(organiser):
    for _ in range(5):
        attempt(Client(), "orga", "wrong")
    assert attempt(Client(), "orga", "correct-horse-battery").status_code == 429
    call_command("axes_reset_username", "orga")
    assert attempt(Client(), "orga", "correct-horse-battery").status_code == 302


@pytest.mark.urls("tests.security.plain_login_urls")
def test_a_plain_login_view_is_locked_by_the_same_failures(organiser):
    client = Client()
    for _ in range(3):
        assert client.post("/plain-login/", {"username": "orga", "password": "wrong"}).status_code == 200
    for _ in range(2):
        attempt(client, "orga", "wrong")
    locked = client.post("/plain-login/", {"username": "orga", "password": "correct-horse-battery"})
    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"
    assert "_auth_user_id" not in client.session
