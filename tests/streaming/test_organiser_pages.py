"""The organisers' Zoom pages, with three actors: organiser of the event, of another, nobody."""

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import AuditEntry
from streaming.models import Livestream, SyncState, ZoomMeeting
from streaming.zoom.sync import sync_due

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(zoom, make_event, now):
    event = make_event(format="hybrid", livestream_url="https://youtu.be/dQw4w9WgXcQ")
    zoom.fail_next(1, 400)
    sync_due(now=now)
    return event


def pages(event):
    return [
        ("get", reverse("streaming:organiser_overview")),
        ("get", reverse("streaming:organiser_event", args=[event.slug])),
        ("post", reverse("streaming:sync_now", args=[event.slug])),
        ("get", reverse("streaming:start_as_host", args=[event.slug])),
        ("post", reverse("streaming:update_livestream", args=[event.slug])),
    ]


def test_the_organiser_sees_the_sync_state_and_the_last_error(client, event, organiser):
    client.force_login(organiser)
    meeting = ZoomMeeting.objects.get(event=event)
    assert meeting.state == SyncState.FAILED
    overview = client.get(reverse("streaming:organiser_overview")).text
    assert event.title in overview and meeting.last_error[:60] in overview
    page = client.get(reverse("streaming:organiser_event", args=[event.slug])).text
    assert meeting.last_error in page
    assert meeting.passcode in page


def test_sync_now_repairs_a_failed_meeting(client, event, organiser, now):
    client.force_login(organiser)
    assert client.post(reverse("streaming:sync_now", args=[event.slug])).status_code == 302
    sync_due(now=timezone.now())
    meeting = ZoomMeeting.objects.get(event=event)
    assert meeting.state == SyncState.SYNCED and meeting.meeting_id
    assert AuditEntry.objects.filter(action="zoom.sync_requested", actor=organiser).exists()


def test_the_host_link_is_fetched_when_needed_and_kept_nowhere(client, event, organiser, zoom, now):
    client.force_login(organiser)
    client.post(reverse("streaming:sync_now", args=[event.slug]))
    sync_due(now=timezone.now())
    answer = client.get(reverse("streaming:start_as_host", args=[event.slug]))
    assert answer.status_code == 302 and "/s/" in answer["Location"] and "zak=" in answer["Location"]
    zak = answer["Location"].split("zak=")[1]
    meeting = ZoomMeeting.objects.get(event=event)
    assert all(zak not in str(value) for value in meeting.__dict__.values())
    page = client.get(reverse("streaming:organiser_event", args=[event.slug])).text
    assert zak not in page
    # A link in a new tab: a form ending at Zoom's origin is what the CSP's form-action forbids (D3).
    start = reverse("streaming:start_as_host", args=[event.slug])
    assert f'href="{start}" target="_blank"' in page and f'action="{start}"' not in page
    assert zoom.api_calls("GET", f"/meetings/{meeting.meeting_id}")


def test_the_organiser_sets_the_livestream_status(client, event, organiser):
    client.force_login(organiser)
    answer = client.post(
        reverse("streaming:update_livestream", args=[event.slug]),
        {"status": "ended", "replay_url": "https://youtu.be/aaaaaaaaaaa"},
    )
    assert answer.status_code == 302
    livestream = Livestream.objects.get(event=event)
    assert livestream.status == "ended" and livestream.updated_by == organiser
    bad = client.post(
        reverse("streaming:update_livestream", args=[event.slug]),
        {"status": "exploded", "replay_url": "https://youtu.be/bbbbbbbbbbb"},
    )
    assert bad.status_code == 422
    assert 'id="id_status_error"' in bad.text and "https://youtu.be/bbbbbbbbbbb" in bad.text
    assert Livestream.objects.get(event=event).status == "ended"


def test_an_organiser_of_another_event_finds_nothing(client, event, other_organiser):
    client.force_login(other_organiser)
    assert event.title not in client.get(reverse("streaming:organiser_overview")).text
    for method, url in pages(event)[1:]:
        assert getattr(client, method)(url).status_code == 404, url
    assert not Livestream.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login(client, event):
    for method, url in pages(event):
        answer = getattr(client, method)(url)
        assert answer.status_code == 302 and "/organisation/anmelden/" in answer["Location"], url
    assert not Livestream.objects.exists()


def test_the_overview_costs_the_same_few_queries_for_many_events(
    client, zoom, make_event, organiser, now, django_assert_max_num_queries
):
    client.force_login(organiser)
    for _ in range(6):
        make_event()
    sync_due(now=now)
    with django_assert_max_num_queries(6):
        page = client.get(reverse("streaming:organiser_overview"))
    assert page.status_code == 200
