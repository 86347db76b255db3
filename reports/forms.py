from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DayInput, KernForm
from reports.feedback.services import MAX_TEXT_ANSWER, QuestionData
from reports.models import Question, QuestionKind

MAX_PERIOD_DAYS = 3 * 366
DEFAULT_PERIOD_DAYS = 90


class PeriodForm(KernForm):
    """The days whose events a report covers; a GET form, so the report can be bookmarked."""

    start = forms.DateField(label=_("From (day of the event)"), widget=DayInput())
    end = forms.DateField(label=_("Until (day of the event)"), widget=DayInput())

    def __init__(self, data=None, *, today: date):
        data = data if data and ("start" in data or "end" in data) else None
        super().__init__(data, initial={"start": today - timedelta(days=DEFAULT_PERIOD_DAYS), "end": today})

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if start > end:
                self.add_error("end", _("The last day must not be before the first day."))
            elif (end - start).days > MAX_PERIOD_DAYS:
                self.add_error("end", _("A report covers at most three years; choose a shorter period."))
        return cleaned

    def period(self) -> tuple[date, date]:
        if self.is_bound:
            return self.cleaned_data["start"], self.cleaned_data["end"]
        return self.initial["start"], self.initial["end"]


class QuestionForm(KernForm):
    kind = forms.ChoiceField(label=_("Kind of question"), choices=QuestionKind.choices, widget=forms.RadioSelect)
    text_de = forms.CharField(label=_("Question (German)"), max_length=300)
    text_en = forms.CharField(label=_("Question (English)"), max_length=300, required=False)
    choices_de = forms.CharField(
        label=_("Options (German), one a line"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only for questions with one choice of several."),
    )
    choices_en = forms.CharField(
        label=_("Options (English), one a line"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)

    service_fields = {"invalid_question": "choices_de"}

    def question_data(self) -> QuestionData:
        return QuestionData(**self.cleaned_data)


class AnswerForm(KernForm):
    """One field per question, named `q<id>`; ratings and choices as radio buttons."""

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        for question in questions:
            field = answer_field(question)
            self.fields[f"q{question.pk}"] = field
        self.questions = questions

    def answers(self) -> dict[int, object]:
        return {question.pk: self.cleaned_data.get(f"q{question.pk}") for question in self.questions}


def answer_field(question: Question) -> forms.Field:
    field = unlabelled_answer_field(question)
    field.label = f"{question.text} ({_('required')})" if question.required else question.text
    return field


def unlabelled_answer_field(question: Question) -> forms.Field:
    if question.kind == QuestionKind.RATING:
        choices = [("1", _("1 – poor")), ("2", "2"), ("3", "3"), ("4", "4"), ("5", _("5 – very good"))]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, required=question.required)
    if question.kind == QuestionKind.CHOICE:
        return forms.ChoiceField(choices=question.options(), widget=forms.RadioSelect, required=question.required)
    return forms.CharField(
        required=question.required, max_length=MAX_TEXT_ANSWER, widget=forms.Textarea(attrs={"rows": 4})
    )
