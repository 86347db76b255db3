"""Forms of the organiser pages. They read and check input; every change goes through
`registrations.services`, whose refusals come back into the form as errors."""

from datetime import datetime

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.addresses import AddressField
from core.berlin import BERLIN
from core.errors import DomainError
from core.forms import KernForm, MomentInput
from events.models import ConsentTerms, Event, SeatPool, SeatType
from registrations import detail_fields
from registrations.answers import details_of
from registrations.changes import RegistrationEdit
from registrations.models import Channel, Language, Status
from registrations.submissions import RegistrationData


def offered_seat_types(event: Event) -> list[tuple[str, str]]:
    return [(value, label) for value, label in SeatType.choices if value in event.seat_types]


class BerlinDateTimeField(forms.DateTimeField):
    """A time as staff read it off the clock in the town hall: Europe/Berlin, whatever the
    active time zone is. An hour that does not exist or happens twice (DST) is refused."""

    def to_python(self, value):
        with timezone.override(BERLIN):
            return super().to_python(value)

    def prepare_value(self, value):
        with timezone.override(BERLIN):
            return super().prepare_value(value)


class PhoneRegistrationForm(KernForm):
    received_at = BerlinDateTimeField(
        label=_("Time of the call"),
        help_text=_("When the call came in, in Berlin time. Seats and the waiting list follow this time."),
        widget=MomentInput(),
    )
    seat_type = forms.ChoiceField(label=_("Seat"), widget=forms.RadioSelect)
    name = forms.CharField(label=_("Name"), max_length=200)
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=40,
        required=False,
        help_text=_("A phone number or an e-mail address is needed."),
        widget=forms.TelInput(attrs={"autocomplete": "off"}),
    )
    email = AddressField(
        label=_("E-mail address"),
        required=False,
        help_text=_("With an address the caller gets the confirmation by e-mail."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    language = forms.ChoiceField(label=_("Preferred language"), choices=Language.choices, initial=Language.GERMAN)
    needs = forms.CharField(
        label=_("Accessibility or interpretation needs"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    companions = forms.IntegerField(
        label=_("Companions"),
        min_value=0,
        initial=0,
        help_text=_("People who come with the caller; each takes a seat of the same kind."),
    )
    accept_terms = forms.BooleanField(label=_("The caller agrees to the terms of participation."), required=False)
    broadcast_consent = forms.BooleanField(
        label=_("On-site seat: the caller agrees to appear in the broadcast."), required=False
    )
    feedback_consent = forms.BooleanField(
        label=_("The caller agrees to receive a feedback request after the event."), required=False
    )

    service_fields = {"seat": "seat_type", "contact_required": "phone", "already_registered": "email"}
    existing_registration = None

    def __init__(self, *args, event: Event, terms: ConsentTerms | None, now: datetime, **kwargs):
        super().__init__(*args, **kwargs)
        offered = offered_seat_types(event)
        self.fields["seat_type"].choices = offered
        if len(offered) == 1:
            self.fields["seat_type"].initial = offered[0][0]
        self.fields["received_at"].initial = now.replace(second=0, microsecond=0)
        if event.max_companions:
            # The service refuses more than allowed (`too_many_companions`), shown at this field.
            self.fields["companions"].widget.attrs.update(max=event.max_companions)
        else:
            del self.fields["companions"]
        if terms is None:
            del self.fields["accept_terms"]
        else:
            self.fields["accept_terms"].help_text = terms.text
        if terms is None or not terms.broadcast_consent_required:
            del self.fields["broadcast_consent"]
        else:
            self.fields["broadcast_consent"].help_text = terms.broadcast_text
        detail_fields.add_detail_fields(self, event)

    def add_service_error(self, error: DomainError) -> None:
        self.existing_registration = getattr(error, "existing", None)
        detail = detail_fields.form_field(self, error.field)
        if detail and detail.startswith((detail_fields.QUESTION_PREFIX, detail_fields.NEED_PREFIX)):
            self.add_error(detail, error.message)
            return
        super().add_service_error(error)

    def question_fields(self) -> list:
        return detail_fields.question_fields(self)

    def need_fields(self) -> list:
        return detail_fields.need_bound_fields(self)

    def registration_data(self) -> RegistrationData:
        data = self.cleaned_data
        return RegistrationData(
            name=data["name"],
            seat_type=data["seat_type"],
            email=data["email"],
            phone=data["phone"],
            language=data["language"],
            needs=data["needs"],
            accept_terms=data.get("accept_terms", False),
            broadcast_consent=data.get("broadcast_consent", False),
            feedback_consent=data["feedback_consent"],
            companions=data.get("companions") or 0,
            answers=detail_fields.answers_given(self),
            accessibility=detail_fields.needs_given(self),
        )


class SwitchSeatForm(KernForm):
    """An organiser moves a registration to the other seat type (a call: "we'd rather come online")."""

    join_waiting_list = forms.BooleanField(
        label=_(
            "If no seat of the new kind is free: the person gives up the current place and joins the waiting list."
        ),
        required=False,
    )
    broadcast_consent = forms.BooleanField(
        label=_("On-site seat: the person agrees to appear in the broadcast."), required=False
    )

    def __init__(self, *args, ask_broadcast_consent: bool, **kwargs):
        super().__init__(*args, prefix="switch", **kwargs)
        if not ask_broadcast_consent:
            del self.fields["broadcast_consent"]


class RegistrationEditForm(KernForm):
    """An organiser edits a registration (a call: "I wrote my name wrong", "we are one more")."""

    name = forms.CharField(label=_("Name"), max_length=200)
    email = AddressField(
        label=_("E-mail address"),
        required=False,
        help_text=_(
            "A new address gets a mail with a link to confirm it; it takes effect only then. Until then mails "
            "go to the current address."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    language = forms.ChoiceField(label=_("Preferred language"), choices=Language.choices)
    needs = forms.CharField(
        label=_("Accessibility or interpretation needs"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    companions = forms.IntegerField(
        label=_("Companions"),
        min_value=0,
        help_text=_("People who come with the person; each takes a seat of the same kind."),
    )
    join_waiting_list = forms.BooleanField(
        label=_(
            "If there are not enough free seats for more companions: the party gives up its place and joins "
            "the end of the waiting list."
        ),
        required=False,
    )

    service_fields = {"already_registered": "name", "too_many_companions": "companions"}

    def __init__(self, *args, registration, **kwargs):
        initial = {
            "name": registration.name,
            "email": registration.email,
            "language": registration.language,
            "needs": registration.needs,
            "companions": registration.companions,
        }
        super().__init__(*args, initial=initial, **kwargs)
        event = registration.event
        if event.max_companions or registration.companions:
            self.fields["companions"].widget.attrs.update(max=max(event.max_companions, registration.companions))
        else:
            del self.fields["companions"]
            del self.fields["join_waiting_list"]
        detail_fields.add_detail_fields(self, event, initial=details_of(registration))
        # Answers the person owes (registered by e-mail) need not be given to change the name.
        for name in self.fields:
            if name.startswith(detail_fields.QUESTION_PREFIX):
                self.fields[name].required = False

    def add_service_error(self, error: DomainError) -> None:
        detail = detail_fields.form_field(self, error.field)
        if detail and detail.startswith((detail_fields.QUESTION_PREFIX, detail_fields.NEED_PREFIX)):
            self.add_error(detail, error.message)
            return
        super().add_service_error(error)

    def question_fields(self) -> list:
        return detail_fields.question_fields(self)

    def need_fields(self) -> list:
        return detail_fields.need_bound_fields(self)

    def edit(self) -> RegistrationEdit:
        data = self.cleaned_data
        return RegistrationEdit(
            name=data["name"],
            email=data["email"],
            language=data["language"],
            needs=data["needs"],
            answers=detail_fields.answers_given(self),
            accessibility=detail_fields.needs_given(self),
            companions=data.get("companions"),
            join_waiting_list=data.get("join_waiting_list", False),
        )


class ReleaseReservedForm(KernForm):
    count = forms.IntegerField(label=_("Seats to release"), min_value=1)

    service_fields = {"invalid_release": "count"}

    def __init__(self, *args, pool: SeatPool, **kwargs):
        super().__init__(*args, prefix=pool.seat_type, **kwargs)
        self.pool = pool
        count = self.fields["count"]
        count.label = _("Reserved seats to release: %(seat)s") % {"seat": pool.get_seat_type_display()}
        count.help_text = _("1 to %(reserved)s. People on the waiting list move up at once.") % {
            "reserved": pool.reserved
        }
        count.widget.attrs["max"] = pool.reserved
        count.widget.attrs["class"] = "kern-form-input__input--width-4"


class CancelForm(KernForm):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        help_text=_("Kept in the history of this registration."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RegistrationFilterForm(KernForm):
    """The filters of the registration list and the export, read from the query string."""

    use_required_attribute = False

    q = forms.CharField(label=_("Name, e-mail or phone"), required=False, max_length=200, widget=forms.SearchInput)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("all")), *Status.choices])
    seat_type = forms.ChoiceField(label=_("Seat"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=[("", _("all")), *Channel.choices])

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seat_type"].choices = [("", _("all")), *offered_seat_types(event)]

    def apply(self, registrations: QuerySet) -> QuerySet:
        """Narrow the registrations by the valid filters; an invalid one is shown as an error and left out."""
        self.is_valid()
        criteria = self.cleaned_data
        for name in ("status", "seat_type", "channel"):
            if criteria.get(name):
                registrations = registrations.filter(**{name: criteria[name]})
        if search := criteria.get("q", "").strip():
            registrations = registrations.filter(
                Q(name__icontains=search) | Q(email__icontains=search) | Q(phone__icontains=search)
            )
        return registrations

    @property
    def is_filtered(self) -> bool:
        return any(self.cleaned_data.get(name) for name in self.fields)
