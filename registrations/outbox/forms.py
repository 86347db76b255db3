from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import KernForm, MomentInput
from registrations.outbox.bulk import AUDIENCES


class BulkMessageForm(KernForm):
    audience = forms.ChoiceField(label=_("To"), choices=list(AUDIENCES.items()))
    subject = forms.CharField(label=_("Subject (German)"), max_length=200, widget=forms.TextInput(attrs={"lang": "de"}))
    body = forms.CharField(
        label=_("Message (German)"),
        widget=forms.Textarea(attrs={"rows": 8, "lang": "de"}),
        help_text=_("Each registrant gets it in a personal e-mail with the details of the event."),
    )
    subject_en = forms.CharField(
        label=_("Subject (English)"), max_length=200, widget=forms.TextInput(attrs={"lang": "en"})
    )
    body_en = forms.CharField(
        label=_("Message (English)"),
        widget=forms.Textarea(attrs={"rows": 8, "lang": "en"}),
        help_text=_("Registrants who chose English get this text."),
    )


class AccessDataForm(KernForm):
    online_join_url = forms.URLField(label=_("Join link"), required=False, max_length=500, assume_scheme="https")
    online_meeting_id = forms.CharField(label=_("Meeting ID"), required=False, max_length=60)
    online_passcode = forms.CharField(label=_("Passcode"), required=False, max_length=60)
    access_data_hours_before = forms.IntegerField(
        label=_("Send the access data this many hours before the start"),
        required=False,
        min_value=0,
        max_value=24 * 60,
        help_text=_("Empty: right away, as soon as a seat is confirmed."),
    )
    reminder_hours_before = forms.IntegerField(
        label=_("Send a reminder this many hours before the start"),
        required=False,
        min_value=1,
        max_value=24 * 60,
        help_text=_("Empty: no reminder."),
    )


class AnnouncementForm(KernForm):
    note = forms.CharField(
        label=_("A note to the registrants"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(label=_("Yes, tell every registrant now."))


class MoveEventForm(AnnouncementForm):
    starts_at = forms.DateTimeField(label=_("New start"), widget=MomentInput())
    ends_at = forms.DateTimeField(label=_("New end"), widget=MomentInput())

    field_order = ["starts_at", "ends_at", "note", "confirm"]

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The event must end after it starts."))
        if data.get("starts_at") and data["starts_at"] <= timezone.now():
            self.add_error("starts_at", _("The new date must be in the future."))
        return data
