"""Changing a registration's e-mail address, confirmed by the new address.

The change is asked for (by the citizen on the personal page, `request_email_change`, or by the
team, `change_email`); a mail with a confirmation link goes to the NEW address, and nothing
changes until that link is used (`confirm_email_change`): so nobody can move a registration to
an address they cannot read, and a typo loses nothing. The seat, the place in the line and the
personal link stay as they are throughout. When the change is done the OLD address is told.

The pending change is held in the signed link alone (registration, link version, new address;
salted for this purpose, expiring after EMAIL_CHANGE_LINK_DAYS: registrations/links.py), so there is nothing to store
or clean up; the link is made when the mail is rendered (registrations/mail/content.py), so no
secret is kept in the outbox. Revoking the personal links (a new link version) also voids an
unconfirmed change.

This is the minimal mechanism the personal page needs; the back office's edit of the address
(issue 24 part 5) calls `change_email` with its actor."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.addresses import clean_address, normalize_email
from core.errors import DomainError
from events.services import record_audit
from registrations.links import pending_email_change
from registrations.models import MailKind, Registration, Status
from registrations.outbox.queue import new_mail, queue


def change_email(registration: Registration, new_address: str, *, actor, now: datetime) -> None:
    """Send the confirmation link to `new_address`; the registration is not changed yet."""
    new_address = clean_address(new_address)
    if registration.status == Status.CANCELLED or registration.event.ends_at <= now:
        raise DomainError("registration_not_changeable", _("This registration can no longer be changed."), status=409)
    if normalize_email(new_address) == registration.email_normalized:
        raise DomainError(
            "same_email", _("This is already the address of your registration."), status=422, field="email"
        )
    with transaction.atomic():
        queue(
            new_mail(
                registration.event,
                MailKind.EMAIL_CHANGE,
                to=new_address,
                language=registration.language,
                now=now,
                # No `registration`: the mail to an unconfirmed address carries no personal link.
                facts={"registration": str(registration.public_id), "new_address": new_address},
            )
        )
        record_audit(
            "registration.email_change_requested",
            actor=actor,
            label="" if actor else registration.name,
            now=now,
            event=registration.event,
            target=registration,
        )


def request_email_change(registration: Registration, new_address: str, *, now: datetime) -> None:
    """The citizen's own request, from the personal page."""
    change_email(registration, new_address, actor=None, now=now)


def confirm_email_change(token: str, *, now: datetime) -> Registration:
    """Use a confirmation link: the registration takes the new address and keeps everything else;
    the old address is told. Using it again changes nothing."""
    found = pending_email_change(token)
    if found is None:
        raise DomainError("invalid_link", _("This link is not valid any more."), status=404)
    registration, new_address = found
    with transaction.atomic():
        registration = Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)
        if registration.email_normalized == normalize_email(new_address):
            return registration
        old_address = registration.email
        registration.email = new_address
        try:
            with transaction.atomic():
                registration.save(update_fields=["email", "email_normalized"])
        except IntegrityError:
            raise DomainError(
                "already_registered",
                _("Someone with this name is already registered for this event with the new address."),
                status=409,
            ) from None
        record_audit(
            "registration.email_changed",
            actor=None,
            label=registration.name,
            now=now,
            event=registration.event,
            target=registration,
        )
        if old_address:
            queue(
                new_mail(
                    registration.event,
                    MailKind.EMAIL_CHANGED,
                    to=old_address,
                    language=registration.language,
                    now=now,
                    facts={"registration": str(registration.public_id), "new_address": new_address},
                )
            )
    return registration
