"""What organisers see: their events, an event's seats, the registration list, a registration."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from events.models import AuditEntry
from events.services import SeatPlan
from registrations.services import cancel, release_reserved
from registrations.staff.history import details
from tests.factories import scheduled_event
from tests.registrations.staff_helpers import enter

pytestmark = pytest.mark.usefixtures("staff_english")
pytest_plugins = ["tests.registrations.staff_fixtures"]


def cells(html: str, row_header: str) -> list[str]:
    """The cells of the table row that starts with `row_header`."""
    row = html.split(f'<th class="kern-table__header" scope="row">{row_header}</th>', 1)[1].split("</tr>", 1)[0]
    return [cell.split(">", 1)[1] for cell in row.split("</td>")[:-1]]


def test_the_dashboard_lists_current_and_past_events_of_the_team(staff_client, staff_organiser, staff_event, staff_now):
    past = scheduled_event(
        staff_organiser,
        slug="rueckblick",
        opens=staff_now - timedelta(days=30),
        closes=staff_now - timedelta(days=20),
        online=SeatPlan(capacity=10),
    )

    response = staff_client.get(reverse("staff:dashboard"))

    assert [event.slug for event in response.context["upcoming"]] == [staff_event.slug]
    assert [event.slug for event in response.context["past"]] == [past.slug]
    html = response.content.decode()
    assert "on-site seat: 0 of 3 confirmed, 0 waiting, 0 pending" in html


def test_the_event_page_shows_the_seats_of_each_seat_type(staff_client, staff_event, staff_now):
    for minutes, name in ((50, "A"), (40, "B"), (30, "C"), (20, "D")):
        enter(staff_event, name, seat="onsite", at=staff_now - timedelta(minutes=minutes))
    enter(staff_event, "Online", seat="online", at=staff_now - timedelta(minutes=10))

    html = staff_client.get(reverse("staff:event", args=[staff_event.slug])).content.decode()

    # capacity, reserved, confirmed, free, waiting list, pending
    assert cells(html, "on-site seat")[:6] == ["3", "1", "2", "0", "2", "0"]
    assert cells(html, "online seat")[:6] == ["2", "0", "1", "1", "0", "0"]
    assert '<caption class="kern-title">Seats per seat type</caption>' in html
    assert 'scope="col">Awaiting allocation</th>' in html  # not "Pending" ("Offen") beside "Free"


def test_the_event_page_offers_release_only_where_seats_are_reserved(staff_client, staff_event):
    response = staff_client.get(reverse("staff:event", args=[staff_event.slug]))

    assert [form.pool.seat_type for form in response.context["release_forms"]] == ["onsite"]
    assert reverse("staff:release", args=[staff_event.slug, "onsite"]) in response.content.decode()


def test_the_allocate_button_appears_for_deadline_events_once_the_deadline_passed(
    staff_client, staff_event, staff_deadline_event
):
    allocate = reverse("staff:allocate", args=[staff_deadline_event.slug])
    assert allocate in staff_client.get(reverse("staff:event", args=[staff_deadline_event.slug])).content.decode()
    first_come = staff_client.get(reverse("staff:event", args=[staff_event.slug])).content.decode()
    assert reverse("staff:allocate", args=[staff_event.slug]) not in first_come


def test_the_list_filters_by_status_seat_channel_and_search(staff_client, staff_event, staff_now):
    enter(staff_event, "Anna Web", seat="online", at=staff_now - timedelta(minutes=50))
    enter(staff_event, "Bernd Web", seat="online", at=staff_now - timedelta(minutes=40))
    enter(staff_event, "Carla Warte", seat="online", at=staff_now - timedelta(minutes=30))
    call = staff_now - timedelta(minutes=20)
    enter(staff_event, "Dieter Telefon", seat="onsite", channel="phone", email="", phone="0231 42", at=call)
    url = reverse("staff:registrations", args=[staff_event.slug])

    def names(**filters):
        return [registration.name for registration in staff_client.get(url, filters).context["page"]]

    assert names() == ["Anna Web", "Bernd Web", "Carla Warte", "Dieter Telefon"]
    assert names(status="waitlisted") == ["Carla Warte"]
    assert names(seat_type="onsite") == ["Dieter Telefon"]
    assert names(channel="phone") == ["Dieter Telefon"]
    assert names(q="bernd.web@EXAMPLE") == ["Bernd Web"]
    assert names(q="0231") == ["Dieter Telefon"]
    assert names(q="web", status="confirmed", seat_type="online", channel="web") == ["Anna Web", "Bernd Web"]


def test_the_list_is_ordered_by_receipt_or_by_name_from_its_column_headers(staff_client, staff_event, staff_now):
    for minutes, name in ((50, "Carla"), (40, "Anna"), (30, "Bernd")):
        enter(staff_event, name, seat="online", at=staff_now - timedelta(minutes=minutes))
    url = reverse("staff:registrations", args=[staff_event.slug])

    def listed(**query):
        response = staff_client.get(url, query)
        return [registration.name for registration in response.context["page"]], response.content.decode()

    by_receipt, html = listed()
    assert by_receipt == ["Carla", "Anna", "Bernd"]
    assert 'aria-sort="ascending"><a class="kern-link" href="?sort=-received">Received (Berlin)' in html
    assert listed(sort="-received")[0] == ["Bernd", "Anna", "Carla"]
    by_name, html = listed(sort="name", q="example.org", page="1")
    assert by_name == ["Anna", "Bernd", "Carla"]
    assert "Registrations by name, page 1 of 1" in html
    assert 'href="?sort=-name&amp;q=example.org"' in html  # the filters stay, the page does not
    assert '<input type="hidden" name="sort" value="name">' in html  # filtering keeps the order
    assert listed(sort="-name")[0] == ["Carla", "Bernd", "Anna"]
    assert listed(sort="email; drop table")[0] == by_receipt


def test_the_list_marks_registrations_that_share_an_address(staff_client, staff_event, staff_now):
    """Newcomer finding D6: a household or one person under varied names; organisers see it."""
    for minutes, name in ((50, "Dora Warteliste"), (40, "D. Warteliste"), (30, "Dora W.")):
        enter(staff_event, name, seat="online", email="dora@example.org", at=staff_now - timedelta(minutes=minutes))
    enter(staff_event, "Anna Web", seat="online", at=staff_now - timedelta(minutes=20))
    page = staff_client.get(reverse("staff:registrations", args=[staff_event.slug])).content.decode()
    assert "2 more registrations with this address" in cells(page, link_to(staff_event, "Dora W."))[0]
    assert "more registration" not in cells(page, link_to(staff_event, "Anna Web"))[0]
    assert "?q=dora%40example.org" in page


def link_to(event, name: str) -> str:
    registration = event.registrations.get(name=name)
    url = reverse("staff:registration", args=[event.slug, registration.pk])
    return f'<a class="kern-link" href="{url}">{name}</a>'


def test_an_unknown_filter_value_is_shown_as_an_error_and_ignored(staff_client, staff_event, staff_now):
    enter(staff_event, "Anna Web", seat="online", at=staff_now - timedelta(minutes=50))

    response = staff_client.get(
        reverse("staff:registrations", args=[staff_event.slug]), {"status": "gelöscht", "page": "x"}
    )

    assert response.status_code == 200
    assert "status" in response.context["filters"].errors
    assert [registration.name for registration in response.context["page"]] == ["Anna Web"]


def test_the_list_is_paginated_and_the_page_links_keep_the_filters(staff_client, staff_event, staff_now):
    for number in range(55):
        enter(staff_event, f"Person {number:02}", seat="online", at=staff_now - timedelta(minutes=100 - number))
    url = reverse("staff:registrations", args=[staff_event.slug])

    first = staff_client.get(url, {"status": "waitlisted"})
    second = staff_client.get(url, {"status": "waitlisted", "page": 2})

    assert first.context["page"].paginator.count == 53
    assert len(first.context["page"]) == 50
    assert 'href="?status=waitlisted&amp;page=2"' in first.content.decode()
    assert [registration.name for registration in second.context["page"]] == ["Person 52", "Person 53", "Person 54"]
    assert 'href="?status=waitlisted&amp;page=1"' in second.content.decode()
    export = reverse("staff:export", args=[staff_event.slug])
    assert f'href="{export}?status=waitlisted"' in first.content.decode()


def test_the_registration_page_shows_data_consents_and_history(staff_client, staff_organiser, staff_event, staff_now):
    early = enter(staff_event, "Frühe Person", seat="onsite", at=staff_now - timedelta(minutes=50))
    enter(staff_event, "Zweite Person", seat="onsite", at=staff_now - timedelta(minutes=45))
    waiting = enter(
        staff_event,
        "Anna Anruf",
        seat="onsite",
        channel="phone",
        email="",
        phone="+49 2305 1",
        at=staff_now - timedelta(minutes=40),
        actor=staff_organiser,
    )
    cancel(early, actor=staff_organiser, now=staff_now - timedelta(minutes=5), reason="verhindert")
    release_reserved(staff_event, "onsite", 1, actor=staff_organiser, now=staff_now)
    enter(staff_event, "Andere", seat="online", at=staff_now - timedelta(minutes=30))

    response = staff_client.get(reverse("staff:registration", args=[staff_event.slug, waiting.pk]))
    html = response.content.decode()

    assert "+49 2305 1" in html
    assert [(consent.kind, consent.recorded_by) for consent in response.context["consents"]] == [
        ("terms", staff_organiser),
        ("broadcast", staff_organiser),
    ]
    history = [(line.who, line.what, line.details, line.about_event) for line in response.context["history"]]
    assert (
        history
        == [
            ("orga", "Event created", "slug: digitalisierung", True),
            ("orga", "Registration received", "via phone, on-site seat, status: on the waiting list", False),
            ("system", "Moved up from the waiting list to a confirmed seat", "on-site seat", False),
            ("orga", "Reserved seats released", "1 × on-site seat", True),
        ]
        or history
    )
    assert "Andere" not in html
    assert "Cancel registration" in html


def test_the_history_names_citizens_who_registered_themselves(staff_client, staff_organiser, staff_event, staff_now):
    registration = enter(staff_event, "Erika Web", seat="online", at=staff_now - timedelta(minutes=50))
    cancel(registration, actor=None, now=staff_now, reason="")

    response = staff_client.get(reverse("staff:registration", args=[staff_event.slug, registration.pk]))

    history = [(line.who, line.what, line.details) for line in response.context["history"]][1:]
    assert history == [
        ("Erika Web (self-service)", "Registration received", "via web form, online seat, status: confirmed"),
        ("Erika Web (self-service)", "Registration cancelled", "status before: confirmed"),
    ]
    assert "Cancel registration" not in response.content.decode()


def test_no_page_has_inline_styles_or_scripts(staff_client, staff_event, staff_now):
    registration = enter(staff_event, "Erika Web", seat="online", at=staff_now - timedelta(minutes=50))
    for url in (
        reverse("staff:dashboard"),
        reverse("staff:event", args=[staff_event.slug]),
        reverse("staff:registrations", args=[staff_event.slug]),
        reverse("staff:phone", args=[staff_event.slug]),
        reverse("staff:registration", args=[staff_event.slug, registration.pk]),
    ):
        response = staff_client.get(url)
        html = response.content.decode()
        assert "style=" not in html and "<style" not in html and "<script" not in html, url
        assert "Content-Security-Policy" in response.headers
        assert response["Cache-Control"].startswith("max-age=0, no-cache, no-store"), url


def test_a_seat_switch_in_the_history_reads_in_the_pages_language():
    entry = AuditEntry(
        action="registration.seat_switched",
        data={"from": "onsite", "to": "online", "previous_status": "confirmed", "status": "waitlisted", "seats": 1},
    )
    with translation.override("de"):
        german = details(entry)
    assert german.startswith("Platz vor Ort → Online-Platz, Status: ")
    assert not {"onsite", "online", "confirmed", "waitlisted"} & set(german.replace(",", " ").split())
