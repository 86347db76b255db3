"""A citizen asks for the data held about an address, gets a signed link by mail, sees and
downloads the data, and can have it erased."""

import json
import re
import time
from unittest import mock

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.models import AuditEntry
from registrations.links import DATA_ACCESS_SALT, MANAGE_SALT
from registrations.mail.compose import render
from registrations.models import DataAccessRequest, MailKind, MailState, OutboxMail, Registration, Status
from registrations.outbox.delivery import deliver_due
from registrations.privacy.services import purge_expired
from tests.privacy.privacy_helpers import end_event, idea_with_address, intake_mail_from, register

pytestmark = pytest.mark.django_db

ADDRESS = "Lotte.Kranichfeld@example.org"


def ask(client, address):
    return client.post(reverse("privacy:request"), {"email": address})


def link_sent_to(address) -> str:
    mail = OutboxMail.objects.filter(kind=MailKind.DATA_ACCESS, to=address).latest("pk")
    text = render(mail).body
    return re.search(r"https?://\S+/daten/\S+/", text).group(0).split("8000", 1)[1]


@pytest.fixture
def lotte(make_event, person, now):
    event = make_event(format="onsite", onsite=1)
    registration = register(event, person(name="Lotte Kranichfeld", email=ADDRESS, phone="0171 2345678"), now=now)
    intake_mail_from(registration, now=now)
    idea_with_address(event, ADDRESS.lower(), now=now)
    return registration


def test_every_address_gets_the_same_neutral_answer_and_a_mail(client, lotte):
    known = ask(client, ADDRESS)
    unknown = ask(client, "niemand@example.org")
    assert known.status_code == unknown.status_code == 200
    assert known.content == unknown.content
    assert OutboxMail.objects.filter(kind=MailKind.DATA_ACCESS).count() == 2
    assert "Kranichfeld" not in known.text


def test_a_bad_address_is_refused_with_a_clear_error_and_nothing_is_sent(client):
    answer = ask(client, "kein-at-zeichen")
    assert answer.status_code == 422 and "kern-form-input__input--error" in answer.text
    assert not OutboxMail.objects.exists() and not DataAccessRequest.objects.exists()


def test_asking_too_often_is_rate_limited(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "data_export": (2, 3600)}
    assert [ask(client, f"a{n}@example.org").status_code for n in range(3)] == [200, 200, 429]
    assert OutboxMail.objects.count() == 2


def test_the_link_shows_and_downloads_everything_held_about_the_address(client, lotte):
    ask(client, ADDRESS.upper())
    link = link_sent_to(ADDRESS.upper())

    page = Client().get(link)
    assert page.status_code == 200 and page["Cache-Control"] == "private, no-store"
    assert "Lotte Kranichfeld" in page.text and "0171 2345678" in page.text and "Mehr Bänke" in page.text

    download = Client().get(link + "daten.json")
    data = json.loads(download.content)
    assert download["Content-Disposition"].startswith("attachment")
    assert data["registrations"][0]["name"] == "Lotte Kranichfeld"
    assert data["registrations"][0]["consents"][0]["text"] == "Ich bin einverstanden."
    assert data["intake_mails"][0]["sender_email"] == ADDRESS
    assert {mail["kind"] for mail in data["sent_mails"]} == {"confirmed", "data_access"}
    assert data["ideas"][0]["title"] == "Mehr Bänke"


def test_the_link_expires(client, lotte, settings):
    ask(client, ADDRESS)
    link = link_sent_to(ADDRESS)
    later = time.time() + (settings.DATA_ACCESS_LINK_DAYS * 86400) + 60
    with mock.patch("time.time", return_value=later):
        assert Client().get(link).status_code == 404


def test_the_link_cannot_be_turned_into_another_addresss_link(client, lotte):
    ask(client, ADDRESS)
    ask(client, "eve@example.org")
    link = link_sent_to("eve@example.org")
    lottes_request = DataAccessRequest.objects.get(email_normalized=ADDRESS.casefold())
    token = link.rstrip("/").rsplit("/", 1)[1]
    _payload, rest = token.split(":", 1)
    swapped = signing.dumps(str(lottes_request.public_id), salt="another purpose")
    tampered = signing.b64_encode(json.dumps(str(lottes_request.public_id)).encode()).decode() + ":" + rest
    manage_salted = signing.dumps(str(lottes_request.public_id), salt=MANAGE_SALT)
    for forged in (swapped, tampered, manage_salted, token[:-2] + "xx"):
        answer = Client().get(reverse("privacy:data", args=[forged]))
        assert answer.status_code == 404 and "Kranichfeld" not in answer.text
    assert signing.loads(token, salt=DATA_ACCESS_SALT) != str(lottes_request.public_id)


def test_erasure_cancels_coming_registrations_with_promotion_then_erases_everything(client, lotte, person, now):
    event = lotte.event
    waiting = register(event, person(name="Nächste Person"), now=now)
    assert waiting.status == Status.WAITLISTED
    ask(client, ADDRESS)
    link = link_sent_to(ADDRESS)

    assert Client().get(link + "loeschen/").status_code == 200
    refused = Client().post(link + "loeschen/", {})
    assert refused.status_code == 422 and Registration.objects.get(pk=lotte.pk).name == "Lotte Kranichfeld"
    done = Client().post(link + "loeschen/", {"confirm": "on"})

    assert done.status_code == 302 and done["Location"] == reverse("privacy:erased")
    lotte.refresh_from_db()
    waiting.refresh_from_db()
    assert lotte.status == Status.CANCELLED and lotte.name == "" and lotte.email == "" and lotte.phone == ""
    assert waiting.status == Status.CONFIRMED
    assert OutboxMail.objects.filter(registration=waiting, kind=MailKind.PROMOTED).exists()
    assert Client().get(link).status_code == 404  # the link went with the data
    entry = AuditEntry.objects.get(action="privacy.address_erased")
    assert entry.data["cancelled"] == 1 and "kranichfeld" not in json.dumps(entry.data).casefold()
    assert entry.actor_label == "citizen"


def test_the_cancellation_mail_still_goes_out_and_is_erased_after_it_went(client, lotte):
    ask(client, ADDRESS)
    Client().post(link_sent_to(ADDRESS) + "loeschen/", {"confirm": "on"})
    cancellation = OutboxMail.objects.get(kind=MailKind.CANCELLED)
    assert cancellation.state == MailState.QUEUED and cancellation.to == ADDRESS
    assert b"Lotte Kranichfeld" in bytes(cancellation.rendered)  # rendered before the name went

    assert deliver_due(now=timezone.now(), mail_ids=[cancellation.pk]).sent == 1
    purge_expired(now=timezone.now())
    cancellation.refresh_from_db()
    assert cancellation.to == "" and cancellation.rendered is None
    assert not OutboxMail.objects.filter(to__iexact=ADDRESS).exists()


def test_erasure_also_covers_registrations_of_past_events_without_cancelling_them(client, make_event, person, now):
    past = make_event(format="online")
    registration = register(past, person(seat="online", email=ADDRESS), now=now)
    end_event(past, days_ago=2)
    ask(client, ADDRESS)
    Client().post(link_sent_to(ADDRESS) + "loeschen/", {"confirm": "on"})
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED and registration.email == ""
    assert registration.personal_data_erased_at is not None
    assert not AuditEntry.objects.filter(action="registration.cancelled", target_id=registration.pk).exists()


@pytest.mark.parametrize(
    ("prefix", "words"),
    [
        (
            "",
            ["bestätigt", "vor Ort", "Webformular", "allgemeine Teilnahmebedingungen", "eingewilligt am", "(wartet)"],
        ),
        ("/en", ["confirmed", "on-site seat", "web form", "general terms", "agreed on"]),
    ],
)
def test_the_page_names_statuses_and_shows_times_in_berlin_not_codes(client, lotte, prefix, words):
    ask(client, ADDRESS)
    page = Client().get(prefix + link_sent_to(ADDRESS)).text
    page = page[page.index('id="registrations-heading"') : page.index('id="ideas-heading"')]
    for word in words:
        assert word in page, word
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", page), "an ISO timestamp is shown"
    assert "onsite" not in page and ", web" not in page
