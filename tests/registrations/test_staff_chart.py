"""The chart of registrations over time against the capacity, drawn as SVG on the server."""

import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from core.charts import axis_top
from events.models import SeatPool
from registrations.staff.chart import seat_charts
from tests.registrations.staff_helpers import client_of, enter

pytestmark = pytest.mark.usefixtures("staff_english")
pytest_plugins = ["tests.registrations.staff_fixtures"]

SVG = "{http://www.w3.org/2000/svg}"
BERLIN = ZoneInfo("Europe/Berlin")


def svgs(html: str) -> dict[str, ET.Element]:
    """The charts of a page, parsed as XML (so they are well-formed), by seat type."""
    found = re.findall(r'<svg class="chart__svg".*?</svg>', html, flags=re.DOTALL)
    charts = [ET.fromstring(svg) for svg in found]
    return {chart.find(f"{SVG}title").get("id").split("-")[1]: chart for chart in charts}


def series(chart: ET.Element) -> list[tuple[str, str]]:
    paths = chart.findall(f"{SVG}path")
    return [
        (path.get("data-seat-type"), path.get("data-channel")) for path in paths if "chart__series" in path.get("class")
    ]


@pytest.fixture
def staff_mixed_registrations(staff_event, staff_now):
    opens = staff_event.registration_opens_at
    enter(staff_event, "Web 1", seat="onsite", at=opens + timedelta(minutes=1))
    enter(staff_event, "Web 2", seat="onsite", at=opens + timedelta(minutes=2))
    enter(staff_event, "Telefon", seat="onsite", channel="phone", email="", phone="1", at=opens + timedelta(minutes=3))
    enter(staff_event, "Mail", seat="onsite", channel="email", at=opens + timedelta(minutes=30))
    enter(staff_event, "Online", seat="online", at=opens + timedelta(minutes=4))


def test_the_event_page_draws_one_series_per_channel_and_seat_type_and_the_capacity(
    staff_client, staff_event, staff_mixed_registrations
):
    html = staff_client.get(reverse("staff:event", args=[staff_event.slug])).content.decode()
    charts = svgs(html)

    assert set(charts) == {"onsite", "online"}
    assert series(charts["onsite"]) == [("onsite", "web"), ("onsite", "email"), ("onsite", "phone")]
    assert series(charts["online"]) == [("online", "web")]
    for seat_type, chart in charts.items():
        assert chart.get("role") == "img"
        assert chart.get("aria-labelledby") == f"chart-{seat_type}-title chart-{seat_type}-desc"
        assert chart.find(f"{SVG}desc").text
        assert len(chart.findall(f"{SVG}line[@class='chart__capacity']")) == 1
        assert len(chart.findall(f"{SVG}path[@class='chart__total']")) == 1
    # On-site seats are partly reserved, so the bookable seats get a line of their own.
    assert len(charts["onsite"].findall(f"{SVG}line[@class='chart__bookable']")) == 1
    assert not charts["online"].findall(f"{SVG}line[@class='chart__bookable']")


def test_the_capacity_line_lies_at_the_height_of_the_capacity(staff_event, staff_mixed_registrations):
    pools = list(SeatPool.objects.filter(event=staff_event))
    onsite = next(chart for chart in seat_charts(staff_event, pools) if chart.seat_type == "onsite")

    top = int(onsite.y_ticks[-1].label)
    expected = onsite.bottom - 3 / top * (onsite.bottom - onsite.top)
    assert float(onsite.capacity_y) == pytest.approx(expected, abs=0.1)
    assert [line.count for line in onsite.lines] == [2, 1, 1]
    assert onsite.total.count == 4


def test_each_line_climbs_in_steps_to_its_count(staff_event, staff_mixed_registrations):
    pools = list(SeatPool.objects.filter(event=staff_event))
    onsite = next(chart for chart in seat_charts(staff_event, pools) if chart.seat_type == "onsite")

    def heights(path: str) -> list[str]:
        return re.findall(r"V([\d.]+)", path)

    web = next(line for line in onsite.lines if line.key == "web")
    top = int(onsite.y_ticks[-1].label)
    height = onsite.bottom - onsite.top
    assert [float(value) for value in heights(web.path)] == pytest.approx(
        [onsite.bottom - 1 / top * height, onsite.bottom - 2 / top * height], abs=0.1
    )


def test_the_figures_are_also_a_table(staff_client, staff_event, staff_mixed_registrations):
    response = staff_client.get(reverse("staff:event", args=[staff_event.slug]))
    onsite = next(chart for chart in response.context["charts"] if chart.seat_type == "onsite")

    # A minute per row while registrations span less than half a day: web, e-mail, phone, total.
    assert [row.counts for row in onsite.rows] == [(1, 0, 0, 1), (2, 0, 0, 2), (2, 0, 1, 3), (2, 1, 1, 4)]
    html = response.content.decode()
    assert "<summary" in html and "Show the figures as a table" in html
    assert html.count('<table class="kern-table kern-table--small">') == 2


def test_the_chart_tells_when_demand_reached_the_bookable_seats(staff_event, staff_mixed_registrations):
    pools = list(SeatPool.objects.filter(event=staff_event))
    onsite = next(chart for chart in seat_charts(staff_event, pools) if chart.seat_type == "onsite")
    online = next(chart for chart in seat_charts(staff_event, pools) if chart.seat_type == "online")

    second = (staff_event.registration_opens_at + timedelta(minutes=2)).astimezone(BERLIN)
    assert onsite.reached.startswith("The 2 bookable seats were asked for by ")
    assert second.strftime("%H:%M:%S") in onsite.reached
    assert "2\xa0minutes after registration opened" in onsite.reached
    assert onsite.reached in onsite.description
    assert online.reached == ""


def test_coordinates_keep_the_decimal_point_in_german(staff_event, staff_mixed_registrations, staff_organiser):
    with translation.override("de"):
        html = client_of(staff_organiser).get(reverse("staff:event", args=[staff_event.slug])).content.decode()

    for chart in svgs(html).values():
        for path in chart.findall(f"{SVG}path"):
            assert "," not in path.get("d")
        assert "," not in chart.find(f"{SVG}line").get("y1")


def test_no_chart_before_the_first_registration(staff_client, staff_event):
    response = staff_client.get(reverse("staff:event", args=[staff_event.slug]))

    assert response.context["charts"] == []
    assert "No registrations yet." in response.content.decode()


def test_a_long_registration_period_is_counted_by_the_hour_or_the_day(staff_event):
    opens = staff_event.registration_opens_at
    enter(staff_event, "Früh", seat="online", at=opens)
    enter(staff_event, "Später", seat="online", at=opens + timedelta(hours=20))
    pools = list(SeatPool.objects.filter(event=staff_event))

    hourly = next(chart for chart in seat_charts(staff_event, pools) if chart.seat_type == "online")

    assert [row.counts for row in hourly.rows] == [(1, 1), (2, 2)]
    assert len(re.findall("H", hourly.total.path)) == 3  # a step an hour would be 21


@pytest.mark.parametrize(
    ("highest", "top", "step"),
    [(0, 1, 1), (1, 2, 1), (3, 4, 1), (30, 40, 10), (60, 80, 20), (140, 200, 50), (999, 1500, 500)],
)
def test_the_count_axis_ends_on_a_round_number_above_the_highest_value(highest, top, step):
    assert axis_top(highest) == (top, step)
