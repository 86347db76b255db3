"""Capturing ideas in a breakout group: adding (idempotent by client_id), editing, marking for
the plenum and merging, by the group's moderators, the event's organisers, or people at a table
through its QR poster."""

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.addresses import clean_address
from core.errors import DomainError
from events.services import record_audit
from ideas.access import AccessRefused, Actor, access_ends_at, audit_identity, ensure_can_capture, ensure_can_handle
from ideas.models import BreakoutGroup, Dot, Idea, IdeaSource, Moderation, ModerationMode, ModerationPolicy, Moderator
from ideas.services.texts import clean_line, clean_text

TITLE_MAX = 140
TEXT_MAX = 4000
THEME_MAX = 60
CLIENT_ID_MAX = 64


@dataclass(frozen=True)
class IdeaDraft:
    title: str
    text: str = ""
    theme: str = ""
    for_plenum: bool = False
    email: str = ""
    updates_consent: bool = False
    language: str = "de"


@dataclass(frozen=True)
class IdeaChanges:
    """What an edit changes; None leaves a field as it is."""

    title: str | None = None
    text: str | None = None
    theme: str | None = None
    for_plenum: bool | None = None


def add_idea(
    group: BreakoutGroup, draft: IdeaDraft, *, client_id: str | None, actor: Actor, now: datetime
) -> tuple[Idea, bool]:
    """Store an idea once. A request repeated with the same client_id (a retry on a flaky
    connection, a form sent twice) gets the idea stored the first time; the flag says whether
    this call created it."""
    ensure_can_capture(actor, group, now=now)
    source = IdeaSource.MODERATOR if isinstance(actor, Moderator) else IdeaSource.ORGANISER
    # The team's own words need no second look.
    return _store(
        group,
        draft,
        client_id=client_id,
        source=source,
        moderation=Moderation.APPROVED,
        identity=audit_identity(actor),
        now=now,
    )


def add_idea_at_table(
    group: BreakoutGroup, draft: IdeaDraft, *, client_id: str | None, now: datetime
) -> tuple[Idea, bool]:
    """An idea a participant adds through the table's QR poster, until the table closes."""
    if now > access_ends_at(group.event):
        raise AccessRefused("table_closed", _("This table no longer takes ideas: the event is over."))
    identity = {"actor": None, "label": _("participant at “%(group)s”") % {"group": group.name}}
    return _store(
        group,
        draft,
        client_id=client_id,
        source=IdeaSource.PARTICIPANT,
        # Anonymous input waits for the team unless the event chose post-moderation.
        moderation=(
            Moderation.APPROVED if ModerationPolicy.mode_of(group.event) == ModerationMode.POST else Moderation.PENDING
        ),
        identity=identity,
        now=now,
    )


def _store(
    group, draft: IdeaDraft, *, client_id, source: str, moderation: str, identity: dict, now: datetime
) -> tuple[Idea, bool]:
    client_id = clean_client_id(client_id)
    stored = stored_idea(group, client_id)
    if stored is not None:
        return stored, False
    email, consent_at = clean_contact(draft.email, draft.updates_consent, now=now)
    idea = Idea(
        event_id=group.event_id,
        group=group,
        title=clean_title(draft.title),
        text=clean_text(draft.text, limit=TEXT_MAX, field="text"),
        theme=clean_line(draft.theme, limit=THEME_MAX, field="theme"),
        for_plenum=draft.for_plenum,
        marked_for_plenum_at=now if draft.for_plenum else None,
        source=source,
        client_id=client_id,
        submitter_email=email,
        updates_consent_at=consent_at,
        language=draft.language if draft.language in ("de", "en") else "de",
        moderation=moderation,
        created_at=now,
        updated_at=now,
    )
    try:
        with transaction.atomic():
            idea.save()
            record_audit(
                "idea.created",
                now=now,
                event=group.event,
                target=idea,
                data={"group": group.pk, "source": source, "for_plenum": idea.for_plenum, "moderation": moderation},
                **identity,
            )
    except IntegrityError:
        # The same client_id arrived twice at the same moment; the unique index let one in.
        stored = stored_idea(group, client_id)
        if stored is None:
            raise
        return stored, False
    return idea, True


def stored_idea(group: BreakoutGroup, client_id: str | None) -> Idea | None:
    if client_id is None:
        return None
    return Idea.objects.filter(group=group, client_id=client_id).first()


def edit_idea(idea: Idea, changes: IdeaChanges, *, actor: Actor, now: datetime) -> Idea:
    with transaction.atomic():
        idea = _locked([idea.pk])[idea.pk]
        ensure_can_handle(actor, idea, now=now)
        if idea.merged_into_id:
            raise DomainError(
                "idea_merged", _("This idea was merged into another one; please change that one."), status=409
            )
        changed = {}
        for field, value in (
            ("title", None if changes.title is None else clean_title(changes.title)),
            ("text", None if changes.text is None else clean_text(changes.text, limit=TEXT_MAX, field="text")),
            ("theme", None if changes.theme is None else clean_line(changes.theme, limit=THEME_MAX, field="theme")),
            ("for_plenum", changes.for_plenum),
        ):
            if value is not None and getattr(idea, field) != value:
                setattr(idea, field, value)
                changed[field] = value
        if not changed:
            return idea
        if "for_plenum" in changed:
            idea.marked_for_plenum_at = now if idea.for_plenum else None
        idea.updated_at = now
        idea.save(update_fields=[*changed, "marked_for_plenum_at", "updated_at"])
        record_audit(
            "idea.updated", now=now, event=idea.event, target=idea, data={"changed": changed}, **audit_identity(actor)
        )
    return idea


def merge_ideas(survivor: Idea, duplicates: list[Idea], *, actor: Actor, now: datetime) -> Idea:
    """Merge ideas that say the same into one. The duplicates keep their own origin (event,
    group, submitter) and from now on follow the survivor: its place, its status, its e-mails."""
    duplicate_ids = {idea.pk for idea in duplicates}
    if not duplicate_ids:
        raise DomainError("nothing_to_merge", _("Choose at least one idea to merge."), status=422)
    if survivor.pk in duplicate_ids:
        raise DomainError("merge_into_itself", _("An idea cannot be merged into itself."), status=422)
    with transaction.atomic():
        locked = _locked([survivor.pk, *duplicate_ids])
        survivor = locked[survivor.pk]
        duplicates = [locked[pk] for pk in sorted(duplicate_ids)]
        for idea in (survivor, *duplicates):
            ensure_can_handle(actor, idea, now=now)
            if idea.merged_into_id:
                raise DomainError(
                    "idea_merged",
                    _("“%(title)s” was already merged into another idea.") % {"title": idea.title},
                    status=409,
                )
        if survivor.moderation != Moderation.APPROVED:
            raise DomainError("survivor_not_approved", _("Merge only into an idea that is already public."), status=409)
        if any(idea.moderation == Moderation.HIDDEN for idea in duplicates):
            raise DomainError("idea_hidden", _("A hidden idea cannot be merged."), status=409)
        for idea in duplicates:
            if idea.backlog_item_id:
                message = _("“%(title)s” is already part of a backlog item and cannot be merged away.")
                raise DomainError("idea_in_backlog", message % {"title": idea.title}, status=409)
        working_groups = {idea.working_group_id for idea in (survivor, *duplicates) if idea.working_group_id}
        if len(working_groups) > 1:
            raise DomainError(
                "working_groups_differ", _("These ideas were sorted into different working groups."), status=409
            )
        # The group wanted a duplicate in the plenum: the idea that speaks for it goes there instead.
        if any(idea.for_plenum for idea in duplicates) and not survivor.for_plenum:
            survivor.for_plenum, survivor.marked_for_plenum_at = True, now
        # Ideas merged earlier into a duplicate follow it to the survivor: one hop, never a chain.
        Idea.objects.filter(merged_into__in=duplicates).update(merged_into=survivor, updated_at=now)
        # Dots given in the plenum follow too: the idea that speaks for the others carries their weight.
        Dot.objects.filter(idea__in=duplicates).update(idea=survivor)
        approved = []
        for idea in duplicates:
            idea.merged_into = survivor
            idea.for_plenum, idea.marked_for_plenum_at, idea.working_group_id = False, None, None
            idea.updated_at = now
            # Merging is the team's decision that a contribution says what a public idea says:
            # from now on it is shown as one of that idea's origins.
            if idea.moderation == Moderation.PENDING:
                idea.moderation, idea.moderated_at = Moderation.APPROVED, now
                approved.append(idea.pk)
        Idea.objects.bulk_update(
            duplicates,
            [
                "merged_into",
                "for_plenum",
                "marked_for_plenum_at",
                "working_group",
                "moderation",
                "moderated_at",
                "updated_at",
            ],
        )
        survivor.working_group_id = next(iter(working_groups), None)
        survivor.updated_at = now
        survivor.save(update_fields=["for_plenum", "marked_for_plenum_at", "working_group", "updated_at"])
        record_audit(
            "idea.merged",
            now=now,
            event=survivor.event,
            target=survivor,
            data={"duplicates": sorted(duplicate_ids), "approved": approved},
            **audit_identity(actor),
        )
    return survivor


def stop_updates(idea: Idea, *, now: datetime) -> Idea:
    """The submitter withdraws their consent to updates: the address is erased at once."""
    with transaction.atomic():
        idea = _locked([idea.pk])[idea.pk]
        if not idea.submitter_email:
            return idea
        idea.submitter_email, idea.updates_consent_at, idea.updated_at = "", None, now
        idea.save(update_fields=["submitter_email", "updates_consent_at", "updated_at"])
        record_audit("idea.updates_stopped", actor=None, label="submitter", now=now, event=idea.event, target=idea)
    return idea


def _locked(ids: list[int]) -> dict[int, Idea]:
    ideas = Idea.objects.select_for_update(of=("self",)).select_related("group__event", "event").filter(pk__in=ids)
    found = {idea.pk: idea for idea in ideas}
    if len(found) != len(set(ids)):
        raise DomainError("idea_not_found", _("This idea does not exist (any more)."), status=404)
    return found


def clean_title(title: str) -> str:
    return clean_line(title, limit=TITLE_MAX, field="title", missing=_("Please give the idea a short title."))


def clean_client_id(client_id: str | None) -> str | None:
    client_id = (client_id or "").strip()
    if not client_id:
        return None
    if len(client_id) > CLIENT_ID_MAX or not client_id.isprintable():
        raise DomainError(
            "invalid_client_id",
            _("client_id has at most %(max)s printable characters.") % {"max": CLIENT_ID_MAX},
            status=422,
            field="client_id",
        )
    return client_id


def clean_contact(email: str, updates_consent: bool, *, now: datetime) -> tuple[str, datetime | None]:
    """An address is kept only together with the explicit consent to be told about the idea (or,
    through the live channel, the question)."""
    email = email.strip()
    if not email:
        return "", None
    clean_address(email)
    if not updates_consent:
        raise DomainError(
            "consent_required",
            _("Please agree to receive e-mails about it, or leave the e-mail address empty."),
            status=422,
            field="updates_consent",
        )
    return email, now
