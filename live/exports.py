"""The protocol of live participation: the questions the panel answered (with the answers), the
ones left open, and every poll's results. As a page for the team and as a CSV (one row per
answered question and per poll answer, with where a question was sent from: room, Zoom or stream),
with no participant named but those who chose to show their name."""

from core.csv import csv_text
from events.models import Event
from live import queries
from live.models import Poll, PollState, Question


def protocol(event: Event) -> dict:
    questions = Question.objects.public().filter(event=event)
    polls = list(Poll.objects.filter(event=event).exclude(state=PollState.DRAFT).prefetch_related("options"))
    return {
        "answered": list(questions.filter(answered_at__isnull=False).order_by("answered_at", "pk")),
        "unanswered": list(questions.filter(answered_at__isnull=True).order_by("-votes", "created_at", "pk")),
        "polls": [(poll, queries.results(poll)) for poll in polls],
    }


def protocol_csv(event: Event) -> str:
    data = protocol(event)
    header = ["kind", "item", "answer", "count", "percent", "detail", "origin"]
    rows = []
    for question in data["answered"] + data["unanswered"]:
        status = "answered" if question.answered_at else "open"
        origin = question.get_via_display() if question.via else ""
        rows.append(["question", question.text, question.answer, question.votes, "", status, origin])
    for poll, results in data["polls"]:
        for option in results["options"]:
            rows.append(["poll", poll.question, option["label"], option["count"], option["percent"], poll.kind, ""])
        detail = f"mean={results['mean']}" if results["mean"] is not None else ""
        total = 100 if results["ballots"] else 0
        rows.append(["poll_total", poll.question, "", results["ballots"], total, detail, ""])
    return csv_text(header, rows)
