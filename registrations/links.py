"""Signed personal links: a citizen has no account, the link is their key.

The link carries the registration's random public ID and the link version, signed with a salt
used for nothing else; changing the ID breaks the signature, and raising the version on the
registration (`services.revoke_personal_links`) revokes every older link. A link expires
PERSONAL_LINK_DAYS_AFTER_EVENT days after its event ends, and in any case PERSONAL_LINK_MAX_AGE_DAYS
after it was made (a link in a year-old mail says nothing about an event long gone)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from registrations.models import DataAccessRequest, EmailChange, Registration

MANAGE_SALT = "stadtdialog.registrations.manage"
# A separate purpose: the consent link only lets its holder see and withdraw consents.
CONSENT_SALT = "stadtdialog.registrations.consent"
# The link in the request to reconfirm and in a seat offer: it lets its holder only answer those.
RECONFIRM_SALT = "stadtdialog.registrations.reconfirm"
# The link to confirm a new address of a registration (registrations/address_change.py): it
# carries only the change's random ID, signed with a time stamp, and expires.
EMAIL_CHANGE_SALT = "stadtdialog.registrations.email_change"
EMAIL_CHANGE_LINK_DAYS = 7
# The link in an invitation that lets its holder register before registration opens to all
# (registrations/early_access.py): it carries the head start's ID and a keyed hash of the address.
EARLY_ACCESS_SALT = "stadtdialog.registrations.early_access"
# The link to everything held about one address: signed with a time stamp, it expires.
DATA_ACCESS_SALT = "stadtdialog.registrations.data_access"


def manage_token(registration: Registration, *, salt: str = MANAGE_SALT) -> str:
    return signing.dumps([str(registration.public_id), registration.manage_link_version], salt=salt)


def manage_path(registration: Registration) -> str:
    return reverse("registrations:manage", args=[manage_token(registration)])


def manage_url(registration: Registration) -> str:
    return settings.SITE_URL + manage_path(registration)


def cancel_url(registration: Registration) -> str:
    return settings.SITE_URL + reverse("registrations:cancel", args=[manage_token(registration)])


def details_url(registration: Registration) -> str:
    """The page where the registrant answers the organisers' questions and states needs."""
    return settings.SITE_URL + reverse("registrations:details", args=[manage_token(registration)])


def consent_url(registration: Registration) -> str:
    """The link in every confirmation to withdraw a consent."""
    token = manage_token(registration, salt=CONSENT_SALT)
    return settings.SITE_URL + reverse("registrations:consent", args=[token])


def reconfirm_url(registration: Registration) -> str:
    token = manage_token(registration, salt=RECONFIRM_SALT)
    return settings.SITE_URL + reverse("registrations:reconfirm", args=[token])


def link_expires_at(registration: Registration) -> datetime:
    return registration.event.ends_at + timedelta(days=settings.PERSONAL_LINK_DAYS_AFTER_EVENT)


def registration_for_token(token: str, *, now: datetime, salt: str = MANAGE_SALT) -> Registration | None:
    try:
        public_id, version = signing.loads(
            token, salt=salt, max_age=timedelta(days=settings.PERSONAL_LINK_MAX_AGE_DAYS)
        )
    except (signing.BadSignature, ValueError, TypeError):  # SignatureExpired is a BadSignature
        return None
    registration = Registration.objects.select_related("event", "event__venue").filter(public_id=public_id).first()
    if registration is None or registration.manage_link_version != version or now > link_expires_at(registration):
        return None
    return registration


def data_access_url(request: DataAccessRequest) -> str:
    token = signing.dumps(str(request.public_id), salt=DATA_ACCESS_SALT)
    return settings.SITE_URL + reverse("privacy:data", args=[token])


def data_access_request_for_token(token: str) -> DataAccessRequest | None:
    """The request behind a link that is signed, not older than DATA_ACCESS_LINK_DAYS and not
    used up by an erasure (which deletes the request)."""
    try:
        public_id = signing.loads(token, salt=DATA_ACCESS_SALT, max_age=settings.DATA_ACCESS_LINK_DAYS * 86400)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return DataAccessRequest.objects.filter(public_id=public_id).first()


def email_change_url(change: EmailChange) -> str:
    token = signing.dumps(str(change.public_id), salt=EMAIL_CHANGE_SALT)
    return settings.SITE_URL + reverse("registrations:confirm_email", args=[token])


def email_change_id_for_token(token: str) -> str | None:
    """The ID of the change behind a link that is signed and not older than EMAIL_CHANGE_LINK_DAYS."""
    try:
        return signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=timedelta(days=EMAIL_CHANGE_LINK_DAYS))
    except (signing.BadSignature, ValueError, TypeError):
        return None
