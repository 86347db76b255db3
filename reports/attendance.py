"""Attendance reporting: who registered, how and when, who came (on site or online), who moved up
from the waiting list, for one event or all of an organiser's events in a period.

On-site attendance is the check-in (registrations); online attendance is what Zoom reported
(streaming.attendance). Every figure comes from a grouped query or one pass over one query's
rows: the number of statements does not grow with registrations or events.

Definitions (docs/reports.md): *registrations* count every registration that arrived, cancelled
ones too. *Expected*, *came* and *checked in* count people
(`registrations.models.people`: the registrant and the companions, one seat each), as the check-in
page does: *expected* are the people of the confirmed registrations; *came* those of them who
checked in or joined the meeting; *no-shows* the other expected, once the event is over. A
waiting-list conversion is a registration moved up to a confirmed seat; the registrations that
were on the list are those moved up, those still waiting and those who cancelled while waiting.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Max, Min, Q
from django.db.models.functions import Trunc
from django.utils.formats import date_format

from core.berlin import BERLIN
from events.access import Capability, events_where
from events.models import AuditEntry, Event, SeatType
from registrations.models import Channel, Registration, Status, people
from streaming.attendance import OnlineAttendance, online_attendance

PROMOTED = "registration.promoted"
CANCELLED = "registration.cancelled"


@dataclass
class Figures:
    """The figures of one event, or added up over several."""

    registrations: int = 0
    cancelled: int = 0
    expected: int = 0
    came: int = 0
    checked_in: int = 0
    joined_online: int = 0
    online_minutes: int = 0
    promoted: int = 0
    still_waiting: int = 0
    left_waiting_list: int = 0
    over: bool = True
    channels: Counter = field(default_factory=Counter)
    seat_types: Counter = field(default_factory=Counter)

    @property
    def no_shows(self) -> int | None:
        return self.expected - self.came if self.over else None

    @property
    def show_rate(self) -> int | None:
        return round(100 * self.came / self.expected) if self.over and self.expected else None

    @property
    def ever_waiting(self) -> int:
        return self.promoted + self.still_waiting + self.left_waiting_list

    @property
    def conversion_rate(self) -> int | None:
        return round(100 * self.promoted / self.ever_waiting) if self.ever_waiting else None

    @property
    def average_online_minutes(self) -> int | None:
        return round(self.online_minutes / self.joined_online) if self.joined_online else None

    def add(self, other: "Figures") -> None:
        for name in (
            "registrations",
            "cancelled",
            "expected",
            "came",
            "checked_in",
            "joined_online",
            "online_minutes",
            "promoted",
            "still_waiting",
            "left_waiting_list",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.over = self.over and other.over
        self.channels.update(other.channels)
        self.seat_types.update(other.seat_types)


@dataclass
class Report:
    events: list[tuple[Event, Figures]]
    total: Figures
    over_time: list[tuple[str, int]]
    bucket: str
    online: dict[int, OnlineAttendance]


def event_report(event: Event, *, now: datetime) -> Report:
    return build_report([event], now=now)


def period_report(events: list[Event], *, now: datetime) -> Report:
    return build_report(events, now=now)


def build_report(events: list[Event], *, now: datetime) -> Report:
    ids = [event.pk for event in events]
    figures = {event.pk: Figures(over=event.ends_at <= now) for event in events}
    registrations = Registration.objects.filter(event_id__in=ids)
    for event_id, channel, seat_type, status, count, persons, checked in (
        registrations.values_list("event_id", "channel", "seat_type", "status")
        .annotate(count=Count("pk"), persons=people(), checked=people(filter=Q(checked_in_at__isnull=False)))
        .order_by()
    ):
        row = figures[event_id]
        row.registrations += count
        row.channels[channel] += count
        if status == Status.CANCELLED:
            row.cancelled += count
            continue
        row.seat_types[seat_type] += count
        row.checked_in += checked
        if status == Status.CONFIRMED:
            row.expected += persons
        elif status == Status.WAITLISTED:
            row.still_waiting += count
    # Through `pk__in`: a join with the Zoom stays would add a registration's people once per stay.
    came = registrations.filter(Q(checked_in_at__isnull=False) | Q(zoom_attendance__isnull=False)).values("pk")
    for event_id, count in (
        registrations.filter(pk__in=came, status=Status.CONFIRMED)
        .values_list("event_id")
        .annotate(count=people())
        .order_by()
    ):
        figures[event_id].came = count
    waiting_moves = Q(action=PROMOTED) | Q(action=CANCELLED, data__previous_status=Status.WAITLISTED)
    for event_id, action, count in (
        AuditEntry.objects.filter(waiting_moves, event_id__in=ids, target_type="registration")
        .values_list("event_id", "action")
        .annotate(count=Count("target_id", distinct=True))
        .order_by()
    ):
        if action == PROMOTED:
            figures[event_id].promoted = count
        else:
            figures[event_id].left_waiting_list = count
    online = online_attendance(ids)
    for attendance in online.values():
        figures[attendance.event_id].joined_online += 1
        figures[attendance.event_id].online_minutes += attendance.minutes
    total = Figures(over=bool(events))
    for row in figures.values():
        total.add(row)
    bucket, over_time = registrations_over_time(registrations)
    return Report([(event, figures[event.pk]) for event in events], total, over_time, bucket, online)


def registrations_over_time(registrations) -> tuple[str, list[tuple[str, int]]]:
    """Registrations per day (per week or month for long spans), empty buckets included."""
    span = registrations.aggregate(first=Min("received_at"), last=Max("received_at"))
    first, last = span["first"], span["last"]
    if first is None:
        return "day", []
    days = (last - first).days
    bucket = "day" if days <= 62 else "week" if days <= 366 else "month"
    counts = {
        moment.date(): count
        for moment, count in registrations.annotate(bucket=Trunc("received_at", bucket, tzinfo=BERLIN))
        .values_list("bucket")
        .annotate(count=Count("pk"))
        .order_by("bucket")
    }
    rows, day, end = [], min(counts), max(counts)
    while day <= end:
        rows.append((bucket_label(day, bucket), counts.get(day, 0)))
        day = next_bucket(day, bucket)
    return bucket, rows


def next_bucket(day: date, bucket: str) -> date:
    if bucket == "day":
        return day + timedelta(days=1)
    if bucket == "week":
        return day + timedelta(weeks=1)
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def bucket_label(day: date, bucket: str) -> str:
    return date_format(day, "MONTH_DAY_FORMAT" if bucket != "month" else "m/Y")


def managed_events_in(user, start: date, end: date) -> list[Event]:
    """The user's events that start between the two days (Berlin), both included."""
    since = datetime.combine(start, time.min, tzinfo=BERLIN)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=BERLIN)
    return list(
        events_where(user, Capability.MANAGE).filter(starts_at__gte=since, starts_at__lt=until).order_by("starts_at")
    )


def channel_rows(figures: Figures) -> list[tuple[str, int]]:
    return [(str(label), figures.channels[value]) for value, label in Channel.choices]


def seat_rows(figures: Figures) -> list[tuple[str, int]]:
    return [(str(label), figures.seat_types[value]) for value, label in SeatType.choices]


def promoted_ids(event: Event) -> set[int]:
    rows = AuditEntry.objects.filter(event=event, action=PROMOTED, target_type="registration")
    return set(rows.values_list("target_id", flat=True))


def online_by_event(online: dict[int, OnlineAttendance]) -> dict[int, list[OnlineAttendance]]:
    grouped = defaultdict(list)
    for attendance in online.values():
        grouped[attendance.event_id].append(attendance)
    return grouped
