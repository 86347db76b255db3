"""The registration list as CSV, in the format of every export (`core.csv`): one line per
registration, with its needs and the answers to the event's questions."""

from collections.abc import Iterator

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

from core.berlin import spreadsheet_time
from core.csv import CHUNK_SIZE, streamed_csv
from events.models import QuestionKind, SeatType
from registrations.models import Answer, Channel, Language, Status

FIELDS = (
    "pk",
    "received_at",
    "name",
    "email",
    "phone",
    "language",
    "seat_type",
    "channel",
    "status",
    "waitlist_position",
    "needs",
    "entered_at",
    "entered_by__username",
    "companions",
    "checked_in_at",
    "reconfirmed_at",
)
# The structured needs (registrations.AccessibilityNeeds), read with the same query (a LEFT JOIN).
NEEDS_FIELDS = (
    "accessibility__wheelchair",
    "accessibility__sign_language",
    "accessibility__hearing_loop",
    "accessibility__children",
    "accessibility__children_ages",
    "accessibility__dietary",
)


def header() -> list[str]:
    return [
        _("No."),
        _("Received at"),
        _("Name"),
        _("E-mail address"),
        _("Phone number"),
        _("Language"),
        _("Seat"),
        _("Channel"),
        _("Status"),
        _("Position on the waiting list"),
        _("Accessibility or interpretation needs"),
        _("Entered at"),
        _("Entered by"),
        _("Companions"),
        _("Seats"),
        _("Checked in at"),
        _("Reconfirmed at"),
        _("Wheelchair place"),
        _("Sign-language interpretation (DGS)"),
        _("Hearing loop"),
        _("Children for the childcare"),
        _("Ages of the children"),
        _("Dietary requirements"),
    ]


def registration_rows(registrations: QuerySet, labels: dict[str, dict[str, str]], questions=()) -> Iterator[list]:
    """One query however many rows: each answer is a column read by a subquery of its own."""
    answer_columns = {
        f"answer_{question.pk}": Subquery(
            Answer.objects.filter(registration=OuterRef("pk"), question_id=question.pk).values("value")[:1]
        )
        for question in questions
    }
    rows = (
        registrations.annotate(**answer_columns)
        .order_by("received_at", "pk")
        .values_list(*FIELDS, *NEEDS_FIELDS, *answer_columns)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    kinds = [question.kind for question in questions]
    base, with_needs = len(FIELDS), len(FIELDS) + len(NEEDS_FIELDS)
    for row in rows:
        (
            pk,
            received_at,
            name,
            email,
            phone,
            language,
            seat_type,
            channel,
            status,
            position,
            needs,
            entered_at,
            entered_by,
            companions,
            checked_in_at,
            reconfirmed_at,
        ) = row[:base]
        wheelchair, sign_language, hearing_loop, children, children_ages, dietary = row[base:with_needs]
        yes = labels["yes_no"]
        yield [
            pk,
            spreadsheet_time(received_at),
            name,
            email,
            phone,
            labels["language"].get(language, language),
            labels["seat_type"].get(seat_type, seat_type),
            labels["channel"].get(channel, channel),
            labels["status"].get(status, status),
            position or "",
            needs,
            spreadsheet_time(entered_at),
            entered_by or "",
            companions,
            1 + companions,
            spreadsheet_time(checked_in_at),
            spreadsheet_time(reconfirmed_at),
            yes.get(wheelchair, ""),
            yes.get(sign_language, ""),
            yes.get(hearing_loop, ""),
            children or "",
            children_ages or "",
            dietary or "",
            *(
                labels["answer"].get(value, value) if kind == QuestionKind.YES_NO else (value or "")
                for kind, value in zip(kinds, row[with_needs:], strict=True)
            ),
        ]


def csv_response(registrations: QuerySet, *, filename: str, questions=()) -> StreamingHttpResponse:
    """`questions`: the event's registration questions, one column each after the needs."""
    # Labels are translated now, in the request's language: the rows are written later, while
    # the server sends the response.
    labels = {
        name: {value: str(label) for value, label in choices}
        for name, choices in (
            ("language", Language.choices),
            ("seat_type", SeatType.choices),
            ("channel", Channel.choices),
            ("status", Status.choices),
        )
    }
    labels["yes_no"] = {True: _("yes"), False: ""}
    labels["answer"] = {"yes": _("yes"), "no": _("no")}
    head = header() + [question.label_de for question in questions]
    return streamed_csv(head, registration_rows(registrations, labels, questions), filename=filename)
