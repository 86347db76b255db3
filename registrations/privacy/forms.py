from django import forms
from django.utils.translation import gettext_lazy as _

from core.addresses import AddressField
from core.forms import KernForm


class DataAccessForm(KernForm):
    email = AddressField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We send a link to this address. Only whoever can read its mail sees the data."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class ErasureForm(KernForm):
    confirm = forms.BooleanField(
        label=_("Yes, erase all data held about this address and cancel my registrations for coming events.")
    )
