"""Who may do what with breakout groups, ideas and backlogs, and how the signed links work.

Three kinds of people act here: members of an event's team whose role allows it (the guard of
events/access.py: `moderate` for groups and capture, `manage` for sorting into working groups),
moderators with a link (no account: a signed link for the web and a bearer token for the API,
both tied to one group), and leads of a working group (Django accounts). Everyone else reads.
"""

from datetime import datetime, timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.core import signing
from django.utils.translation import gettext as _

from core.errors import DomainError, PermissionDenied
from events import access
from events.access import Capability
from events.models import Event
from ideas.models import BreakoutGroup, Moderator, WorkingGroup, token_hash
from registrations.links import manage_token, registration_for_token

# One salt per purpose, so that a link made for one purpose is worthless for another.
MODERATOR_LINK_SALT = "stadtdialog.ideas.moderator-link"
PREFERENCE_LINK_SALT = "stadtdialog.ideas.group-preference"
UPDATES_LINK_SALT = "stadtdialog.ideas.stop-updates"
# A registration's personal link to the plenum's voting page: made like the manage link
# (registrations/links.py: public ID and link version, so revoking the one revokes the other),
# but with a salt of its own, so that it opens the voting page and nothing else.
PLENUM_VOTE_SALT = "stadtdialog.ideas.plenum-vote"

# Moderators often tidy up their group's ideas after the session, so their access (and a
# table's QR poster) lasts a little beyond the end of the event, and not longer.
ACCESS_AFTER_EVENT = timedelta(hours=12)

# A moderator, or a Django user (an organiser or a lead).
type Actor = Moderator | AbstractBaseUser


class AccessRefused(DomainError):
    status = 403


def access_ends_at(event: Event) -> datetime:
    return event.ends_at + ACCESS_AFTER_EVENT


def moderator_link_token(moderator: Moderator) -> str:
    """The secret part of a moderator's link. It needs no timestamp: it dies with the event,
    a renewal (new link version) or a revocation, all checked against the database."""
    return signing.Signer(salt=MODERATOR_LINK_SALT).sign_object({"m": moderator.pk, "v": moderator.link_version})


def moderator_for_link(token: str, *, now: datetime) -> Moderator:
    payload = unsign_link(token, salt=MODERATOR_LINK_SALT, key="m")
    moderator = Moderator.objects.select_related("group__event").filter(pk=payload["m"]).first()
    if moderator is None:
        raise invalid_link()
    if moderator.link_version != payload.get("v"):
        raise link_revoked()
    ensure_moderator_active(moderator, now=now)
    return moderator


def moderator_for_token(raw_token: str, *, now: datetime) -> Moderator | None:
    moderator = Moderator.objects.select_related("group__event").filter(token_hash=token_hash(raw_token)).first()
    if moderator is not None:
        ensure_moderator_active(moderator, now=now)
    return moderator


def link_revoked() -> AccessRefused:
    return AccessRefused(
        "link_revoked", _("This moderator link has been withdrawn. Please ask the organisers for a new one.")
    )


def ensure_moderator_active(moderator: Moderator, *, now: datetime) -> None:
    if moderator.revoked_at is not None:
        raise link_revoked()
    if now > access_ends_at(moderator.group.event):
        raise AccessRefused(
            "link_expired",
            _(
                "This moderator link has expired because the event is over. The group's ideas stay visible on the "
                "public pages."
            ),
        )


def ensure_organises_any_event(user) -> None:
    """Working groups span events: organisers of any event (and city admins) found them."""
    if not access.organises_any_event(user):
        raise PermissionDenied("not_an_organiser", _("Only organisers may do this."))


def ensure_can_capture(actor: Actor, group: BreakoutGroup, *, now: datetime) -> None:
    """Moderators change only their own group, and only while their access lasts."""
    if isinstance(actor, Moderator):
        ensure_moderator_active(actor, now=now)
        if actor.group_id != group.pk:
            raise PermissionDenied("not_your_group", _("You can only see and change the ideas of your own group."))
        return
    access.ensure(actor, group.event, Capability.MODERATE)


def ensure_can_handle(actor: Actor, idea, *, now: datetime) -> None:
    """Who may change one idea: for an idea of a group, whoever captures for it; an idea from the
    live channel that is in no group yet belongs to the event, so only its organisers."""
    if idea.group_id is not None:
        ensure_can_capture(actor, idea.group, now=now)
        return
    if isinstance(actor, Moderator):
        raise PermissionDenied("not_your_group", _("You can only see and change the ideas of your own group."))
    access.ensure(actor, idea.event, Capability.MODERATE)


def can_lead(user, working_group: WorkingGroup) -> bool:
    if not (user is not None and getattr(user, "is_authenticated", False) and user.is_active):
        return False
    return access.is_city_admin(user) or working_group.leads.filter(pk=user.pk).exists()


def can_name_leads(user, working_group: WorkingGroup) -> bool:
    """The group's founding team (its founder and the leads in office, whom that team named)
    and city admins. Organising some event gives no say over another team's working group."""
    if can_lead(user, working_group):
        return True
    founder = working_group.founded_by_id
    return founder is not None and getattr(user, "pk", None) == founder and user.is_active


def ensure_lead(user, working_group: WorkingGroup) -> None:
    if not can_lead(user, working_group):
        raise PermissionDenied("not_working_group_lead", _("Only the leads of this working group may do this."))


def audit_identity(actor: Actor) -> dict:
    """How an actor appears in the audit log: a user, or a moderator named by label."""
    if isinstance(actor, Moderator):
        return {"actor": None, "label": f"moderator #{actor.pk}: {actor.label}"[:200]}
    return {"actor": actor, "label": ""}


def preference_link_token(registration) -> str:
    return signing.Signer(salt=PREFERENCE_LINK_SALT).sign_object({"r": str(registration.public_id)})


def plenum_vote_token(registration) -> str:
    return manage_token(registration, salt=PLENUM_VOTE_SALT)


def registration_for_vote_token(token: str, *, now: datetime):
    """The registration behind a voting link, or None when the link is forged, revoked or expired."""
    return registration_for_token(token, now=now, salt=PLENUM_VOTE_SALT)


def stop_updates_token(idea) -> str:
    return signing.Signer(salt=UPDATES_LINK_SALT).sign_object({"i": idea.pk})


def unsign_link(token: str, *, salt: str, key: str) -> dict:
    """The payload of a signed link that must carry `key`; anything tampered with is refused."""
    try:
        payload = signing.Signer(salt=salt).unsign_object(token)
    except signing.BadSignature:
        payload = None
    if not isinstance(payload, dict) or key not in payload:
        raise invalid_link()
    return payload


def invalid_link() -> AccessRefused:
    return AccessRefused(
        "link_invalid", _("This link is not valid. Please check that it was copied completely."), status=404
    )
