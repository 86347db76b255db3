"""Zoom's `meeting.participant_left`: leaves close stays, in any order, once; minutes add up."""

import pytest

from streaming.attendance import online_attendance
from streaming.models import Attendance, MatchedBy, ZoomMeeting, ZoomRegistrant
from streaming.zoom.sync import sync_due

pytestmark = pytest.mark.django_db
URL = "/streaming/zoom/webhook"


def post(client, message: tuple[bytes, dict]):
    body, headers = message
    return client.post(URL, body, content_type="application/json", headers=headers)


def participant(**values):
    return {
        "user_id": "16778240",
        "user_name": "Gast",
        "id": "iFxeBPYun6SAiWUzBcEkX",
        "participant_uuid": "uuid-1",
        "email": "",
        "registrant_id": "",
        **values,
    }


def joined(zoom, meeting, at: str, **values):
    who = {**participant(**values), "join_time": at}
    return zoom.signed_webhook(
        "meeting.participant_joined", {**zoom.meeting_object(meeting.meeting_id), "participant": who}
    )


def left(zoom, meeting, at: str, **values):
    who = {**participant(**values), "leave_time": at, "leave_reason": "left the meeting"}
    return zoom.signed_webhook(
        "meeting.participant_left", {**zoom.meeting_object(meeting.meeting_id), "participant": who}
    )


def test_a_leave_closes_the_stay_and_a_redelivered_leave_changes_nothing(client, zoom, meeting, register):
    person = register(meeting.event)
    assert post(client, joined(zoom, meeting, "2030-05-04T16:01:00Z", email=person.email)).status_code == 204
    leave = left(zoom, meeting, "2030-05-04T16:31:30Z", email=person.email)
    assert post(client, leave).status_code == 204
    assert post(client, leave).status_code == 204
    stay = Attendance.objects.get()
    assert stay.left_at.isoformat() == "2030-05-04T16:31:30+00:00" and stay.registration == person
    assert online_attendance([meeting.event_id])[person.pk].minutes == 30  # 30.5 minutes, rounded half to even


def test_several_joins_and_leaves_of_one_person_add_up(client, zoom, meeting, register):
    person = register(meeting.event)
    for join_at, leave_at in (("16:00", "16:20"), ("16:30", "17:10"), ("17:15", "17:20")):
        assert post(client, joined(zoom, meeting, f"2030-05-04T{join_at}:00Z", email=person.email)).status_code == 204
        assert post(client, left(zoom, meeting, f"2030-05-04T{leave_at}:00Z", email=person.email)).status_code == 204
    attendance = online_attendance([meeting.event_id])[person.pk]
    assert attendance.minutes == 20 + 40 + 5 and len(attendance.stays) == 3
    assert attendance.first_joined_at.isoformat() == "2030-05-04T16:00:00+00:00"
    assert attendance.last_left_at.isoformat() == "2030-05-04T17:20:00+00:00"


def test_a_leave_that_arrives_before_its_join_is_completed_by_the_join(client, zoom, meeting, register):
    person = register(meeting.event)
    assert post(client, left(zoom, meeting, "2030-05-04T17:00:00Z", email=person.email)).status_code == 204
    stay = Attendance.objects.get()
    assert stay.joined_at is None and stay.registration == person and stay.matched_by == MatchedBy.EMAIL
    assert post(client, joined(zoom, meeting, "2030-05-04T16:15:00Z", email=person.email)).status_code == 204
    stay = Attendance.objects.get()
    assert stay.joined_at.isoformat() == "2030-05-04T16:15:00+00:00"
    assert online_attendance([meeting.event_id])[person.pk].minutes == 45


def test_a_leave_is_matched_by_the_registrant_id_zoom_sends(client, zoom, meeting, register, now):
    person = register(meeting.event)
    sync_due(now=now)
    registrant_id = ZoomRegistrant.objects.get(registration=person).registrant_id
    assert registrant_id
    assert post(client, left(zoom, meeting, "2030-05-04T17:00:00Z", registrant_id=registrant_id)).status_code == 204
    stay = Attendance.objects.get()
    assert stay.registration == person and stay.matched_by == MatchedBy.REGISTRANT_ID


def test_a_badly_signed_leave_is_refused_and_nothing_changes(client, zoom, meeting):
    post(client, joined(zoom, meeting, "2030-05-04T16:01:00Z"))
    body, headers = left(zoom, meeting, "2030-05-04T16:31:00Z")
    assert post(client, (body, {**headers, "x-zm-signature": "v0=" + "0" * 64})).status_code == 401
    assert post(client, (body.replace(b"16:31", b"18:31"), headers)).status_code == 401
    assert Attendance.objects.get().left_at is None


@pytest.mark.django_db(transaction=True)
def test_the_stub_reports_the_leave_of_a_personal_link_over_http(zoom, make_event, register, now, webhook_receiver):
    import requests

    event = make_event()
    person = register(event)
    sync_due(now=now)
    person.refresh_from_db()
    page = requests.get(person.personal_join_url, timeout=5)
    assert page.status_code == 200
    leave_url = page.text.split("href='", 1)[1].split("'", 1)[0].replace("&amp;", "&")
    assert webhook_receiver.wait_until(Attendance.objects.exists)
    assert requests.get(leave_url, timeout=5).status_code == 200
    assert webhook_receiver.wait_until(Attendance.objects.filter(left_at__isnull=False).exists)
    stay = Attendance.objects.get()
    assert stay.registration == person and stay.joined_at <= stay.left_at
    assert requests.get(leave_url, timeout=5).status_code == 404  # left already


@pytest.mark.django_db(transaction=True)
def test_ending_the_meeting_at_the_stub_reports_everyone_inside_as_left(
    zoom, make_event, register, now, webhook_receiver
):
    import requests

    event = make_event()
    people = [register(event), register(event)]
    sync_due(now=now)
    for person in people:
        person.refresh_from_db()
        assert requests.get(person.personal_join_url, timeout=5).status_code == 200
    meeting = ZoomMeeting.objects.get(event=event)
    assert webhook_receiver.wait_until(lambda: Attendance.objects.count() == 2)
    ended = requests.post(
        f"{zoom.base_url}/_stub/webhook",
        json={"meeting_id": meeting.meeting_id, "url": webhook_receiver.url, "event": "meeting.ended"},
        timeout=30,
    )
    assert ended.status_code == 200
    assert webhook_receiver.wait_until(lambda: not Attendance.objects.filter(left_at__isnull=True).exists())
    assert Attendance.objects.filter(left_at__isnull=False, registration__in=people).count() == 2
    meeting.refresh_from_db()
    assert meeting.ended_at is not None
