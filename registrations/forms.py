from django import forms
from django.utils.translation import gettext_lazy as _

from events.forms import KernFormMixin
from events.models import Event, SeatType
from registrations import detail_fields
from registrations.models import Language
from registrations.services import RegistrationData, broadcast_consent_needed


class RegistrationForm(KernFormMixin, forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We send the confirmation and, if you get a seat, the access data to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    seat_type = forms.ChoiceField(label=_("How do you want to take part?"), widget=forms.RadioSelect)
    language = forms.ChoiceField(label=_("Language of our e-mails"), choices=Language.choices)
    needs = forms.CharField(
        label=_("Accessibility or interpretation needs"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example sign language, step-free access or interpretation."),
    )
    accept_terms = forms.BooleanField(label=_("I agree to the terms of participation shown above."))
    broadcast_consent = forms.BooleanField(
        label=_("I agree to appear in the broadcast of the event (required for on-site seats)."), required=False
    )

    def __init__(self, *args, event: Event, language: str = "de", **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        offered = [choice for choice in SeatType.choices if choice[0] in event.seat_types]
        self.fields["seat_type"].choices = offered
        if len(offered) == 1:
            self.fields["seat_type"].initial = offered[0][0]
            self.fields["seat_type"].widget = forms.HiddenInput()
        self.fields["language"].initial = language if language in Language.values else Language.GERMAN
        if not broadcast_consent_needed(event, SeatType.ONSITE) or SeatType.ONSITE not in event.seat_types:
            del self.fields["broadcast_consent"]
        detail_fields.add_detail_fields(self, event, before="accept_terms")

    def sections(self) -> list[dict]:
        return detail_fields.sections(self, last=("accept_terms", "broadcast_consent"))

    def field_for(self, service_field: str | None) -> str | None:
        return detail_fields.form_field(self, service_field)

    def registration_data(self) -> RegistrationData:
        data = self.cleaned_data
        return RegistrationData(
            name=data["name"],
            seat_type=data["seat_type"],
            email=data["email"],
            language=data["language"],
            needs=data["needs"],
            accept_terms=data["accept_terms"],
            broadcast_consent=data.get("broadcast_consent", False),
            answers=detail_fields.answers_given(self),
            accessibility=detail_fields.needs_given(self),
        )


class CancelForm(KernFormMixin, forms.Form):
    confirm = forms.BooleanField(label=_("Yes, cancel my registration and give my seat to someone else."))


class DetailsForm(KernFormMixin, forms.Form):
    """The registrant changes answers and structured needs through the personal link (name,
    language and the free-text needs are changed on their own page)."""

    def __init__(self, *args, registration, details, **kwargs):
        super().__init__(*args, **kwargs)
        detail_fields.add_detail_fields(self, registration.event, initial=details)

    def sections(self) -> list[dict]:
        return detail_fields.sections(self)

    def field_for(self, service_field: str | None) -> str | None:
        return detail_fields.form_field(self, service_field)
