"""Reading received mails in tests."""

import email
import re

from registrations.links import registration_for_token
from registrations.models import OutboxMail

MANAGE_LINK = re.compile(r"/anmeldung/([^/\s]+)/")


def parts_of(message: email.message.EmailMessage) -> dict[str, email.message.EmailMessage]:
    """The leaf parts of a message by content type (the first of each type)."""
    found = {}
    for part in message.walk():
        if not part.is_multipart():
            found.setdefault(part.get_content_type(), part)
    return found


def outbox_rows(**filters):
    return list(OutboxMail.objects.filter(**filters).order_by("pk"))


def registrations_linked(text: str, *, now) -> set:
    """The registrations whose personal page `text` links to. A link is signed with the second
    it was made in, so a test compares what the links open, not their text."""
    found = (registration_for_token(token, now=now) for token in MANAGE_LINK.findall(text))
    return {registration.pk for registration in found if registration is not None}
