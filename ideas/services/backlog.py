"""Backlogs of the working groups: organisers sort ideas into a working group, its leads make
ordered backlog items from them and move those through their statuses.

Positions are kept dense (1, 2, 3, …) and rewritten under a row lock on the working group, so
two leads reordering at the same moment cannot leave two items on one place."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from events.access import Capability, ensure
from events.services import record_audit
from ideas.access import ensure_lead
from ideas.models import BacklogItem, BacklogStatus, Idea, Moderation, WorkingGroup
from ideas.notifications import notify_stage_change
from ideas.services.texts import clean_line, clean_text

ITEM_TITLE_MAX = 200
LONG_TEXT_MAX = 5000


@dataclass(frozen=True)
class ItemChanges:
    """What a lead changes on a backlog item; None leaves a field as it is."""

    title: str | None = None
    status: str | None = None
    position: int | None = None
    public_note: str | None = None
    rejection_reason: str | None = None


def sort_into_working_group(idea: Idea, working_group: WorkingGroup | None, *, actor, now: datetime) -> Idea:
    """Hand an idea to one working group (or take it back with None), as an organiser of its event."""
    with transaction.atomic():
        idea = _locked_ideas([idea.pk])[0]
        ensure(actor, idea.event, Capability.MANAGE)
        _ensure_may_move(idea, working_group)
        if idea.working_group_id == (working_group.pk if working_group else None):
            return idea
        previous = idea.working_group.slug if idea.working_group_id else None
        idea.working_group, idea.updated_at = working_group, now
        idea.save(update_fields=["working_group", "updated_at"])
        record_audit(
            "idea.sorted",
            actor=actor,
            now=now,
            event=idea.event,
            target=idea,
            data={"from": previous, "to": working_group.slug if working_group else None},
        )
        if working_group is not None:
            notify_stage_change([idea], now=now)
    return idea


def _ensure_may_move(idea: Idea, working_group: WorkingGroup | None) -> None:
    if working_group is not None and idea.moderation != Moderation.APPROVED:
        raise DomainError(
            "idea_not_approved",
            _("“%(title)s” is not approved yet and cannot go to a working group.") % {"title": idea.title},
            status=409,
        )
    if idea.merged_into_id:
        raise DomainError(
            "idea_merged",
            _("“%(title)s” was merged into another idea; sort that one.") % {"title": idea.title},
            status=409,
        )
    if idea.backlog_item_id and (working_group is None or working_group.pk != idea.working_group_id):
        raise DomainError(
            "idea_in_backlog",
            _("“%(title)s” is already part of a backlog item of another working group.") % {"title": idea.title},
            status=409,
        )


def create_backlog_item(
    working_group: WorkingGroup, title: str, idea_ids: list[int], *, actor, now: datetime
) -> BacklogItem:
    """A new item at the end of the backlog, made from one or more ideas. Ideas not yet in this
    working group are sorted into it on the way, if the lead also organises their event."""
    ensure_lead(actor, working_group)
    title = clean_line(title, limit=ITEM_TITLE_MAX, field="title", missing=_("Please give the backlog item a title."))
    if not idea_ids:
        raise DomainError("ideas_required", _("A backlog item is made from at least one idea."), status=422)
    with transaction.atomic():
        working_group = _locked_group(working_group)
        ideas = _locked_ideas(idea_ids)
        for idea in ideas:
            _ensure_may_move(idea, working_group)
            if idea.backlog_item_id:
                raise DomainError(
                    "idea_in_backlog",
                    _("“%(title)s” is already part of a backlog item.") % {"title": idea.title},
                    status=409,
                )
            if idea.working_group_id not in (None, working_group.pk):
                raise DomainError(
                    "idea_in_other_working_group",
                    _("“%(title)s” was sorted into another working group.") % {"title": idea.title},
                    status=409,
                )
            if idea.working_group_id is None:
                ensure(actor, idea.event, Capability.MANAGE)
        item = BacklogItem.objects.create(
            working_group=working_group,
            title=title,
            position=BacklogItem.objects.filter(working_group=working_group).count() + 1,
            created_at=now,
            updated_at=now,
            status_changed_at=now,
        )
        Idea.objects.filter(pk__in=[idea.pk for idea in ideas]).update(
            working_group=working_group, backlog_item=item, updated_at=now
        )
        record_audit(
            "backlog_item.created",
            actor=actor,
            now=now,
            target=item,
            data={"working_group": working_group.slug, "ideas": [idea.pk for idea in ideas]},
        )
        # Every idea's stage changes here (to the backlog), also for those already in the group.
        for idea in ideas:
            idea.working_group, idea.backlog_item = working_group, item
        notify_stage_change(ideas, now=now)
    return item


def update_backlog_item(item: BacklogItem, changes: ItemChanges, *, actor, now: datetime) -> BacklogItem:
    ensure_lead(actor, item.working_group)
    with transaction.atomic():
        _locked_group(item.working_group)
        items = list(BacklogItem.objects.filter(working_group_id=item.working_group_id).order_by("position", "pk"))
        item = next((candidate for candidate in items if candidate.pk == item.pk), None)
        if item is None:
            raise DomainError("item_not_found", _("This backlog item does not exist (any more)."), status=404)
        changed = _apply_changes(item, changes)
        if changes.position is not None and changes.position != item.position:
            changed["position"] = _move(items, item, changes.position)
        if not changed:
            return item
        item.updated_at = now
        if "status" in changed:
            item.status_changed_at = now
        item.save()
        record_audit(
            "backlog_item.updated",
            actor=actor,
            now=now,
            target=item,
            data={"working_group": item.working_group.slug, "changed": changed},
        )
        if "status" in changed:
            notify_stage_change(list(item.ideas.all()), now=now)
    return item


def _apply_changes(item: BacklogItem, changes: ItemChanges) -> dict:
    changed = {}
    if changes.title is not None:
        missing = _("Please give the backlog item a title.")
        title = clean_line(changes.title, limit=ITEM_TITLE_MAX, field="title", missing=missing)
        if title != item.title:
            item.title = changed["title"] = title
    if changes.public_note is not None:
        note = clean_text(changes.public_note, limit=LONG_TEXT_MAX, field="public_note")
        if note != item.public_note:
            item.public_note = changed["public_note"] = note
    status = item.status if changes.status is None else changes.status
    if status not in BacklogStatus.values:
        allowed = ", ".join(BacklogStatus.values)
        raise DomainError(
            "invalid_status",
            _("The status must be one of: %(allowed)s.") % {"allowed": allowed},
            status=422,
            field="status",
        )
    reason = item.rejection_reason
    if changes.rejection_reason is not None:
        reason = clean_text(changes.rejection_reason, limit=LONG_TEXT_MAX, field="rejection_reason")
    if status == BacklogStatus.REJECTED and not reason:
        raise DomainError(
            "rejection_reason_required",
            _("Please say why the item is rejected; citizens will read it."),
            status=422,
            field="rejection_reason",
        )
    if status != BacklogStatus.REJECTED:
        if changes.rejection_reason:
            raise DomainError(
                "reason_without_rejection",
                _("A reason is only given for a rejected item."),
                status=422,
                field="rejection_reason",
            )
        reason = ""
    if status != item.status:
        item.status = changed["status"] = status
    if reason != item.rejection_reason:
        item.rejection_reason = changed["rejection_reason"] = reason
    return changed


def _move(items: list[BacklogItem], item: BacklogItem, position: int) -> int:
    if not 1 <= position <= len(items):
        raise DomainError(
            "position_out_of_range",
            _("The position must be between 1 and %(count)s.") % {"count": len(items)},
            status=422,
            field="position",
        )
    items.remove(item)
    items.insert(position - 1, item)
    moved = []
    for index, candidate in enumerate(items, start=1):
        if candidate.position != index:
            candidate.position = index
            moved.append(candidate)
    BacklogItem.objects.bulk_update([candidate for candidate in moved if candidate is not item], ["position"])
    return position


def _locked_group(working_group: WorkingGroup) -> WorkingGroup:
    return WorkingGroup.objects.select_for_update().get(pk=working_group.pk)


def _locked_ideas(ids: list[int]) -> list[Idea]:
    ideas = list(
        Idea.objects.select_for_update(of=("self",)).select_related("event", "working_group").filter(pk__in=ids)
    )
    if len(ideas) != len(set(ids)):
        raise DomainError("idea_not_found", _("One of these ideas does not exist."), status=404)
    return ideas
