"""What the live pages read, each in a fixed number of queries."""

from typing import Literal, get_args

from django.db.models import F, QuerySet

from events.models import Event
from live.models import Poll, PollKind, PollState, Question, QuestionState

# The orders of the public questions (the questions page and the API): most votes, or newest first.
Order = Literal["votes", "time"]
ORDERS = get_args(Order)


def current_question(event: Event) -> Question | None:
    """The question a moderator put on the wall last, while it is open."""
    return Question.objects.open().filter(event=event, shown_at__isnull=False).order_by("-shown_at", "-pk").first()


def next_questions(event: Event, *, limit: int) -> list[Question]:
    """The panel's next questions: the open ones with the most votes, the older first among equals."""
    return list(
        Question.objects.open()
        .filter(event=event, shown_at__isnull=True)
        .order_by("-votes", "created_at", "pk")[:limit]
    )


def public_questions(event: Event, *, order: Order) -> QuerySet:
    """Approved questions for the participants: open ones first, then the answered (NULLs first
    said explicitly: PostgreSQL sorts them last in ascending order, SQLite first)."""
    questions = Question.objects.public().filter(event=event)
    open_first = F("answered_at").asc(nulls_first=True)
    if order == "time":
        return questions.order_by(open_first, "-created_at", "-pk")
    return questions.order_by(open_first, "-votes", "created_at", "pk")


def public_polls(event: Event) -> QuerySet:
    """The polls the public has seen: the running one and the closed ones, the latest opened first."""
    return (
        Poll.objects.filter(event=event)
        .exclude(state=PollState.DRAFT)
        .prefetch_related("options")
        .order_by("-opened_at", "-pk")
    )


def running_poll(event: Event) -> Poll | None:
    return Poll.objects.filter(event=event, state=PollState.OPEN).prefetch_related("options").first()


def results(poll: Poll) -> dict:
    """Counts and shares per answer (of the people who answered; several per person in a
    multiple-choice poll), and the mean of a scale."""
    options = list(poll.options.all())
    ballots = poll.ballots
    rows = [
        {
            "id": option.pk,
            "label": option.label,
            "count": option.count,
            "percent": round(100 * option.count / ballots) if ballots else 0,
        }
        for option in options
    ]
    data = {"ballots": ballots, "options": rows, "mean": None}
    if poll.kind == PollKind.SCALE and ballots:
        total = sum(int(option.label) * option.count for option in options)
        data["mean"] = round(total / ballots, 1)
    return data


def pending_questions(event: Event) -> QuerySet:
    return Question.objects.filter(event=event, state=QuestionState.PENDING).order_by("created_at", "pk")
