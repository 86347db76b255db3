"""The survey after an event: its questions, the invitations mailed to those who came, and the
anonymous answers (docs/reports.md).

- Invited are the registrations of the event that came (checked in on site, or joined the Zoom
  meeting), have an address, and agreed at registration to a feedback request (a consent record of
  kind "feedback", not withdrawn).
- Sending is idempotent: the survey row is locked, each registration has at most one invitation
  (a unique index), and only those without one are invited. Twice pressed, mailed once.
- Each invitation has a random single-use token; only its SHA-256 is stored. Answering marks the
  invitation used by a conditional UPDATE and stores the answers in the same transaction, with no
  column that leads back to the invitation.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.errors import DomainError
from events.access import Capability, ensure
from events.models import Event, EventStatus
from events.services import record_audit
from registrations.models import ConsentKind, MailKind, Registration, Status
from registrations.outbox.queue import new_mail, queue_many
from reports.models import Answer, Invitation, Question, QuestionKind, Response, Survey

TOKEN_BYTES = 32
MAX_QUESTIONS = 10
MAX_TEXT_ANSWER = 2000

# Used when organisers define no questions of their own.
DEFAULT_QUESTIONS = (
    (
        QuestionKind.RATING,
        "Wie zufrieden waren Sie mit der Veranstaltung insgesamt?",
        "How satisfied were you with the event overall?",
        "",
        "",
    ),
    (
        QuestionKind.CHOICE,
        "Wie haben Sie teilgenommen?",
        "How did you take part?",
        "vor Ort\nonline",
        "on site\nonline",
    ),
    (
        QuestionKind.RATING,
        "Wie gut konnten Sie Ihre Anliegen einbringen?",
        "How well could you contribute your concerns?",
        "",
        "",
    ),
    (
        QuestionKind.TEXT,
        "Was sollen wir beim nächsten Mal besser machen?",
        "What should we do better next time?",
        "",
        "",
    ),
)


@dataclass(frozen=True)
class QuestionData:
    kind: str
    text_de: str
    text_en: str = ""
    choices_de: str = ""
    choices_en: str = ""
    required: bool = False


@dataclass(frozen=True)
class SendOutcome:
    invited: int
    already_invited: int
    attended_without_consent: int


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def survey_of(event: Event) -> Survey | None:
    return Survey.objects.filter(event=event).first()


def _survey_for_change(event: Event, *, actor, now: datetime) -> Survey:
    """The event's survey, locked; created on first use."""
    Survey.objects.get_or_create(event=event, defaults={"created_at": now, "created_by": actor})
    return Survey.objects.select_for_update().get(event=event)


def _refuse_once_sent(survey: Survey) -> None:
    if survey.invitations.exists():
        raise DomainError(
            "survey_sent", _("The survey has been sent already; its questions can no longer change."), status=409
        )


def add_question(event: Event, data: QuestionData, *, actor, now: datetime) -> Question:
    ensure(actor, event, Capability.MANAGE)
    with transaction.atomic():
        survey = _survey_for_change(event, actor=actor, now=now)
        _refuse_once_sent(survey)
        count = survey.questions.count()
        if count >= MAX_QUESTIONS:
            raise DomainError(
                "too_many_questions",
                _("A survey has at most %(count)s questions, so that it stays short.") % {"count": MAX_QUESTIONS},
            )
        problem = question_problem(data)
        if problem:
            raise DomainError("invalid_question", problem, field="choices_de")
        question = Question.objects.create(survey=survey, position=count + 1, **data.__dict__)
        record_audit(
            "survey.question_added", actor=actor, now=now, event=event, target=question, data={"kind": data.kind}
        )
    return question


def question_problem(data: QuestionData) -> str:
    german = [line for line in data.choices_de.splitlines() if line.strip()]
    english = [line for line in data.choices_en.splitlines() if line.strip()]
    if data.kind != QuestionKind.CHOICE:
        return _("Only questions with one choice of several have options.") if german or english else ""
    if len(german) < 2:
        return _("Give at least two options, one a line.")
    if len(set(german)) != len(german):
        return _("Each option may appear only once.")
    if english and len(english) != len(german):
        return _("Give as many English options as German ones, in the same order, or none.")
    if any(len(line.strip()) > 200 for line in german):
        return _("An option has at most 200 characters.")
    return ""


def remove_question(event: Event, question_id: int, *, actor, now: datetime) -> None:
    ensure(actor, event, Capability.MANAGE)
    with transaction.atomic():
        survey = _survey_for_change(event, actor=actor, now=now)
        _refuse_once_sent(survey)
        deleted, _rows = Question.objects.filter(survey=survey, pk=question_id).delete()
        if not deleted:
            raise DomainError("not_found", _("Not found."), status=404)
        record_audit(
            "survey.question_removed", actor=actor, now=now, event=event, target=survey, data={"question": question_id}
        )


def _with_default_questions(survey: Survey) -> None:
    if not survey.questions.exists():
        Question.objects.bulk_create(
            Question(survey=survey, position=index, kind=kind, text_de=de, text_en=en, choices_de=cde, choices_en=cen)
            for index, (kind, de, en, cde, cen) in enumerate(DEFAULT_QUESTIONS, start=1)
        )


def attendees(event: Event):
    """Registrations of the event that came, on site or online."""
    came = Q(checked_in_at__isnull=False) | Q(zoom_attendance__isnull=False)
    return Registration.objects.filter(came, event=event).exclude(status=Status.CANCELLED).distinct()


def agreeing(registrations):
    """Those of the registrations that agreed to a feedback request and have not withdrawn it."""
    return registrations.filter(consents__kind=ConsentKind.FEEDBACK, consents__withdrawn_at__isnull=True)


def audience(event: Event) -> tuple[int, int]:
    """How many came, and how many of them agreed to a feedback request."""
    came = attendees(event)
    return came.count(), agreeing(came).count()


def send_invitations(event: Event, *, actor, now: datetime) -> SendOutcome:
    """Mail the survey link to everyone who came and agreed to it; those invited before are left
    alone. Only after the event, and not for a cancelled one."""
    if actor is not None:
        ensure(actor, event, Capability.MANAGE)
    if now < event.ends_at:
        raise DomainError("event_not_over", _("The survey can be sent only after the event has ended."), status=409)
    if event.status in (EventStatus.CANCELLED, EventStatus.DRAFT, EventStatus.POSTPONED):
        raise DomainError("event_not_held", _("This event did not take place; there is nobody to ask."), status=409)
    with transaction.atomic():
        survey = _survey_for_change(event, actor=actor, now=now)
        _with_default_questions(survey)
        came, agreed = audience(event)
        reachable = agreeing(attendees(event)).filter(personal_data_erased_at__isnull=True).exclude(email="")
        already = Invitation.objects.filter(survey=survey).count()
        to_invite = list(reachable.filter(feedback_invitation__isnull=True).order_by("pk"))
        invitations, mails = [], []
        for registration in to_invite:
            token = secrets.token_urlsafe(TOKEN_BYTES)
            invitations.append(
                Invitation(survey=survey, registration=registration, token_digest=token_digest(token), sent_at=now)
            )
            mails.append(invitation_mail(event, registration, token, now=now))
        Invitation.objects.bulk_create(invitations)
        queue_many(mails)
        outcome = SendOutcome(len(invitations), already, came - agreed)
        record_audit(
            "survey.sent",
            actor=actor,
            label="" if actor else "system",
            now=now,
            event=event,
            target=survey,
            data={"invited": outcome.invited, "already": outcome.already_invited},
        )
    return outcome


def invitation_mail(event: Event, registration: Registration, token: str, *, now: datetime):
    with translation.override(registration.language):
        url = settings.SITE_URL + reverse("reports:answer", args=[token])
    return new_mail(
        event,
        MailKind.FEEDBACK_REQUEST,
        to=registration.email,
        language=registration.language,
        now=now,
        registration=registration,
        facts={"survey_url": url},
    )


class InvalidLink(DomainError):
    status = 404

    def __init__(self):
        super().__init__(
            "invalid_survey_link", _("This survey link is not valid. Please use the link from our e-mail.")
        )


class LinkUsed(DomainError):
    status = 410

    def __init__(self):
        super().__init__("survey_answered", _("This survey has been answered with this link already. Thank you!"))


def invitation_for(token: str) -> Invitation:
    """The invitation behind a link; forged and used links are refused alike by what they are."""
    if not token or len(token) > 100:
        raise InvalidLink()
    invitation = Invitation.objects.select_related("survey__event").filter(token_digest=token_digest(token)).first()
    if invitation is None:
        raise InvalidLink()
    if invitation.used:
        raise LinkUsed()
    return invitation


def submit_answers(token: str, answers: dict[int, object], *, now: datetime) -> Response:
    """Store one person's answers, once. `answers` maps question ids to a rating (1–5), an option
    (its stored German value) or a text; what does not fit a question is refused, nothing stored."""
    invitation = invitation_for(token)
    survey = invitation.survey
    questions = list(survey.questions.all())
    rows = [answer_row(question, answers.get(question.pk)) for question in questions]
    with transaction.atomic():
        if not Invitation.objects.filter(pk=invitation.pk, used=False).update(used=True):
            raise LinkUsed()
        response = Response.objects.create(survey=survey, submitted_on=now.date())
        for row in rows:
            if row is not None:
                row.response = response
        Answer.objects.bulk_create([row for row in rows if row is not None])
    return response


def answer_row(question: Question, value) -> Answer | None:
    if value in (None, ""):
        if question.required:
            raise DomainError("answer_required", _("Please answer this question."), field=f"q{question.pk}")
        return None
    if question.kind == QuestionKind.RATING:
        try:
            rating = int(value)
        except (TypeError, ValueError):
            rating = 0
        if not 1 <= rating <= 5:
            raise DomainError("invalid_rating", _("Choose a rating from 1 to 5."), field=f"q{question.pk}")
        return Answer(question=question, rating=rating)
    if question.kind == QuestionKind.CHOICE:
        if value not in {stored for stored, _label in question.options()}:
            raise DomainError("invalid_choice", _("Choose one of the options."), field=f"q{question.pk}")
        return Answer(question=question, choice=value)
    text = str(value).strip()
    if len(text) > MAX_TEXT_ANSWER:
        raise DomainError(
            "answer_too_long",
            _("Please write at most %(count)s characters.") % {"count": MAX_TEXT_ANSWER},
            field=f"q{question.pk}",
        )
    return Answer(question=question, text=text) if text else None


def send_due_invitations(*, now: datetime, after: timedelta, within: timedelta) -> dict[str, SendOutcome]:
    """The scheduled sending: for every held event that ended between `within` and `after` ago
    and whose organisers wrote a survey, invite whoever came and has no link yet."""
    events = Event.objects.filter(
        status=EventStatus.PUBLISHED,
        ends_at__lte=now - after,
        ends_at__gt=now - within,
        survey__questions__isnull=False,
    ).distinct()
    return {event.slug: send_invitations(event, actor=None, now=now) for event in events.order_by("ends_at", "pk")}
