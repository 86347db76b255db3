"""Who is in an event's team, and how people get in and out.

Organisers invite by e-mail with a role. The invitation mail goes through the outbox, written
already rendered in the transaction of the invitation, so the link's secret exists only in that
mail: the invitation row keeps its SHA-256. The link works once, until it expires; an existing
user accepts it logged in with the invited address, a new person sets a username and password.
An event keeps at least one organiser. Every change is audited.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core import addresses
from core.addresses import normalize_email
from core.errors import DomainError, ValidationFailed
from events import access
from events.access import Capability
from events.models import Event, EventMember, Role
from events.services import record_audit
from registrations.mail.compose import outbox_headers
from registrations.mail.wire import WIRE
from registrations.models import MailKind, TeamInvitation
from registrations.outbox.queue import new_mail, queue

INVITATION_VALID_FOR = timedelta(days=7)


@dataclass(frozen=True)
class Invited:
    invitation: TeamInvitation
    # The secret of the accept link, in the mail and nowhere else; returned for the caller's tests.
    token: str


def token_hash(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


def accept_url(raw_token: str) -> str:
    return settings.SITE_URL + reverse("staff:accept_invitation", args=[raw_token])


def clean_role(role: str) -> Role:
    if role not in Role.values:
        raise DomainError("invalid_role", _("Please choose one of the roles."), status=422, field="role")
    return Role(role)


def clean_address(address: str) -> str:
    return normalize_email(addresses.clean_address(address or ""))


@transaction.atomic
def invite(event: Event, address: str, role: str, *, actor, now: datetime, language: str = "de") -> Invited:
    access.ensure(actor, event, Capability.MANAGE)
    address, role = clean_address(address), clean_role(role)
    if EventMember.objects.filter(event=event, user__email__iexact=address).exists():
        raise DomainError(
            "already_member", _("Someone with this address is already in the team."), status=409, field="email"
        )
    raw_token = secrets.token_urlsafe(32)
    invitation = TeamInvitation.objects.create(
        event=event,
        email=address,
        role=role,
        token_hash=token_hash(raw_token),
        invited_by=actor,
        created_at=now,
        expires_at=now + INVITATION_VALID_FOR,
    )
    mail = new_mail(event, MailKind.TEAM_INVITATION, to=address, language=language, now=now)
    message = invitation_message(invitation, raw_token, mail, language=language)
    mail.rendered = message.message(policy=WIRE).as_bytes()
    mail.subject = str(message.subject)[:300]
    queue(mail)
    record_audit(
        "team.invited", actor=actor, now=now, event=event, target=invitation, data={"email": address, "role": role}
    )
    return Invited(invitation, raw_token)


def invitation_message(invitation: TeamInvitation, raw_token: str, mail, *, language: str) -> EmailMessage:
    with translation.override(language):
        context = {
            "invitation": invitation,
            "event": invitation.event,
            "role": Role(invitation.role).label,
            "accept_url": accept_url(raw_token),
        }
        subject = _("Invitation into the team of “%(title)s”") % {"title": invitation.event.title}
        body = render_to_string("registrations/team/invitation_mail.txt", context)
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [mail.to], headers=outbox_headers(mail))


def open_invitation(raw_token: str, *, now: datetime, lock: bool = False) -> TeamInvitation:
    """The invitation of a link, if it may still be accepted; otherwise a refusal that says why."""
    invitations = TeamInvitation.objects.select_related("event")
    if lock:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(token_hash=token_hash(raw_token or "")).first()
    if invitation is None:
        raise DomainError(
            "invitation_invalid",
            _("This invitation link is not valid. Please check that it was copied completely."),
            status=404,
        )
    if invitation.accepted_at is not None:
        raise DomainError("invitation_used", _("This invitation has already been accepted."), status=410)
    if invitation.withdrawn_at is not None:
        raise DomainError("invitation_withdrawn", _("This invitation was withdrawn by the organisers."), status=410)
    if now >= invitation.expires_at:
        raise DomainError(
            "invitation_expired",
            _("This invitation has expired. Please ask the organisers for a new one."),
            status=410,
        )
    return invitation


@transaction.atomic
def accept(raw_token: str, user, *, now: datetime) -> EventMember:
    """A logged-in user takes the place offered to the address they hold."""
    invitation = open_invitation(raw_token, now=now, lock=True)
    if normalize_email(user.email or "") != invitation.email:
        raise DomainError(
            "invitation_other_address",
            _("This invitation was sent to another e-mail address. Please log in with the account of that address."),
            status=403,
        )
    if EventMember.objects.filter(event=invitation.event, user=user).exists():
        raise DomainError("already_member", _("You are already in the team of this event."), status=409)
    member = EventMember.objects.create(event=invitation.event, user=user, role=invitation.role)
    invitation.accepted_at, invitation.accepted_by = now, user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if not user.is_staff:
        # The organiser pages log in through the admin's login, which only staff accounts pass;
        # what they then see is decided by the role (events/access.py).
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    record_audit(
        "team.joined", actor=user, now=now, event=invitation.event, target=invitation, data={"role": invitation.role}
    )
    return member


@transaction.atomic
def accept_as_new_user(raw_token: str, username: str, password: str, *, now: datetime) -> EventMember:
    """A new person chooses a username and password and takes the place at once."""
    invitation = open_invitation(raw_token, now=now, lock=True)
    user_model = get_user_model()
    username = (username or "").strip()
    errors: dict[str, list[DomainError]] = {}
    try:
        user_model.username_validator(username)
        if not username:
            raise ValidationError(_("Please choose a username."))
    except ValidationError as error:
        errors["username"] = [DomainError("invalid_username", " ".join(error.messages), field="username")]
    if username and user_model.objects.filter(username__iexact=username).exists():
        errors["username"] = [DomainError("username_taken", _("This username is taken."), field="username")]
    candidate = user_model(username=username, email=invitation.email)
    try:
        password_validation.validate_password(password or "", candidate)
    except ValidationError as error:
        errors["password"] = [DomainError("weak_password", message, field="password") for message in error.messages]
    if errors:
        raise ValidationFailed(errors)
    user = user_model.objects.create_user(username, email=invitation.email, password=password, is_staff=True)
    record_audit("team.account_created", actor=user, now=now, event=invitation.event, target=user)
    return accept(raw_token, user, now=now)


@transaction.atomic
def withdraw(invitation: TeamInvitation, *, actor, now: datetime) -> TeamInvitation:
    access.ensure(actor, invitation.event, Capability.MANAGE)
    invitation = open_invitation_by_pk(invitation.pk, now=now)
    invitation.withdrawn_at = now
    invitation.save(update_fields=["withdrawn_at"])
    record_audit("team.invitation_withdrawn", actor=actor, now=now, event=invitation.event, target=invitation)
    return invitation


def open_invitation_by_pk(pk: int, *, now: datetime) -> TeamInvitation:
    invitation = TeamInvitation.objects.select_for_update().select_related("event").get(pk=pk)
    if not invitation.is_open:
        raise DomainError("invitation_closed", _("This invitation was already accepted or withdrawn."), status=409)
    return invitation


def locked_members(event: Event) -> dict[int, EventMember]:
    """The team under a lock, so that two organisers demoting each other cannot leave it empty."""
    members = EventMember.objects.select_for_update().filter(event=event).order_by("pk")
    return {member.user_id: member for member in members}


def ensure_an_organiser_stays(members: dict[int, EventMember], leaving: EventMember) -> None:
    organisers = [member for member in members.values() if member.role == Role.ORGANISER]
    if leaving.role == Role.ORGANISER and len(organisers) == 1:
        raise DomainError(
            "last_organiser",
            _("The event needs at least one organiser. Make someone else an organiser first."),
            status=409,
        )


def member_of(members: dict[int, EventMember], user_id: int) -> EventMember:
    member = members.get(user_id)
    if member is None:
        raise DomainError("not_a_member", _("This person is not in the team."), status=404)
    return member


@transaction.atomic
def change_role(event: Event, user_id: int, role: str, *, actor, now: datetime) -> EventMember:
    access.ensure(actor, event, Capability.MANAGE)
    role = clean_role(role)
    members = locked_members(event)
    member = member_of(members, user_id)
    if member.role == role:
        return member
    if role != Role.ORGANISER:
        ensure_an_organiser_stays(members, member)
    previous = member.role
    member.role = role
    member.save(update_fields=["role"])
    record_audit(
        "team.role_changed",
        actor=actor,
        now=now,
        event=event,
        target=member,
        data={"user": user_id, "from": previous, "to": role},
    )
    return member


@transaction.atomic
def remove_member(event: Event, user_id: int, *, actor, now: datetime) -> None:
    access.ensure(actor, event, Capability.MANAGE)
    members = locked_members(event)
    member = member_of(members, user_id)
    ensure_an_organiser_stays(members, member)
    member.delete()
    record_audit("team.member_removed", actor=actor, now=now, event=event, data={"user": user_id, "role": member.role})
