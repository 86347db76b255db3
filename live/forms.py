"""HTML forms of live participation (questions are asked through the live channel's form,
ideas/forms.py). They check types and sizes for the browser; the rules live
in live/services.py, whose errors are shown on the field they name."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import KernForm
from live.models import PollKind
from live.services import ANSWER_MAX, POLL_QUESTION_MAX, REASON_MAX


class HideForm(KernForm):
    reason = forms.CharField(
        label=_("Reason for hiding"),
        help_text=_("The asker is told, if they left an address."),
        max_length=REASON_MAX,
        widget=forms.Textarea,
        error_messages={"required": _("Please say why the question is hidden.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].widget.attrs["rows"] = 2


class PollForm(KernForm):
    question = forms.CharField(label=_("Question of the poll"), max_length=POLL_QUESTION_MAX)
    kind = forms.ChoiceField(label=_("Kind"), choices=PollKind.choices, widget=forms.RadioSelect, initial="single")
    options = forms.CharField(
        label=_("Answers, one per line"),
        required=False,
        widget=forms.Textarea,
        help_text=_("Not needed for a scale from 1 to 5."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["options"].widget.attrs["rows"] = 4


class AnswerForm(KernForm):
    answer = forms.CharField(
        label=_("The panel’s answer (for the protocol)"),
        help_text=_(
            "Shown with the question on the questions page; the asker gets it by mail, if they left an address."
        ),
        required=False,
        max_length=ANSWER_MAX,
        widget=forms.Textarea,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].widget.attrs["rows"] = 2
