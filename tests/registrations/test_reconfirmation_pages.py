"""The pages of reconfirmation: the citizen's link (confirm, give back, accept or decline an
offer) and what organisers see on the event page."""

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registrations import reconfirmation, services
from registrations.links import MANAGE_SALT, RECONFIRM_SALT, manage_path, manage_token, reconfirm_url
from registrations.models import Registration
from tests.factories import register
from tests.registrations.reconfirm_helpers import counters_match_rows, reconfirming, run_reconfirmation, statuses

pytestmark = pytest.mark.django_db


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


@pytest.fixture
def asked(make_event, person, now, organiser):
    """A full room of two (A, B asked to reconfirm), C and D waiting."""
    event = reconfirming(make_event(format="onsite", onsite=2, organiser=organiser), now=now, answer_hours=24)
    people = {name: register(event, person(name=name), now) for name in "ABCD"}
    run_reconfirmation(now=event.reconfirm_asked_at())
    for registration in people.values():
        registration.refresh_from_db()
    return event, people


def test_opening_the_link_changes_nothing_and_one_click_confirms(client, asked):
    event, people = asked
    path = path_of(reconfirm_url(people["A"]))
    with time_machine.travel(event.reconfirm_asked_at() + timedelta(hours=1), tick=False):
        page = client.get(path)
        assert page.status_code == 200
        assert page["Cache-Control"] == "private, no-store"
        assert 'value="confirm"' in page.text
        assert Registration.objects.get(pk=people["A"].pk).reconfirmed_at is None
        answered = client.post(path, {"answer": "confirm"}, follow=True)
    assert answered.status_code == 200
    people["A"].refresh_from_db()
    assert people["A"].reconfirmed_at == event.reconfirm_asked_at() + timedelta(hours=1)
    assert 'value="confirm"' not in answered.text


def test_giving_the_seat_back_offers_it_to_the_next(client, asked):
    event, people = asked
    with time_machine.travel(event.reconfirm_asked_at() + timedelta(hours=1), tick=False):
        client.post(path_of(reconfirm_url(people["B"])), {"answer": "decline"})
    assert statuses(event) == {"A": "confirmed", "B": "cancelled", "C": "offered", "D": "waitlisted"}
    assert counters_match_rows(event)


def test_the_offered_person_accepts_with_the_link_in_the_offer(client, asked):
    event, people = asked
    when = event.reconfirm_deadline() + timedelta(minutes=5)
    run_reconfirmation(now=event.reconfirm_deadline())
    offered = Registration.objects.get(pk=people["C"].pk)
    with time_machine.travel(when, tick=False):
        page = client.get(path_of(reconfirm_url(offered)))
        assert 'value="confirm"' in page.text
        client.post(path_of(reconfirm_url(offered)), {"answer": "confirm"})
    offered.refresh_from_db()
    assert (offered.status, offered.reconfirmed_at) == ("confirmed", when)


def test_accepting_after_the_offer_expired_is_refused_and_changes_nothing(client, asked):
    event, people = asked
    run_reconfirmation(now=event.reconfirm_deadline())
    offered = Registration.objects.get(pk=people["C"].pk)
    with time_machine.travel(offered.offer_expires_at + timedelta(minutes=1), tick=False):
        page = client.get(path_of(reconfirm_url(offered)))
        assert 'value="confirm"' not in page.text
        client.post(path_of(reconfirm_url(offered)), {"answer": "confirm"})
    offered.refresh_from_db()
    assert offered.status == "offered"  # released by the next run, never confirmed


@pytest.mark.parametrize("forge", ["other_salt", "tampered", "revoked"])
def test_forged_revoked_or_foreign_links_show_the_invalid_link_page_and_change_nothing(client, asked, forge, now):
    event, people = asked
    registration = people["A"]
    if forge == "other_salt":
        token = manage_token(registration, salt=MANAGE_SALT)
    elif forge == "tampered":
        token = signing.dumps([str(people["B"].public_id), 1], salt=RECONFIRM_SALT)[:-2] + "xx"
    else:
        token = manage_token(registration, salt=RECONFIRM_SALT)
        services.revoke_personal_links(registration, actor=None, now=now)
    path = reverse("registrations:reconfirm", args=[token])
    assert client.get(path).status_code == 404
    assert client.post(path, {"answer": "decline"}).status_code == 404
    assert statuses(event)["A"] == statuses(event)["B"] == "confirmed"


def test_the_manage_page_links_to_the_open_question(client, asked):
    event, people = asked
    with time_machine.travel(event.reconfirm_asked_at() + timedelta(hours=1), tick=False):
        page = client.get(manage_path(people["A"]))
    assert "/platz-bestaetigen/" in page.text


@pytest.fixture
def with_offers(asked):
    event, people = asked
    reconfirmation.reconfirm(people["A"], now=event.reconfirm_asked_at())
    run_reconfirmation(now=event.reconfirm_deadline())
    return event, people


def test_the_event_team_sees_who_reconfirmed_and_the_open_offers(client, with_offers, organiser):
    event, _people = with_offers
    client.force_login(organiser)
    page = client.get(reverse("staff:event", args=[event.slug]))
    assert page.status_code == 200
    html = page.text
    assert '<dd class="kern-description-list-item__value" id="reconfirm-reconfirmed">1</dd>' in html
    assert '<dd class="kern-description-list-item__value" id="reconfirm-released">1</dd>' in html
    offers = html.split('id="open-offers"', 1)[1].split("</table>", 1)[0]
    assert ">C</a>" in offers and ">D</a>" not in offers


def test_the_reconfirmation_section_costs_the_same_queries_with_more_offers(client, make_event, person, now, organiser):
    def page_queries(size):
        event = reconfirming(make_event(format="onsite", onsite=size, organiser=organiser), now=now, answer_hours=24)
        for _ in range(size * 2):
            register(event, person(), now)
        run_reconfirmation(now=event.reconfirm_asked_at())
        run_reconfirmation(now=event.reconfirm_deadline())
        client.force_login(organiser)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("staff:event", args=[event.slug])).status_code == 200
        return len(queries)

    assert page_queries(2) == page_queries(6)


def test_another_team_and_anonymous_do_not_see_the_status(client, with_offers, other_organiser):
    event, _people = with_offers
    path = reverse("staff:event", args=[event.slug])
    assert client.get(path).status_code == 302
    client.force_login(other_organiser)
    assert client.get(path).status_code == 404  # the staff pages do not tell other teams the event exists


def test_the_registration_list_tells_who_reconfirmed_and_whose_offer_is_open(client, with_offers, organiser):
    event, _people = with_offers
    client.force_login(organiser)
    html = client.get(reverse("staff:registrations", args=[event.slug])).text
    rows = {row.split("</a>", 1)[0].rsplit(">", 1)[1]: row for row in html.split('scope="row">')[1:]}
    assert "Teilnahme bestätigt am" in rows["A"]
    assert "Angebot offen bis" in rows["C"]
    assert "Teilnahme bestätigt" not in rows["D"] and "Angebot" not in rows["D"]
