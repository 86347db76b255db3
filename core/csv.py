"""Every CSV download of the site in one format, streamed so that 100,000 rows never sit in
memory at once.

The format is chosen for the spreadsheet programs of a German town hall:
- separated by semicolons: Excel in a German locale splits on `;` (its list separator, as the
  comma is the decimal sign), so the file opens in columns on a double-click; LibreOffice
  detects it;
- UTF-8 with a byte-order mark, without which Excel reads umlauts as Windows-1252;
- headers and labels (yes/no, statuses) in the language of the request, times in Europe/Berlin
  as `YYYY-MM-DD HH:MM:SS` (`core.berlin.spreadsheet_time`), which every spreadsheet reads as a time;
- text exactly as entered (no Markdown or HTML escaping: a spreadsheet shows text as text);
- a cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`,
  so that a spreadsheet shows it as text instead of running it as a formula (CSV injection).
  This also marks phone numbers such as `+49 2305 …`; they stay readable.
"""

import csv
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse

DELIMITER = ";"
CHUNK_SIZE = 2000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BYTE_ORDER_MARK = "\ufeff"
CONTENT_TYPE = "text/csv; charset=utf-8"


class Echo:
    """A file that hands back what is written to it, so csv.writer can feed a generator."""

    def write(self, value: str) -> str:
        return value


def neutralise(value):
    """The cell as a spreadsheet should show it: None empty, a formula start made text."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_lines(head: Iterable[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """The file, a few thousand lines at a time; the header first, after the byte-order mark."""
    writer = csv.writer(Echo(), delimiter=DELIMITER)
    yield BYTE_ORDER_MARK + writer.writerow([neutralise(str(cell)) for cell in head])
    batch = []
    for row in rows:
        batch.append(writer.writerow([neutralise(cell) for cell in row]))
        if len(batch) == CHUNK_SIZE:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def csv_text(head: Iterable[str], rows: Iterable[Iterable]) -> str:
    """The whole file as one string (for tests and for files built in memory)."""
    return "".join(csv_lines(head, rows))


def streamed_csv(head: Iterable[str], rows: Iterable[Iterable], *, filename: str) -> StreamingHttpResponse:
    """A table as a download. `filename` ends in `.csv`."""
    response = StreamingHttpResponse(csv_lines(head, rows), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
