from django import forms
from django.core.validators import validate_slug
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from core.forms import DayInput, KernForm, MomentInput
from core.templatetags.site import long_day
from events.access import Capability, events_where
from ideas.models import BacklogItem, WorkingGroup
from processes.models import DEFAULT_LICENCE, Adoption, Process
from processes.services import PhaseData, ProcessData


class ProcessForm(KernForm):
    title_de = forms.CharField(label=_("Title (German)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    slug = forms.CharField(
        label=_("Address"),
        max_length=80,
        validators=[validate_slug],
        help_text=_("Part of the web address: letters, digits and hyphens, e.g. digitalstrategie."),
    )
    description_de = forms.CharField(
        label=_("Description (German)"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    description_en = forms.CharField(
        label=_("Description (English)"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    licence = forms.CharField(
        label=_("Licence of the open data"),
        max_length=100,
        required=False,
        initial=DEFAULT_LICENCE,
        help_text=_("Under which licence others may reuse the process's open data, e.g. dl-de/by-2-0 or CC-BY-4.0."),
    )
    published = forms.BooleanField(
        label=_("Published"), required=False, help_text=_("Citizens see the process page only once it is published.")
    )

    @classmethod
    def for_process(cls, process: Process, data=None):
        fields = ("title_de", "title_en", "slug", "description_de", "description_en", "licence", "published")
        return cls(data, initial={name: getattr(process, name) for name in fields})

    def data_for_service(self) -> ProcessData:
        return ProcessData(**self.cleaned_data)


class PhaseForm(KernForm):
    title_de = forms.CharField(label=_("Phase (German)"), max_length=120)
    title_en = forms.CharField(label=_("Phase (English)"), max_length=120, required=False)
    starts_on = forms.DateField(label=_("From"), widget=DayInput())
    ends_on = forms.DateField(label=_("Until"), widget=DayInput())

    def data_for_service(self) -> PhaseData:
        return PhaseData(**self.cleaned_data)


class LinkEventForm(KernForm):
    event = forms.ModelChoiceField(label=_("Event"), queryset=None, empty_label=_("– choose an event –"))

    def __init__(self, data=None, *, user, process: Process):
        super().__init__(data)
        self.fields["event"].queryset = (
            events_where(user, Capability.MANAGE).exclude(processes=process).order_by("starts_at")
        )
        self.fields["event"].label_from_instance = lambda event: (
            f"{event.title} – {long_day(localtime(event.starts_at))}"
        )


class LinkWorkingGroupForm(KernForm):
    working_group = forms.ModelChoiceField(
        label=_("Working group"), queryset=None, empty_label=_("– choose a working group –"), to_field_name="slug"
    )

    def __init__(self, data=None, *, process: Process):
        super().__init__(data)
        self.fields["working_group"].queryset = WorkingGroup.objects.exclude(processes=process).order_by("title")
        self.fields["working_group"].label_from_instance = lambda group: group.title


class FollowForm(KernForm):
    email = forms.EmailField(
        label=_("E-mail address"), max_length=254, help_text=_("We send you a link to confirm it, then the news.")
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the city keeps my address to send me these e-mails, until I leave with the link in each mail."
        ),
    )


class JoinForm(FollowForm):
    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        required=False,
        help_text=_("Needed to work in the group; not for the news only."),
    )
    kind = forms.ChoiceField(
        label=_("How would you like to take part?"),
        choices=[
            ("member", _("I want to work in the group: invitations to its meetings and its news")),
            ("follower", _("I only want the group's news")),
        ],
        initial="member",
        widget=forms.RadioSelect,
    )
    field_order = ["kind", "name", "email", "consent"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == "member" and not (cleaned.get("name") or "").strip():
            self.add_error("name", _("Please tell us your name: the group's leads see who works with them."))
        return cleaned


class ResultForm(KernForm):
    title_de = forms.CharField(label=_("Title (German)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    summary_de = forms.CharField(label=_("Summary (German)"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    summary_en = forms.CharField(label=_("Summary (English)"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    adopted_on = forms.DateField(label=_("Adopted by the council on"), widget=DayInput(), required=False)
    published = forms.BooleanField(
        label=_("Published"),
        required=False,
        help_text=_("Citizens see the result once it and the process are published."),
    )


class SectionForm(KernForm):
    heading_de = forms.CharField(label=_("Heading (German)"), max_length=200)
    heading_en = forms.CharField(label=_("Heading (English)"), max_length=200, required=False)
    text_de = forms.CharField(label=_("Text (German)"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    text_en = forms.CharField(label=_("Text (English)"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class ItemAccountForm(KernForm):
    item = forms.ModelChoiceField(
        label=_("Item of a working group"), queryset=None, empty_label=_("– choose an item –")
    )
    adoption = forms.ChoiceField(label=_("Taken up?"), choices=Adoption.choices, widget=forms.RadioSelect)
    progress = forms.IntegerField(
        label=_("Progress in per cent"), min_value=0, max_value=100, initial=0, help_text=_("0 to 100.")
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Needed when the item is not taken up."),
    )

    def __init__(self, data=None, *, process: Process, prefix=None):
        super().__init__(data, prefix=prefix)
        self.fields["item"].queryset = (
            BacklogItem.objects.filter(working_group__processes=process)
            .select_related("working_group")
            .order_by("working_group__title", "position")
        )
        self.fields["item"].label_from_instance = lambda item: f"{item.working_group.title}: {item.title}"


class InviteMembersForm(KernForm):
    event = forms.ModelChoiceField(label=_("Meeting"), queryset=None, empty_label=_("– choose an event –"))
    members_from = forms.DateTimeField(
        label=_("Members may register from"),
        required=False,
        widget=MomentInput(),
        help_text=_(
            "A head start before registration opens to all: each invitation carries the member's personal link. "
            "Empty: no head start, or the one given stays (“Remove head start” at the meeting takes it back)."
        ),
    )
    service_fields = {"opens_at": "members_from"}

    def __init__(self, data=None, *, process: Process, prefix=None):
        super().__init__(data, prefix=prefix)
        self.fields["event"].queryset = process.events.order_by("starts_at")
        self.fields["event"].label_from_instance = lambda event: (
            f"{event.title} – {long_day(localtime(event.starts_at))}"
        )
