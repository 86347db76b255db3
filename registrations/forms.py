from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from core.addresses import AddressField
from core.forms import KernForm
from events.models import Event, SeatType
from registrations import detail_fields
from registrations.consents import BROADCAST_CONSENT_HINT, BROADCAST_CONSENT_LABEL, FEEDBACK_CONSENT_LABEL
from registrations.models import Language
from registrations.submissions import RegistrationData, broadcast_consent_asked

# The form's texts in plain language ("Einfache Sprache"): short sentences, everyday words, an
# example where a field may be unclear. Same fields, same rules; only the words change.
PLAIN_TEXTS = {
    "name": (_("Your first name and last name"), _("For example: Anna Schmidt")),
    "email": (
        _("Your e-mail address"),
        _("We write to you at this address. The e-mail has a link to your registration."),
    ),
    "seat_type": (_("Where do you take part?"), ""),
    "language": (_("Which language do you want for our e-mails?"), ""),
    "needs": (
        _("Do you need help to take part?"),
        _(
            "For example: a sign language interpreter, a place for a wheelchair, a translation. You can leave this "
            "empty."
        ),
    ),
    "accept_terms": (_("Yes, I agree. The city may use my name and e-mail address for this event."), ""),
    "broadcast_consent": (
        _("Yes, people may see me in the video of the event."),
        _("You can also say no. Then you sit where the camera does not film. You still have your seat."),
    ),
}
PLAIN_SEAT_TYPES = {
    SeatType.ONSITE: _("I come to the room"),
    SeatType.ONLINE: _("I take part on the internet, in a video meeting"),
}

# Shown when the form was loaded while the event offered another seat type than it does now.
SEAT_TYPE_WITHDRAWN = {
    SeatType.ONSITE: _("This event now takes place only on site. Please check your entries and send the form again."),
    SeatType.ONLINE: _("This event now takes place only online. Please check your entries and send the form again."),
}


class RegistrationForm(KernForm):
    name = forms.CharField(label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = AddressField(
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
    companions = forms.IntegerField(
        label=_("Companions"),
        min_value=0,
        initial=0,
        help_text=_("People who come with you, e.g. your household (at most %(most)s). Each takes a seat."),
    )
    accept_terms = forms.BooleanField(label=_("I agree to the terms of participation shown above."))
    broadcast_consent = forms.BooleanField(
        label=BROADCAST_CONSENT_LABEL, help_text=BROADCAST_CONSENT_HINT, required=False
    )
    # Which texts the form shows; carried along, so that a form sent back with errors keeps them.
    plain = forms.BooleanField(required=False, widget=forms.HiddenInput)
    # The personal link of an invitation with a head start (registrations/early_access.py),
    # carried along from the event page.
    early_access = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput)
    feedback_consent = forms.BooleanField(
        label=FEEDBACK_CONSENT_LABEL,
        required=False,
        help_text=_("We then send you a link to a short, anonymous survey if you took part."),
    )

    def __init__(self, *args, event: Event, language: str = "de", plain: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.is_plain = plain
        self.seat_type_withdrawn = None
        self.fields["plain"].initial = plain
        offered = [choice for choice in SeatType.choices if choice[0] in event.seat_types]
        if plain:
            offered = [(value, PLAIN_SEAT_TYPES[value]) for value, _label in offered]
        self.fields["seat_type"].choices = offered
        if len(offered) == 1:
            self._offer_only(offered[0][0])
        self.fields["language"].initial = language if language in Language.values else Language.GERMAN
        if not broadcast_consent_asked(event, SeatType.ONSITE) or SeatType.ONSITE not in event.seat_types:
            del self.fields["broadcast_consent"]
        if event.max_companions:
            companions = self.fields["companions"]
            companions.max_value = event.max_companions
            companions.validators.append(MaxValueValidator(event.max_companions))
            companions.widget.attrs.update(min=0, max=event.max_companions)
            companions.help_text = companions.help_text % {"most": event.max_companions}
        else:
            del self.fields["companions"]
        detail_fields.add_detail_fields(self, event, before="accept_terms")
        if plain:
            for name, (label, help_text) in PLAIN_TEXTS.items():
                if name in self.fields:
                    self.fields[name].label, self.fields[name].help_text = label, help_text

    def _offer_only(self, value: str) -> None:
        """One seat type is offered, so the form does not ask. A form loaded while the event still
        offered another one may post it: the form then carries the offered one and says so, and
        the citizen sends it again after a look (everything typed stays)."""
        self.fields["seat_type"].initial = value
        self.fields["seat_type"].widget = forms.HiddenInput()
        if self.is_bound and self.data.get("seat_type", value) != value:
            self.data = self.data.copy()
            self.data["seat_type"] = value
            self.seat_type_withdrawn = SEAT_TYPE_WITHDRAWN[value]

    def clean(self):
        cleaned = super().clean()
        if self.seat_type_withdrawn:
            raise forms.ValidationError(self.seat_type_withdrawn, code="seat_type_withdrawn")
        return cleaned

    def sections(self) -> list[dict]:
        return detail_fields.sections(self, last=("accept_terms", "broadcast_consent", "feedback_consent"))

    def field_for(self, service_field: str | None) -> str | None:
        return detail_fields.form_field(self, service_field)

    @property
    def early_access_token(self) -> str:
        """The personal link the form carries, so that a link to the form in other words keeps it."""
        return (self.data.get("early_access") if self.is_bound else self.initial.get("early_access")) or ""

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
            feedback_consent=data["feedback_consent"],
            companions=data.get("companions") or 0,
            answers=detail_fields.answers_given(self),
            accessibility=detail_fields.needs_given(self),
            early_access=data.get("early_access", ""),
        )


class DetailsForm(KernForm):
    """What a citizen may change on the personal page (the fields of the registration form); the
    address is who the registration is."""

    name = RegistrationForm.base_fields["name"]
    language = RegistrationForm.base_fields["language"]
    needs = RegistrationForm.base_fields["needs"]
    companions = forms.IntegerField(
        label=_("Companions"), min_value=0, help_text=_("People who come with you (at most %(most)s).")
    )
    join_waiting_list = forms.BooleanField(
        label=_("If the seats for more companions are not free: move with them to the end of the waiting list."),
        required=False,
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        if event.max_companions:
            companions = self.fields["companions"]
            companions.validators.append(MaxValueValidator(event.max_companions))
            companions.widget.attrs.update(min=0, max=event.max_companions)
            companions.help_text = companions.help_text % {"most": event.max_companions}
        else:
            del self.fields["companions"]
            del self.fields["join_waiting_list"]


class SwitchForm(KernForm):
    """Switching to the other seat type of a hybrid event."""

    join_waiting_list = forms.BooleanField(
        label=_("If no seat of the new kind is free: give up my current place and join the waiting list."),
        required=False,
    )
    broadcast_consent = forms.BooleanField(
        label=BROADCAST_CONSENT_LABEL, help_text=BROADCAST_CONSENT_HINT, required=False
    )

    def __init__(self, *args, ask_broadcast_consent: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not ask_broadcast_consent:
            del self.fields["broadcast_consent"]


class CancelForm(KernForm):
    confirm = forms.BooleanField(label=_("Yes, cancel my registration and give my seat to someone else."))


class AnswersForm(KernForm):
    """The registrant changes answers and structured needs through the personal link (name,
    language and the free-text needs are changed on their own page)."""

    def __init__(self, *args, registration, details, **kwargs):
        super().__init__(*args, **kwargs)
        detail_fields.add_detail_fields(self, registration.event, initial=details)

    def sections(self) -> list[dict]:
        return detail_fields.sections(self)

    def field_for(self, service_field: str | None) -> str | None:
        return detail_fields.form_field(self, service_field)

    @property
    def early_access_token(self) -> str:
        """The personal link the form carries, so that a link to the form in other words keeps it."""
        return (self.data.get("early_access") if self.is_bound else self.initial.get("early_access")) or ""


class LostLinksForm(KernForm):
    email = AddressField(
        label=_("E-mail address"),
        help_text=_("The address you registered with. We send the links of all its registrations to it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class EmailChangeForm(KernForm):
    email = AddressField(
        label=_("New e-mail address"),
        help_text=_("We send a link to this address; the change takes effect once you open it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
