"""The questions organisers ask everyone who registers for an event (docs/registration-questions.md).

Every change keeps `Event.asks_questions` true exactly while the event has questions, so that
registering for an event without questions reads none (the rush path)."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from core.errors import DomainError, ValidationFailed
from events.models import Event, Question, QuestionKind
from events.services import record_audit

MAX_CHOICES = 20
MAX_QUESTIONS = 30


@dataclass(frozen=True)
class QuestionData:
    kind: str
    label_de: str
    label_en: str = ""
    choices_de: tuple[str, ...] = ()
    choices_en: tuple[str, ...] = ()
    required: bool = False


def lines(text: str) -> tuple[str, ...]:
    """Choices as organisers type them: one per line, blank lines left out."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def question_problems(data: QuestionData) -> dict[str, list[DomainError]]:
    """What is wrong with a question, by field (empty: nothing)."""
    problems: dict[str, list[DomainError]] = {}

    def refuse(field: str, code: str, message: str) -> None:
        problems.setdefault(field, []).append(DomainError(code, message, status=422, field=field))

    if data.kind not in QuestionKind.values:
        refuse("kind", "invalid_kind", _("Choose text, single choice or yes/no."))
    if not data.label_de.strip():
        refuse("label_de", "label_required", _("Please enter the question in German."))
    if len(data.label_de) > 300 or len(data.label_en) > 300:
        refuse("label_de", "label_too_long", _("A question has at most 300 characters."))
    if data.kind == QuestionKind.CHOICE:
        german = [choice.strip() for choice in data.choices_de if choice.strip()]
        english = [choice.strip() for choice in data.choices_en if choice.strip()]
        if len(german) < 2:
            refuse("choices_de", "choices_required", _("A single-choice question needs at least two choices."))
        elif len(german) > MAX_CHOICES:
            refuse("choices_de", "too_many_choices", _("At most %(count)s choices.") % {"count": MAX_CHOICES})
        elif len({" ".join(c.split()).casefold() for c in german}) < len(german):
            refuse("choices_de", "duplicate_choices", _("Each choice may appear only once."))
        elif any(len(choice) > 200 for choice in german + english):
            refuse("choices_de", "choice_too_long", _("A choice has at most 200 characters."))
        if english and len(english) != len(german):
            refuse("choices_en", "choices_mismatch", _("Give as many English choices as German ones, or none."))
    return problems


def _checked(data: QuestionData) -> dict:
    problems = question_problems(data)
    if problems:
        raise ValidationFailed(problems)
    is_choice = data.kind == QuestionKind.CHOICE
    return {
        "kind": data.kind,
        "label_de": data.label_de.strip(),
        "label_en": data.label_en.strip(),
        "choices_de": "\n".join(lines("\n".join(data.choices_de))) if is_choice else "",
        "choices_en": "\n".join(lines("\n".join(data.choices_en))) if is_choice else "",
        "required": data.required,
    }


def add_question(event: Event, data: QuestionData, *, actor, now: datetime) -> Question:
    fields = _checked(data)
    with transaction.atomic():
        _lock(event)
        questions = Question.objects.filter(event=event)
        if questions.count() >= MAX_QUESTIONS:
            raise DomainError(
                "too_many_questions",
                _("An event asks at most %(count)s questions.") % {"count": MAX_QUESTIONS},
                status=409,
            )
        last = questions.aggregate(last=Max("position"))["last"]
        question = Question.objects.create(event=event, position=0 if last is None else last + 1, **fields)
        _note_asks_questions(event)
        record_audit("question.added", actor=actor, now=now, event=event, target=question, data={"kind": data.kind})
    return question


def update_question(question: Question, data: QuestionData, *, actor, now: datetime) -> Question:
    """Answers given before keep their text, also when a choice is renamed or removed."""
    fields = _checked(data)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(question, name, value)
        question.save(update_fields=list(fields))
        record_audit(
            "question.changed", actor=actor, now=now, event=question.event, target=question, data={"kind": data.kind}
        )
    return question


def remove_question(question: Question, *, actor, now: datetime) -> None:
    """The answers to the question go with it."""
    event = question.event
    with transaction.atomic():
        _lock(event)
        record_audit(
            "question.removed", actor=actor, now=now, event=event, target=question, data={"kind": question.kind}
        )
        question.delete()
        _note_asks_questions(event)


def move_question(question: Question, *, by: int, actor, now: datetime) -> None:
    """Move a question up (by=-1) or down (by=1) in the order the form shows them."""
    with transaction.atomic():
        ordered = list(Question.objects.select_for_update().filter(event_id=question.event_id))
        index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
        target = index + by
        if not 0 <= target < len(ordered):
            return
        ordered[index], ordered[target] = ordered[target], ordered[index]
        for position, item in enumerate(ordered):
            if item.position != position:
                item.position = position
                item.save(update_fields=["position"])
        record_audit("question.moved", actor=actor, now=now, event=question.event, target=question, data={"by": by})


def _lock(event: Event) -> None:
    """Adding and removing questions of one event one at a time keeps `asks_questions` right."""
    Event.objects.select_for_update().filter(pk=event.pk).first()


def _note_asks_questions(event: Event) -> None:
    asks = Question.objects.filter(event=event).exists()
    Event.objects.filter(pk=event.pk).update(asks_questions=asks)
    event.asks_questions = asks
    event.__dict__.pop("_questions", None)
