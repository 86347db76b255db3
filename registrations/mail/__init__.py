"""What citizens are told by e-mail: which mail a change causes, and how each one looks."""

import functools
from email.utils import parseaddr

from django.conf import settings


def sender_address() -> str:
    """The bare address of DEFAULT_FROM_EMAIL (the calendar organiser, the Message-ID domain)."""
    return _bare_address(settings.DEFAULT_FROM_EMAIL)


@functools.lru_cache(maxsize=8)
def _bare_address(from_header: str) -> str:
    # Asked for every mail of a batch; parsing the header each time cost more than the rest.
    return parseaddr(from_header)[1] or "dialog@stadtdialog.invalid"
