""" "I can't find my link": the personal links of every registration of an address, by mail.

The page that asks answers everyone the same, whether the address registered or not; only the
mail tells, and it goes only to the address itself. Nothing is sent when the address holds no
registration whose link still works (a mail to an unknown address would be spam we send on
anyone's behalf). The mail is written in the language of the page that asked; each link opens
its registration's page in the language of that registration. The mail names registrations by
their public ID only: the links are made when the mail is sent, with the link version then
(docs/outbox.md), so no secret is stored in the outbox."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from core.addresses import clean_address, normalize_email
from registrations.models import MailKind, Registration
from registrations.outbox.queue import new_mail, queue


def registrations_with_links(address: str, *, now: datetime):
    """The active registrations of `address` whose personal link still works, soonest event first."""
    oldest_end = now - timedelta(days=settings.PERSONAL_LINK_DAYS_AFTER_EVENT)
    return (
        Registration.objects.active()
        .filter(email_normalized=normalize_email(address), personal_data_erased_at__isnull=True)
        .filter(event__ends_at__gte=oldest_end)
        .select_related("event")
        .order_by("event__starts_at", "pk")
    )


def send_lost_links(address: str, *, language: str, now: datetime) -> bool:
    """Queue one mail to `address` with the links of its registrations; True if one was queued.
    An address that is not one is refused with a DomainError (422) naming the field `email`."""
    address = clean_address(address)
    with transaction.atomic():
        found = [str(pk) for pk in registrations_with_links(address, now=now).values_list("public_id", flat=True)]
        if not found:
            return False
        queue(
            new_mail(
                None,
                MailKind.LOST_LINKS,
                to=address,
                language="en" if language == "en" else "de",
                now=now,
                facts={"registrations": found},
            )
        )
    return True
