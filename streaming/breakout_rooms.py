"""Breakout rooms pre-assigned from the event's breakout groups.

Zoom applies a pre-assignment only to participants signed in to Zoom with the listed address,
so this is best effort: the moderators get the lists of their groups from the ideas app too."""

import importlib

from django.apps import apps

from events.models import Event
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
    """The online breakout groups of the ideas app, with their confirmed members; none when the
    ideas app is not installed or has no groups for this event."""
    if not apps.is_installed("ideas"):
        return []
    models = importlib.import_module("ideas.models")
    group_model = getattr(models, "BreakoutGroup", None)
    if group_model is None:
        return []
    groups = group_model.objects.filter(event=event, kind="room").prefetch_related("memberships__registration")
    return rooms(
        [
            (
                group.name,
                [
                    membership.registration.email
                    for membership in group.memberships.all()
                    if membership.registration.status == Status.CONFIRMED
                ],
            )
            for group in groups
        ]
    )
