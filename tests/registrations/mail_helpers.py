"""Reading received mails in tests."""

import email

from registrations.models import OutboxMail


def parts_of(message: email.message.EmailMessage) -> dict[str, email.message.EmailMessage]:
    """The leaf parts of a message by content type (the first of each type)."""
    found = {}
    for part in message.walk():
        if not part.is_multipart():
            found.setdefault(part.get_content_type(), part)
    return found


def outbox_rows(**filters):
    return list(OutboxMail.objects.filter(**filters).order_by("pk"))
