"""The staff pages cost the same number of queries with 10 or 200 registrations."""

from datetime import timedelta
from itertools import cycle

import pytest
from django.urls import reverse

from tests.registrations.staff_helpers import enter, queries_of

pytestmark = pytest.mark.usefixtures("staff_english")
pytest_plugins = ["tests.registrations.staff_fixtures"]

# session, user, then: event (with the team check), pools, last arrival, counts per bucket, and
# per full seat type the moment it filled (2), the needs summary | event, count, page | the city admin
# permission (the user's and their groups': 2), events with the user's role, pools, whether the
# user manages any event (the "new event" button), and the "needs attention" list (3, see
# tests/registrations/test_dashboard_attention.py).
# Then whether the user may open the registration inbox (its link in the navigation): the city
# admin permission (2, already read on the dashboard) and whether the user manages any event.
QUERIES = {"event": 2 + 7 + 3, "registrations": 2 + 3 + 3, "dashboard": 2 + 5 + 3 + 1}
CHANNELS = cycle([("onsite", "web"), ("online", "web"), ("onsite", "phone"), ("online", "email"), ("online", "phone")])


def add_registrations(event, start, count: int, *, first: int = 0) -> None:
    for number in range(first, first + count):
        seat, channel = next(CHANNELS)
        enter(
            event,
            f"Person {number}",
            seat=seat,
            channel=channel,
            phone="0231 1" if channel == "phone" else "",
            at=start + timedelta(seconds=20 * number),
        )


@pytest.mark.parametrize("name", ["event", "registrations", "dashboard"])
def test_query_count_does_not_grow_with_the_registrations(staff_client, staff_event, name):
    url = reverse("staff:dashboard") if name == "dashboard" else reverse(f"staff:{name}", args=[staff_event.slug])
    start = staff_event.registration_opens_at
    add_registrations(staff_event, start, 10)
    with_ten = queries_of(staff_client, url)

    add_registrations(staff_event, start, 190, first=10)
    with_two_hundred = queries_of(staff_client, url)

    assert with_ten == with_two_hundred == QUERIES[name]


def test_a_filtered_list_page_costs_the_same_as_the_first(staff_client, staff_event):
    add_registrations(staff_event, staff_event.registration_opens_at, 120)
    url = reverse("staff:registrations", args=[staff_event.slug])

    assert queries_of(staff_client, url) == queries_of(staff_client, f"{url}?status=waitlisted&q=person&page=2")


def test_the_registration_page_costs_the_same_with_a_long_history(staff_client, staff_organiser, staff_event):
    start = staff_event.registration_opens_at
    add_registrations(staff_event, start, 10)
    target = staff_event.registrations.get(name="Person 0")
    url = reverse("staff:registration", args=[staff_event.slug, target.pk])
    before = queries_of(staff_client, url)

    add_registrations(staff_event, start, 100, first=10)
    for registration in staff_event.registrations.filter(status="confirmed").exclude(pk=target.pk)[:3]:
        staff_client.post(reverse("staff:cancel", args=[staff_event.slug, registration.pk]), {"reason": "test"})

    assert queries_of(staff_client, url) == before
