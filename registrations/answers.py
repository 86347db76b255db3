"""Answers to the event's questions and structured accessibility needs of a registration
(docs/registration-questions.md).

Registering checks them with the other refusals that need no lock (`cleaned_answers`) and writes
them in the registration's transaction (`insert_details`): one statement per table, and none at
all when a batch brings no answers and no needs, so that the rush path stays as cheap as before."""

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.rows import insert_all
from events.models import Event, Question, QuestionKind
from events.services import record_audit
from registrations.models import AccessibilityNeeds, Answer, Channel, Registration, Status

MAX_ANSWER_CHARS = 1000
MAX_CHILDREN = 20
YES, NO = "yes", "no"


@dataclass(frozen=True)
class NeedsData:
    wheelchair: bool = False
    sign_language: bool = False
    hearing_loop: bool = False
    children: int = 0
    children_ages: str = ""
    dietary: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.wheelchair or self.sign_language or self.hearing_loop or self.children or self.dietary.strip())

    @classmethod
    def of(cls, needs: AccessibilityNeeds | None) -> "NeedsData":
        if needs is None:
            return cls()
        return cls(**{field.name: getattr(needs, field.name) for field in fields(cls)})


NO_NEEDS = NeedsData()


@dataclass(frozen=True)
class Details:
    """What a registrant said beyond name and seat: answers by question id, and needs."""

    answers: dict[int, str]
    needs: NeedsData


def invalid_answer(question_id, message: str) -> DomainError:
    return DomainError("invalid_answer", message, status=422, field=f"answers.{question_id}")


# Channels that do not show the organisers' questions: required answers are asked for afterwards.
CHANNELS_WITHOUT_QUESTIONS = {Channel.EMAIL, Channel.DOOR}


def cleaned_answers(event: Event, given: Mapping, *, channel: str) -> dict[int, str]:
    """The answers as stored (question id → text), or a DomainError: `invalid_answer` for an
    unknown question, a wrong type or a choice not offered; `answer_required` for a required
    question left out. A registration by e-mail cannot answer, nor can a walk-in at a busy door, so
    they may leave them out: the confirmation asks for them (docs/email-intake.md)."""
    if not given and not event.asks_questions:
        return {}
    questions = {question.pk: question for question in event.registration_questions()}
    by_id = {}
    for key, value in given.items():
        try:
            question = questions[int(key)]
        except (KeyError, TypeError, ValueError):
            raise invalid_answer(key, _("This event asks no such question.")) from None
        by_id[question.pk] = value
    answers = {}
    for question in questions.values():
        value = answer_value(question, by_id.get(question.pk))
        if value:
            answers[question.pk] = value
        elif question.required and channel not in CHANNELS_WITHOUT_QUESTIONS:
            raise DomainError(
                "answer_required",
                _("Please answer: %(question)s") % {"question": question.label},
                status=422,
                field=f"answers.{question.pk}",
            )
    return answers


def answer_value(question: Question, value) -> str:
    """One answer as stored; "" for no answer."""
    if value is None or value == "":
        return ""
    if question.kind == QuestionKind.YES_NO:
        if isinstance(value, bool):
            return YES if value else NO
        if value in (YES, NO):
            return value
        raise invalid_answer(question.pk, _("Please answer yes or no: %(question)s") % {"question": question.label})
    if not isinstance(value, str):
        raise invalid_answer(question.pk, _("Please answer with a text: %(question)s") % {"question": question.label})
    if question.kind == QuestionKind.CHOICE:
        choice = question.choice_for(value)
        if choice is None:
            raise invalid_answer(
                question.pk, _("Please choose one of the choices offered: %(question)s") % {"question": question.label}
            )
        return choice
    value = value.strip()
    if len(value) > MAX_ANSWER_CHARS:
        raise invalid_answer(
            question.pk,
            _("An answer has at most %(count)s characters: %(question)s")
            % {"count": MAX_ANSWER_CHARS, "question": question.label},
        )
    return value


def check_needs(needs: NeedsData | None) -> None:
    if needs is None:
        return

    def invalid(field: str, message: str) -> DomainError:
        return DomainError("invalid_need", message, status=422, field=f"accessibility.{field}")

    if not isinstance(needs.children, int) or not 0 <= needs.children <= MAX_CHILDREN:
        raise invalid("children", _("Please give a number of children from 0 to %(max)s.") % {"max": MAX_CHILDREN})
    if needs.children_ages.strip() and not needs.children:
        raise invalid("children", _("Please give the number of children for the childcare."))
    if len(needs.children_ages) > 100:
        raise invalid("children_ages", _("At most 100 characters."))
    if len(needs.dietary) > 300:
        raise invalid("dietary", _("At most 300 characters."))


def check_details(event: Event, answers: Mapping, needs: NeedsData | None, *, channel: str) -> None:
    cleaned_answers(event, answers, channel=channel)
    check_needs(needs)


def insert_details(event: Event, given: list[tuple[Registration, Mapping, NeedsData | None, str]]) -> None:
    """Write the answers and needs of new registrations (inserted already, in the same
    transaction): (registration, answers, needs, channel) each. One statement per table, and
    none when there are no answers and no needs."""
    answers, needs = [], []
    for registration, given_answers, given_needs, channel in given:
        stored = cleaned_answers(event, given_answers, channel=channel) if given_answers else {}
        answers += [Answer(registration=registration, question_id=pk, value=value) for pk, value in stored.items()]
        kept = given_needs if given_needs is not None and not given_needs.is_empty else None
        if kept is not None:
            needs.append(_needs_row(registration, kept))
        registration.__dict__["_details"] = Details(stored, kept or NO_NEEDS)
    insert_all(answers)
    insert_all(needs)


def _needs_row(registration: Registration, needs: NeedsData) -> AccessibilityNeeds:
    values = {field.name: getattr(needs, field.name) for field in fields(NeedsData)}
    values["children_ages"] = values["children_ages"].strip() if needs.children else ""
    values["dietary"] = values["dietary"].strip()
    return AccessibilityNeeds(registration=registration, **values)


def details_of(registration: Registration) -> Details:
    """The answers and needs of a registration (known without a query right after registering)."""
    if "_details" not in registration.__dict__:
        asks = registration.event.asks_questions  # answers go with their questions
        answers = dict(registration.answers.values_list("question_id", "value")) if asks else {}
        needs = AccessibilityNeeds.objects.filter(registration=registration).first()
        registration.__dict__["_details"] = Details(answers, NeedsData.of(needs))
    return registration.__dict__["_details"]


def unanswered_required(registration: Registration) -> list[Question]:
    """Required questions this registrant has not answered (one registered by e-mail, or the
    question came later)."""
    required = [question for question in registration.event.registration_questions() if question.required]
    if not required:
        return []
    answered = details_of(registration).answers
    return [question for question in required if question.pk not in answered]


def change_details(
    registration: Registration, answers: Mapping, needs: NeedsData, *, actor, now: datetime
) -> Registration:
    """The registrant (through the personal link) or an organiser changes answers and needs.
    Required questions must be answered now, whatever the channel was."""
    if registration.status == Status.CANCELLED or registration.event.ends_at <= now:
        raise DomainError("not_changeable", _("This registration can no longer be changed."), status=409)
    stored = cleaned_answers(registration.event, answers, channel=Channel.WEB)
    check_needs(needs)
    with transaction.atomic():
        Registration.objects.select_for_update().filter(pk=registration.pk).first()
        Answer.objects.filter(registration=registration).delete()
        AccessibilityNeeds.objects.filter(registration=registration).delete()
        registration.__dict__.pop("_details", None)
        insert_details(registration.event, [(registration, stored, needs, Channel.WEB)])
        record_audit(
            "registration.details_changed",
            actor=actor,
            label="" if actor else registration.name,
            now=now,
            event=registration.event,
            target=registration,
            data={"via": "organiser" if actor else "citizen"},
        )
    return registration
