import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client, override_settings

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
    for _ in range(5):
        assert attempt(client, "orga", "wrong").status_code == 200

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


@override_settings(RATE_LIMITS={"login": (1000, 60)})
def test_one_client_trying_many_usernames_is_locked(organiser):
    client = Client()
    for number in range(20):
        assert attempt(client, f"user{number}", "wrong").status_code == 200
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
