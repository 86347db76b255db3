"""E-mail addresses as they come in (forms, the API, the e-mail intake) and as we compare them.

An address is checked in the form it is stored and compared in (`normalize_email`), not only as
typed: normalising may make it longer (`"İ".lower()` is two characters), and the columns that
hold it are 254 characters wide (RFC 5321's limit for a path), so the check must see what the
database will see.

Why `lower()` and not `casefold()`: Django's validator accepts only ASCII in the part before the
`@`, so the two differ only in the domain, and there `casefold()` is wrong. It turns `ß` into
`ss`, but since IDNA 2008 `straße.de` and `strasse.de` are two different domains (DENIC
registers both, for different owners): folding them together would make two people one, and it
grows an address by one character for every `ß`. `lower()` is what IDNA's own mapping does to
letters (UTS 46), and ASCII case never tells two mailboxes apart in practice.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError

# RFC 5321 §4.5.3.1.3: a path is at most 256 octets including the angle brackets.
MAX_ADDRESS_LENGTH = 254


def normalize_email(address: str) -> str:
    """The form addresses are compared and stored in (`Registration.email_normalized`)."""
    return address.strip().lower()


def validate_address(address: str) -> None:
    """A Django validator: the address, as typed and as normalised, is a valid address that fits
    the columns. Blank values are for the caller to allow or refuse."""
    address = address.strip()
    for form in (address, normalize_email(address)):
        if len(form) > MAX_ADDRESS_LENGTH:
            raise ValidationError(
                gettext_lazy("An e-mail address can have at most %(most)s characters."),
                code="email_too_long",
                params={"most": MAX_ADDRESS_LENGTH},
            )
        validate_email(form)


def clean_address(address: str, *, field: str = "email") -> str:
    """The stripped address, or a DomainError (422) that names the field."""
    address = address.strip()
    try:
        validate_address(address)
    except ValidationError as error:
        if error.code == "email_too_long":
            raise DomainError("email_too_long", error.messages[0], status=422, field=field) from None
        raise DomainError("invalid_email", _("Please enter a valid e-mail address."), status=422, field=field) from None
    return address


class AddressField(forms.EmailField):
    """A form's e-mail field that checks the address as `validate_address` does."""

    default_validators = [validate_address]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_ADDRESS_LENGTH)
        super().__init__(**kwargs)
