"""Moderation: nothing a participant types becomes public before a person of the team has looked
at it (pre-moderation, the default), or the team looks afterwards and hides what must go
(post-moderation, chosen per event).

Moderators decide for their own group, organisers (capability `moderate`) for every group of
their event. Every decision is one transaction with an audit entry; a hidden idea's sender is
told why by mail when they left an address and agreed to updates.
"""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from events import access
from events.access import Capability
from events.models import Event
from events.services import record_audit
from ideas.access import Actor, audit_identity, ensure_can_handle
from ideas.models import Idea, IdeaSource, Moderation, ModerationMode, ModerationPolicy, Moderator
from ideas.notifications import notify_approved, notify_hidden
from ideas.services.capture import TEXT_MAX, clean_title
from ideas.services.texts import clean_line, clean_text

REASON_MAX = 500
ABUSE_NOTE_MAX = 500


def set_moderation_mode(event: Event, mode: str, *, actor, now: datetime) -> ModerationPolicy:
    access.ensure(actor, event, Capability.MODERATE)
    if mode not in ModerationMode.values:
        raise DomainError(
            "invalid_moderation_mode", _("Choose pre-moderation or post-moderation."), status=422, field="mode"
        )
    with transaction.atomic():
        policy, _created = ModerationPolicy.objects.select_for_update().get_or_create(
            event=event, defaults={"mode": mode, "changed_at": now}
        )
        if policy.mode != mode:
            policy.mode, policy.changed_at = mode, now
            policy.save(update_fields=["mode", "changed_at"])
        record_audit("ideas.moderation_mode", actor=actor, now=now, event=event, data={"mode": mode})
    return policy


def approve_idea(idea: Idea, *, actor: Actor, now: datetime) -> Idea:
    with transaction.atomic():
        idea = _decidable(idea, actor, now=now)
        was_public = idea.moderation == Moderation.APPROVED
        _decide(idea, Moderation.APPROVED, now=now)
        idea.save(update_fields=["moderation", "moderated_at", "hidden_reason", "updated_at"])
        record_audit("idea.approved", now=now, event=idea.event, target=idea, **audit_identity(actor))
        if not was_public:
            notify_approved(idea, now=now)
    return idea


def reword_idea(idea: Idea, title: str, text: str, *, approve: bool, actor: Actor, now: datetime) -> Idea:
    """Change the wording (the sender's own words are kept beside it), and approve it at once if asked."""
    title = clean_title(title)
    text = clean_text(text, limit=TEXT_MAX, field="text")
    with transaction.atomic():
        idea = _decidable(idea, actor, now=now)
        if (title, text) != (idea.title, idea.text) and not (idea.original_title or idea.original_text):
            idea.original_title, idea.original_text = idea.title, idea.text
        idea.title, idea.text = title, text
        newly_public = approve and idea.moderation != Moderation.APPROVED
        if approve:
            _decide(idea, Moderation.APPROVED, now=now)
        idea.updated_at = now
        idea.save(
            update_fields=[
                "title",
                "text",
                "original_title",
                "original_text",
                "moderation",
                "moderated_at",
                "hidden_reason",
                "updated_at",
            ]
        )
        record_audit(
            "idea.reworded",
            now=now,
            event=idea.event,
            target=idea,
            data={"approved": approve, "original_title": idea.original_title},
            **audit_identity(actor),
        )
        if newly_public:
            notify_approved(idea, now=now)
    return idea


def hide_idea(idea: Idea, reason: str, *, actor: Actor, now: datetime) -> Idea:
    reason = clean_line(
        reason, limit=REASON_MAX, field="reason", missing=_("Please say why the idea is hidden."), code="hidden_reason"
    )
    with transaction.atomic():
        idea = _decidable(idea, actor, now=now)
        if idea.duplicates.exists():
            raise DomainError(
                "idea_has_merged_ideas",
                _("Other ideas were merged into this one; it cannot be hidden."),
                status=409,
            )
        if idea.backlog_item_id:
            raise DomainError(
                "idea_in_backlog", _("This idea is part of a backlog item; its working group decides."), status=409
            )
        _decide(idea, Moderation.HIDDEN, now=now)
        idea.hidden_reason = reason
        # A hidden idea leaves the wall and its working group as well.
        idea.for_plenum, idea.marked_for_plenum_at, idea.working_group_id = False, None, None
        idea.save(
            update_fields=[
                "moderation",
                "moderated_at",
                "hidden_reason",
                "for_plenum",
                "marked_for_plenum_at",
                "working_group",
                "updated_at",
            ]
        )
        record_audit(
            "idea.hidden", now=now, event=idea.event, target=idea, data={"reason": reason}, **audit_identity(actor)
        )
        notify_hidden(idea, now=now)
    return idea


def report_abuse(idea: Idea, note: str, *, actor: Actor, now: datetime) -> Idea:
    """A flag for the organisers; it changes nothing public on its own (hiding does)."""
    note = clean_line(
        note, limit=ABUSE_NOTE_MAX, field="note", missing=_("Please describe the abuse briefly."), code="abuse_note"
    )
    with transaction.atomic():
        idea = _decidable(idea, actor, now=now, merged_ok=True)
        idea.abuse_reported_at, idea.abuse_note, idea.updated_at = now, note, now
        idea.save(update_fields=["abuse_reported_at", "abuse_note", "updated_at"])
        record_audit(
            "idea.abuse_reported", now=now, event=idea.event, target=idea, data={"note": note}, **audit_identity(actor)
        )
    return idea


def moderation_queue(event: Event, *, actor: Actor):
    """What waits for a decision: pending ideas, and in post-moderation the ideas from tables no
    one has looked at yet; a moderator sees their own group's, organisers the whole event's."""
    ideas = (
        Idea.objects.filter(event=event, merged_into__isnull=True)
        .exclude(moderation=Moderation.HIDDEN)
        .filter(moderated_at__isnull=True)
        .exclude(source__in=[IdeaSource.MODERATOR, IdeaSource.ORGANISER])
        .select_related("group", "event")
        .order_by("created_at", "pk")
    )
    if isinstance(actor, Moderator):
        ideas = ideas.filter(group_id=actor.group_id)
    return ideas


def reported_ideas(event: Event):
    return (
        Idea.objects.filter(event=event, abuse_reported_at__isnull=False)
        .select_related("group")
        .order_by("-abuse_reported_at", "-pk")
    )


def _decidable(idea: Idea, actor: Actor, *, now: datetime, merged_ok: bool = False) -> Idea:
    locked = (
        Idea.objects.select_for_update(of=("self",)).select_related("group__event", "event").filter(pk=idea.pk).first()
    )
    if locked is None:
        raise DomainError("idea_not_found", _("This idea does not exist (any more)."), status=404)
    ensure_can_handle(actor, locked, now=now)
    if locked.merged_into_id and not merged_ok:
        raise DomainError(
            "idea_merged", _("This idea was merged into another one; please decide on that one."), status=409
        )
    return locked


def _decide(idea: Idea, state: str, *, now: datetime) -> None:
    idea.moderation, idea.moderated_at, idea.updated_at = state, now, now
    if state != Moderation.HIDDEN:
        idea.hidden_reason = ""
