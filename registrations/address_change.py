"""A new e-mail address for a registration, confirmed by its owner before it takes effect.

The address is who a registration writes to and who holds its personal links, so a mistyped or
someone else's address must never get them. `change_email()` records the wish (`EmailChange`)
and mails a link to the NEW address; the registration keeps its old address, its seat and its
links until `confirm_email_change()` is called with that link. Then the address changes, the old
address is told (in case it was not its owner's wish), and the new one gets the registration's
mail with the personal link. A later request supersedes an open one; nothing here touches seats.

Called by organisers from the registration's back-office page and by the registrant from their
personal page (with `actor=None`). The link carries only the change's random ID, signed for this
purpose alone (registrations/links.py), and works for EMAIL_CHANGE_LINK_DAYS.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.addresses import clean_address, normalize_email
from core.errors import DomainError
from events.services import record_audit
from registrations.links import email_change_id_for_token
from registrations.mail import notices
from registrations.models import EmailChange, MailKind, Registration, Status
from registrations.outbox.queue import new_mail, queue


class InvalidLink(DomainError):
    status = 404

    def __init__(self):
        super().__init__(
            "invalid_link",
            _("This link is not valid (any more). Please ask for the change of address again."),
        )


def change_email(registration: Registration, new_address: str, *, actor, now: datetime) -> EmailChange:
    """Record a new address for the registration and mail the link to confirm it to that address.
    `actor`: the organiser, or None for the registrant. Raises DomainError (422 `invalid_email`,
    `email_too_long`, `same_email`; 409 `already_cancelled`, `not_changeable`), at the field `email`."""
    address = clean_address(new_address)
    if registration.status == Status.CANCELLED:
        raise DomainError("already_cancelled", _("This registration is already cancelled."), status=409)
    if registration.personal_data_erased_at is not None or registration.event.ends_at <= now:
        raise DomainError("not_changeable", _("This registration can no longer be changed."), status=409)
    if normalize_email(address) == registration.email_normalized:
        raise DomainError(
            "same_email", _("This is already the address of the registration."), status=422, field="email"
        )
    with transaction.atomic():
        Registration.objects.select_for_update().filter(pk=registration.pk).first()
        registration.email_changes.filter(confirmed_at=None, superseded_at=None).update(superseded_at=now)
        change = EmailChange.objects.create(
            registration=registration, new_email=address, requested_at=now, requested_by=actor
        )
        record_audit(
            "registration.email_change_requested",
            actor=actor,
            label="" if actor else registration.name,
            now=now,
            event=registration.event,
            target=registration,
            # Not the address: the log is read by more people than the registrants.
            data={"via": "organiser" if actor else "citizen"},
        )
        queue(
            new_mail(
                registration.event,
                MailKind.EMAIL_CHANGE,
                to=address,
                language=registration.language,
                now=now,
                registration=registration,
                facts={"change": str(change.public_id)},
            )
        )
    return change


def confirm_email_change(token: str, *, now: datetime) -> Registration:
    """The owner of the new address opened the link and confirmed: the registration takes the new
    address. Confirming twice answers as the first time. Raises InvalidLink (404) for a link that
    is forged, expired or superseded by a later request, DomainError 409 `already_cancelled`, or
    409 `already_registered` when the person is registered under the new address already."""
    change = open_change_for(token, now=now, allow_confirmed=True)
    if change.confirmed_at is not None:
        return change.registration
    with transaction.atomic():
        registration = Registration.objects.select_for_update().select_related("event").get(pk=change.registration_id)
        change = EmailChange.objects.select_for_update().get(pk=change.pk)
        if change.superseded_at is not None:
            raise InvalidLink()
        if change.confirmed_at is not None:
            return registration
        if registration.status == Status.CANCELLED:
            raise DomainError("already_cancelled", _("This registration is already cancelled."), status=409)
        old_address = registration.email
        registration.email = change.new_email
        try:
            with transaction.atomic():
                registration.save(update_fields=["email", "email_normalized"])
        except IntegrityError:
            raise DomainError(
                "already_registered",
                _("Someone of this name is already registered with this e-mail address."),
                status=409,
            ) from None
        change.confirmed_at = now
        change.save(update_fields=["confirmed_at"])
        record_audit(
            "registration.email_changed",
            # Confirmed by whoever holds the new address, not by the one who asked for the change.
            actor=None,
            label=registration.name,
            now=now,
            event=registration.event,
            target=registration,
            data={"via": "organiser" if change.requested_by else "citizen", "confirmed": "by the new address"},
        )
        if old_address:
            queue(
                new_mail(
                    registration.event,
                    MailKind.EMAIL_CHANGED,
                    to=old_address,
                    language=registration.language,
                    now=now,
                    registration=registration,
                    facts={"change": str(change.public_id)},
                )
            )
        notices.tell_again(registration, now=now)
    return registration


def open_change_for(token: str, *, now: datetime, allow_confirmed: bool = False) -> EmailChange:
    """The change behind a link: signed, not older than EMAIL_CHANGE_LINK_DAYS, not superseded."""
    public_id = email_change_id_for_token(token)
    change = EmailChange.objects.select_related("registration__event").filter(public_id=public_id).first()
    if change is None or change.superseded_at is not None:
        raise InvalidLink()
    if change.confirmed_at is not None and not allow_confirmed:
        raise InvalidLink()
    return change


def pending_change(registration: Registration) -> EmailChange | None:
    """The open request for a new address, if any (shown on the pages of the registration)."""
    return registration.email_changes.filter(confirmed_at=None, superseded_at=None).first()
