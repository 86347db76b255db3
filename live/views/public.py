"""The participants' pages (no account): the live page beside the livestream (the current
question, the running poll to answer, the approved ideas), the questions to the panel (upvote;
they are asked through the live channel, live/views/channel.py), the panel's screen, the state
document the screens poll, and the personal link that makes a registration one participant on
every device.

A participant is the registration of the personal link opened in this browser (a signed cookie
per event), otherwise the device (core/devices.py). The device cookie is set on the first page
shown; a vote without it (cookies off, or a forged cookie) is refused."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.devices import device_id, new_device_id, remember_device
from core.errors import DomainError
from core.ratelimit import check_rate, check_request_rate
from events.models import Event
from ideas.views.public import visible_event
from live import queries, services, state
from live.models import Participant, PollBallot, PollKind, Question, QuestionVote
from registrations.links import manage_token, registration_for_token
from registrations.models import Status

# A registration's personal link to the live pages: made like the manage link (revoking the one
# revokes the other), with a salt of its own so that it opens these pages and nothing else.
LIVE_LINK_SALT = "stadtdialog.live.personal-link"
PERSON_COOKIE_SALT = "stadtdialog.live.person"
POLL_SECONDS = 2
# The question's value among the live channel's kinds (live/views/channel.py), also in its links.
QUESTION_KIND = "question"


def person_cookie(event: Event) -> str:
    return f"stadtdialog_live_{event.pk}"


def live_token(registration) -> str:
    return manage_token(registration, salt=LIVE_LINK_SALT)


class Visitor:
    """Who is asking, found lazily: reading a page needs no participant row."""

    def __init__(self, request, event: Event):
        self.request, self.event = request, event
        self.participant_id = request.get_signed_cookie(person_cookie(event), default=None, salt=PERSON_COOKIE_SALT)
        self.device = device_id(request)
        self._participant = None

    def known(self) -> Participant | None:
        if self._participant is None:
            if self.participant_id is not None:
                self._participant = Participant.objects.filter(
                    pk=self.participant_id, event=self.event, registration__isnull=False
                ).first()
            if self._participant is None and self.device is not None:
                self._participant = Participant.objects.filter(
                    event=self.event, device_hash=services.device_hash(self.device)
                ).first()
        return self._participant

    def for_change(self) -> Participant:
        participant = self.known()
        if participant is not None:
            return participant
        if self.device is None:
            raise DomainError(
                "device_unknown",
                _(
                    "Your device could not be recognised, so nothing was saved. Please allow cookies for this "
                    "page and load it again."
                ),
            )
        self._participant = services.participant_for_device(self.event, self.device, now=timezone.now())
        return self._participant

    def check_flood(self, purpose: str) -> None:
        check_request_rate(f"{purpose}_client", self.request)
        if self.device is not None:
            check_rate(purpose, f"device:{services.device_hash(self.device)}")

    def remembered(self, response):
        """A new browser gets its device cookie with the first page."""
        if self.device is None and self.participant_id is None:
            remember_device(response, new_device_id())
        response["Cache-Control"] = "no-store"
        return response


def live_page(request, slug: str):
    event = visible_event(request, slug)
    visitor = Visitor(request, event)
    poll = queries.running_poll(event)
    participant = visitor.known()
    answered = (
        poll is not None
        and participant is not None
        and PollBallot.objects.filter(poll=poll, participant=participant).exists()
    )
    context = {
        "event": event,
        "question": queries.current_question(event),
        "poll": poll,
        "results": queries.results(poll) if poll and answered else None,
        "answered": answered,
        "state_url": reverse("live:state", args=[event.slug]),
        "poll_seconds": POLL_SECONDS,
        "ideas_html": state.ideas_html(event),
    }
    return visitor.remembered(render(request, "live/live_page.html", context))


def questions_page(request, slug: str):
    """The approved questions, to vote for; they are asked through the live channel (/mit/<code>/)."""
    event = visible_event(request, slug)
    visitor = Visitor(request, event)
    order = request.GET.get("order") if request.GET.get("order") in queries.ORDERS else "votes"
    participant = visitor.known()
    voted = set()
    if participant is not None:
        voted = set(QuestionVote.objects.filter(participant=participant).values_list("question_id", flat=True))
    questions = list(queries.public_questions(event, order=order))
    for question in questions:
        question.voted = question.pk in voted
    context = {"event": event, "questions": questions, "order": order, "ask_url": ask_url(event)}
    return visitor.remembered(render(request, "live/questions.html", context))


def ask_url(event: Event) -> str:
    """Where a question is asked: the event's live channel, with the question chosen."""
    return reverse("ideas:live", args=[event.live_code]) + f"?kind={QUESTION_KIND}"


@require_POST
def upvote(request, slug: str, question_id: int):
    event = visible_event(request, slug)
    visitor = Visitor(request, event)
    question = get_object_or_404(Question.objects.select_related("event"), pk=question_id, event=event)
    try:
        visitor.check_flood("live_vote")
        services.upvote(question, participant=visitor.for_change(), now=timezone.now())
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your vote is counted."))
    order = request.POST.get("order") if request.POST.get("order") in queries.ORDERS else "votes"
    return redirect(f"{reverse('live:questions', args=[event.slug])}?order={order}#question-{question.pk}")


@require_POST
def answer_poll(request, slug: str, poll_id: int):
    event = visible_event(request, slug)
    visitor = Visitor(request, event)
    poll = get_object_or_404(event.live_polls.all(), pk=poll_id)
    try:
        visitor.check_flood("live_vote")
        chosen = request.POST.getlist("options") if poll.kind == PollKind.MULTIPLE else [request.POST.get("option", "")]
        services.answer_poll(poll, [c for c in chosen if c], participant=visitor.for_change(), now=timezone.now())
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Thank you! Your answer is counted."))
    return redirect(reverse("live:page", args=[event.slug]) + "#poll")


@require_GET
def state_document(request, slug: str):
    """The screens' state, from the cache; `304 Not Modified` when the screen has it already."""
    found = state.document(slug, translation.get_language() or "de")
    if found is None:
        return JsonResponse({"code": "not_found", "detail": _("This event does not exist.")}, status=404)
    if request.headers.get("If-None-Match") == found.etag:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(found.body, content_type="application/json")
    response["ETag"] = found.etag
    response["Cache-Control"] = "no-cache"
    return response


def panel(request, slug: str):
    """The panel's screen: the current question and the next ones, large, nothing to click."""
    event = visible_event(request, slug)
    context = {
        "event": event,
        "question": queries.current_question(event),
        "next_questions": queries.next_questions(event, limit=state.NEXT_QUESTIONS),
        "state_url": reverse("live:state", args=[event.slug]),
        "poll_seconds": POLL_SECONDS,
    }
    return render(request, "live/panel.html", context)


def personal_link(request, token: str):
    """A registration's live link: this browser takes part as that registration from now on."""
    registration = registration_for_token(token, now=timezone.now(), salt=LIVE_LINK_SALT)
    if registration is None or registration.status != Status.CONFIRMED or registration.event.status == "draft":
        return render(request, "live/invalid_link.html", status=404)
    participant = services.participant_for_registration(registration, now=timezone.now())
    response = redirect(reverse("live:page", args=[registration.event.slug]))
    response.set_signed_cookie(
        person_cookie(registration.event),
        participant.pk,
        salt=PERSON_COOKIE_SALT,
        max_age=14 * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    response["X-Robots-Tag"] = "noindex"
    return response


def personal_section(request, registration, *, now) -> str:
    """The live link on a confirmed registrant's personal page, until shortly after the event."""
    if registration.status != Status.CONFIRMED or now > registration.event.ends_at + services.ACCESS_AFTER_EVENT:
        return ""
    path = reverse("live:personal", args=[live_token(registration)])
    return render_to_string("live/_personal_section.html", {"path": path}, request=request)
