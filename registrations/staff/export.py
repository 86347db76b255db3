"""The registration list as CSV, streamed so that 100,000 rows never sit in memory at once.

The format is chosen for the spreadsheet programs of a German town hall:
- separated by semicolons: Excel in a German locale splits on `;` (its list separator, as the
  comma is the decimal sign), so the file opens in columns on a double-click; LibreOffice
  detects it;
- UTF-8 with a byte-order mark, without which Excel reads umlauts as Windows-1252;
- times in Europe/Berlin as `YYYY-MM-DD HH:MM:SS`, which every spreadsheet reads as a time;
- a cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`,
  so that a spreadsheet shows it as text instead of running it as a formula (CSV injection).
  This also marks phone numbers such as `+49 2305 …`; they stay readable.
"""

import csv
from collections.abc import Iterable, Iterator
from zoneinfo import ZoneInfo

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import QuestionKind, SeatType
from registrations.models import Answer, Channel, Language, Status

BERLIN = ZoneInfo("Europe/Berlin")
DELIMITER = ";"
CHUNK_SIZE = 2000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BYTE_ORDER_MARK = "\ufeff"
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


class Echo:
    """A file that hands back what is written to it, so csv.writer can feed a generator."""

    def write(self, value: str) -> str:
        return value


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


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


def csv_lines(head: list[str], rows: Iterable[Iterable]) -> Iterator[str]:
    writer = csv.writer(Echo(), delimiter=DELIMITER)
    yield BYTE_ORDER_MARK + writer.writerow(head)
    batch = []
    for row in rows:
        batch.append(writer.writerow([neutralise(cell) for cell in row]))
        if len(batch) == CHUNK_SIZE:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


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
            local(received_at),
            name,
            email,
            phone,
            labels["language"].get(language, language),
            labels["seat_type"].get(seat_type, seat_type),
            labels["channel"].get(channel, channel),
            labels["status"].get(status, status),
            position or "",
            needs,
            local(entered_at),
            entered_by or "",
            companions,
            1 + companions,
            local(checked_in_at) if checked_in_at else "",
            local(reconfirmed_at) if reconfirmed_at else "",
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


def local(moment) -> str:
    return timezone.localtime(moment, BERLIN).strftime("%Y-%m-%d %H:%M:%S")


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


def streamed_csv(head: list[str], rows: Iterable[Iterable], *, filename: str) -> StreamingHttpResponse:
    """Any table in the format above, as a download (the reports use it too)."""
    response = StreamingHttpResponse(csv_lines(head, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
