"""The mails citizens get, received by a real SMTP server: both parts, the calendar entry, the QR
ticket, the consent terms, in the registrant's language."""

import io
from datetime import timedelta

import icalendar
import pytest
import zxingcpp
from PIL import Image

from registrations import services
from registrations.checkin.services import Outcome, check_in
from registrations.models import ConsentKind, MailKind, MailState, OutboxMail, Registration

from .mail_helpers import outbox_rows, parts_of

pytest_plugins = ["tests.registrations.mail_fixtures"]
pytestmark = [pytest.mark.usefixtures("in_english"), pytest.mark.django_db]


def register(after_commit, event, data, now):
    return after_commit(services.register, event, data, channel="web", received_at=now, now=now)


def calendar_of(message) -> icalendar.Calendar:
    part = parts_of(message)["text/calendar"]
    return icalendar.Calendar.from_ical(part.get_content())


def test_confirmation_arrives_with_both_parts_a_calendar_entry_and_a_qr_ticket_that_checks_in_once(
    smtp_server, after_commit, make_event, person, organiser, now
):
    event = make_event(format="onsite", broadcast=True, organiser=organiser)
    registration = register(after_commit, event, person(email="jonas@example.org"), now)

    [message] = smtp_server.messages
    row = OutboxMail.objects.get(registration=registration)
    assert row.state == MailState.SENT and row.kind == MailKind.CONFIRMED
    assert message["Message-ID"] == row.message_id
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["To"] == "jonas@example.org"
    parts = parts_of(message)
    assert {"text/plain", "text/html", "image/png", "text/calendar"} <= parts.keys()
    assert event.title in parts["text/plain"].get_content()

    png = parts["image/png"]
    content_id = png["Content-ID"].strip("<>")
    assert f"cid:{content_id}" in parts["text/html"].get_content()
    assert png.get_content_disposition() == "inline"
    related = next(part for part in message.walk() if part.get_content_type() == "multipart/related")
    assert [p.get_content_type() for p in related.iter_parts()] == ["text/html", "image/png"]

    [decoded] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.get_content())))
    assert decoded.text == registration.ticket_secret
    assert registration.name not in decoded.text and "@" not in decoded.text
    at_the_door = event.starts_at
    assert check_in(event, decoded.text, actor=organiser, now=at_the_door).outcome == Outcome.WELCOME
    assert check_in(event, decoded.text, actor=organiser, now=at_the_door).outcome == Outcome.ALREADY_CHECKED_IN

    calendar = calendar_of(message)
    assert str(calendar["method"]) == "REQUEST"
    assert parts["text/calendar"].get_param("method") == "REQUEST"
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["uid"]) == f"registration-{registration.public_id}@stadtdialog"
    assert vevent["sequence"] == 0
    assert vevent["dtstart"].params["TZID"] == "Europe/Berlin"
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert vevent.decoded("dtstart") == event.starts_at.replace(microsecond=0)


def test_every_confirmation_states_the_consent_terms_and_links_to_withdraw(
    smtp_server, after_commit, make_event, person, client, now
):
    event = make_event(format="onsite", broadcast=True)
    registration = register(after_commit, event, person(), now)
    text = parts_of(smtp_server.messages[0])["text/plain"].get_content()
    assert "I agree." in text and "Ich darf gefilmt werden." in text
    assert "version 1" in text or "Version 1" in text
    link = next(word for word in text.split() if "/einwilligung/" in word)
    path = link.split("8000", 1)[1]

    page = client.get(path)
    assert page.status_code == 200 and "Ich darf gefilmt werden." in page.text
    client.post(path)
    broadcast = registration.consents.get(kind=ConsentKind.BROADCAST)
    assert broadcast.withdrawn_at is not None
    assert registration.consents.get(kind=ConsentKind.TERMS).withdrawn_at is None


def test_the_consent_link_is_not_a_manage_link(client, make_event, person, now):
    from registrations.links import consent_url, manage_path

    event = make_event(format="onsite")
    registration = services.register(event, person(), channel="web", received_at=now, now=now)
    consent_token = consent_url(registration).rstrip("/").rsplit("/", 1)[1]
    assert client.get(f"/anmeldung/{consent_token}/").status_code == 404
    manage_token = manage_path(registration).rstrip("/").rsplit("/", 1)[1]
    assert client.get(f"/einwilligung/{manage_token}/").status_code == 404


def test_mails_are_in_the_registrants_language(smtp_server, after_commit, make_event, person, now):
    event = make_event(format="onsite")
    register(after_commit, event, person(email="de@example.org", language="de"), now)
    register(after_commit, event, person(email="en@example.org", language="en"), now)
    [german] = smtp_server.messages_to("de@example.org")
    [english] = smtp_server.messages_to("en@example.org")
    assert german["Content-Language"] == "de" and english["Content-Language"] == "en"
    assert 'lang="de"' in parts_of(german)["text/html"].get_content()
    assert 'lang="en"' in parts_of(english)["text/html"].get_content()
    assert "/en/anmeldung/" in parts_of(english)["text/plain"].get_content()
    assert "/en/" not in parts_of(german)["text/plain"].get_content()


def test_waiting_list_mail_points_to_the_live_place_and_moving_up_raises_the_sequence(
    smtp_server, after_commit, make_event, person, now
):
    event = make_event(format="onsite", onsite=1)
    first = register(after_commit, event, person(email="first@example.org"), now)
    register(after_commit, event, person(email="second@example.org"), now)
    [waiting] = smtp_server.messages_to("second@example.org")
    text = parts_of(waiting)["text/plain"].get_content()
    assert "You are on the waiting list." in text and "shows your current place" in text
    assert "number 1" not in text  # a merge may still move it (M5): the personal page tells
    assert "text/calendar" not in parts_of(waiting), "no calendar entry without a seat"

    after_commit(services.cancel, first, actor=None, now=now)

    [_confirmed, cancelled] = smtp_server.messages_to("first@example.org")
    cancel_calendar = calendar_of(cancelled)
    assert str(cancel_calendar["method"]) == "CANCEL"
    assert cancel_calendar.walk("VEVENT")[0]["sequence"] == 1
    assert cancel_calendar.walk("VEVENT")[0]["status"] == "CANCELLED"

    [_waiting, promoted] = smtp_server.messages_to("second@example.org")
    assert "A seat became free" in promoted["Subject"]
    promoted_event = calendar_of(promoted).walk("VEVENT")[0]
    assert (promoted_event["sequence"], promoted_event["status"]) == (1, "CONFIRMED")
    assert "image/png" in parts_of(promoted)


def test_cancelled_by_the_organisers_says_so(smtp_server, after_commit, make_event, person, organiser, now):
    event = make_event(format="onsite")
    registration = register(after_commit, event, person(email="x@example.org"), now)
    after_commit(services.cancel, registration, actor=organiser, now=now)
    assert "organisers have cancelled" in parts_of(smtp_server.messages[-1])["text/plain"].get_content()


def test_pending_until_the_deadline_then_told_the_result(smtp_server, after_commit, deliver, make_event, person, now):
    event = make_event(format="online", allocation="at_deadline", online=1)
    register(after_commit, event, person(seat="online", email="a@example.org"), now)
    register(after_commit, event, person(seat="online", email="b@example.org"), now)
    assert all("received your registration" in m["Subject"] for m in smtp_server.messages)
    services.allocate(event, actor=None, now=event.registration_closes_at + timedelta(minutes=1))
    deliver(now=event.registration_closes_at + timedelta(minutes=2))
    assert "confirmed" in smtp_server.messages_to("a@example.org")[-1]["Subject"]
    assert "waiting list" in smtp_server.messages_to("b@example.org")[-1]["Subject"]
    pending_mail, seated_mail = smtp_server.messages_to("a@example.org")
    assert "text/calendar" not in parts_of(pending_mail), "pending is no seat: no invitation yet"
    assert calendar_of(seated_mail).walk("VEVENT")[0]["sequence"] == 1
    assert all("text/calendar" not in parts_of(m) for m in smtp_server.messages_to("b@example.org"))


def test_phone_registrations_without_address_get_no_mail_row(make_event, person, organiser, now):
    event = make_event(format="onsite", organiser=organiser)
    services.register(
        event, person(email="", phone="02305 1234"), channel="phone", received_at=now, now=now, actor=organiser
    )
    assert outbox_rows() == []
    assert Registration.objects.get().ticket_code
