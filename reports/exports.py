"""The attendance reports as CSV, in the format of the registration list (`core.csv`).

Per event: one line per registration, with the check-in, every stay in the Zoom meeting (join and
leave time) and the minutes attended online. Per period: one line per event with its figures.
Three statements per event file and a handful per period file, whatever the numbers."""

from collections.abc import Iterator

from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

from core.berlin import spreadsheet_time
from core.csv import streamed_csv
from events.models import Event, SeatType
from registrations.models import Channel, Registration, Status
from reports.attendance import Report, promoted_ids
from streaming.attendance import OnlineAttendance


def event_csv(event: Event, report: Report, *, filename: str) -> StreamingHttpResponse:
    head = [
        _("No."),
        _("Name"),
        _("Seat"),
        _("Channel"),
        _("Status"),
        _("Received at"),
        _("Moved up from the waiting list"),
        _("Checked in at"),
        _("Joined online first at"),
        _("Left online last at"),
        _("Online stays (joined–left)"),
        _("Minutes attended online"),
        _("Came"),
    ]
    labels = {
        value: str(label) for choices in (SeatType.choices, Channel.choices, Status.choices) for value, label in choices
    }
    yes_no = {True: _("yes"), False: _("no")}
    promoted = promoted_ids(event)
    rows = (
        Registration.objects.filter(event=event)
        .order_by("received_at", "pk")
        .values_list("pk", "name", "seat_type", "channel", "status", "received_at", "checked_in_at")
    )
    return streamed_csv(head, event_rows(rows, report.online, promoted, labels, yes_no), filename=filename)


def event_rows(rows, online: dict[int, OnlineAttendance], promoted: set[int], labels, yes_no) -> Iterator[list]:
    for pk, name, seat_type, channel, status, received_at, checked_in_at in rows.iterator(chunk_size=2000):
        attendance = online.get(pk)
        yield [
            pk,
            name,
            labels.get(seat_type, seat_type),
            labels.get(channel, channel),
            labels.get(status, status),
            spreadsheet_time(received_at),
            yes_no[pk in promoted],
            spreadsheet_time(checked_in_at),
            spreadsheet_time(attendance.first_joined_at) if attendance else "",
            spreadsheet_time(attendance.last_left_at) if attendance else "",
            stays(attendance) if attendance else "",
            attendance.minutes if attendance else "",
            yes_no[bool(checked_in_at or attendance)],
        ]


def stays(attendance: OnlineAttendance) -> str:
    times = ((spreadsheet_time(stay.joined_at), spreadsheet_time(stay.left_at)) for stay in attendance.stays)
    return ", ".join(f"{joined or '?'}–{left or '?'}" for joined, left in times)


def period_csv(report: Report, *, filename: str) -> StreamingHttpResponse:
    head = [
        _("Event"),
        _("Starts at"),
        _("Registrations"),
        _("Cancelled"),
        *[str(label) for _v, label in Channel.choices],
        *[str(label) for _v, label in SeatType.choices],
        _("Expected (confirmed)"),
        _("Came"),
        _("No-shows"),
        _("Show rate (%)"),
        _("Checked in on site"),
        _("Joined online"),
        _("Minutes attended online"),
        _("Moved up from the waiting list"),
        _("On the waiting list at some time"),
        _("Conversion rate (%)"),
    ]
    rows = [
        [
            event.title,
            spreadsheet_time(event.starts_at),
            row.registrations,
            row.cancelled,
            *[row.channels[value] for value in Channel.values],
            *[row.seat_types[value] for value in SeatType.values],
            row.expected,
            row.came,
            blank(row.no_shows),
            blank(row.show_rate),
            row.checked_in,
            row.joined_online,
            row.online_minutes,
            row.promoted,
            row.ever_waiting,
            blank(row.conversion_rate),
        ]
        for event, row in report.events
    ]
    return streamed_csv(head, rows, filename=filename)


def blank(value) -> str | int:
    return "" if value is None else value
