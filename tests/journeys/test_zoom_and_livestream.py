"""An organiser runs the online side of an event: the Zoom page shows the meeting (made at the
Zoom stub), the organiser starts the meeting as host (a new tab at Zoom), sends the data to Zoom
again, and sets the livestream live and then ended with a replay (a replay address that is no
address stopped by the browser first). In German and in English, against a server whose Zoom
API is the stub."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from streaming.models import Livestream, StreamStatus, ZoomMeeting
from streaming.zoom.sync import sync_due
from tests.factories import EventFactory, agreement
from tests.journeys.staff import log_in, messages, refused_by_the_browser, staff_user

pytestmark = pytest.mark.journey

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
TEXTS = {
    "de": {"start": "Meeting als Host starten", "resent": "werden erneut gesendet", "updated": "aktualisiert"},
    "en": {"start": "Start the meeting as host", "resent": "is being sent again", "updated": "updated"},
}


@pytest.mark.parametrize("language", ["de", "en"])
def test_an_organiser_starts_the_zoom_meeting_and_runs_the_livestream(browse, zoom, zoom_server, language):
    text = TEXTS[language]
    now = timezone.now()
    organiser = staff_user("zoomleitung")
    event = EventFactory(format="online", terms=agreement(), livestream_url=YOUTUBE, starts_in=timedelta(days=3))(
        title_en="Citizen dialogue", slug="dialog", team=[organiser]
    )
    sync_due(now=now)
    meeting = ZoomMeeting.objects.get(event=event)
    assert meeting.meeting_id

    anna = browse(language, server=zoom_server)
    log_in(anna, organiser, next_path=f"/organisation/zoom/{event.slug}/")
    expect(anna.page.locator("main")).to_contain_text(str(meeting.meeting_id))
    anna.step("the Zoom page of the event")

    with anna.page.expect_popup() as opened:
        anna.page.get_by_role("link", name=text["start"]).click()
    host = opened.value
    host.wait_for_load_state()
    assert host.url.startswith(f"{zoom.base_url}/s/{meeting.meeting_id}"), host.url
    host.close()

    anna.submit(anna.page.locator("main form[action$='/synchronisieren/'] button[type=submit]"))
    assert text["resent"] in messages(anna)
    anna.step("the data sent to Zoom again")

    livestream = anna.page.locator("main form[action$='/livestream/']")
    livestream.locator("select[name=status]").select_option(StreamStatus.LIVE.value)
    anna.submit(livestream.locator("button[type=submit]"))
    assert text["updated"] in messages(anna)
    anna.step("the livestream is live")
    assert Livestream.objects.get(event=event).status == StreamStatus.LIVE

    livestream.locator("select[name=status]").select_option(StreamStatus.ENDED.value)
    livestream.locator("input[name=replay_url]").fill("die Aufzeichnung")
    livestream.locator("button[type=submit]").click()
    refused_by_the_browser(anna, livestream.locator("input[name=replay_url]"))
    livestream.locator("input[name=replay_url]").fill("https://www.youtube.com/watch?v=replay12345")
    anna.submit(livestream.locator("button[type=submit]"))
    anna.step("ended, with the replay")
    stream = Livestream.objects.get(event=event)
    assert (stream.status, stream.replay_url) == (StreamStatus.ENDED, "https://www.youtube.com/watch?v=replay12345")
