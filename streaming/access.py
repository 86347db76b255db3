"""Who may see the online access data (personal join link, meeting ID, passcode), and when.

Only a confirmed online registrant, on their personal page, from the time the organisers chose
until the event ends, and in the calendar entry mailed to them; and the organisers of the event.
Never a public page, feed, API answer or public calendar file. The host's `start_url` is not
access data of anyone: it is fetched for an organiser when they start the meeting and never stored."""

from datetime import datetime

from events.models import EventStatus, SeatType
from registrations.mail.access_data import AccessData
from registrations.models import Registration, Status
from streaming.models import MeetingGoal, ZoomMeeting


def access_for_registrant(registration: Registration, *, now: datetime) -> AccessData | None:
    """The meeting's access data for the registrant's personal pages, where they may see it now."""
    event = registration.event
    if registration.status != Status.CONFIRMED or registration.seat_type != SeatType.ONLINE:
        return None
    if event.status != EventStatus.PUBLISHED or event.ends_at <= now:
        return None
    due = event.access_data_due_at()
    if due is not None and now < due:
        return None
    return meeting_access_data(registration)


def meeting_access_data(registration: Registration) -> AccessData | None:
    """The access data of the Zoom meeting Stadtdialog created: the registrant's personal join
    link with the meeting's ID and passcode (for the app and the phone). None where there is no
    such meeting or no personal link yet. For the mails too: whether one may go is decided in
    registrations.mail.notices."""
    if not registration.personal_join_url:
        return None
    meetings = ZoomMeeting.objects.filter(event_id=registration.event_id, goal=MeetingGoal.PRESENT)
    meeting = meetings.filter(meeting_id__isnull=False).first()
    if meeting is None:
        return None
    return AccessData(registration.personal_join_url, meeting_id=str(meeting.meeting_id), passcode=meeting.passcode)
