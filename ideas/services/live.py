"""The live channel: anyone in the room, on Zoom or in front of the livestream sends an idea to
the event through its short link (/mit/<code>/), without an account (docs/live.md).

A live idea belongs to the event, not to a breakout group (`Idea.group` is empty), and waits for
the team unless the event chose post-moderation. Once approved, the organisers place it in a
breakout group or send it straight to the plenum; from there it travels like every other idea.
The guards against scripts and floods that need the request (rate limits per client and device,
honeypot, fill time) live in the view; the rules about what is stored live here."""

import re
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from events import access
from events.access import Capability
from events.models import Event
from events.services import record_audit
from ideas.access import AccessRefused, access_ends_at, audit_identity
from ideas.models import BreakoutGroup, Idea, IdeaSource, LiveVia, Moderation, ModerationMode, ModerationPolicy
from ideas.notifications import notify_stage_change
from ideas.services.capture import TITLE_MAX, clean_client_id, clean_contact
from ideas.services.texts import clean_line, clean_text

LIVE_TEXT_MAX = 1000
NAME_MAX = 80
# A tag, a comment or a doctype: "a < b" and "<3" stay plain text.
MARKUP = re.compile(r"<\s*(?:/\s*)?[A-Za-z!?][^<>]*>")


@dataclass(frozen=True)
class LiveDraft:
    text: str
    name: str = ""
    show_name: bool = False
    email: str = ""
    updates_consent: bool = False
    language: str = "de"
    via: str = ""


@dataclass(frozen=True)
class Sender:
    """Who sent a draft through the channel, checked: the same rules for an idea and a question."""

    name: str
    show_name: bool
    via: str
    email: str
    consent_at: datetime | None
    language: str


def clean_sender(draft: LiveDraft, *, now: datetime) -> Sender:
    name = plain(clean_line(draft.name, limit=NAME_MAX, field="name"), field="name")
    if draft.via not in ("", *LiveVia.values):
        raise DomainError("invalid_via", _("Choose where you are following the event."), status=422, field="via")
    email, consent_at = clean_contact(draft.email, draft.updates_consent, now=now)
    return Sender(
        name=name,
        show_name=bool(name) and draft.show_name,
        via=draft.via,
        email=email,
        consent_at=consent_at,
        language=draft.language if draft.language in ("de", "en") else "de",
    )


def live_channel_open(event: Event, *, now: datetime) -> bool:
    return now <= access_ends_at(event)


def send_live_idea(event: Event, draft: LiveDraft, *, client_id: str | None, now: datetime) -> tuple[Idea, bool]:
    """Store a live idea once (a form sent twice with the same client_id gets the first one);
    the flag says whether this call created it. Nothing is stored when any part is refused."""
    if not live_channel_open(event, now=now):
        raise AccessRefused("live_closed", _("This event no longer takes ideas: it is over."))
    text = clean_live_text(draft.text)
    sender = clean_sender(draft, now=now)
    client_id = clean_client_id(client_id)
    if (stored := stored_live_idea(event, client_id)) is not None:
        return stored, False
    title, details = split_title(text)
    pre = ModerationPolicy.mode_of(event) != ModerationMode.POST
    idea = Idea(
        event=event,
        group=None,
        title=title,
        text=details,
        source=IdeaSource.LIVE,
        via=sender.via,
        sender_name=sender.name,
        show_name=sender.show_name,
        client_id=client_id,
        submitter_email=sender.email,
        updates_consent_at=sender.consent_at,
        language=sender.language,
        # Anonymous input waits for the team unless the event chose post-moderation.
        moderation=Moderation.PENDING if pre else Moderation.APPROVED,
        created_at=now,
        updated_at=now,
    )
    try:
        with transaction.atomic():
            idea.save()
            record_audit(
                "idea.created",
                actor=None,
                label=_("live channel"),
                now=now,
                event=event,
                target=idea,
                data={"source": IdeaSource.LIVE, "via": idea.via, "moderation": idea.moderation},
            )
    except IntegrityError:
        stored = stored_live_idea(event, client_id)
        if stored is None:
            raise
        return stored, False
    return idea, True


def stored_live_idea(event: Event, client_id: str | None) -> Idea | None:
    if client_id is None:
        return None
    return Idea.objects.filter(event=event, group__isnull=True, client_id=client_id).first()


def clean_live_text(value: str) -> str:
    text = clean_text(value, limit=LIVE_TEXT_MAX, field="text")
    if not text:
        raise DomainError("text_required", _("Please write down your idea."), status=422, field="text")
    return plain(text, field="text")


def plain(value: str, *, field: str) -> str:
    """Ideas are shown as plain text everywhere; markup is refused, not silently changed."""
    if MARKUP.search(value):
        raise DomainError(
            f"{field}_markup",
            _("Please write plain text, without HTML tags such as <b> or <a>."),
            status=422,
            field=field,
        )
    return value


def split_title(text: str) -> tuple[str, str]:
    """A live idea is one text; its first line (shortened at a word) is its title. The whole
    text is kept as the idea's text when the title does not hold all of it."""
    first_line = text.splitlines()[0].strip()
    if first_line == text and len(text) <= TITLE_MAX:
        return text, ""
    if len(first_line) <= TITLE_MAX:
        return first_line, text
    cut = first_line[: TITLE_MAX - 1].rsplit(" ", 1)[0] or first_line[: TITLE_MAX - 1]
    return cut.rstrip(" ,.;:-") + "…", text


def place_live_idea(idea: Idea, *, group: BreakoutGroup | None, actor, now: datetime) -> Idea:
    """Send an approved live idea on: into one breakout group of its event, or (None) straight to
    the plenum. Its sender hears of the plenum by mail; the group's moderators take it from there."""
    with transaction.atomic():
        idea = Idea.objects.select_for_update(of=("self",)).select_related("event").filter(pk=idea.pk).first()
        if idea is None:
            raise DomainError("idea_not_found", _("This idea does not exist (any more)."), status=404)
        access.ensure(actor, idea.event, Capability.MODERATE)
        if idea.source != IdeaSource.LIVE or idea.group_id is not None or idea.for_plenum:
            raise DomainError("already_placed", _("This idea has already been sent on."), status=409)
        if idea.moderation != Moderation.APPROVED or idea.merged_into_id:
            raise DomainError("idea_not_approved", _("Approve the idea before you send it on."), status=409)
        if group is not None and group.event_id != idea.event_id:
            raise DomainError("group_not_found", _("This group does not belong to the event."), status=404)
        if group is None:
            idea.for_plenum, idea.marked_for_plenum_at = True, now
        else:
            idea.group = group
        idea.updated_at = now
        idea.save(update_fields=["group", "for_plenum", "marked_for_plenum_at", "updated_at"])
        record_audit(
            "idea.placed",
            now=now,
            event=idea.event,
            target=idea,
            data={"group": group.pk if group else None, "plenum": group is None},
            **audit_identity(actor),
        )
        if group is None:
            notify_stage_change([idea], now=now)
    return idea


def live_ideas_to_place(event: Event):
    """Approved live ideas that are in no group and not in the plenum yet: the organisers' to-do."""
    return (
        Idea.objects.public()
        .filter(event=event, source=IdeaSource.LIVE, group__isnull=True, for_plenum=False, merged_into__isnull=True)
        .order_by("created_at", "pk")
    )
