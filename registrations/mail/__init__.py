"""What citizens are told by e-mail: which mail a change causes, and how each one looks."""

from email.utils import parseaddr

from django.conf import settings


def sender_address() -> str:
    """The bare address of DEFAULT_FROM_EMAIL (the calendar organiser, the Message-ID domain)."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "dialog@stadtdialog.invalid"
