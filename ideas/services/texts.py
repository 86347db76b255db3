"""How the services tidy and limit what people type, with the same error codes everywhere:
`<code>_required` for a missing text and `<code>_too_long` for one over its limit (422)."""

from django.utils.translation import gettext as _

from core.errors import DomainError


def clean_line(value: str, *, limit: int, field: str, missing: str = "", code: str = "") -> str:
    """One line of text with its spaces folded; `missing` makes it required and is the message."""
    value = " ".join(value.split())
    if missing and not value:
        raise DomainError(f"{code or field}_required", missing, status=422, field=field)
    return _within(value, limit=limit, field=field, code=code)


def clean_text(value: str, *, limit: int, field: str, code: str = "") -> str:
    """Free text whose line breaks are kept."""
    return _within(value.strip(), limit=limit, field=field, code=code)


def _within(value: str, *, limit: int, field: str, code: str) -> str:
    if len(value) > limit:
        raise DomainError(
            f"{code or field}_too_long",
            _("This text has at most %(max)s characters.") % {"max": limit},
            status=422,
            field=field,
        )
    return value
