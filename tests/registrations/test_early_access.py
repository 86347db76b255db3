"""A head start for registering (registrations/early_access.py): the holder of a personal link
registers before registration opens to all, through the same window rule and THE seat rule;
anyone else, and any link that is not right, gets the usual "not open yet"."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core import signing

from core.errors import DomainError
from events.models import AuditEntry
from registrations import submissions
from registrations.early_access import (
    LINK_PARAMETER,
    early_access_token,
    early_access_url,
    give_head_start,
    head_start_of_link,
    take_back_head_start,
)
from registrations.links import EARLY_ACCESS_SALT
from registrations.models import EarlyAccess, OutboxMail, Registration
from tests.factories import register, registration_data

pytestmark = pytest.mark.django_db

MEMBER = "mia.mitglied@example.org"


@pytest.fixture
def event(make_event, now, organiser):
    """Registration opens to all in two days; the event has two seats on site."""
    return make_event(format="onsite", onsite=2, opens=now + timedelta(days=2), organiser=organiser)


@pytest.fixture
def head_start(event, now, organiser):
    return give_head_start(event, now - timedelta(hours=1), actor=organiser, now=now)


def form(**overrides):
    values = {"name": "Mia Mitglied", "email": MEMBER, "seat_type": "onsite", "language": "de", "accept_terms": "on"}
    values.update(overrides)
    return {key: value for key, value in values.items() if value is not None}


def page_with(event, token: str = "") -> str:
    return f"{event.get_absolute_url()}?{LINK_PARAMETER}={token}" if token else event.get_absolute_url()


def test_the_holder_of_a_link_registers_before_registration_opens_to_all_and_gets_a_seat(client, event, head_start):
    token = early_access_token(head_start, MEMBER)
    page = client.get(page_with(event, token)).text
    assert f'action="/veranstaltungen/{event.slug}/anmelden/"' in page
    assert f'name="early_access" value="{token}"' in page
    assert "vor der Anmeldung für alle" in page  # the note that this is a head start

    response = client.post(f"/veranstaltungen/{event.slug}/anmelden/", form(early_access=token))

    assert response.status_code == 302 and response["Location"].endswith("/anmeldung-erhalten/")
    registration = Registration.objects.get()
    assert registration.status == "confirmed"
    assert OutboxMail.objects.get(registration=registration).kind == "confirmed"  # the same as anyone's


def test_the_link_is_the_event_page_with_the_token_and_names_no_address(event, head_start):
    url = early_access_url(head_start, MEMBER)
    assert f"{event.get_absolute_url()}?{LINK_PARAMETER}=" in url and url.endswith("#anmelden")
    assert "mia" not in url.lower()
    assert head_start_of_link(event, parse_qs(urlsplit(url).query)[LINK_PARAMETER][0]) == head_start


def test_without_a_link_the_page_says_when_registration_opens_and_a_registration_is_refused(client, event, head_start):
    page = client.get(event.get_absolute_url()).text
    assert "Die Anmeldung öffnet am" in page and 'name="early_access"' not in page

    response = client.post(f"/veranstaltungen/{event.slug}/anmelden/", form())

    assert response.status_code == 409 and "Die Anmeldung ist noch nicht geöffnet." in response.text
    assert not Registration.objects.exists()


def expired_token(head_start, now) -> str:
    with time_machine.travel(now - timedelta(days=800), tick=False):
        return early_access_token(head_start, MEMBER)


def other_events_token(head_start, now) -> str:
    other_event = EarlyAccess.objects.create(
        event=type(head_start.event).objects.exclude(pk=head_start.event_id).get(), opens_at=now, changed_at=now
    )
    return early_access_token(other_event, MEMBER)


def taken_back_token(head_start, now) -> str:
    token = early_access_token(head_start, MEMBER)
    take_back_head_start(head_start, actor=None, now=now)
    return token


BAD_LINKS = {
    "forged": lambda head_start, now: "kein-echter-link",
    "tampered": lambda head_start, now: early_access_token(head_start, MEMBER)[:-2] + "xx",
    "signed for another purpose": lambda head_start, now: signing.dumps(
        {"w": head_start.pk, "a": "x"}, salt="stadtdialog.registrations.manage"
    ),
    "not a head start": lambda head_start, now: signing.dumps(["x", 1], salt=EARLY_ACCESS_SALT),
    "expired": expired_token,
    "of another event": other_events_token,
    "taken back": taken_back_token,
}


@pytest.mark.parametrize("kind", BAD_LINKS)
def test_a_link_that_is_not_right_gets_the_usual_not_open_yet(client, event, head_start, make_event, now, kind):
    make_event(format="onsite", opens=now + timedelta(days=2))  # another event
    token = BAD_LINKS[kind](head_start, now)

    page = client.get(page_with(event, token))
    response = client.post(f"/veranstaltungen/{event.slug}/anmelden/", form(early_access=token))

    assert page.status_code == 200 and "Die Anmeldung öffnet am" in page.text and 'name="early_access"' not in page.text
    assert response.status_code == 409 and "Die Anmeldung ist noch nicht geöffnet." in response.text
    assert not Registration.objects.filter(event=event).exists()


def test_a_link_used_with_another_address_is_refused_at_the_field_with_the_entries_kept(client, event, head_start):
    token = early_access_token(head_start, MEMBER)

    response = client.post(
        f"/veranstaltungen/{event.slug}/anmelden/", form(email="jemand.anders@example.org", early_access=token)
    )

    assert response.status_code == 422 and 'id="id_email_error"' in response.text
    assert 'value="Mia Mitglied"' in response.text and f'value="{token}"' in response.text
    assert not Registration.objects.exists()


def test_a_head_start_before_it_begins_opens_nothing(client, event, now, organiser):
    later = give_head_start(event, now + timedelta(days=1), actor=organiser, now=now)
    token = early_access_token(later, MEMBER)
    assert not submissions.registration_is_open(event, now, later)
    page = client.get(page_with(event, token)).text
    assert "Mit Ihrer Einladung können Sie sich ab" in page and 'name="early_access"' not in page
    assert client.post(f"/veranstaltungen/{event.slug}/anmelden/", form(early_access=token)).status_code == 409


def test_early_registrants_take_the_seats_first_and_the_public_then_waits(event, head_start, now):
    for number in (1, 2):
        address = f"mitglied{number}@example.org"
        data = registration_data(number, email=address, early_access=early_access_token(head_start, address))
        assert register(event, data, now).status == "confirmed"
    opened = event.registration_opens_at + timedelta(minutes=1)

    public = register(event, registration_data(3), opened, received_at=opened)

    assert public.status == "waitlisted" and public.waitlist_position == 1
    assert Registration.objects.filter(event=event, status="confirmed").count() == 2  # the cap holds


def test_a_head_start_must_begin_before_registration_opens_to_all(event, now, organiser):
    with pytest.raises(DomainError) as refused:
        give_head_start(event, event.registration_opens_at, actor=organiser, now=now)
    assert (refused.value.code, refused.value.field) == ("head_start_after_opening", "opens_at")
    assert not EarlyAccess.objects.exists()


def test_no_head_start_once_registration_is_open_to_all(event, organiser):
    opened = event.registration_opens_at + timedelta(minutes=1)
    with pytest.raises(DomainError) as refused:
        give_head_start(event, event.registration_opens_at - timedelta(days=1), actor=organiser, now=opened)
    assert refused.value.code == "registration_open_to_all" and not EarlyAccess.objects.exists()


def test_moving_a_head_start_keeps_the_links_and_writes_an_audit_line(event, head_start, now, organiser):
    token = early_access_token(head_start, MEMBER)
    moved = give_head_start(event, now + timedelta(hours=5), head_start=head_start, actor=organiser, now=now)
    assert moved.pk == head_start.pk and head_start_of_link(event, token).opens_at == now + timedelta(hours=5)
    assert AuditEntry.objects.filter(action="registration.head_start_given", event=event).count() == 2


def test_taking_a_head_start_back_keeps_the_early_registrations_and_writes_an_audit_line(
    event, head_start, now, organiser
):
    token = early_access_token(head_start, MEMBER)
    early = register(event, registration_data(1, email=MEMBER, early_access=token), now)
    head_start_id = head_start.pk

    take_back_head_start(head_start, actor=organiser, now=now)

    assert not EarlyAccess.objects.exists() and head_start_of_link(event, token) is None
    assert not submissions.registration_is_open(event, now)
    early.refresh_from_db()
    assert early.status == "confirmed"
    audit = AuditEntry.objects.get(action="registration.head_start_taken_back")
    assert (audit.event, audit.actor, audit.target_id) == (event, organiser, head_start_id)
