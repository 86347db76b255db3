"""The whole way of an online dialogue through Zoom, against the stub over real HTTP."""

from datetime import UTC, timedelta

import pytest

from events import services as event_services
from registrations.mail.compose import render
from registrations.models import MailKind, OutboxMail, Registration
from registrations.signals import personal_join_url_changed
from streaming.models import Attendance, Interpreter, MatchedBy, MeetingGoal, SyncState, ZoomMeeting, ZoomRegistrant
from streaming.zoom.sync import sync_due

pytestmark = pytest.mark.django_db


@pytest.fixture
def links_announced():
    announced = []

    def receive(sender, registration, **kwargs):
        announced.append(registration.pk)

    personal_join_url_changed.connect(receive)
    yield announced
    personal_join_url_changed.disconnect(receive)


def test_an_online_dialogue_from_publishing_to_cancellation(
    zoom, make_event, register, cancel, organiser, now, client, links_announced
):

    # Published → meeting created, with the settings that keep strangers out
    event = make_event(format="hybrid")
    Interpreter.objects.create(
        event=event, name="Eleni", email="eleni@example.org", language_from="de", language_to="el"
    )
    sync_due(now=now)
    meeting = ZoomMeeting.objects.get(event=event)
    assert meeting.state == SyncState.SYNCED
    assert meeting.meeting_id > 2**32
    at_zoom = zoom.meetings[meeting.meeting_id]
    assert at_zoom["timezone"] == "Europe/Berlin"
    assert at_zoom["start_time"] == event.starts_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert at_zoom["duration"] == 150
    assert at_zoom["settings"]["waiting_room"] is True
    assert at_zoom["settings"]["approval_type"] == 1
    assert at_zoom["settings"]["language_interpretation"]["interpreters"] == [
        {"email": "eleni@example.org", "interpreter_languages": "German,Greek"}
    ]

    # Register and confirm → approved Zoom registrant, personal link stored and announced
    anna = register(event)
    bernd = register(event)
    onsite = register(event, seat="onsite")
    sync_due(now=now)
    anna.refresh_from_db()
    at_zoom = {r["email"]: r for r in zoom.registrants_of(meeting.meeting_id)}
    assert set(at_zoom) == {anna.email, bernd.email}
    assert at_zoom[anna.email]["status"] == "approved"
    assert anna.personal_join_url == at_zoom[anna.email]["join_url"]
    assert set(links_announced) == {anna.pk, bernd.pk}
    access_mail = OutboxMail.objects.get(registration=anna, kind=MailKind.ACCESS_DATA)
    assert anna.personal_join_url in render(access_mail).body
    assert not ZoomRegistrant.objects.filter(registration=onsite).exists()

    # Move → meeting patched
    later = event.starts_at + timedelta(days=7)
    event = event_services.move_event(
        event, starts_at=later, ends_at=later + timedelta(hours=2), actor=organiser, now=now
    )
    sync_due(now=now)
    assert zoom.api_calls("PATCH", f"/meetings/{meeting.meeting_id}")
    assert zoom.meetings[meeting.meeting_id]["start_time"] == later.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert zoom.meetings[meeting.meeting_id]["duration"] == 120

    # Cancel a registration → Zoom registrant cancelled, personal link gone
    cancel(anna)
    sync_due(now=now)
    anna.refresh_from_db()
    assert anna.personal_join_url == ""
    assert {r["email"]: r["status"] for r in zoom.registrants_of(meeting.meeting_id)}[anna.email] == "denied"

    # Webhook → attendance, matched by registrant ID
    bernd_at_zoom = next(r for r in zoom.registrants_of(meeting.meeting_id) if r["email"] == bernd.email)
    participant = {
        "user_id": "16778240",
        "user_name": "Bernd",
        "participant_uuid": "p-uuid-1",
        "join_time": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "email": bernd.email,
        "registrant_id": bernd_at_zoom["id"],
    }
    body, headers = zoom.signed_webhook(
        "meeting.participant_joined", {**zoom.meeting_object(meeting.meeting_id), "participant": participant}
    )
    answer = client.post("/streaming/zoom/webhook", body, content_type="application/json", headers=headers)
    assert answer.status_code == 204
    join = Attendance.objects.get()
    assert join.registration == bernd and join.matched_by == MatchedBy.REGISTRANT_ID

    # Bad signature → 401 and nothing recorded
    body, headers = zoom.signed_webhook(
        "meeting.participant_joined",
        {**zoom.meeting_object(meeting.meeting_id), "participant": {**participant, "participant_uuid": "p-uuid-2"}},
    )
    headers["x-zm-signature"] = "v0=" + "0" * 64
    answer = client.post("/streaming/zoom/webhook", body, content_type="application/json", headers=headers)
    assert answer.status_code == 401
    assert Attendance.objects.count() == 1

    # Cancel the event → meeting deleted at Zoom, personal links forgotten
    event = event_services.cancel_event(event, actor=organiser, now=now)
    sync_due(now=now)
    meeting.refresh_from_db()
    assert meeting.goal == MeetingGoal.ABSENT and meeting.state == SyncState.SYNCED
    assert meeting.meeting_id not in zoom.meetings
    assert zoom.api_calls("DELETE", f"/meetings/{meeting.meeting_id}")
    assert not Registration.objects.exclude(personal_join_url="").exists()
