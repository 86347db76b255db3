"""Forms of the team page and of the accept page; the services check everything again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.addresses import AddressField
from core.forms import KernForm
from events.models import Role


class InviteForm(KernForm):
    email = AddressField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Role.choices,
        help_text=_(
            "Organiser: everything. Check-in staff: the check-in page and its list. Moderator: breakout "
            "groups, capture and plenum, names only. Viewer: figures only."
        ),
    )


class RoleForm(KernForm):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class NewAccountForm(KernForm):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput, strip=False, help_text=_("At least 10 characters.")
    )
