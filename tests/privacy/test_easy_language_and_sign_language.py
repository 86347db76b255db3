"""BITV 2.0 § 4: the home page links an explanation in Leichte Sprache (easy read in English) and
one in German Sign Language. Both have default texts until the city sets its own in the admin;
the sign-language video is the city's, never embedded from another site."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from events.legal import EasyReadBlock, easy_read_blocks
from events.models import LegalPage

pytestmark = pytest.mark.django_db


def test_the_home_page_links_both_explanations_in_either_language(client):
    for prefix, easy, sign in (
        ("", "Leichte Sprache", "Gebärdensprache (DGS)"),
        ("/en", "Easy read", "German Sign Language (DGS)"),
    ):
        home = client.get(prefix + reverse("events:upcoming")).text
        assert f'href="{prefix}/leichte-sprache/">{easy}</a>' in home
        assert f'href="{prefix}/gebaerdensprache/">{sign}</a>' in home


def test_the_default_easy_read_text_explains_the_site_in_short_lines_with_headings(client, settings):
    settings.CITY_CONTACT_EMAIL = "dialog@stadt.example"
    page = client.get(reverse("events:easy_language")).text

    for heading in (
        "Was ist Stadt·dialog?",
        "Einen Bürger·dialog finden",
        "Sich anmelden",
        "Sich abmelden",
        "Was passiert mit Ihren Daten?",
    ):
        assert f'<h2 class="kern-heading-medium">{heading}</h2>' in page
    assert "Das passiert 90 Tage nach dem Bürger·dialog." in page
    assert '<li class="kern-body kern-body--large">mit einer E-Mail</li>' in page
    assert 'href="mailto:dialog@stadt.example"' in page
    assert "Do you want to take part?" in client.get("/en" + reverse("events:easy_language")).text


def test_every_default_easy_read_line_is_short():
    from events.legal import DEFAULTS

    for language in ("body_de", "body_en"):
        lines = [line for line in DEFAULTS["easy_language"][language].split("\n") if line.strip()]
        assert max(len(line.format(days=90, contact="x@y.de").split()) for line in lines) <= 15


def test_easy_read_blocks_make_headings_lists_and_lines():
    blocks = easy_read_blocks("# Titel\nSatz eins.\nSatz zwei.\n\n- a\n- b\nDanach.\n\nNeu.")
    assert blocks == [
        EasyReadBlock("heading", ["Titel"]),
        EasyReadBlock("paragraph", ["Satz eins.", "Satz zwei."]),
        EasyReadBlock("list", ["a", "b"]),
        EasyReadBlock("paragraph", ["Danach."]),
        EasyReadBlock("paragraph", ["Neu."]),
    ]


@pytest.mark.parametrize(
    ("prefix", "sentence"),
    [("", "Stadt·dialog ist eine Internet·seite von der Stadt."), ("/en", "Stadtdialog is a website of the city.")],
)
def test_the_easy_read_page_shows_its_sentences_as_text_not_as_data(client, prefix, sentence):
    page = client.get(prefix + reverse("events:easy_language")).text
    body = page[page.index('<article class="easy-read">') : page.index("</article>")]
    assert "('lines'" not in body and "('items'" not in body and "[" not in body
    assert f'<p class="kern-body kern-body--large">{sentence}<br>' in body


def test_without_a_video_the_sign_language_page_says_it_will_follow_and_gives_the_text(client):
    page = client.get(reverse("events:sign_language")).text
    assert 'data-video="missing"' in page and "folgt bald" in page
    assert "Deutscher Gebärdensprache (DGS)" in page and "<video" not in page


def test_a_video_file_on_this_site_plays_in_the_page(client, settings):
    settings.SITE_URL = "https://dialog.stadt.example"
    LegalPage.objects.create(
        kind="sign_language",
        title_de="Gebärdensprache",
        body_de="Textfassung",
        video_url="https://dialog.stadt.example/media/dgs.mp4",
    )
    page = client.get(reverse("events:sign_language")).text
    video = '<video class="sign-language-video" controls preload="metadata" src="https://dialog.stadt.example/media/dgs.mp4"'
    assert video in page
    assert "Textfassung" in page


@pytest.mark.parametrize("url", ["https://www.youtube.com/watch?v=abc", "https://video.example/dgs.mp4"])
def test_a_video_elsewhere_is_only_a_link_nothing_is_embedded(client, settings, url):
    settings.SITE_URL = "https://dialog.stadt.example"
    LegalPage.objects.create(kind="sign_language", title_de="Gebärdensprache", body_de="Text", video_url=url)
    page = client.get(reverse("events:sign_language")).text
    assert 'data-video="link"' in page and f'href="{url}" rel="noreferrer"' in page
    assert "<video" not in page and "<iframe" not in page


def test_only_the_sign_language_page_takes_a_video():
    page = LegalPage(kind="imprint", title_de="Impressum", body_de="Text", video_url="https://x.example/v.mp4")
    with pytest.raises(ValidationError) as refusal:
        page.full_clean()
    assert "video_url" in refusal.value.message_dict


def test_the_city_edits_both_explanations_in_the_admin_as_superuser_only(client, organiser):
    add = reverse("admin:events_legalpage_add")
    client.force_login(organiser)
    assert client.get(add).status_code == 403
    client.force_login(get_user_model().objects.create_superuser("stadt", password="x-secret-pass-1"))
    response = client.post(
        add,
        {
            "kind": "sign_language",
            "title_de": "DGS",
            "title_en": "",
            "body_de": "Text",
            "body_en": "",
            "video_url": "https://dialog.example/dgs.webm",
        },
    )
    assert response.status_code == 302
    assert LegalPage.objects.get(kind="sign_language").video_url == "https://dialog.example/dgs.webm"
