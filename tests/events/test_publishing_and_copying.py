"""Publishing checks what a public event needs; copies and series take everything but the
registrations; a draft's page is a preview for its team only."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from events import copying, publishing
from events.models import AuditEntry, Event, EventMember, Role
from events.questions import QuestionData, add_question
from events.services import SeatPlan, VenueData, update_event
from tests.factories import EventFactory, agreement, make_user
from tests.registrations.staff_helpers import client_of, enter

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser():
    return make_user("orga")


@pytest.fixture
def draft(organiser):
    return EventFactory(format="hybrid", actor=organiser, terms=agreement())(
        status="draft", description_de="Wir sprechen über den Markt.", slug="markt", keyword="Markt"
    )


def test_a_complete_draft_is_published_with_an_audit_line(draft, organiser):
    assert publishing.missing_for_publication(draft, now=timezone.now()) == []
    publishing.publish_event(draft, actor=organiser, now=timezone.now())
    draft.refresh_from_db()
    assert draft.status == "published"
    assert AuditEntry.objects.filter(event=draft, action="event.updated", data__status="published").exists()


def test_an_incomplete_draft_is_refused_with_what_is_missing_and_stays_a_draft(draft, organiser):
    update_event(draft, {"description_de": ""}, actor=organiser, now=timezone.now())
    update_event(draft, {}, seats={"online": SeatPlan(5, 5)}, actor=organiser, now=timezone.now())
    missing = publishing.missing_for_publication(Event.objects.get(pk=draft.pk), now=timezone.now())
    assert [item.section for item in missing] == ["basics", "seats"]
    with pytest.raises(DomainError) as refused:
        publishing.publish_event(draft, actor=organiser, now=timezone.now())
    assert refused.value.code == "incomplete"
    assert Event.objects.get(pk=draft.pk).status == "draft"


def test_a_published_event_goes_back_to_draft_only_while_nobody_registered(draft, organiser):
    now = timezone.now()
    publishing.publish_event(draft, actor=organiser, now=now)
    publishing.unpublish_event(draft, actor=organiser, now=now)
    assert Event.objects.get(pk=draft.pk).status == "draft"
    publishing.publish_event(draft, actor=organiser, now=now)
    enter(Event.objects.get(pk=draft.pk), "Erika Muster", at=now)
    with pytest.raises(DomainError) as refused:
        publishing.unpublish_event(draft, actor=organiser, now=now)
    assert refused.value.code == "has_registrations"
    assert Event.objects.get(pk=draft.pk).status == "published"


def test_a_copy_takes_everything_but_registrations_and_keyword_and_is_a_draft(draft, organiser):
    now = timezone.now()
    helper = make_user("helfer")
    EventMember.objects.create(event=draft, user=helper, role=Role.CHECK_IN)
    add_question(draft, QuestionData(kind="text", label_de="Woher kommen Sie?"), actor=organiser, now=now)
    update_event(draft, {"interpretation_languages": ["de", "uk"]}, actor=organiser, now=now)
    publishing.publish_event(draft, actor=organiser, now=now)
    enter(Event.objects.get(pk=draft.pk), "Erika Muster", at=now)
    source = Event.objects.get(pk=draft.pk)

    copy = copying.copy_event(source, starts_at=source.starts_at + timedelta(days=7), actor=organiser, now=now)

    assert copy.status == "draft" and copy.slug != source.slug
    assert copy.keyword == "" and copy.title_de == source.title_de
    assert copy.registration_closes_at - source.registration_closes_at == timedelta(days=7)
    assert copy.interpretation_languages == ["de", "uk"]
    assert copy.venue_id == source.venue_id
    assert {(p.seat_type, p.capacity, p.confirmed) for p in copy.seat_pools.all()} == {
        ("onsite", 40, 0),
        ("online", 40, 0),
    }
    assert copy.registrations.count() == 0
    assert [q.label_de for q in copy.questions.all()] == ["Woher kommen Sie?"]
    assert copy.current_terms().text_de == source.current_terms().text_de
    assert EventMember.objects.get(event=copy, user=helper).role == Role.CHECK_IN
    assert AuditEntry.objects.filter(event=copy, action="event.copied", data__from=source.slug).exists()


def test_a_series_makes_one_event_per_date_at_the_same_time_of_day(draft, organiser):
    now = timezone.now()
    first = (draft.starts_at + timedelta(days=30)).date()
    days = [first, first + timedelta(days=7), first + timedelta(days=14)]
    made = copying.create_series(draft, days, publish=True, actor=organiser, now=now)
    assert [timezone.localtime(e.starts_at).date() for e in made] == days
    times = {f"{timezone.localtime(e.starts_at):%H:%M}" for e in made}
    assert times == {f"{timezone.localtime(draft.starts_at):%H:%M}"}
    assert {e.status for e in made} == {"published"}


def test_a_series_with_a_date_in_the_past_makes_no_event_at_all(draft, organiser):
    count = Event.objects.count()
    future = (draft.starts_at + timedelta(days=30)).date()
    with pytest.raises(DomainError) as refused:
        copying.create_series(draft, [future, date(2020, 1, 1)], publish=False, actor=organiser, now=timezone.now())
    assert refused.value.code == "date_in_past"
    assert Event.objects.count() == count


def test_a_published_series_of_an_incomplete_event_is_refused_whole(draft, organiser):
    update_event(draft, {"description_de": ""}, actor=organiser, now=timezone.now())
    count = Event.objects.count()
    future = (draft.starts_at + timedelta(days=30)).date()
    with pytest.raises(DomainError) as refused:
        copying.create_series(draft, [future], publish=True, actor=organiser, now=timezone.now())
    assert refused.value.code == "incomplete"
    assert Event.objects.count() == count


def test_stated_accessibility_is_given_to_the_venue_and_unstated_keeps_it(draft, organiser):
    now = timezone.now()
    place = VenueData("Ratssaal", "Europaplatz 1, 44575 Castrop-Rauxel", "Rampe am Seiteneingang", True, True, False)
    update_event(draft, {}, venue=place, actor=organiser, now=now)
    venue = Event.objects.get(pk=draft.pk).venue
    assert (venue.step_free, venue.hearing_loop, venue.accessible_toilet) == (True, True, False)
    assert venue.accessibility_notes == "Rampe am Seiteneingang"
    update_event(draft, {}, venue=VenueData(venue.name, venue.address), actor=organiser, now=now)
    venue.refresh_from_db()
    assert venue.step_free and venue.accessibility_notes == "Rampe am Seiteneingang"


def test_the_team_previews_a_draft_and_everyone_else_gets_404(draft, organiser):
    page = draft.get_absolute_url()
    preview = client_of(organiser).get(page)
    assert preview.status_code == 200
    assert "Vorschau – nicht veröffentlicht" in preview.content.decode()
    assert preview["Cache-Control"] == "private, no-store"
    assert '<fieldset class="preview-form" disabled>' in preview.content.decode()
    register = reverse("registrations:register", args=[draft.slug])
    assert client_of(organiser).post(register, {"name": "Probe"}).status_code == 404
    assert client_of(make_user("nachbar")).get(page).status_code == 404
    assert client_of(None).get(page).status_code == 404


def test_a_published_page_shows_no_preview_banner(draft, organiser):
    publishing.publish_event(draft, actor=organiser, now=timezone.now())
    page = client_of(organiser).get(draft.get_absolute_url())
    assert "Vorschau" not in page.content.decode()
