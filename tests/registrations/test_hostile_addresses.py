"""Addresses are checked in the form they are stored in: an address that outgrows its column when
normalised is refused at every way in, with a clear error, never a 500 (reliability H1)."""

import pytest

from core.addresses import MAX_ADDRESS_LENGTH, normalize_email, validate_address
from core.errors import DomainError
from ideas.services.capture import clean_contact
from registrations.intake.models import IntakeMail
from registrations.intake.services import RawMail, process_raw_mails
from registrations.models import DataAccessRequest, OutboxMail, Registration
from registrations.team.services import clean_address as team_address
from tests.factories import register

pytestmark = pytest.mark.django_db

# 227 characters, valid for Django's validator; 382 had it been case-folded (ß → ss).
ESZETT = "a" * 64 + "@" + ".".join(["ß" * 31] * 5) + ".de"
# 254 characters as typed, 255 once lower-cased: İ (U+0130) becomes i + a combining dot.
DOTTED = "a" * 63 + "@" + "İ" + "b" * 58 + "." + ".".join(["c" * 63] * 2) + ".de"


def test_the_poison_addresses_are_what_they_claim():
    assert len(ESZETT) == 227 and len(ESZETT.casefold()) == 382
    assert len(DOTTED) == MAX_ADDRESS_LENGTH and len(DOTTED.lower()) == MAX_ADDRESS_LENGTH + 1


def test_addresses_are_compared_lower_cased_and_an_eszett_stays_an_eszett():
    assert normalize_email("  Eva@Beispiel.DE ") == "eva@beispiel.de"
    assert normalize_email("eva@STRASSE.de") != normalize_email("eva@straße.de")
    validate_address(ESZETT)  # fits once it is no longer case-folded


def test_the_eszett_address_registers_and_is_stored_as_typed(make_event, person, now):
    registration = register(make_event(format="onsite"), person(email=ESZETT), now)
    registration.refresh_from_db()
    assert registration.email_normalized == ESZETT


def test_an_address_that_outgrows_its_column_when_normalised_is_refused_by_the_service(make_event, person, now):
    event = make_event(format="onsite")
    for channel in ("web", "phone", "email"):
        with pytest.raises(DomainError) as refusal:
            register(event, person(email=DOTTED), now, channel=channel)
        assert (refusal.value.code, refusal.value.status, refusal.value.field) == ("email_too_long", 422, "email")
    assert Registration.objects.count() == 0


def test_the_api_answers_422_with_a_code_for_an_address_too_long_when_normalised(client, make_event):
    event = make_event(format="onsite")
    payload = {"name": "Eszett", "email": DOTTED, "seat": "onsite", "accept_terms": True}
    response = client.post(f"/api/events/{event.slug}/registrations", payload, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert "254" in response.json()["detail"]
    assert Registration.objects.count() == 0


def test_the_web_form_shows_the_error_at_the_address(client, make_event):
    event = make_event(format="online")
    form = {"name": "Eszett", "email": DOTTED, "seat_type": "online", "language": "de", "companions": "0"}
    response = client.post(f"/veranstaltungen/{event.slug}/anmelden/", form | {"accept_terms": "on"})
    assert response.status_code == 422
    assert "höchstens 254 Zeichen" in response.text
    assert Registration.objects.count() == 0


def test_the_data_access_form_refuses_the_address_instead_of_failing(client):
    response = client.post("/datenauskunft/", {"email": DOTTED})
    assert response.status_code == 422
    assert "höchstens 254 Zeichen" in response.text
    assert DataAccessRequest.objects.count() == 0


def raw_mail(sender: str, number: int) -> bytes:
    return (
        f"From: {sender}\r\nSubject: Anmeldung Digitalisierung 31.08.\r\n"
        f"Message-ID: <m{number}@beispiel.de>\r\nContent-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\nIch komme.\r\n"
    ).encode()


def test_the_intake_answers_a_mail_from_such_an_address_and_registers_the_others_of_its_batch(make_event, now):
    event = make_event(format="online", keyword="Digitalisierung 31.08.")
    senders = ["Eva <eva@example.org>", f"Eszett <{DOTTED}>", "Olaf <olaf@example.org>"]
    mails = [RawMail(raw_mail(sender, number), now, "test") for number, sender in enumerate(senders)]
    outcomes = [mail.outcome for mail in process_raw_mails(mails, now=now)]
    assert outcomes == ["registered", "refused", "registered"]
    refused = IntakeMail.objects.get(outcome="refused")
    assert refused.detail.startswith("email_too_long")
    assert OutboxMail.objects.filter(kind="intake_reply", to=DOTTED).count() == 1
    assert Registration.objects.filter(event=event).count() == 2


def test_the_intake_records_a_sender_address_longer_than_any_column_as_unreadable(make_event, now):
    make_event(format="online", keyword="Digitalisierung 31.08.")
    too_long = "a" * 64 + "@" + ".".join(["b" * 63] * 3) + ".de"
    [intake_mail] = process_raw_mails([RawMail(raw_mail(too_long, 1), now, "test")], now=now)
    assert (intake_mail.outcome, intake_mail.detail) == ("unreadable", "sender address too long")
    assert Registration.objects.count() == 0


def test_the_other_ways_an_address_comes_in_refuse_it_with_a_code(now):
    for check in (lambda: clean_contact(DOTTED, True, now=now), lambda: team_address(DOTTED)):
        with pytest.raises(DomainError) as refusal:
            check()
        assert (refusal.value.code, refusal.value.status) == ("email_too_long", 422)
