"""Every signal this app listens to, connected in one place (`connect()`, from `apps.ready`).
How streaming follows the changes of the layers below: each receiver only writes a wish inside
the sender's transaction; Zoom is called by the task after commit. And what it adds to other
apps' pages: its tabs, the livestream on the event page, the access section of the personal
page, the access data in mails; the privacy requests (`streaming.privacy`)."""

from django.utils.translation import gettext_lazy as _

from events.signals import event_cancelled, event_moved, event_page_section, event_published
from registrations.models import SeatType, Status
from registrations.signals import access_data_wanted, personal_page_section, registration_status_changed, staff_pages
from registrations.staff.tabs import Tab
from streaming import privacy
from streaming.access import meeting_access_data
from streaming.zoom import sync

TABS = [
    Tab("zoom", "streaming:organiser_event", _("Zoom")),
    Tab("livestream", "streaming:organiser_event", _("Livestream"), anchor="livestream"),
]


def meeting_wanted(sender, event, now, **kwargs):
    sync.request_meeting(event, now=now)


def meeting_unwanted(sender, event, now, **kwargs):
    sync.drop_meeting(event, now=now)


def registration_changed(sender, registration, previous_status, now, previous_seat_type=None, **kwargs):
    """A confirmed online seat is a Zoom registrant; one that is no longer confirmed, or switched
    to on site while staying confirmed, is withdrawn."""
    held_online_seat = previous_status == Status.CONFIRMED and previous_seat_type in (None, SeatType.ONLINE)
    if registration.status == Status.CONFIRMED and registration.seat_type == SeatType.ONLINE:
        sync.request_registrant(registration, now=now)
    elif held_online_seat:
        sync.withdraw_registrant(registration, now=now)


def event_section(sender, request, event, place, **kwargs):
    from streaming.views.public import livestream_section

    return livestream_section(request, event) if place == "livestream" else None


def personal_section(sender, request, registration, now, kind, **kwargs):
    from streaming.views.public import access_section

    return access_section(request, registration, now=now) if kind == "access" else None


def access_data(sender, registration, **kwargs):
    return meeting_access_data(registration)


def streaming_pages(sender, **kwargs):
    return TABS


def connect() -> None:
    staff_pages.connect(streaming_pages, dispatch_uid="streaming.staff_pages")
    privacy.connect()
    event_page_section.connect(event_section, dispatch_uid="streaming.event_section")
    personal_page_section.connect(personal_section, dispatch_uid="streaming.access_section")
    access_data_wanted.connect(access_data, dispatch_uid="streaming.access_data")
    event_published.connect(meeting_wanted, dispatch_uid="streaming.meeting_on_publish")
    event_moved.connect(meeting_wanted, dispatch_uid="streaming.meeting_on_move")
    event_cancelled.connect(meeting_unwanted, dispatch_uid="streaming.meeting_on_cancel")
    registration_status_changed.connect(registration_changed, dispatch_uid="streaming.registrant")
