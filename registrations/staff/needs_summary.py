"""What the organisers must prepare: needs and answers of the active (not cancelled)
registrations of an event, counted in the database with a fixed number of queries."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from events.models import Event, Question, QuestionKind
from registrations.detail_fields import answers_for_display
from registrations.models import AccessibilityNeeds, Answer, Status


@dataclass
class QuestionCount:
    question: Question
    answered: int
    # (choice or yes/no in the active language, count); empty for text questions
    counts: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class NeedsSummary:
    wheelchair: int = 0
    sign_language: int = 0
    hearing_loop: int = 0
    children: int = 0
    children_ages: list[str] = field(default_factory=list)
    dietary: int = 0
    questions: list[QuestionCount] = field(default_factory=list)

    @property
    def any_needs(self) -> bool:
        return any((self.wheelchair, self.sign_language, self.hearing_loop, self.children, self.dietary))


def needs_summary(event: Event) -> NeedsSummary:
    """One query for an event without questions where nobody brings children; at most four,
    however many registrations there are."""
    needs = AccessibilityNeeds.objects.filter(registration__event=event).exclude(registration__status=Status.CANCELLED)
    totals = needs.aggregate(
        wheelchair=Count("pk", filter=Q(wheelchair=True)),
        sign_language=Count("pk", filter=Q(sign_language=True)),
        hearing_loop=Count("pk", filter=Q(hearing_loop=True)),
        children=Sum("children"),
        dietary=Count("pk", filter=~Q(dietary="")),
    )
    summary = NeedsSummary(**{name: value or 0 for name, value in totals.items()})
    if summary.children:
        ages = needs.filter(children__gt=0).exclude(children_ages="").values_list("children_ages", flat=True)
        summary.children_ages = list(ages)
    questions = list(event.questions.all()) if event.asks_questions else []
    if not questions:
        return summary
    given = (
        Answer.objects.filter(question__event=event)
        .exclude(registration__status=Status.CANCELLED)
        .values_list("question_id", "value")
        .annotate(count=Count("pk"))
        .order_by()
    )
    by_question: dict[int, Counter] = {}
    for question_id, value, count in given:
        by_question.setdefault(question_id, Counter())[value] = count
    for question in questions:
        counted = by_question.get(question.pk, Counter())
        item = QuestionCount(question, sum(counted.values()))
        if question.kind != QuestionKind.TEXT:
            values = (
                [value for value, _label in question.choices] if question.kind == QuestionKind.CHOICE else ["yes", "no"]
            )
            values += sorted(set(counted) - set(values))  # choices renamed or removed since
            item.counts = [
                (answers_for_display([question], {question.pk: value})[0][1], counted[value]) for value in values
            ]
        summary.questions.append(item)
    return summary
