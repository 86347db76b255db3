"""What goes into the meeting: interpretation, breakout rooms, and nothing at all in manual mode."""

import pytest

from events import services as event_services
from streaming.breakout_rooms import rooms
from streaming.models import ZoomMeeting, ZoomRegistrant
from streaming.zoom.client import ZoomClient
from streaming.zoom.payloads import meeting_payload, registrant_payload
from streaming.zoom.sync import reconcile, sync_due

pytestmark = pytest.mark.django_db


def test_breakout_rooms_list_each_address_once_in_a_stable_order():
    assert rooms(
        [("Mobilität ", ["B@example.org", "a@example.org", "b@example.org", ""]), (" ", ["x@example.org"])]
    ) == [("Mobilität", ["a@example.org", "b@example.org"])]


def test_the_stub_accepts_everything_the_client_sends(zoom, make_event, register):
    event = make_event()
    payload = meeting_payload(
        event,
        passcode="Ab3dEf7hIj",
        interpreters=[("eleni@example.org", "de", "el")],
        rooms=rooms([("Mobilität", ["a@example.org"]), ("Verwaltung digital", ["b@example.org", "c@example.org"])]),
    )
    created = ZoomClient().create_meeting(payload)
    settings = zoom.meetings[created["id"]]["settings"]
    assert settings["breakout_room"]["rooms"][1] == {
        "name": "Verwaltung digital",
        "participants": ["b@example.org", "c@example.org"],
    }
    assert settings["language_interpretation"]["enable"] is True
    person = register(event, name="Maria von der Heide", language="en")
    body = registrant_payload(person)
    assert body["first_name"] == "Maria" and body["last_name"] == "von der Heide" and body["language"] == "en-US"
    assert ZoomClient().add_registrant(created["id"], body)["join_url"]


def test_in_manual_mode_nothing_is_wished_and_nothing_called(settings, make_event, register, now):
    settings.ZOOM_ACCOUNT_ID = settings.ZOOM_CLIENT_ID = settings.ZOOM_CLIENT_SECRET = ""
    event = make_event()
    register(event)
    assert reconcile(now=now) == 0
    assert sync_due(now=now).synced == 0
    assert not ZoomMeeting.objects.exists() and not ZoomRegistrant.objects.exists()


def test_the_catch_up_finds_what_the_signals_missed(zoom, make_event, register, now, organiser):
    event = make_event(status="draft")
    event = event_services.update_event(event, {"status": "published"}, actor=organiser, now=now)
    person = register(event)
    # As if the process had died before the signals' wishes were stored.
    ZoomMeeting.objects.all().delete()
    assert reconcile(now=now) == 2
    sync_due(now=now)
    person.refresh_from_db()
    assert person.personal_join_url
    assert reconcile(now=now) == 0, "nothing left to catch up"


def test_publishing_a_draft_creates_the_meeting(zoom, make_event, organiser, now):
    event = make_event(status="draft")
    assert not ZoomMeeting.objects.exists()
    event_services.update_event(event, {"status": "published"}, actor=organiser, now=now)
    sync_due(now=now)
    assert ZoomMeeting.objects.get(event=event).meeting_id in zoom.meetings


def test_on_site_events_get_no_meeting(zoom, make_event, now):
    make_event(format="onsite")
    sync_due(now=now)
    assert not ZoomMeeting.objects.exists() and zoom.api_calls() == []


def test_breakout_groups_become_pre_assigned_rooms(zoom, make_event, register, organiser, now):
    from ideas.services.groups import GroupData, assign_member, create_group

    event = make_event()
    sync_due(now=now)
    mobility, _ = create_group(event, GroupData("Mobilität"), actor=organiser, now=now)
    create_group(event, GroupData("Tisch 1", kind="table"), actor=organiser, now=now)
    people = [register(event) for _ in range(3)]
    for person in people[:2]:
        assign_member(person, mobility, actor=organiser, now=now)

    assert reconcile(now=now) == 1, "the groups changed the meeting's data"
    sync_due(now=now)
    meeting = ZoomMeeting.objects.get(event=event)
    assert zoom.meetings[meeting.meeting_id]["settings"]["breakout_room"] == {
        "enable": True,
        "rooms": [{"name": "Mobilität", "participants": sorted(p.email for p in people[:2])}],
    }
