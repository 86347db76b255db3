"""Charts drawn on the server as SVG (no JavaScript), for any page: plain bar charts of counts
(`bar_chart` for categories, `column_chart` for time) with a text description and the figures as
a table beside them (`templates/core/_bar_chart.html`), and the helpers the registration chart of
`registrations/staff/chart.py` shares (`Tick`, `axis_top`).

The templates draw with SVG presentation attributes and the classes of static/css/staff.css
(the CSP allows no style attributes); coordinates are strings already, so that no locale turns a
decimal point into a comma inside the SVG.
"""

from dataclasses import dataclass
from math import ceil, floor, log10

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Tick:
    at: str
    label: str
    anchor: str = "middle"


def axis_top(highest: int) -> tuple[int, int]:
    """A round top for the count axis with room above `highest`, and the step between labels."""
    headroom = max(highest * 1.1, 1)
    raw_step = headroom / 5
    magnitude = 10 ** floor(log10(raw_step))
    step = max(1, round(next(f * magnitude for f in (1, 2, 5, 10) if raw_step <= f * magnitude)))
    return ceil(headroom / step) * step, step


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    shown: str
    x: str
    y: str
    width: str
    height: str
    label_x: str
    label_y: str
    value_x: str
    value_y: str
    show_label: bool = True


@dataclass(frozen=True)
class BarChart:
    """A bar chart of counts (horizontal bars for categories, columns for time), with the same
    figures as a table for the template to put beside it; coordinates are strings, as above."""

    key: str
    title: str
    description: str
    bars: list[Bar]
    label_header: str
    value_header: str
    horizontal: bool
    height: int
    y_ticks: list[Tick]
    total: int
    # Bars beside a table want a narrower drawing, so that their text is not scaled down as much.
    width: int = 720

    left = 56
    right = 700
    top = 24
    label_right = 220


BAR_ROW = 30
BAR_CHART_WIDTH = 500
COLUMN_LABELS = 8


def bar_chart(
    key: str,
    title: str,
    rows: list[tuple[str, int]],
    *,
    label_header: str,
    value_header: str,
    description: str = "",
    shares: bool = True,
) -> BarChart:
    """Horizontal bars, one per category, each with its count (and share) written beside it, so
    that no figure is told by length or colour alone."""
    total = sum(value for _label, value in rows)
    top, _step = axis_top(max((value for _label, value in rows), default=0))
    start, end = BarChart.label_right, BAR_CHART_WIDTH - 90
    bars = []
    for index, (label, value) in enumerate(rows):
        y = BarChart.top + index * BAR_ROW
        width = (end - start) * value / top
        shown = f"{value} ({share(value, total)})" if shares and total else str(value)
        bars.append(
            Bar(
                label,
                value,
                shown,
                f"{start}",
                f"{y + 4}",
                f"{width:.1f}",
                f"{BAR_ROW - 8}",
                f"{start - 8}",
                f"{y + BAR_ROW / 2 + 4:.1f}",
                f"{start + width + 6:.1f}",
                f"{y + BAR_ROW / 2 + 4:.1f}",
            )
        )
    return BarChart(
        key,
        title,
        description or describe_bars(title, rows, total),
        bars,
        label_header,
        value_header,
        True,
        BarChart.top + len(rows) * BAR_ROW + 16,
        [],
        total,
        BAR_CHART_WIDTH,
    )


def column_chart(
    key: str, title: str, rows: list[tuple[str, int]], *, label_header: str, value_header: str, description: str = ""
) -> BarChart:
    """Columns in time order (one per day, week or month), every few labelled under the axis."""
    total = sum(value for _label, value in rows)
    top, step = axis_top(max((value for _label, value in rows), default=0))
    bottom = 272
    slot = (BarChart.right - BarChart.left) / max(len(rows), 1)
    every = max(1, ceil(len(rows) / COLUMN_LABELS))
    bars = []
    for index, (label, value) in enumerate(rows):
        height = (bottom - BarChart.top) * value / top
        x = BarChart.left + index * slot
        bars.append(
            Bar(
                label,
                value,
                str(value),
                f"{x + slot * 0.15:.1f}",
                f"{bottom - height:.1f}",
                f"{slot * 0.7:.1f}",
                f"{height:.1f}",
                f"{x + slot / 2:.1f}",
                f"{bottom + 18}",
                f"{x + slot / 2:.1f}",
                f"{bottom - height - 4:.1f}",
                index % every == 0,
            )
        )

    def y(count: int) -> str:
        return f"{bottom - count / top * (bottom - BarChart.top):.1f}"

    ticks = [Tick(y(value), str(value), "end") for value in range(0, top + 1, step)]
    return BarChart(
        key,
        title,
        description or describe_bars(title, rows, total),
        bars,
        label_header,
        value_header,
        False,
        320,
        ticks,
        total,
    )


def share(value: int, total: int) -> str:
    return f"{round(100 * value / total)} %"


def describe_bars(title: str, rows: list[tuple[str, int]], total: int) -> str:
    if not rows:
        return _("%(title)s: no figures yet.") % {"title": title}
    if len(rows) > 12:
        label, value = max(rows, key=lambda row: row[1])
        return _("%(title)s from %(first)s to %(last)s: %(total)s in all, the most (%(value)s) on %(label)s.") % {
            "title": title,
            "first": rows[0][0],
            "last": rows[-1][0],
            "total": total,
            "value": value,
            "label": label,
        }
    parts = "; ".join(f"{label}: {value}" for label, value in rows)
    return _("%(title)s: %(parts)s; %(total)s in all.") % {"title": title, "parts": parts, "total": total}
