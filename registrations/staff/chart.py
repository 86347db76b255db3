"""Charts drawn on the server as SVG (no JavaScript): registrations over time against the
capacity (the bar charts of the reports are in `core/charts.py`).

One chart per seat type: a cumulative line per channel that brought registrations, their total,
and horizontal lines for the capacity and, where seats are held back, for the seats that can be
booked. The counts come from one grouped query (registrations per time bucket, seat type and
channel), so the page costs the same with a hundred or a hundred thousand registrations; one more
query per seat type finds the exact moment the demand reached the bookable seats. The time axis
runs from the opening of registration to the last registration, so that a rush fills the width;
the bucket is a minute, an hour or a day, the finest that keeps a line within about 720 steps.
Cancelled registrations are counted too: the chart shows the demand as it arrived. The lines count
people (`registrations.models.people`: registrant and companions, a seat each), so that they meet
the capacity line when the seats are gone.

The template draws with SVG presentation attributes and the classes of static/css/staff.css
(the CSP allows no style attributes); a data table gives the same figures as text.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import F, Max, Sum, Window
from django.db.models.functions import Trunc
from django.utils.formats import date_format
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.berlin import BERLIN, in_berlin
from core.charts import Tick, axis_top
from events.models import Event, SeatPool
from registrations.models import PEOPLE, Channel, Registration, people

BUCKETS = (  # (longest span, bucket) – the finest bucket that keeps the span within ~720 steps
    (timedelta(hours=12), "minute"),
    (timedelta(days=30), "hour"),
    (timedelta.max, "day"),
)
BUCKET_LENGTH = {"minute": timedelta(minutes=1), "hour": timedelta(hours=1), "day": timedelta(days=1)}
# Lines differ in their dashes as well as in colour, for people who cannot tell the colours apart.
DASHES = {Channel.WEB: "", Channel.EMAIL: "8 4", Channel.PHONE: "2 4"}
X_TICKS = 5


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    path: str
    count: int
    dashes: str = ""


@dataclass(frozen=True)
class Row:
    time: str
    counts: tuple[int, ...]


@dataclass(frozen=True)
class SeatChart:
    """Everything the template needs to draw one seat type's chart; coordinates are strings
    already, so that no locale turns a decimal point into a comma inside the SVG."""

    seat_type: str
    title: str
    description: str
    lines: list[Line]
    total: Line
    capacity_y: str
    bookable_y: str
    capacity: int
    bookable: int
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    rows: list[Row]
    reached: str

    width = 720
    height = 320
    left = 56
    right = 700
    top = 24
    bottom = 272


def seat_charts(event: Event, pools: list[SeatPool]) -> list[SeatChart]:
    """One chart per seat pool of the event, from the opening of registration to the last
    registration; none while no registration has arrived."""
    last = Registration.objects.filter(event=event).aggregate(last=Max("received_at"))["last"]
    if last is None:
        return []
    opens = event.registration_opens_at
    bucket = next(name for longest, name in BUCKETS if last - min(opens, last) <= longest)
    counts = list(bucket_counts(event, bucket))
    frame = Frame(min(opens, counts[0][0]), counts[-1][0] + BUCKET_LENGTH[bucket], bucket, opens=opens)
    charts = []
    for pool in pools:
        mine = [row for row in counts if row[1] == pool.seat_type]
        bookable = pool.capacity - pool.reserved
        reached = None
        if 0 < bookable <= sum(row[3] for row in mine):
            reached = arrival_of(event, pool.seat_type, bookable)
        charts.append(frame.chart(pool, mine, reached))
    return charts


def arrival_of(event: Event, seat_type: str, number: int) -> datetime | None:
    """When the registration arrived that brought the people asking for these seats to `number`."""
    order = [F("received_at").asc(), F("pk").asc()]
    arrivals = (
        Registration.objects.filter(event=event, seat_type=seat_type)
        .annotate(running=Window(Sum(PEOPLE), order_by=order))
        .filter(running__gte=number)
        .order_by("received_at", "pk")
    )
    return next(iter(arrivals.values_list("received_at", flat=True)[:1]), None)


def bucket_counts(event: Event, bucket: str):
    """(bucket start, seat type, channel, people) in time order, buckets in Berlin time."""
    return (
        Registration.objects.filter(event=event)
        .annotate(bucket=Trunc("received_at", bucket, tzinfo=BERLIN))
        .values_list("bucket", "seat_type", "channel")
        .annotate(count=people())
        .order_by("bucket")
    )


class Frame:
    """The time axis shared by the charts of one event, and the drawing of one chart on it."""

    def __init__(self, start: datetime, end: datetime, bucket: str, *, opens: datetime):
        self.start, self.end, self.bucket, self.opens = start, end, bucket, opens
        self.span = end - start

    def x(self, moment: datetime) -> str:
        share = (moment - self.start) / self.span
        return f"{SeatChart.left + share * (SeatChart.right - SeatChart.left):.1f}"

    def x_ticks(self) -> list[Tick]:
        if self.span <= timedelta(days=1):
            label_format = "H:i"
        elif self.bucket == "day":
            label_format = "d.m."
        else:
            label_format = "d.m. H:i"
        ticks = []
        for index in range(X_TICKS):
            moment = self.start + self.span * index / (X_TICKS - 1)
            anchor = "start" if index == 0 else "end" if index == X_TICKS - 1 else "middle"
            ticks.append(Tick(self.x(moment), date_format(in_berlin(moment), label_format), anchor))
        return ticks

    def row_time(self, moment: datetime) -> str:
        return date_format(in_berlin(moment), "SHORT_DATE_FORMAT" if self.bucket == "day" else "SHORT_DATETIME_FORMAT")

    def chart(self, pool: SeatPool, counts: list[tuple], reached: datetime | None) -> SeatChart:
        per_bucket: dict[datetime, dict[str, int]] = defaultdict(dict)
        for moment, _seat, channel, count in counts:
            per_bucket[moment][channel] = count
        channels = [channel for channel in Channel if any(channel in found for found in per_bucket.values())]
        running = dict.fromkeys(channels, 0)
        steps: dict[str, list[tuple[datetime, int]]] = {channel: [] for channel in channels}
        total_steps, rows = [], []
        for moment, found in per_bucket.items():
            for channel, count in found.items():
                running[channel] += count
                steps[channel].append((moment, running[channel]))
            total = sum(running.values())
            total_steps.append((moment, total))
            rows.append(Row(self.row_time(moment), (*running.values(), total)))
        total = sum(running.values())
        bookable = pool.capacity - pool.reserved
        top, step = axis_top(max(pool.capacity, total))

        def y(count: int) -> str:
            return f"{SeatChart.bottom - count / top * (SeatChart.bottom - SeatChart.top):.1f}"

        def path(points: list[tuple[datetime, int]]) -> str:
            moves = "".join(f"H{self.x(moment)}V{y(count)}" for moment, count in points)
            return f"M{self.x(self.start)} {y(0)}{moves}H{self.x(self.end)}"

        labels = dict(Channel.choices)
        seat = pool.get_seat_type_display()
        lines = [
            Line(channel, str(labels[channel]), path(steps[channel]), running[channel], DASHES[channel])
            for channel in channels
        ]
        reached_sentence = self.reached_sentence(reached, bookable) if reached else ""
        return SeatChart(
            seat_type=pool.seat_type,
            title=_("Registrations over time: %(seat)s") % {"seat": seat},
            description=" ".join(filter(None, [self.describe(pool, lines, total), reached_sentence])),
            lines=lines,
            total=Line("total", _("all channels"), path(total_steps), total),
            capacity_y=y(pool.capacity),
            bookable_y=y(bookable),
            capacity=pool.capacity,
            bookable=bookable,
            x_ticks=self.x_ticks(),
            y_ticks=[Tick(y(value), str(value), "end") for value in range(0, top + 1, step)],
            rows=rows,
            reached=reached_sentence,
        )

    def describe(self, pool: SeatPool, lines: list[Line], total: int) -> str:
        return ngettext(
            "Registrations for %(seat)s, added up from %(start)s to %(end)s: %(channels)s; %(total)s in all. "
            "Capacity: %(capacity)s seat, %(reserved)s of them reserved.",
            "Registrations for %(seat)s, added up from %(start)s to %(end)s: %(channels)s; %(total)s in all. "
            "Capacity: %(capacity)s seats, %(reserved)s of them reserved.",
            pool.capacity,
        ) % {
            "seat": pool.get_seat_type_display(),
            "start": date_format(in_berlin(self.start), "SHORT_DATETIME_FORMAT"),
            "end": date_format(in_berlin(self.end), "SHORT_DATETIME_FORMAT"),
            "channels": ", ".join(f"{line.label} {line.count}" for line in lines) or _("none"),
            "total": total,
            "capacity": pool.capacity,
            "reserved": pool.reserved,
        }

    def reached_sentence(self, moment: datetime, bookable: int) -> str:
        return ngettext(
            "The %(bookable)s bookable seat was asked for by %(time)s, %(duration)s after registration opened.",
            "The %(bookable)s bookable seats were asked for by %(time)s, %(duration)s after registration opened.",
            bookable,
        ) % {
            "bookable": bookable,
            "time": f"{date_format(in_berlin(moment), 'SHORT_DATE_FORMAT')} {date_format(in_berlin(moment), 'H:i:s')}",
            "duration": timesince(self.opens, moment),
        }
