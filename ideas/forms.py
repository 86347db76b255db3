"""HTML forms. They only check types and sizes for the browser; the rules live in the services,
whose errors are shown on the field they name (`core.forms.KernForm.add_service_error`)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from core.addresses import AddressField
from core.forms import KernForm
from ideas.models import BacklogStatus, GroupKind, LiveVia, ModerationMode
from ideas.services.backlog import ITEM_TITLE_MAX, LONG_TEXT_MAX
from ideas.services.capture import TEXT_MAX, THEME_MAX, TITLE_MAX
from ideas.services.groups import NAME_MAX, TOPIC_MAX
from ideas.services.live import LIVE_TEXT_MAX
from ideas.services.live import NAME_MAX as SENDER_NAME_MAX
from ideas.services.voting import MAX_DOTS_PER_VOTER
from ideas.services.working_groups import DESCRIPTION_MAX
from ideas.services.working_groups import TITLE_MAX as WORKING_GROUP_TITLE_MAX


class IdeaForm(KernForm):
    title = forms.CharField(label=_("The idea in a few words"), max_length=TITLE_MAX)
    text = forms.CharField(label=_("More detail"), required=False, max_length=TEXT_MAX, widget=forms.Textarea)
    theme = forms.CharField(
        label=_("Theme"), required=False, max_length=THEME_MAX, help_text=_("For example: schools, mobility.")
    )
    for_plenum = forms.BooleanField(label=_("Take this idea to the plenum"), required=False)
    client_id = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, theme_list_id: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].widget.attrs["rows"] = 3
        if theme_list_id:
            self.fields["theme"].widget.attrs["list"] = theme_list_id
        for field in ("title", "text", "theme"):
            # The draft script keeps what is typed; the browser's own autofill would only confuse it.
            self.fields[field].widget.attrs["autocomplete"] = "off"


class TableIdeaForm(IdeaForm):
    email = AddressField(
        label=_("E-mail address"),
        required=False,
        help_text=_("Only used to tell you what became of your idea."),
    )
    updates_consent = forms.BooleanField(
        label=_("Yes, tell me by e-mail when the status of my idea changes. I can stop this at any time."),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["for_plenum"]
        self.fields["email"].widget.attrs["autocomplete"] = "email"


IDEA_KIND = "idea"


class LiveChannelForm(KernForm):
    """The live channel's form for anyone: an idea, or a kind of contribution the layers above
    offer through the channel (`ideas.signals.live_channel_kind`: a question to the panel).
    `website` is a honeypot people never see (a script fills every field); `started` is the signed
    moment the form was shown (ideas/views/live.py)."""

    kind = forms.ChoiceField(label=_("What do you send?"), widget=forms.RadioSelect, initial=IDEA_KIND)
    text = forms.CharField(
        label=_("Your idea"),
        max_length=LIVE_TEXT_MAX,
        error_messages={"required": _("Please write down your idea.")},
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Plain text, at most 1000 characters. The first line becomes its title."),
    )
    name = forms.CharField(label=_("Your name"), required=False, max_length=SENDER_NAME_MAX)
    show_name = forms.BooleanField(label=_("Show my name publicly"), required=False)
    via = forms.ChoiceField(
        label=_("Where are you following the event?"),
        required=False,
        choices=LiveVia.choices,
        widget=forms.RadioSelect,
    )
    email = AddressField(
        label=_("E-mail address"),
        required=False,
        help_text=_("Only used to tell you what becomes of your contribution."),
    )
    updates_consent = forms.BooleanField(
        label=_("Yes, tell me by e-mail what becomes of my contribution. I can stop this at any time."),
        required=False,
    )
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    started = forms.CharField(required=False, widget=forms.HiddenInput)
    client_id = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, kinds=(), via_given: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(IDEA_KIND, _("Idea or suggestion")), *((k.value, k.label) for k in kinds)]
        if kinds:
            text = self.fields["text"]
            text.label = _("Your text")
            hints = [_("Plain text. An idea: at most 1000 characters, its first line becomes its title.")]
            text.help_text = " ".join(str(hint) for hint in [*hints, *(k.hint for k in kinds)] if hint)
            chosen = next((k for k in kinds if k.value == self.data.get("kind")), None)
            if chosen is not None and chosen.missing:
                text.error_messages["required"] = chosen.missing
        else:
            # Ideas only: nothing to choose.
            self.fields["kind"].widget = forms.HiddenInput()
        if via_given:
            # The link says where the sender is (the wall, Zoom, the stream): no need to ask.
            self.fields["via"].widget = forms.HiddenInput()
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def visible_fields(self):
        return [field for field in super().visible_fields() if field.name != "website"]


class MergeForm(KernForm):
    duplicate = forms.TypedChoiceField(label=_("This idea says the same as"), coerce=int)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duplicate"].choices = [(idea.pk, idea.title) for idea in candidates]


class GroupForm(KernForm):
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX)
    topic = forms.CharField(label=_("Topic"), required=False, max_length=TOPIC_MAX)
    kind = forms.ChoiceField(label=_("Kind"), choices=GroupKind.choices)
    moderator_name = forms.CharField(
        label=_("Moderator"), required=False, max_length=NAME_MAX, help_text=_("Who moderates the group.")
    )


class ModeratorForm(KernForm):
    name = forms.CharField(label=_("Name of the moderator"), required=False, max_length=NAME_MAX)


class UserChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


def leads_field(*, required: bool, help_text: str = "") -> UserChoiceField:
    return UserChoiceField(
        label=_("Leads"),
        help_text=help_text,
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        required=required,
        widget=forms.CheckboxSelectMultiple,
    )


class WorkingGroupForm(KernForm):
    title = forms.CharField(label=_("Title"), max_length=WORKING_GROUP_TITLE_MAX)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=DESCRIPTION_MAX, widget=forms.Textarea
    )
    leads = leads_field(required=False, help_text=_("You lead the group yourself; choose who leads it with you."))


class LeadsForm(KernForm):
    leads = leads_field(required=True)


class BacklogItemForm(KernForm):
    title = forms.CharField(label=_("Title of the backlog item"), max_length=ITEM_TITLE_MAX)
    ideas = forms.TypedMultipleChoiceField(
        label=_("Made from these ideas"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, ideas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ideas"].choices = [(idea.pk, f"{idea.title} ({idea.origin_label})") for idea in ideas]


class ItemUpdateForm(KernForm):
    status = forms.ChoiceField(label=_("Status"), choices=BacklogStatus.choices)
    position = forms.IntegerField(label=_("Position"), min_value=1)
    public_note = forms.CharField(
        label=_("Public note"), required=False, max_length=LONG_TEXT_MAX, widget=forms.Textarea
    )
    rejection_reason = forms.CharField(
        label=_("Reason for rejection"),
        required=False,
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea,
        help_text=_("Needed when the item is rejected; shown publicly."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("public_note", "rejection_reason"):
            self.fields[name].widget.attrs["rows"] = 2
        self.fields["position"].widget.attrs["class"] = "kern-form-input__input--width-4"


class MoveItemForm(KernForm):
    """A move on the backlog board: the new status; a rejection needs its reason, shown publicly."""

    status = forms.ChoiceField(choices=BacklogStatus.choices, widget=forms.HiddenInput)
    rejection_reason = forms.CharField(
        label=_("Reason for rejection"),
        required=False,
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown publicly with the item."),
    )


class RejectItemForm(MoveItemForm):
    """The move to "rejected": its reason is asked for in the field (the service insists too)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rejection_reason"].required = True


class VotingForm(KernForm):
    dots_per_voter = forms.IntegerField(
        label=_("Dots per person"),
        min_value=0,
        max_value=MAX_DOTS_PER_VOTER,
        help_text=_("Each participant (registration or device) may give this many dots. 0 turns voting off."),
    )


class RewordForm(KernForm):
    title = forms.CharField(label=_("The idea in a few words"), max_length=TITLE_MAX)
    text = forms.CharField(label=_("More detail"), required=False, max_length=TEXT_MAX, widget=forms.Textarea)
    approve = forms.BooleanField(label=_("Approve it with this wording"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].widget.attrs["rows"] = 3


class ModerationModeForm(KernForm):
    mode = forms.ChoiceField(label=_("Ideas from tables and the live channel"), choices=ModerationMode.choices)
