"""The event editor's pages: a new draft, the sections, publishing with its check, copy and series.
Rules are tested in tests/events/test_publishing_and_copying.py; permissions of every route in
tests/security/test_organiser_permissions_everywhere.py."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import AuditEntry, Event, EventMember, Role
from registrations.staff.editor.views import SECTIONS
from tests.factories import EventFactory, agreement, make_user
from tests.registrations.staff_helpers import client_of

pytestmark = pytest.mark.django_db


def berlin(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%dT%H:%M}"


@pytest.fixture
def organiser():
    return make_user("orga")


@pytest.fixture
def draft(organiser):
    return EventFactory(format="hybrid", actor=organiser, terms=agreement())(
        status="draft", description_de="Über den Markt.", slug="markt"
    )


def new_event_data(**changes):
    start = timezone.now() + timedelta(days=30)
    return {
        "title_de": "Bürgerdialog Stadtpark",
        "format": "hybrid",
        "starts_at": berlin(start),
        "ends_at": berlin(start + timedelta(hours=2)),
        "onsite_capacity": "40",
        "online_capacity": "20",
        "venue_name": "Ratssaal",
        "venue_address": "Europaplatz 1",
        **changes,
    }


def test_an_organiser_creates_a_draft_with_the_essentials(organiser):
    response = client_of(organiser).post(reverse("staff:new_event"), new_event_data())
    event = Event.objects.get(title_de="Bürgerdialog Stadtpark")
    assert response.status_code == 302 and response["Location"] == reverse("staff:edit", args=[event.slug])
    assert event.status == "draft"
    assert {(p.seat_type, p.capacity) for p in event.seat_pools.all()} == {("onsite", 40), ("online", 20)}
    assert EventMember.objects.get(event=event, user=organiser).role == Role.ORGANISER
    assert AuditEntry.objects.filter(event=event, action="event.created", actor=organiser).exists()


def test_a_new_event_ending_before_it_starts_is_refused_at_the_field_with_the_entries_kept(organiser):
    start = timezone.now() + timedelta(days=30)
    data = new_event_data(ends_at=berlin(start - timedelta(hours=1)))
    response = client_of(organiser).post(reverse("staff:new_event"), data)
    page = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_ends_at_error"' in page and "Die Veranstaltung muss nach ihrem Beginn enden." in page
    assert 'value="Bürgerdialog Stadtpark"' in page
    assert not Event.objects.filter(title_de="Bürgerdialog Stadtpark").exists()


def test_check_in_staff_may_not_create_events(draft):
    helper = make_user("helfer")
    EventMember.objects.create(event=draft, user=helper, role=Role.CHECK_IN)
    response = client_of(helper).post(reverse("staff:new_event"), new_event_data())
    assert response.status_code == 403
    assert not Event.objects.filter(title_de="Bürgerdialog Stadtpark").exists()
    dashboard = client_of(helper).get(reverse("staff:dashboard")).content.decode()
    assert reverse("staff:new_event") not in dashboard


def test_the_dashboard_offers_a_new_event_and_the_overview_an_edit_link(organiser, draft):
    client = client_of(organiser)
    assert reverse("staff:new_event") in client.get(reverse("staff:dashboard")).content.decode()
    assert (
        reverse("staff:edit", args=[draft.slug])
        in client.get(reverse("staff:event", args=[draft.slug])).content.decode()
    )


def test_every_section_page_opens_in_german_without_english_labels(organiser, draft):
    client = client_of(organiser)
    for section in SECTIONS:
        if section.form is None:
            continue
        response = client.get(reverse("staff:edit_section", args=[draft.slug, section.slug]))
        assert response.status_code == 200, section.slug
        page = response.content.decode()
        for english in ("Save", "registration opens at", "Seats:", "Interpretation languages"):
            assert f">{english}" not in page, (section.slug, english)


def test_a_bad_date_is_answered_at_the_field_and_nothing_changes(organiser, draft):
    url = reverse("staff:edit_section", args=[draft.slug, "termin"])
    response = client_of(organiser).post(
        url, {"starts_at": berlin(draft.starts_at), "ends_at": berlin(draft.starts_at - timedelta(hours=1))}
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_ends_at_error"' in page
    assert f'value="{berlin(draft.starts_at - timedelta(hours=1))}"' in page
    assert Event.objects.get(pk=draft.pk).ends_at == draft.ends_at


def test_the_venue_section_saves_structured_accessibility(organiser, draft):
    url = reverse("staff:edit_section", args=[draft.slug, "ort"])
    data = {"name": "DIEZE", "address": "Erinstraße 6", "step_free": "on", "accessible_toilet": "on"}
    response = client_of(organiser).post(url, {**data, "accessibility_notes": "Rampe links"})
    assert response.status_code == 302
    venue = Event.objects.get(pk=draft.pk).venue
    assert (venue.name, venue.step_free, venue.hearing_loop, venue.accessible_toilet) == ("DIEZE", True, False, True)
    assert AuditEntry.objects.filter(event=draft, action="event.updated", data__has_key="venue.accessibility").exists()


def test_interpretation_languages_are_chosen_from_the_list(organiser, draft):
    url = reverse("staff:edit_section", args=[draft.slug, "zoom"])
    client = client_of(organiser)
    assert client.post(url, {"interpretation_languages": ["uk", "ar"]}).status_code == 302
    assert Event.objects.get(pk=draft.pk).interpretation_languages == ["ar", "uk"]
    refused = client.post(url, {"interpretation_languages": ["xx"]})
    assert refused.status_code == 422
    assert Event.objects.get(pk=draft.pk).interpretation_languages == ["ar", "uk"]


def test_seats_with_more_reserved_than_capacity_are_refused_at_the_field(organiser, draft):
    url = reverse("staff:edit_section", args=[draft.slug, "plaetze"])
    data = {"onsite_capacity": "10", "onsite_reserved": "12", "online_capacity": "5", "online_reserved": "0"}
    response = client_of(organiser).post(url, data)
    assert response.status_code == 422 and 'id="id_onsite_reserved_error"' in response.content.decode()
    assert Event.objects.get(pk=draft.pk).seat_pool("onsite").capacity == 40


def test_publishing_an_incomplete_draft_lists_what_is_missing_with_links(organiser, draft):
    Event.objects.filter(pk=draft.pk).update(description_de="")
    client = client_of(organiser)
    response = client.post(reverse("staff:publish", args=[draft.slug]))
    assert response.status_code == 422
    assert reverse("staff:edit_section", args=[draft.slug, "grunddaten"]) in response.content.decode()
    assert Event.objects.get(pk=draft.pk).status == "draft"
    client.post(
        reverse("staff:edit_section", args=[draft.slug, "grunddaten"]), {"title_de": "Markt", "description_de": "Text"}
    )
    assert client.post(reverse("staff:publish", args=[draft.slug])).status_code == 302
    assert Event.objects.get(pk=draft.pk).status == "published"
    assert client.post(reverse("staff:unpublish", args=[draft.slug])).status_code == 302
    assert Event.objects.get(pk=draft.pk).status == "draft"


def test_copy_and_series_make_drafts_of_their_own(organiser, draft):
    client = client_of(organiser)
    start = draft.starts_at + timedelta(days=7)
    response = client.post(reverse("staff:copy", args=[draft.slug]), {"starts_at": berlin(start)})
    copy = Event.objects.exclude(pk=draft.pk).get()
    assert response["Location"] == reverse("staff:edit", args=[copy.slug]) and copy.status == "draft"
    days = [(draft.starts_at + timedelta(days=n)).date().isoformat() for n in (14, 21, 28)]
    data = {"date_1": days[0], "date_2": days[1], "date_3": days[2], "status": "drafts"}
    assert client.post(reverse("staff:series", args=[draft.slug]), data).status_code == 302
    assert Event.objects.filter(status="draft").count() == 5


def test_a_series_with_a_past_date_is_answered_at_the_dates(organiser, draft):
    data = {"date_1": "2020-01-01", "status": "drafts"}
    response = client_of(organiser).post(reverse("staff:series", args=[draft.slug]), data)
    assert response.status_code == 422 and 'id="id_date_1_error"' in response.content.decode()
    assert Event.objects.count() == 1


@pytest.mark.parametrize("role", [Role.CHECK_IN, Role.MODERATOR, Role.VIEWER])
def test_team_members_without_the_manage_capability_may_not_edit_publish_or_copy(draft, role):
    member = make_user("mitglied")
    EventMember.objects.create(event=draft, user=member, role=role)
    client = client_of(member)
    for name, args in [("edit", []), ("edit_section", ["grunddaten"]), ("copy", []), ("series", [])]:
        assert client.get(reverse(f"staff:{name}", args=[draft.slug, *args])).status_code == 403, name
    assert client.post(reverse("staff:publish", args=[draft.slug])).status_code == 403
    assert Event.objects.get(pk=draft.pk).status == "draft"
    assert Event.objects.count() == 1


def test_a_city_admin_outside_the_team_edits_the_event(draft):
    admin = make_user("zentrale", superuser=True)
    url = reverse("staff:edit_section", args=[draft.slug, "kanaele"])
    response = client_of(admin).post(url, {"keyword": "Markt 2027"})
    assert response.status_code == 302
    assert Event.objects.get(pk=draft.pk).keyword == "Markt 2027"
    assert AuditEntry.objects.filter(event=draft, actor=admin, action="event.updated").exists()
