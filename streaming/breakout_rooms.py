"""Breakout rooms pre-assigned from the event's breakout groups (the ideas app).

Zoom applies a pre-assignment only to participants signed in to Zoom with the listed address,
so this is best effort: the moderators get the lists of their groups from the ideas app too."""

from events.models import Event, SeatType
from ideas.models import BreakoutGroup, GroupKind
from registrations.models import Status

Rooms = list[tuple[str, list[str]]]


def rooms(groups: Rooms) -> Rooms:
    """Rooms as Zoom takes them: named, each address once, in a stable order (so that an
    unchanged assignment never looks like a change)."""
    result = []
    for name, emails in groups:
        unique = sorted({email.strip().casefold() for email in emails if email and email.strip()})
        if name.strip():
            result.append((name.strip(), unique))
    return result


def rooms_for(event: Event) -> Rooms:
    """The event's online breakout groups with their confirmed online members."""
    groups = BreakoutGroup.objects.filter(event=event, kind=GroupKind.ROOM).prefetch_related(
        "memberships__registration"
    )
    return rooms(
        [
            (
                group.name,
                [
                    membership.registration.email
                    for membership in group.memberships.all()
                    if membership.registration.status == Status.CONFIRMED
                    and membership.registration.seat_type == SeatType.ONLINE
                ],
            )
            for group in groups
        ]
    )
