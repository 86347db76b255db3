"""The name list checks people in by registration id, within the event: the id of another
event's registration is "unknown" and gives away neither its title nor its date (findings L1)."""

import pytest
from django.test import Client
from django.urls import reverse

from registrations import services
from registrations.checkin import services as checkin
from registrations.checkin.services import Outcome

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_teams(make_event, person, organiser, other_organiser, now):
    ours = make_event(format="onsite", onsite=5, organiser=organiser)
    theirs = make_event(
        format="onsite", onsite=5, organiser=other_organiser, title_de="Interne Klausur Verwaltungsreform"
    )
    guest = services.register(ours, person(), channel="web", received_at=now, now=now)
    stranger = services.register(theirs, person(), channel="web", received_at=now, now=now)
    theirs.status = "draft"
    theirs.save(update_fields=["status"])
    return ours, theirs, guest, stranger


def test_another_events_registration_id_is_unknown_and_stays_unchanged(two_teams, organiser, now):
    ours, _theirs, _guest, stranger = two_teams

    result = checkin.check_in_registration(ours, stranger.pk, actor=organiser, now=now)

    assert result.outcome == Outcome.UNKNOWN
    assert result.registration is None
    stranger.refresh_from_db()
    assert stranger.checked_in_at is None


def test_the_events_own_registration_is_still_found(two_teams, organiser, now):
    ours, _theirs, guest, _stranger = two_teams

    assert checkin.check_in_registration(ours, guest.pk, actor=organiser, now=now).outcome != Outcome.UNKNOWN


def page_for(user, event, registration) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.post(reverse("checkin:person", args=[event.slug, registration.pk]), HTTP_HX_REQUEST="true")


def test_the_door_page_names_neither_title_nor_date_of_another_teams_event(two_teams, organiser):
    ours, theirs, _guest, stranger = two_teams

    response = page_for(organiser, ours, stranger)

    assert response.status_code in (200, 302)
    page = Client()
    page.force_login(organiser)
    shown = page.get(reverse("checkin:page", args=[ours.slug])).text if response.status_code == 302 else response.text
    assert "Verwaltungsreform" not in shown
    assert theirs.title_de not in shown


def test_the_other_team_cannot_reach_the_door_of_this_event(two_teams, other_organiser):
    ours, _theirs, guest, _stranger = two_teams

    assert page_for(other_organiser, ours, guest).status_code == 404
    guest.refresh_from_db()
    assert guest.checked_in_at is None


def test_an_anonymous_caller_is_sent_to_the_login(two_teams):
    ours, _theirs, guest, _stranger = two_teams

    response = page_for(None, ours, guest)

    assert response.status_code == 302 and "/organisation/anmelden/" in response["Location"]
    guest.refresh_from_db()
    assert guest.checked_in_at is None
