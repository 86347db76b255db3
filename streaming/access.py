"""Who may see the online access data (personal join link, meeting ID, passcode), and when.

Only a confirmed online registrant, on their personal page, from the time the organisers chose
until the event ends; and the organisers of the event. Never a public page, feed, API answer or
calendar file. The host's `start_url` is not access data of anyone: it is fetched for an
organiser when they start the meeting and never stored."""

from dataclasses import dataclass
from datetime import datetime

from events.models import EventStatus, SeatType
from registrations.mail.notices import AccessData
from registrations.models import Registration, Status
from streaming.models import MeetingGoal, ZoomMeeting


@dataclass(frozen=True)
class OnlineAccess:
    join_url: str
    meeting_id: int | None
    passcode: str


def access_for_registrant(registration: Registration, *, now: datetime) -> OnlineAccess | None:
    event = registration.event
    if registration.status != Status.CONFIRMED or registration.seat_type != SeatType.ONLINE:
        return None
    if event.status != EventStatus.PUBLISHED or event.ends_at <= now:
        return None
    due = event.access_data_due_at()
    if due is not None and now < due:
        return None
    meeting = _meeting_for(registration)
    if meeting is None:
        return None
    return OnlineAccess(registration.personal_join_url, meeting.meeting_id, meeting.passcode)


def access_data_for_mail(registration: Registration) -> AccessData | None:
    """What the access-data mail says when Stadtdialog created the Zoom meeting: the personal
    join link with the meeting's ID and passcode (for the app and the phone). Whether the mail
    may go at all is decided in registrations.mail.notices."""
    meeting = _meeting_for(registration)
    if meeting is None:
        return None
    return AccessData(registration.personal_join_url, meeting_id=str(meeting.meeting_id), passcode=meeting.passcode)


def _meeting_for(registration: Registration) -> ZoomMeeting | None:
    """The event's Zoom meeting, where it exists at Zoom and the registrant has a join link there."""
    if not registration.personal_join_url:
        return None
    meetings = ZoomMeeting.objects.filter(event_id=registration.event_id, goal=MeetingGoal.PRESENT)
    return meetings.filter(meeting_id__isnull=False).first()
