"""The privacy notice, imprint and accessibility statement: linked from every page, with
default texts until the city sets its own in the admin (superusers only)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from events.models import LegalPage

pytestmark = pytest.mark.django_db

PAGES = ["events:privacy", "events:imprint", "events:accessibility"]


def test_every_page_links_to_the_three_legal_pages_and_the_data_request(client):
    home = client.get(reverse("events:upcoming"))
    for name in [*PAGES, "privacy:request"]:
        assert f'href="{reverse(name)}"' in home.text


def test_default_texts_name_the_retention_and_the_accessibility_feedback_contact(client, settings):
    settings.CITY_CONTACT_EMAIL = "barrierefrei@stadt.example"
    privacy = client.get(reverse("events:privacy"))
    assert privacy.status_code == 200 and "Datenschutzerklärung" in privacy.text and "90 Tage" in privacy.text
    accessibility = client.get(reverse("events:accessibility"))
    assert "Erklärung zur Barrierefreiheit" in accessibility.text
    assert 'href="mailto:barrierefrei@stadt.example"' in accessibility.text
    assert 'href="https://www.schlichtungsstelle-bgg.de"' in accessibility.text
    english = client.get("/en" + reverse("events:accessibility"))
    assert "Accessibility statement" in english.text and "conciliation" in english.text


def test_the_citys_text_is_shown_escaped_in_paragraphs_in_both_languages(client):
    LegalPage.objects.create(
        kind="imprint",
        title_de="Impressum der Stadt",
        title_en="Imprint of the city",
        body_de="Stadt Castrop-Rauxel\n\n<script>alert(1)</script>",
        body_en="City of Castrop-Rauxel",
    )
    page = client.get(reverse("events:imprint"))
    assert "Impressum der Stadt" in page.text
    assert "<p>Stadt Castrop-Rauxel</p>" in page.text and "<script>alert" not in page.text
    assert "&lt;script&gt;" in page.text
    assert "City of Castrop-Rauxel" in client.get("/en" + reverse("events:imprint")).text


def test_only_superusers_edit_the_legal_texts_in_the_admin(client, organiser):
    url = reverse("admin:events_legalpage_changelist")
    assert client.get(url).status_code == 302  # anonymous: to the login
    client.force_login(organiser)
    assert client.get(url).status_code == 403
    boss = get_user_model().objects.create_superuser("stadt", password="x-secret-pass-1")
    client.force_login(boss)
    assert client.get(url).status_code == 200
    assert client.get(reverse("admin:events_legalpage_add")).status_code == 200


@pytest.mark.parametrize(
    ("days", "german", "english"), [(3 * 365, "3 Jahre", "3 years"), (912, "2,5 Jahre", "2.5 years")]
)
def test_the_privacy_notice_gives_the_evidence_period_in_whole_or_local_years(client, settings, days, german, english):
    settings.CONSENT_EVIDENCE_DAYS = days
    assert german in client.get("/datenschutz/").text
    assert english in client.get("/en/datenschutz/").text
