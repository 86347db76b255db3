"""The form door staff fill in for a walk-in: the phone form without the time of the call and the
seat type (a walk-in comes now, for a seat on site); the rules are in `walk_ins.py`."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Event, SeatType
from registrations.staff.forms import PhoneRegistrationForm


class WalkInForm(PhoneRegistrationForm):
    service_fields = {"already_registered": "email"}

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(
            *args, event=event, terms=event.current_terms(), now=timezone.now(), prefix="walk_in", **kwargs
        )
        del self.fields["received_at"], self.fields["seat_type"]
        self.fields["phone"].help_text = ""
        self.fields["email"].help_text = _("With an address the person gets the ticket and later news by e-mail.")
        if "accept_terms" in self.fields:
            self.fields["accept_terms"].label = _("The person agrees to the terms of participation.")
        if "broadcast_consent" in self.fields:
            self.fields["broadcast_consent"].label = _("The person agrees to appear in the broadcast.")

    def clean(self):
        cleaned = super().clean()
        cleaned["seat_type"] = SeatType.ONSITE
        return cleaned
