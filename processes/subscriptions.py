"""Joining a working group and following a process or working group by e-mail: double opt-in,
a signed link to confirm and one to leave (docs/processes.md, "Joining and following")."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from core.addresses import clean_address, normalize_email
from core.errors import DomainError
from events.services import record_audit
from ideas.models import WorkingGroup
from processes.mails import queue_confirmation, queue_invitations
from processes.models import Meeting, Process, Subscription, SubscriptionKind
from registrations.early_access import give_head_start, take_back_head_start


@dataclass
class SubscriptionData:
    email: str
    consent: bool
    name: str = ""
    language: str = "de"


def target_filter(target: Process | WorkingGroup) -> dict:
    return {"process": target} if isinstance(target, Process) else {"working_group": target}


@transaction.atomic
def subscribe(target: Process | WorkingGroup, data: SubscriptionData, *, kind: str, now: datetime) -> Subscription:
    """Record the wish and queue the mail that asks to confirm it. The same answer whether or not
    the address is known: a second request only sends the link again (and may turn a follower
    into a member)."""
    if kind == SubscriptionKind.MEMBER and not isinstance(target, WorkingGroup):
        raise DomainError("members_only_in_groups", _("Only working groups have members."), status=422)
    address = clean_address(data.email)
    if kind == SubscriptionKind.MEMBER and not data.name.strip():
        raise DomainError("name_required", _("Please tell us your name."), status=422, field="name")
    if not data.consent:
        raise DomainError(
            "consent_required", _("Please agree that we keep your address for this."), status=422, field="consent"
        )
    subscription, created = Subscription.objects.select_for_update().get_or_create(
        **target_filter(target),
        email_normalized=normalize_email(address),
        defaults={
            "kind": kind,
            "name": data.name.strip(),
            "email": address,
            "language": data.language,
            "consent_at": now,
            "created_at": now,
        },
    )
    if not created:
        if kind == SubscriptionKind.MEMBER:
            subscription.kind = kind
        subscription.name = data.name.strip() or subscription.name
        subscription.language, subscription.consent_at = data.language, now
        subscription.save()
    queue_confirmation(subscription, now=now)
    return subscription


@transaction.atomic
def confirm(subscription: Subscription, *, now: datetime) -> bool:
    """True the first time; a second click changes nothing."""
    if subscription.confirmed_at is not None:
        return False
    subscription.confirmed_at = subscription.news_until = now
    subscription.save(update_fields=["confirmed_at", "news_until"])
    record_audit(
        f"subscription.{subscription.kind}_confirmed",
        actor=None,
        label="citizen",
        now=now,
        target=subscription.target,
        data={"subscription": subscription.pk},
    )
    return True


@transaction.atomic
def leave(subscription: Subscription, *, now: datetime) -> None:
    """Ends it and erases the address and name: nothing of the person is kept."""
    record_audit(
        f"subscription.{subscription.kind}_left",
        actor=None,
        label="citizen",
        now=now,
        target=subscription.target,
        data={"subscription": subscription.pk},
    )
    subscription.delete()


def members_of(group: WorkingGroup):
    return group.subscriptions.filter(kind=SubscriptionKind.MEMBER, confirmed_at__isnull=False).order_by("name")


@transaction.atomic
def invite_members(
    group: WorkingGroup, event, *, members_from: datetime | None = None, actor, now: datetime
) -> Meeting:
    """Make the event a meeting of the group and invite its confirmed members by mail (once each:
    a second call invites only those who joined since). `members_from`: the members may register
    from then, before registration opens to all; each invitation carries the member's personal
    link (registrations/early_access.py). A head start given or moved invites every member again,
    so that each holds a link and the time that applies."""
    if not group.processes.filter(events=event).exists():
        raise DomainError(
            "event_not_in_process",
            _("Only events of the group's process can be its meetings."),
            status=422,
            field="event",
        )
    meeting, _created = Meeting.objects.select_for_update().get_or_create(working_group=group, event=event)
    everyone = meeting.invited_at is None
    head_start = meeting.early_access
    if members_from is not None and (head_start is None or head_start.opens_at != members_from):
        meeting.early_access = give_head_start(event, members_from, head_start=head_start, actor=actor, now=now)
        everyone = True
    members = members_of(group)
    if not everyone:
        members = members.filter(confirmed_at__gt=meeting.invited_at)
    invited = queue_invitations(meeting, list(members), now=now)
    meeting.invited_at, meeting.invited = now, invited if everyone else meeting.invited + invited
    meeting.save(update_fields=["invited_at", "invited", "early_access"])
    record_audit(
        "working_group.members_invited",
        actor=actor,
        now=now,
        event=event,
        target=group,
        data={
            "invited": invited,
            "members_from": meeting.early_access.opens_at.isoformat() if meeting.early_access else None,
        },
    )
    return meeting


@transaction.atomic
def remove_head_start(meeting: Meeting, *, actor, now: datetime) -> Meeting:
    """Take the members' head start for the meeting back. Their personal links then open the
    event page as anyone's ("registration opens on …"), and they register when everyone does;
    members who registered early keep their seats (ordinary registrations). Nobody is mailed: the
    invitations said "from …", and a link followed later tells the rest. Setting a head start again
    gives a new one and invites every member again."""
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("early_access__event").get(pk=meeting.pk)
    if meeting.early_access is None:
        raise DomainError("no_head_start", _("This meeting has no head start (any more)."), status=409)
    take_back_head_start(meeting.early_access, actor=actor, now=now)
    meeting.early_access = None
    return meeting
