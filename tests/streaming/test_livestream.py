"""The public livestream: embeds built from parsed video IDs, behind a two-click notice."""

import re

import pytest

from config import settings as project_settings
from streaming.livestream import EMBED_ORIGINS, parse_video
from streaming.models import Livestream, StreamStatus

pytestmark = pytest.mark.django_db

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42"


@pytest.mark.parametrize(
    ("url", "platform", "embed"),
    [
        (YOUTUBE, "youtube", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ?si=abc", "youtube", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://www.youtube.com/live/dQw4w9WgXcQ", "youtube", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://www.youtube.com/@StadtCastropRauxel", "youtube", ""),
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ%22%3E%3Cscript%3E", "youtube", ""),
        (
            "https://www.facebook.com/StadtCastropRauxel/videos/1234567890123456/",
            "facebook",
            "https://www.facebook.com/plugins/video.php?href=https%3A%2F%2Fwww.facebook.com%2Fwatch%2F%3Fv%3D"
            "1234567890123456&show_text=false",
        ),
        (
            "https://www.facebook.com/watch/live/?v=1234567890123456",
            "facebook",
            "https://www.facebook.com/plugins/video.php?href=https%3A%2F%2Fwww.facebook.com%2Fwatch%2F%3Fv%3D"
            "1234567890123456&show_text=false",
        ),
        ("https://www.facebook.com/StadtCastropRauxel", "facebook", ""),
        ("https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ", "other", ""),
        ("javascript:alert(1)//www.youtube.com/watch?v=dQw4w9WgXcQ", "other", ""),
        ("https://cas-tv.de/live", "other", ""),
    ],
)
def test_embeds_come_only_from_parsed_ids_on_allowed_hosts(url, platform, embed):
    video = parse_video(url)
    assert video.platform == platform
    assert video.embed_url == embed


def test_the_csp_admits_exactly_the_embed_origins(client, make_event):
    assert sorted(project_settings.SECURE_CSP["frame-src"]) == sorted(EMBED_ORIGINS)
    event = make_event(format="hybrid", livestream_url=YOUTUBE)
    header = client.get(f"/veranstaltungen/{event.slug}/")["Content-Security-Policy"]
    frame_src = re.search(r"frame-src ([^;]+)", header)[1].split()
    assert sorted(frame_src) == sorted(EMBED_ORIGINS)
    assert "script-src 'self'" in header and "unsafe-inline" not in header


@pytest.mark.parametrize("page", ["event", "stream"])
def test_nothing_of_the_platform_loads_until_the_visitor_agrees(client, make_event, page):
    event = make_event(format="hybrid", livestream_url=YOUTUBE)
    url = f"/veranstaltungen/{event.slug}/" if page == "event" else f"/veranstaltungen/{event.slug}/livestream/"
    before = client.get(url).text
    assert "<iframe" not in before
    assert "youtube-nocookie.com" not in before
    assert not re.search(r"""\bsrc=["']https?://(?!testserver)""", before)
    assert 'name="stream" value="load"' in before
    assert "vor Ort" in before, "the notice that people on site may appear in the stream"

    after = client.get(url, {"stream": "load"}).text
    assert '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in after
    assert 'sandbox="allow-scripts allow-same-origin allow-presentation allow-popups"' in after


def test_the_notice_about_people_on_site_appears_only_where_people_are_on_site(client, make_event):
    hybrid = make_event(format="hybrid", livestream_url=YOUTUBE)
    online = make_event(format="online", livestream_url=YOUTUBE)
    assert "vor Ort" in client.get(f"/veranstaltungen/{hybrid.slug}/livestream/").text
    assert "vor Ort" not in client.get(f"/veranstaltungen/{online.slug}/livestream/").text


def test_after_the_event_the_replay_takes_the_stream_s_place(client, make_event):
    event = make_event(format="hybrid", livestream_url=YOUTUBE)
    Livestream.objects.create(event=event, status=StreamStatus.ENDED, replay_url="https://youtu.be/aaaaaaaaaaa")
    page = client.get(f"/veranstaltungen/{event.slug}/livestream/", {"stream": "load"}).text
    assert "https://www.youtube-nocookie.com/embed/aaaaaaaaaaa" in page
    assert "dQw4w9WgXcQ" not in page


def test_a_page_address_without_a_video_is_shown_as_a_link(client, make_event):
    event = make_event(format="hybrid", livestream_url="https://www.facebook.com/StadtCastropRauxel")
    page = client.get(f"/veranstaltungen/{event.slug}/", {"stream": "load"}).text
    assert "<iframe" not in page
    assert 'href="https://www.facebook.com/StadtCastropRauxel"' in page


def test_drafts_and_events_without_a_stream_have_no_stream_page(client, make_event):
    draft = make_event(status="draft", livestream_url=YOUTUBE)
    plain = make_event()
    assert client.get(f"/veranstaltungen/{draft.slug}/livestream/").status_code == 404
    assert client.get(f"/veranstaltungen/{plain.slug}/livestream/").status_code == 404
