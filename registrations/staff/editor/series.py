"""The forms of a copy (one new start) and of a series (the same event on several days)."""

from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import KernForm
from events.models import Event
from registrations.staff.editor.forms import DATETIME_WIDGET
from registrations.staff.forms import BerlinDateTimeField

SERIES_FIELDS = 6
DRAFTS, PUBLISHED = "drafts", "published"


class CopyForm(KernForm):
    starts_at = BerlinDateTimeField(
        label=_("Start of the copy"),
        help_text=_("The end, the registration window and the reminders move along with it."),
        widget=DATETIME_WIDGET,
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, initial={"starts_at": event.starts_at + timedelta(days=7)}, **kwargs)


class SeriesForm(KernForm):
    """Up to six days; each copy starts at the event's time of day."""

    service_fields = {"dates": "date_1"}

    status = forms.ChoiceField(
        label=_("The new dates are"),
        choices=[(DRAFTS, _("drafts, to publish one by one")), (PUBLISHED, _("published at once"))],
        initial=DRAFTS,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number in range(1, SERIES_FIELDS + 1):
            self.fields[f"date_{number}"] = forms.DateField(
                label=_("Date %(number)s") % {"number": number},
                required=number == 1,
                widget=forms.DateInput(attrs={"type": "date", "class": "kern-form-input__input"}, format="%Y-%m-%d"),
            )
        self.order_fields([f"date_{number}" for number in range(1, SERIES_FIELDS + 1)] + ["status"])

    def dates(self) -> list[date]:
        return [value for name, value in self.cleaned_data.items() if name.startswith("date_") and value]

    @property
    def publishes(self) -> bool:
        return self.cleaned_data["status"] == PUBLISHED
