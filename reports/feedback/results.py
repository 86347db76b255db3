"""The survey's results for organisers: per question a chart with its table (ratings, choices) or
the list of texts, and all answers as CSV. A fixed number of statements, however many answered."""

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Count
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

from core.charts import BarChart, bar_chart
from core.csv import streamed_csv
from reports.models import Answer, Invitation, Question, QuestionKind, Response, Survey

TEXTS_SHOWN = 200


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    average: float | None = None
    chart: BarChart | None = None
    texts: list[str] = field(default_factory=list)


@dataclass
class Results:
    invited: int
    responses: int
    questions: list[QuestionResult]


def results_of(survey: Survey) -> Results:
    questions = list(survey.questions.all())
    counts: dict[int, Counter] = defaultdict(Counter)
    for question_id, rating, choice, count in (
        Answer.objects.filter(question__survey=survey)
        .exclude(question__kind=QuestionKind.TEXT)
        .values_list("question_id", "rating", "choice")
        .annotate(count=Count("pk"))
        .order_by()
    ):
        counts[question_id][rating if rating is not None else choice] += count
    texts: dict[int, list[str]] = defaultdict(list)
    text_answers = (
        Answer.objects.filter(question__survey=survey, question__kind=QuestionKind.TEXT)
        .order_by("question_id", "text")
        .values_list("question_id", "text")
    )
    for question_id, text in text_answers:
        texts[question_id].append(text)
    invited = Invitation.objects.filter(survey=survey).count()
    responses = Response.objects.filter(survey=survey).count()
    return Results(invited, responses, [result_of(q, counts[q.pk], texts[q.pk]) for q in questions])


def result_of(question: Question, counts: Counter, texts: list[str]) -> QuestionResult:
    key = f"q{question.pk}"
    headers = {"label_header": _("Answer"), "value_header": _("Answers")}
    if question.kind == QuestionKind.TEXT:
        return QuestionResult(question, len(texts), texts=texts[:TEXTS_SHOWN])
    answered = sum(counts.values())
    if question.kind == QuestionKind.RATING:
        rows = [(str(rating), counts[rating]) for rating in range(1, 6)]
        average = round(sum(rating * counts[rating] for rating in range(1, 6)) / answered, 1) if answered else None
        description = _(
            "%(question)s Answers from 1 (poor) to 5 (very good): %(parts)s; %(total)s answers, average %(average)s."
        ) % {
            "question": question.text,
            "parts": "; ".join(f"{label}: {value}" for label, value in rows),
            "total": answered,
            "average": average if average is not None else "–",
        }
        chart = bar_chart(key, question.text, rows, description=description, **headers)
        return QuestionResult(question, answered, average, chart)
    rows = [(label, counts[value]) for value, label in question.options()]
    return QuestionResult(question, answered, chart=bar_chart(key, question.text, rows, **headers))


def results_csv(survey: Survey, *, filename: str) -> StreamingHttpResponse:
    questions = list(survey.questions.all())
    head = [_("Response"), _("Day"), *[question.text for question in questions]]
    return streamed_csv(head, response_rows(survey, questions), filename=filename)


def response_rows(survey: Survey, questions: list[Question]) -> Iterator[list]:
    """One line per response, numbered in the order they came in; the day is all it says of when."""
    days = dict(Response.objects.filter(survey=survey).values_list("pk", "submitted_on"))
    by_response: dict[int, dict[int, object]] = defaultdict(dict)
    answers = Answer.objects.filter(response__survey=survey).values_list(
        "response_id", "question_id", "rating", "choice", "text"
    )
    for response_id, question_id, rating, choice, text in answers:
        by_response[response_id][question_id] = rating if rating is not None else (choice or text)
    for number, (pk, day) in enumerate(sorted(days.items()), start=1):
        answers_of = by_response.get(pk, {})
        yield [number, day.isoformat(), *[answers_of.get(question.pk, "") for question in questions]]
