"""The organisers' own login page (/organisation/anmelden/): the site's look in both languages,
Django's authentication behind it, the dashboard after it, never the admin; logout by POST."""

import pytest
from django.contrib.auth.signals import user_login_failed
from django.test import Client
from django.urls import reverse

from tests.factories import make_user

pytest_plugins = ["tests.registrations.staff_fixtures"]
pytestmark = pytest.mark.django_db
PASSWORD = "Rathaus-Anmeldung-2026"
LOGIN = "/organisation/anmelden/"


@pytest.fixture
def organiser():
    return make_user("anna", password=PASSWORD)


def log_in(client, username="anna", password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def test_the_login_page_has_the_site_s_header_and_footer_in_german(client):
    page = client.get(LOGIN)

    assert page.status_code == 200
    assert '<html lang="de"' in page.text
    assert "Anmeldung für Organisatorinnen und Organisatoren" in page.text
    assert 'class="site-header"' in page.text and 'class="site-footer"' in page.text
    assert 'name="username"' in page.text and 'name="password"' in page.text
    assert "Django" not in page.text


def test_the_login_page_in_english(client):
    page = client.get("/en" + LOGIN)

    assert page.status_code == 200
    assert '<html lang="en"' in page.text
    assert "Log in for organisers" in page.text


def test_after_login_the_organiser_lands_on_the_dashboard(client, organiser):
    answer = log_in(client)

    assert answer.status_code == 302 and answer["Location"] == reverse("staff:dashboard")
    assert client.get(reverse("staff:dashboard")).status_code == 200


def test_a_page_that_asked_for_the_login_is_where_the_organiser_returns(client, organiser, staff_event):
    page = reverse("staff:registrations", args=[staff_event.slug])
    staff_event.team.add(organiser)

    answer = log_in(client, next=page)

    assert answer["Location"] == page


def test_an_organiser_is_never_sent_into_the_admin(client, organiser):
    answer = log_in(client, next="/admin/")

    assert answer["Location"] == reverse("staff:dashboard")


def test_a_superuser_may_go_on_to_the_admin(client):
    make_user("chefin", password=PASSWORD, superuser=True)

    answer = log_in(client, username="chefin", next="/admin/")

    assert answer["Location"] == "/admin/"


def test_a_wrong_password_is_refused_in_the_page_s_language_and_keeps_the_username(client, organiser):
    answer = log_in(client, password="falsch-falsch-falsch")

    assert answer.status_code == 200
    assert "Bitte prüfen Sie Ihre Eingaben" in answer.text
    assert 'value="anna"' in answer.text
    assert client.get(reverse("staff:dashboard")).status_code == 302


def test_the_password_is_checked_by_django_s_authenticate_with_the_request(client, organiser):
    """What hooks into authentication (the login lockout) sees every attempt of this page."""
    failures = []

    def record(sender, credentials, request=None, **kwargs):
        failures.append((credentials["username"], request))

    user_login_failed.connect(record)
    try:
        log_in(client, password="falsch-falsch-falsch")
    finally:
        user_login_failed.disconnect(record)

    assert len(failures) == 1
    username, request = failures[0]
    assert username == "anna" and request is not None and request.path == LOGIN


def test_too_many_attempts_from_one_client_are_refused_before_the_password_is_checked(client, organiser, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": (2, 300)}
    for _ in range(2):
        log_in(client, password="falsch-falsch-falsch")

    answer = log_in(client)

    assert answer.status_code == 429 and "Retry-After" in answer
    assert client.get(reverse("staff:dashboard")).status_code == 302


def test_the_admin_login_still_works(organiser):
    assert Client().get("/admin/login/").status_code == 200


def test_every_staff_page_offers_logout_by_post_which_leads_back_to_the_login(client, organiser):
    client.force_login(organiser)
    dashboard = client.get(reverse("staff:dashboard"))
    assert f'method="post" action="{reverse("staff:logout")}"' in dashboard.text

    assert client.get(reverse("staff:logout")).status_code == 405
    answer = client.post(reverse("staff:logout"))

    assert answer.status_code == 302 and answer["Location"] == LOGIN
    assert client.get(reverse("staff:dashboard")).status_code == 302
    assert "Sie sind abgemeldet." in client.get(LOGIN).text
