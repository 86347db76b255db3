"""The form door staff fill in for a walk-in; the rules are in `walk_ins.py`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import ConsentTerms
from registrations.checkin.walk_ins import WalkIn
from registrations.models import Language
from registrations.staff.forms import KernForm


class WalkInForm(KernForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        help_text=_("With an address the person gets the ticket and later news by e-mail."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Phone number"), max_length=40, required=False, widget=forms.TelInput(attrs={"autocomplete": "off"})
    )
    language = forms.ChoiceField(label=_("Preferred language"), choices=Language.choices, initial=Language.GERMAN)
    needs = forms.CharField(
        label=_("Accessibility or interpretation needs"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    accept_terms = forms.BooleanField(label=_("The person agrees to the terms of participation."), required=False)
    broadcast_consent = forms.BooleanField(label=_("The person agrees to appear in the broadcast."), required=False)

    service_fields = {"already_registered": "email"}
    prefix = "walk_in"

    def __init__(self, *args, terms: ConsentTerms | None, **kwargs):
        super().__init__(*args, **kwargs)
        if terms is None:
            del self.fields["accept_terms"]
        else:
            self.fields["accept_terms"].help_text = terms.text
        if terms is None or not terms.broadcast_consent_required:
            del self.fields["broadcast_consent"]
        else:
            self.fields["broadcast_consent"].help_text = terms.broadcast_text

    def walk_in(self) -> WalkIn:
        data = self.cleaned_data
        return WalkIn(
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            language=data["language"],
            needs=data["needs"],
            accept_terms=data.get("accept_terms", False),
            broadcast_consent=data.get("broadcast_consent", False),
        )
