"""The team's live desk (capability `moderate`: moderators and organisers of the event): the
questions waiting for approval, the open ones (show on the wall, answer, hide), the polls
(prepare, open, close), and the protocol with its CSV."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from events.access import Capability, organiser_page
from events.models import Event
from live import exports, queries, services
from live.forms import AnswerForm, HideForm, PollForm
from live.models import Poll, Question


def desk_url(event: Event, anchor: str = "") -> str:
    return reverse("live:desk", args=[event.slug]) + (f"#{anchor}" if anchor else "")


def render_desk(
    request, event: Event, *, poll_form=None, failed=None, answer_form=None, reason_form=None, error=None, status=200
):
    questions = Question.objects.filter(event=event)
    context = {
        "event": event,
        "pending": list(queries.pending_questions(event)),
        "current": queries.current_question(event),
        "open_questions": list(questions.open().order_by("-votes", "created_at", "pk")),
        "answered": list(questions.public().filter(answered_at__isnull=False).order_by("-answered_at", "-pk")),
        "polls": list(Poll.objects.filter(event=event).prefetch_related("options").order_by("-created_at", "-pk")),
        "poll_form": poll_form or PollForm(),
        "failed": failed,
        "answer_form": answer_form,
        "reason_form": reason_form,
        "error": error,
    }
    return render(request, "live/desk.html", context, status=status)


@organiser_page(Capability.MODERATE)
def desk(request, event: Event):
    return render_desk(request, event)


def _question(event: Event, question_id: int) -> Question:
    return get_object_or_404(Question.objects.select_related("event"), pk=question_id, event=event)


def _decide(request, event: Event, question_id: int, decide, done: str):
    question = _question(event, question_id)
    try:
        decide(question, actor=request.user, now=timezone.now())
    except DomainError as error:
        return render_desk(request, event, failed=question.pk, error=error, status=error.status)
    messages.success(request, done)
    return redirect(desk_url(event, "questions"))


@require_POST
@organiser_page(Capability.MODERATE)
def approve(request, event: Event, question_id: int):
    return _decide(request, event, question_id, services.approve_question, _("The question is approved."))


@require_POST
@organiser_page(Capability.MODERATE)
def hide(request, event: Event, question_id: int):
    done = _("The question is hidden.")
    return _decide_in_words(request, event, question_id, HideForm, services.hide_question, "reason", done=done)


@require_POST
@organiser_page(Capability.MODERATE)
def show(request, event: Event, question_id: int):
    return _decide(request, event, question_id, services.show_question, _("The question is on the wall."))


@require_POST
@organiser_page(Capability.MODERATE)
def answer(request, event: Event, question_id: int):
    done = _("The question is marked as answered.")
    return _decide_in_words(request, event, question_id, AnswerForm, services.answer_question, "answer", done=done)


def _decide_in_words(request, event: Event, question_id: int, form_class, decide, field: str, *, done: str):
    """A decision that takes one text, the form's `field` (the reason for hiding, the panel's
    answer): a refusal, the form's or the service's, is shown at its field under the question,
    what was typed kept. The desk shows it again as `<field>_form` (`reason_form`, `answer_form`)."""
    question = _question(event, question_id)
    form = form_class(request.POST)
    status, error = 422, None
    if form.is_valid():
        try:
            decide(question, form.cleaned_data[field], actor=request.user, now=timezone.now())
        except DomainError as refused:
            form.add_service_error(refused)
            status, error = refused.status, refused
        else:
            messages.success(request, done)
            return redirect(desk_url(event, "questions"))
    return render_desk(request, event, failed=question.pk, error=error, status=status, **{f"{field}_form": form})


@require_POST
@organiser_page(Capability.MODERATE)
def new_poll(request, event: Event):
    form = PollForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.create_poll(
                event,
                data["question"],
                data["kind"],
                data["options"].splitlines(),
                actor=request.user,
                now=timezone.now(),
            )
        except DomainError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The poll is prepared. Open it when the room is ready."))
            return redirect(desk_url(event, "polls"))
    return render_desk(request, event, poll_form=form, status=422)


def _poll_change(request, event: Event, poll_id: int, change, done: str):
    poll = get_object_or_404(Poll.objects.select_related("event"), pk=poll_id, event=event)
    try:
        change(poll, actor=request.user, now=timezone.now())
    except DomainError as error:
        return render_desk(request, event, error=error, status=error.status)
    messages.success(request, done)
    return redirect(desk_url(event, "polls"))


@require_POST
@organiser_page(Capability.MODERATE)
def open_poll(request, event: Event, poll_id: int):
    return _poll_change(request, event, poll_id, services.open_poll, _("The poll is open."))


@require_POST
@organiser_page(Capability.MODERATE)
def close_poll(request, event: Event, poll_id: int):
    return _poll_change(request, event, poll_id, services.close_poll, _("The poll is closed."))


@organiser_page(Capability.MODERATE)
def protocol(request, event: Event):
    context = {"event": event, **exports.protocol(event)}
    return render(request, "live/protocol.html", context)


@organiser_page(Capability.MODERATE)
def protocol_csv(request, event: Event):
    response = HttpResponse(exports.protocol_csv(event), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="live-{event.slug}.csv"'
    return response
