"""Online attendance per registration, from the joins and leaves Zoom reported (streaming/webhooks.py).

A person may join and leave several times, and be inside twice at once (phone and laptop): their
minutes are the length of the union of their stays, so overlaps count once. A stay without a
recorded leave lasts until the meeting ended, if Zoom told us that; a stay whose join never
arrived counts no minutes. One query, whatever the number of registrations or events.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from streaming.models import Attendance


@dataclass(frozen=True)
class Stay:
    joined_at: datetime | None
    left_at: datetime | None


@dataclass
class OnlineAttendance:
    event_id: int
    stays: list[Stay] = field(default_factory=list)
    minutes: int = 0

    @property
    def first_joined_at(self) -> datetime | None:
        return min((stay.joined_at for stay in self.stays if stay.joined_at), default=None)

    @property
    def last_left_at(self) -> datetime | None:
        return max((stay.left_at for stay in self.stays if stay.left_at), default=None)


def online_attendance(event_ids: list[int]) -> dict[int, OnlineAttendance]:
    """By registration id: the stays (in time order) and the minutes attended online."""
    rows = (
        Attendance.objects.filter(meeting__event_id__in=event_ids, registration__isnull=False)
        .order_by("registration_id", "joined_at", "pk")
        .values_list("registration_id", "meeting__event_id", "joined_at", "left_at", "meeting__ended_at")
    )
    found: dict[int, OnlineAttendance] = {}
    intervals: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for registration_id, event_id, joined_at, left_at, ended_at in rows:
        attendance = found.setdefault(registration_id, OnlineAttendance(event_id))
        attendance.stays.append(Stay(joined_at, left_at))
        until = left_at or ended_at
        if joined_at is not None and until is not None and until > joined_at:
            intervals[registration_id].append((joined_at, until))
    for registration_id, spans in intervals.items():
        found[registration_id].minutes = round(covered_seconds(spans) / 60)
    return found


def covered_seconds(spans: list[tuple[datetime, datetime]]) -> float:
    """The length of the union of the spans."""
    total, current_start, current_end = 0.0, None, None
    for start, end in sorted(spans):
        if current_end is None or start > current_end:
            if current_end is not None:
                total += (current_end - current_start).total_seconds()
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None:
        total += (current_end - current_start).total_seconds()
    return total
