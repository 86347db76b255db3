"""A head start for registering: some people may register for an event before registration opens
to all (docs/processes.md, "Meetings": a working group's members for its meeting).

A higher layer gives the head start (`give_head_start`), mails each person their link
(`early_access_url`) and may take it back (`take_back_head_start`). The link carries the head
start's ID and a keyed hash of the address it was sent to, signed with a salt used for nothing
else; it carries no time, so a head start moved applies to the links already sent, and one taken
back (deleted) ends them. When registration opens for a link's holder is decided with everyone
else's, by `submissions.opens_at`; the seats by THE seat rule (`registrations/seats.py`): early
registrants are simply earlier."""

from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from core.addresses import normalize_email
from core.errors import DomainError
from core.templatetags.site import event_time
from events.models import Event
from events.services import record_audit
from registrations.links import EARLY_ACCESS_SALT
from registrations.models import EarlyAccess

# The query parameter that carries the link on the event page.
LINK_PARAMETER = "vorab"
ADDRESS_KEY = "stadtdialog.registrations.early_access.address"


def address_digest(address: str) -> str:
    """The address as the link names it: a keyed hash, so that no address shows in links or logs."""
    return salted_hmac(ADDRESS_KEY, normalize_email(address), algorithm="sha256").hexdigest()[:32]


def early_access_token(head_start: EarlyAccess, address: str) -> str:
    return signing.dumps({"w": head_start.pk, "a": address_digest(address)}, salt=EARLY_ACCESS_SALT)


def early_access_url(head_start: EarlyAccess, address: str) -> str:
    """The event page with the personal link, at its registration form; made in the language of
    the person it is for (the page's address depends on it)."""
    query = urlencode({LINK_PARAMETER: early_access_token(head_start, address)})
    return f"{settings.SITE_URL}{head_start.event.get_absolute_url()}?{query}#anmelden"


def _signed(token: str) -> dict | None:
    if not token:
        return None
    try:
        payload = signing.loads(
            token, salt=EARLY_ACCESS_SALT, max_age=timedelta(days=settings.PERSONAL_LINK_MAX_AGE_DAYS)
        )
    except (signing.BadSignature, ValueError, TypeError):  # SignatureExpired is a BadSignature
        return None
    if isinstance(payload, dict) and isinstance(payload.get("w"), int) and isinstance(payload.get("a"), str):
        return payload
    return None


def head_start_of_link(event: Event, token: str) -> EarlyAccess | None:
    """The head start a link gives for this event: None for no link, a forged or expired one, one
    of another event, or one whose head start was taken back."""
    return _head_start(event, _signed(token))


def head_start_for(event: Event, token: str, address: str) -> EarlyAccess | None:
    """The head start of a link used to register `address`. A link works only with the address it
    was sent to; with another one, the person is told so at the field."""
    payload = _signed(token)
    head_start = _head_start(event, payload)
    if head_start is not None and not constant_time_compare(payload["a"], address_digest(address)):
        raise DomainError(
            "early_access_other_address",
            _("Your invitation lets you register early only with the e-mail address it was sent to."),
            status=422,
            field="email",
        )
    return head_start


def _head_start(event: Event, payload: dict | None) -> EarlyAccess | None:
    if payload is None:
        return None
    return EarlyAccess.objects.filter(pk=payload["w"], event=event).first()


@transaction.atomic
def give_head_start(
    event: Event, opens_at: datetime, *, head_start: EarlyAccess | None = None, actor, now: datetime
) -> EarlyAccess:
    """Give the event a head start from `opens_at` (or move `head_start` there): it must begin
    before registration opens to all, and only while registration is not open to all yet."""
    if now >= event.registration_opens_at:
        raise DomainError(
            "registration_open_to_all",
            _("Registration for this event is open to all already: a head start would change nothing."),
            status=422,
            field="opens_at",
        )
    if opens_at >= event.registration_opens_at:
        raise DomainError(
            "head_start_after_opening",
            _("The head start must begin before registration opens to all (%(opens)s).")
            % {"opens": event_time(event.registration_opens_at)},
            status=422,
            field="opens_at",
        )
    if head_start is None:
        head_start = EarlyAccess(event=event)
    head_start.opens_at, head_start.changed_at = opens_at, now
    head_start.save()
    record_audit(
        "registration.head_start_given",
        actor=actor,
        now=now,
        event=event,
        target=head_start,
        data={"opens_at": opens_at.isoformat()},
    )
    return head_start


@transaction.atomic
def take_back_head_start(head_start: EarlyAccess, *, actor, now: datetime) -> None:
    """Take a head start back (delete it): its links then open nothing early, the event page answers
    them as anyone, "registration opens on …". Registrations made with it stay as they are:
    ordinary ones, seats and all (the seats are THE seat rule's, nothing is released here)."""
    record_audit(
        "registration.head_start_taken_back",
        actor=actor,
        now=now,
        event=head_start.event,
        target=head_start,
        data={"opens_at": head_start.opens_at.isoformat()},
    )
    head_start.delete()


def still_ahead(head_start: EarlyAccess, *, now: datetime) -> bool:
    """The head start still matters: registration has not opened to all, and it begins before."""
    opens_to_all = head_start.event.registration_opens_at
    return now < opens_to_all and head_start.opens_at < opens_to_all
