"""Finding the event a mail registers for, and the seat type a hybrid event's writer wants."""

import re
from datetime import datetime

from events.models import Event, EventStatus, SeatType, normalize_keyword
from registrations.submissions import registration_is_open

ONLINE_WORDS = re.compile(r"\b(online|zoom|digital|virtuell|von zu ?hause|remote|video)", re.IGNORECASE)
ONSITE_WORDS = re.compile(
    r"\b(vor ort|persönlich|persoenlich|präsenz|praesenz|in person|on site|onsite)", re.IGNORECASE
)


def candidate_events(since: datetime) -> list[Event]:
    """Events a mail received at or after `since` can name: not drafts, not over."""
    events = (
        Event.objects.exclude(keyword_normalized="")
        .exclude(status=EventStatus.DRAFT)
        .filter(ends_at__gte=since)
        .order_by("starts_at")
        .prefetch_related("seat_pools", "consent_terms")
    )
    return list(events)


def find_event(lines: list[str], events: list[Event], *, at: datetime) -> Event | None:
    """The event whose keyword appears in the subject or the first lines of the body.

    Matching ignores case, quotes, dots and spacing, so „digitalisierung 20.08“ and
    "Digitalisierung2008" both find "Digitalisierung 20.08."; events open for registration
    come first, so a reused keyword finds the one that takes registrations; the longest
    keyword wins."""
    normalized_lines = [normalize_keyword(line) for line in lines]
    named = [
        event
        for event in events
        if event.ends_at >= at and any(event.keyword_normalized in line for line in normalized_lines)
    ]
    # The longest keyword; of equally long ones an open event, else the first (events come in
    # order of their start).
    return max(named, key=lambda event: (len(event.keyword_normalized), registration_is_open(event, at)), default=None)


def chosen_seat_type(event: Event, text: str) -> str:
    offered = event.seat_types
    if len(offered) == 1:
        return next(iter(offered))
    wants_online = bool(ONLINE_WORDS.search(text))
    wants_onsite = bool(ONSITE_WORDS.search(text))
    if wants_online and not wants_onsite:
        return SeatType.ONLINE
    return SeatType.ONSITE
