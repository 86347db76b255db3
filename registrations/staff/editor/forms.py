"""The forms of the event editor: one per section, each reading its part of an event and turning
valid input into the arguments of `events.services.update_event`, whose refusals come back into
the form at their fields. Labels and hints are the model's, so the admin and the editor agree."""

from dataclasses import dataclass, field

from django import forms
from django.core.validators import MinValueValidator
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from core.forms import KernForm
from events.models import INTERPRETATION_LANGUAGES, Event, Format, SeatPool, SeatType
from events.services import SeatPlan, VenueData
from registrations.staff.forms import BerlinDateTimeField

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


@dataclass
class Changes:
    """What a section asks `update_event` (or `create_event`) to change."""

    fields: dict = field(default_factory=dict)
    seats: dict[str, SeatPlan] | None = None
    venue: VenueData | None = None


def model_fields(*names: str) -> dict[str, forms.Field]:
    """The event's own form fields (label, hint, limits), times as Berlin `datetime-local` inputs."""
    made = fields_for_model(Event, fields=names, formfield_callback=None)
    for name in names:
        if isinstance(Event._meta.get_field(name), type(Event._meta.get_field("starts_at"))):
            model_field = made[name]
            made[name] = BerlinDateTimeField(
                label=model_field.label, help_text=model_field.help_text, widget=DATETIME_WIDGET
            )
    return made


class SectionForm(KernForm):
    """A section of an event. `event_field_names` are the event's own fields it edits."""

    event_field_names: tuple[str, ...] = ()
    # A service's name of a field (update_event's refusals) → this form's field.
    service_fields: dict[str, str] = {}

    def __init__(self, *args, event: Event, **kwargs):
        self.base_fields = {**model_fields(*self.event_field_names), **self.extra_fields()}
        super().__init__(*args, initial=self.initial_of(event), **kwargs)
        self.event = event

    def extra_fields(self) -> dict[str, forms.Field]:
        return {}

    def initial_of(self, event: Event) -> dict:
        return {name: getattr(event, name) for name in self.event_field_names}

    def changes(self) -> Changes:
        return Changes(fields={name: self.cleaned_data[name] for name in self.event_field_names})


def seat_fields(seat_types, *, with_reserved: bool, required: bool) -> dict[str, forms.Field]:
    made = {}
    for seat_type in seat_types:
        label = SeatType(seat_type).label
        made[f"{seat_type}_capacity"] = forms.IntegerField(
            label=_("Seats: %(seat)s") % {"seat": label}, min_value=0, max_value=100_000, required=required
        )
        if with_reserved:
            made[f"{seat_type}_reserved"] = forms.IntegerField(
                label=_("Reserved of these: %(seat)s") % {"seat": label},
                min_value=0,
                max_value=100_000,
                initial=0,
                help_text=_("Held back, e.g. for invited guests; you release them on the event's page."),
            )
    return made


def pools_of(event: Event) -> dict[str, SeatPool]:
    return {pool.seat_type: pool for pool in SeatPool.objects.filter(event=event)} if event.pk else {}


class NewEventForm(SectionForm):
    """The least a draft needs: title, format, dates, seats (and the place, on site)."""

    event_field_names = ("title_de", "format", "starts_at", "ends_at")
    service_fields = {"seats": "onsite_capacity", "venue": "venue_name"}

    def extra_fields(self):
        return {
            **seat_fields([SeatType.ONSITE, SeatType.ONLINE], with_reserved=False, required=False),
            "venue_name": forms.CharField(
                label=_("Venue"),
                max_length=200,
                required=False,
                help_text=_("On site and hybrid: where it takes place."),
            ),
            "venue_address": forms.CharField(label=_("Address of the venue"), max_length=300, required=False),
        }

    def initial_of(self, event):
        return {"format": Format.ONSITE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["format"].widget = forms.RadioSelect(
            choices=Format.choices, attrs={"class": "kern-form-check__radio"}
        )
        self.fields["onsite_capacity"].help_text = _("On site and hybrid.")
        self.fields["online_capacity"].help_text = _("Online and hybrid.")

    def clean(self):
        data = super().clean()
        if data.get("venue_name") and not data.get("venue_address"):
            self.add_error("venue_address", _("Please enter the address of the venue."))
        return data

    def changes(self) -> Changes:
        data = self.cleaned_data
        offered = Event(format=data["format"]).seat_types
        seats = {
            seat_type: SeatPlan(data[f"{seat_type}_capacity"])
            for seat_type in offered
            if data.get(f"{seat_type}_capacity") is not None
        }
        venue = None
        if data["venue_name"] and data["format"] != Format.ONLINE:
            venue = VenueData(data["venue_name"], data["venue_address"])
        return Changes(fields={name: data[name] for name in self.event_field_names}, seats=seats, venue=venue)


class BasicsForm(SectionForm):
    event_field_names = ("title_de", "title_en", "description_de", "description_en")


class FormatForm(SectionForm):
    """A new format may need seats of a type the event has none of yet: they are asked here too."""

    event_field_names = ("format",)
    service_fields = {"seats": "onsite_capacity", "venue": "format"}

    def extra_fields(self):
        fields = seat_fields([SeatType.ONSITE, SeatType.ONLINE], with_reserved=False, required=False)
        for made in fields.values():
            made.help_text = _("Only needed when the new format adds this kind of seat.")
        return fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["format"].widget = forms.RadioSelect(
            choices=Format.choices, attrs={"class": "kern-form-check__radio"}
        )

    def initial_of(self, event):
        pools = pools_of(event)
        return {
            "format": event.format,
            **{f"{seat_type}_capacity": pool.capacity for seat_type, pool in pools.items()},
        }

    def changes(self) -> Changes:
        data = self.cleaned_data
        pools = pools_of(self.event)
        offered = Event(format=data["format"]).seat_types
        seats = {
            seat_type: SeatPlan(data[f"{seat_type}_capacity"], pools[seat_type].reserved if seat_type in pools else 0)
            for seat_type in offered
            if data.get(f"{seat_type}_capacity") is not None
        }
        return Changes(fields={"format": data["format"]}, seats=seats)


class DateForm(SectionForm):
    event_field_names = ("starts_at", "ends_at")


class VenueForm(SectionForm):
    service_fields = {"venue": "name"}

    def extra_fields(self):
        return {
            "name": forms.CharField(label=_("Name of the venue"), max_length=200),
            "address": forms.CharField(label=_("Address"), max_length=300),
            "step_free": forms.BooleanField(label=_("Step-free access"), required=False),
            "hearing_loop": forms.BooleanField(label=_("Hearing loop"), required=False),
            "accessible_toilet": forms.BooleanField(label=_("Accessible toilet"), required=False),
            "accessibility_notes": forms.CharField(
                label=_("Notes on accessibility (German)"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("E.g. the entrance with the ramp, parking for disabled people, a quiet room."),
            ),
            "accessibility_notes_en": forms.CharField(
                label=_("Notes on accessibility (English)"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("Empty: English readers see the German notes."),
            ),
        }

    def initial_of(self, event):
        venue = event.venue
        if venue is None:
            return {}
        names = (
            "name",
            "address",
            "step_free",
            "hearing_loop",
            "accessible_toilet",
            "accessibility_notes",
            "accessibility_notes_en",
        )
        return {name: getattr(venue, name) for name in names}

    def changes(self) -> Changes:
        data = self.cleaned_data
        venue = VenueData(
            data["name"],
            data["address"],
            data["accessibility_notes"],
            step_free=data["step_free"],
            hearing_loop=data["hearing_loop"],
            accessible_toilet=data["accessible_toilet"],
            accessibility_notes_en=data["accessibility_notes_en"],
        )
        return Changes(venue=venue)


class SeatsForm(SectionForm):
    def extra_fields(self):
        return seat_fields(sorted(self.seat_types), with_reserved=True, required=True)

    def __init__(self, *args, event: Event, **kwargs):
        self.seat_types = event.seat_types
        super().__init__(*args, event=event, **kwargs)
        self.service_fields = {"seats": f"{sorted(self.seat_types)[0]}_capacity"}

    def initial_of(self, event):
        initial = {}
        for seat_type, pool in pools_of(event).items():
            initial[f"{seat_type}_capacity"] = pool.capacity
            initial[f"{seat_type}_reserved"] = pool.reserved
        return initial

    def clean(self):
        data = super().clean()
        for seat_type in self.seat_types:
            capacity, reserved = data.get(f"{seat_type}_capacity"), data.get(f"{seat_type}_reserved")
            if capacity is not None and reserved is not None and reserved > capacity:
                self.add_error(f"{seat_type}_reserved", _("Reserved seats cannot exceed the capacity."))
        return data

    def changes(self) -> Changes:
        data = self.cleaned_data
        seats = {t: SeatPlan(data[f"{t}_capacity"], data[f"{t}_reserved"]) for t in self.seat_types}
        return Changes(seats=seats)


class RegistrationForm(SectionForm):
    event_field_names = ("registration_opens_at", "registration_closes_at", "allocation")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        allocation = self.fields["allocation"]
        allocation.widget = forms.RadioSelect(choices=allocation.choices, attrs={"class": "kern-form-check__radio"})
        allocation.choices = [choice for choice in allocation.choices if choice[0]]


class CompanionsForm(SectionForm):
    event_field_names = ("max_companions",)


class ReconfirmationForm(SectionForm):
    event_field_names = ("reconfirm_days_before", "reconfirm_answer_hours", "offer_valid_hours")


class RemindersForm(SectionForm):
    event_field_names = ("reminder_hours_before", "access_data_hours_before")


class ZoomForm(SectionForm):
    """The online part: interpretation chosen from the list of languages, and the access data
    when the city enters its own meeting (with the Zoom connection, Stadtdialog fills them)."""

    event_field_names = ("online_join_url", "online_meeting_id", "online_passcode")

    def extra_fields(self):
        return {
            "interpretation_languages": forms.MultipleChoiceField(
                label=_("Interpretation languages"),
                choices=INTERPRETATION_LANGUAGES,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("The languages interpreters translate the event into."),
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interpretation_languages"].widget.attrs["class"] = "kern-form-check__checkbox"

    def initial_of(self, event):
        return {**super().initial_of(event), "interpretation_languages": list(event.interpretation_languages)}

    def changes(self) -> Changes:
        changes = super().changes()
        chosen = set(self.cleaned_data["interpretation_languages"])
        changes.fields["interpretation_languages"] = [
            code for code, _name in INTERPRETATION_LANGUAGES if code in chosen
        ]
        return changes


class LivestreamForm(SectionForm):
    event_field_names = ("livestream_url",)


class ChannelsForm(SectionForm):
    event_field_names = ("keyword", "registration_email", "registration_phone")


class RetentionForm(SectionForm):
    event_field_names = ("retention_days",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        retention = self.fields["retention_days"]
        retention.widget.attrs["min"] = 1
        retention.validators.append(MinValueValidator(1))
