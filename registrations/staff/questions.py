"""The organiser page of an event's registration questions: list, add, change, order, remove.

Guarded like every organiser page of an event (registrations/staff/views.py): login, and the
event's team only; other teams get 404. Changes go through `events.questions`."""

from functools import partial

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.errors import DomainError, ValidationFailed
from core.forms import KernForm
from events import questions
from events.access import Capability, organiser_page
from events.models import Event, Question, QuestionKind
from registrations.staff.views import render_with_form


class QuestionForm(KernForm):
    label_de = forms.CharField(label=gettext_lazy("Question (German)"), max_length=300)
    label_en = forms.CharField(
        label=gettext_lazy("Question (English)"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Empty: English readers see the German question."),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of answer"), choices=QuestionKind.choices, widget=forms.RadioSelect
    )
    choices_de = forms.CharField(
        label=gettext_lazy("Choices (German)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Only for a single choice: one choice per line, at least two."),
    )
    choices_en = forms.CharField(
        label=gettext_lazy("Choices (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("The same choices in the same order, or empty."),
    )
    required = forms.BooleanField(label=gettext_lazy("An answer is required"), required=False)

    def question_data(self) -> questions.QuestionData:
        data = self.cleaned_data
        return questions.QuestionData(
            kind=data["kind"],
            label_de=data["label_de"],
            label_en=data["label_en"],
            choices_de=questions.lines(data["choices_de"]),
            choices_en=questions.lines(data["choices_en"]),
            required=data["required"],
        )

    def add_refusal(self, refusal: DomainError) -> None:
        errors = refusal.errors if isinstance(refusal, ValidationFailed) else {refusal.field or "": [refusal]}
        for field, problems in errors.items():
            for problem in problems:
                self.add_error(field if field in self.fields else None, problem.message)


def initial_of(question: Question) -> dict:
    return {name: getattr(question, name) for name in QuestionForm.base_fields}


def managed_question(event: Event, pk: int) -> Question:
    return get_object_or_404(Question, pk=pk, event=event)


def saved(request, form: QuestionForm, save, done: str) -> bool:
    """Run `save(question data)` for a valid POST; a refusal goes into the form."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save(form.question_data())
    except DomainError as refusal:
        form.add_refusal(refusal)
        return False
    messages.success(request, done)
    return True


@organiser_page(Capability.MANAGE)
def question_list(request, event):
    form = QuestionForm(request.POST if request.method == "POST" else None, initial={"kind": QuestionKind.TEXT})
    add = partial(questions.add_question, event, actor=request.user, now=timezone.now())
    if saved(request, form, add, _("The question is added.")):
        return redirect("staff:questions", event.slug)
    return render_with_form(
        request,
        "registrations/staff/questions.html",
        {"event": event, "section": "questions", "questions": list(event.questions.all()), "form": form},
        form,
    )


@organiser_page(Capability.MANAGE)
def question_edit(request, event, pk):
    question = managed_question(event, pk)
    form = QuestionForm(request.POST if request.method == "POST" else None, initial=initial_of(question))
    update = partial(questions.update_question, question, actor=request.user, now=timezone.now())
    if saved(request, form, update, _("The question is saved.")):
        return redirect("staff:questions", event.slug)
    return render_with_form(
        request,
        "registrations/staff/question_edit.html",
        {"event": event, "section": "questions", "question": question, "form": form},
        form,
    )


@require_POST
@organiser_page(Capability.MANAGE)
def question_move(request, event, pk):
    question = managed_question(event, pk)
    by = {"up": -1, "down": 1}.get(request.POST.get("direction"))
    if by is not None:
        questions.move_question(question, by=by, actor=request.user, now=timezone.now())
    return redirect("staff:questions", event.slug)


@require_POST
@organiser_page(Capability.MANAGE)
def question_delete(request, event, pk):
    question = managed_question(event, pk)
    questions.remove_question(question, actor=request.user, now=timezone.now())
    messages.success(request, _("The question and its answers are removed."))
    return redirect("staff:questions", event.slug)
