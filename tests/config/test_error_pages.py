"""The site's own error pages (findings D11): in the language of the address, in the site's look,
and without the inline style of Django's pages, which the CSP blocks."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import permission_denied

from config.outage import server_error

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "heading", "language"),
    [("/gibt-es-nicht/", "Seite nicht gefunden", "de"), ("/en/gibt-es-nicht/", "Page not found", "en")],
)
def test_a_wrong_address_shows_the_sites_not_found_page_in_its_language(client, path, heading, language):
    page = client.get(path)

    assert page.status_code == 404
    html = page.content.decode()
    assert f'<html lang="{language}"' in html and heading in html
    assert "kern.min" in html and "<style" not in html and "Not Found" not in html


def test_a_form_without_its_csrf_token_gets_a_friendly_page_in_german():
    browser = Client(enforce_csrf_checks=True)

    page = browser.post("/datenauskunft/", {"email": "erika@example.org"})

    assert page.status_code == 403
    html = page.content.decode()
    assert "Das Formular konnte nicht gesendet werden" in html and "Es wurde nichts gespeichert." in html
    assert "<style" not in html and "CSRF" not in html


def test_a_form_without_its_csrf_token_gets_a_friendly_page_in_english():
    page = Client(enforce_csrf_checks=True).post("/en/datenauskunft/", {"email": "erika@example.org"})

    assert page.status_code == 403 and "The form could not be sent" in page.content.decode()


def test_a_server_error_shows_the_sites_page_without_needing_the_request():
    with translation.override("en"):
        page = server_error(RequestFactory().get("/en/"))

    assert page.status_code == 500
    assert "Something went wrong" in page.content.decode() and "kern.min" in page.content.decode()


def test_a_refused_page_is_the_sites_own_in_german(rf):
    page = permission_denied(rf.get("/organisation/"), PermissionDenied())

    assert page.status_code == 403
    assert "Zugriff verweigert" in page.content.decode() and "403 Forbidden" not in page.content.decode()
