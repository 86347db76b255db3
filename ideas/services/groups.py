"""Breakout groups: creating them, their moderators' access, the table's QR poster, and who
sits in which group (by hand, evenly at random, or by the preference registrants gave)."""

import math
import random
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from core.errors import DomainError
from events.access import Capability, ensure
from events.models import Event
from events.services import record_audit
from ideas.models import (
    Assignment,
    BreakoutGroup,
    GroupKind,
    GroupMembership,
    GroupPreference,
    Moderator,
    new_poster_key,
    token_hash,
)
from ideas.services.texts import clean_line
from registrations.models import Registration, Status

NAME_MAX = 120
TOPIC_MAX = 300


@dataclass(frozen=True)
class GroupData:
    name: str
    topic: str = ""
    kind: str = GroupKind.ROOM


@dataclass(frozen=True)
class ModeratorAccess:
    """A moderator and their API token, which exists in clear text only in this answer."""

    moderator: Moderator
    api_token: str


def check_group_data(data: GroupData) -> GroupData:
    missing = _("Please give the group a name.")
    name = clean_line(data.name, limit=NAME_MAX, field="name", missing=missing, code="group_name")
    topic = clean_line(data.topic, limit=TOPIC_MAX, field="topic")
    if data.kind not in GroupKind.values:
        raise DomainError("invalid_group_kind", _("A group is a breakout room or a table."), status=422, field="kind")
    return GroupData(name=name, topic=topic, kind=data.kind)


def create_group(
    event: Event, data: GroupData, *, moderator_name: str = "", actor, now: datetime
) -> tuple[BreakoutGroup, ModeratorAccess]:
    """A new group with its first moderator: a group always has someone who can capture."""
    ensure(actor, event, Capability.MODERATE)
    data = check_group_data(data)
    name_taken = DomainError(
        "group_name_taken",
        _("This event already has a group called “%(name)s”.") % {"name": data.name},
        status=409,
        field="name",
    )
    if BreakoutGroup.objects.filter(event=event, name__iexact=data.name).exists():
        raise name_taken
    try:
        with transaction.atomic():
            last = BreakoutGroup.objects.filter(event=event).aggregate(last=Max("position"))["last"] or 0
            group = BreakoutGroup.objects.create(
                event=event, name=data.name, topic=data.topic, kind=data.kind, position=last + 1, created_at=now
            )
            record_audit(
                "breakout_group.created",
                actor=actor,
                now=now,
                event=event,
                target=group,
                data={"name": group.name, "kind": group.kind},
            )
            access = add_moderator(group, name=moderator_name, actor=actor, now=now)
    except IntegrityError:
        raise name_taken from None
    return group, access


def add_moderator(group: BreakoutGroup, *, name: str = "", actor, now: datetime) -> ModeratorAccess:
    ensure(actor, group.event, Capability.MODERATE)
    raw_token = new_moderator_token()
    with transaction.atomic():
        moderator = Moderator.objects.create(
            group=group, name=name.strip()[:NAME_MAX], token_hash=token_hash(raw_token), created_at=now
        )
        record_audit(
            "moderator.added", actor=actor, now=now, event=group.event, target=moderator, data={"group": group.pk}
        )
    return ModeratorAccess(moderator, raw_token)


def new_moderator_token() -> str:
    return "sdm_" + secrets.token_urlsafe(32)


def renew_moderator_access(moderator: Moderator, *, actor, now: datetime) -> ModeratorAccess:
    """A new link and token, e.g. after a link was forwarded too widely; the old ones stop working."""
    ensure(actor, moderator.group.event, Capability.MODERATE)
    raw_token = new_moderator_token()
    with transaction.atomic():
        moderator = Moderator.objects.select_for_update().select_related("group__event").get(pk=moderator.pk)
        if moderator.revoked_at is not None:
            raise DomainError(
                "moderator_revoked", _("This moderator's access was revoked; add a new moderator instead."), status=409
            )
        moderator.link_version += 1
        moderator.token_hash = token_hash(raw_token)
        moderator.save(update_fields=["link_version", "token_hash"])
        record_audit(
            "moderator.renewed",
            actor=actor,
            now=now,
            event=moderator.group.event,
            target=moderator,
            data={"link_version": moderator.link_version},
        )
    return ModeratorAccess(moderator, raw_token)


def revoke_moderator(moderator: Moderator, *, actor, now: datetime) -> Moderator:
    """End a moderator's access for good: the link and the API token stop working at once."""
    ensure(actor, moderator.group.event, Capability.MODERATE)
    with transaction.atomic():
        moderator = Moderator.objects.select_for_update().select_related("group__event").get(pk=moderator.pk)
        if moderator.revoked_at is not None:
            return moderator
        # The token's hash stays, so that a revoked token is answered with "revoked", not "unknown".
        moderator.revoked_at = now
        moderator.save(update_fields=["revoked_at"])
        record_audit("moderator.revoked", actor=actor, now=now, event=moderator.group.event, target=moderator)
    return moderator


def renew_poster_key(group: BreakoutGroup, *, actor, now: datetime) -> BreakoutGroup:
    """A new QR code for a table, when a poster went where it should not."""
    ensure(actor, group.event, Capability.MODERATE)
    with transaction.atomic():
        group.poster_key = new_poster_key()
        group.save(update_fields=["poster_key"])
        record_audit("breakout_group.poster_renewed", actor=actor, now=now, event=group.event, target=group)
    return group


def assign_member(registration: Registration, group: BreakoutGroup | None, *, actor, now: datetime) -> None:
    """Put a registrant into a group by hand (None takes them out of any group)."""
    ensure(actor, registration.event, Capability.MODERATE)
    if group is not None and group.event_id != registration.event_id:
        raise DomainError(
            "registration_not_in_event", _("This person is not registered for the group's event."), status=422
        )
    if group is not None and registration.status == Status.CANCELLED:
        raise DomainError("registration_cancelled", _("This registration is cancelled."), status=409)
    with transaction.atomic():
        if group is None:
            GroupMembership.objects.filter(registration=registration).delete()
        else:
            GroupMembership.objects.update_or_create(
                registration=registration,
                defaults={"group": group, "assigned_by": Assignment.HAND, "assigned_at": now},
            )
        record_audit(
            "breakout_group.member_assigned",
            actor=actor,
            now=now,
            event=registration.event,
            target=registration,
            data={"group": group.pk if group else None},
        )


def assign_evenly_at_random(event: Event, *, actor, now: datetime, rng: random.Random | None = None) -> dict[int, int]:
    """Spread every confirmed participant without a group evenly over the groups, at random.
    People already placed stay where they are. Returns the group sizes afterwards."""
    return _assign(event, use_preferences=False, actor=actor, now=now, rng=rng or random.Random())


def assign_by_preference(event: Event, *, actor, now: datetime, rng: random.Random | None = None) -> dict[int, int]:
    """Place participants into the group they asked for, first come first served, as long as
    that group has no more than its even share; everyone else is spread evenly at random."""
    return _assign(event, use_preferences=True, actor=actor, now=now, rng=rng or random.Random())


def _assign(event: Event, *, use_preferences: bool, actor, now: datetime, rng: random.Random) -> dict[int, int]:
    ensure(actor, event, Capability.MODERATE)
    with transaction.atomic():
        groups = list(BreakoutGroup.objects.select_for_update().filter(event=event).order_by("position", "pk"))
        if not groups:
            raise DomainError("no_groups", _("Create breakout groups first."), status=409)
        sizes = {group.pk: 0 for group in groups}
        for group_id in GroupMembership.objects.filter(group__event=event).values_list("group_id", flat=True):
            sizes[group_id] += 1
        waiting = list(
            Registration.objects.filter(event=event, status=Status.CONFIRMED, breakout_membership__isnull=True)
            .select_related("breakout_preference")
            .order_by("pk")
        )
        share = math.ceil((sum(sizes.values()) + len(waiting)) / len(groups))
        placed: list[GroupMembership] = []
        if use_preferences:
            waiting = _place_by_preference(waiting, sizes, share, placed, now=now)
        _place_evenly(waiting, groups, sizes, placed, rng=rng, now=now)
        GroupMembership.objects.bulk_create(placed)
        record_audit(
            "breakout_group.members_assigned",
            actor=actor,
            now=now,
            event=event,
            target=event,
            data={"by": Assignment.PREFERENCE if use_preferences else Assignment.RANDOM, "placed": len(placed)},
        )
    return sizes


def _place_by_preference(waiting, sizes, share, placed, *, now) -> list[Registration]:
    def preference(registration):
        return getattr(registration, "breakout_preference", None)

    with_preference = sorted((r for r in waiting if preference(r)), key=lambda r: (preference(r).given_at, r.pk))
    left = [r for r in waiting if not preference(r)]
    for registration in with_preference:
        wanted = preference(registration).group_id
        if sizes.get(wanted, share) < share:
            sizes[wanted] += 1
            placed.append(_membership(registration, wanted, Assignment.PREFERENCE, now))
        else:
            left.append(registration)
    return left


def _place_evenly(waiting, groups, sizes, placed, *, rng, now) -> None:
    rng.shuffle(waiting)
    for registration in waiting:
        smallest = min(sizes[group.pk] for group in groups)
        group_id = rng.choice([group.pk for group in groups if sizes[group.pk] == smallest])
        sizes[group_id] += 1
        placed.append(_membership(registration, group_id, Assignment.RANDOM, now))


def _membership(registration, group_id: int, how: str, now: datetime) -> GroupMembership:
    return GroupMembership(registration=registration, group_id=group_id, assigned_by=how, assigned_at=now)


def set_preference(registration: Registration, group: BreakoutGroup, *, now: datetime) -> GroupPreference:
    """A registrant's own choice, through their signed preference link (no account)."""
    if group.event_id != registration.event_id:
        raise DomainError("group_not_in_event", _("This group belongs to another event."), status=422)
    if registration.status == Status.CANCELLED:
        raise DomainError("registration_cancelled", _("This registration is cancelled."), status=409)
    if now >= registration.event.starts_at:
        raise DomainError(
            "preference_closed", _("Groups can no longer be chosen once the event has started."), status=409
        )
    with transaction.atomic():
        preference, _created = GroupPreference.objects.update_or_create(
            registration=registration, defaults={"group": group, "given_at": now}
        )
        record_audit(
            "breakout_group.preference_given",
            actor=None,
            label=registration.name,
            now=now,
            event=registration.event,
            target=registration,
            data={"group": group.pk},
        )
    return preference
