"""Mails as mail and calendar programs read them, received by a real SMTP server and parsed with
the email package's strict policy and icalendar: the iMIP part where Outlook looks for it, 7-bit
calendar parts, DTSTAMP and SEQUENCE, the registrant's language, access links only in the
registrant's own entry, no invitation without a seat, and headers that unfold cleanly."""

import email
import email.policy
import re
from datetime import datetime, timedelta
from email.header import decode_header, make_header
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.utils import translation

from events import services as event_services
from registrations import services
from registrations.links import manage_url
from registrations.models import OutboxMail, Registration

pytest_plugins = ["tests.registrations.mail_fixtures"]
pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
JOIN_URL = "https://zoom.example/j/81234567890?pwd=NurFuerSie"


def register(after_commit, event, data, now):
    return after_commit(services.register, event, data, channel="web", received_at=now, now=now)


def strict(raw: bytes) -> email.message.EmailMessage:
    """Parsed as a strict reader would: any defect in the structure or a header raises."""
    return email.message_from_bytes(raw, policy=email.policy.strict)


def raw_mails_to(smtp_server, address: str) -> list[bytes]:
    return [
        raw
        for raw, (_sender, recipients) in zip(smtp_server.handler.raw, smtp_server.handler.envelopes, strict=True)
        if address in recipients
    ]


def calendar_parts(message) -> dict[str, email.message.EmailMessage]:
    """'alternative' and 'attachment': where each text/calendar part sits."""
    found = {}
    for part in message.walk():
        if part.is_multipart():
            for child in part.iter_parts():
                if child.get_content_type() == "text/calendar":
                    where = (
                        "attachment" if child.get_content_disposition() == "attachment" else part.get_content_subtype()
                    )
                    found[where] = child
    return found


def vevent_of(part) -> icalendar.Event:
    return icalendar.Calendar.from_ical(part.get_content()).walk("VEVENT")[0]


def test_the_invitation_is_an_alternative_body_and_an_attachment_both_seven_bit(
    smtp_server, after_commit, make_event, person, now
):
    event = make_event(format="onsite", title_de="Straßenbahn über die Brücke")
    register(after_commit, event, person(email="jonas@example.org"), now)

    [raw] = raw_mails_to(smtp_server, "jonas@example.org")
    message = strict(raw)
    parts = calendar_parts(message)

    assert set(parts) == {"alternative", "attachment"}
    alternative = next(p for p in message.walk() if p.get_content_type() == "multipart/alternative")
    assert [p.get_content_type() for p in alternative.iter_parts()] == [
        "text/plain",
        "multipart/related",
        "text/calendar",
    ]
    for part in parts.values():
        assert part.get_param("method") == "REQUEST"
        assert part["Content-Transfer-Encoding"] in ("quoted-printable", "base64")
        assert str(icalendar.Calendar.from_ical(part.get_content())["METHOD"]) == "REQUEST"
    assert parts["attachment"].get_filename() == "invite.ics"
    assert parts["alternative"].get_content() == parts["attachment"].get_content()
    assert "Straßenbahn über die Brücke" in str(vevent_of(parts["attachment"])["SUMMARY"])
    # 8-bit content is what a relay without 8BITMIME re-encodes, breaking the DKIM body hash.
    assert all(part["Content-Transfer-Encoding"] != "8bit" for part in message.walk() if not part.is_multipart())
    assert raw.isascii()


def test_the_cancellation_is_not_called_an_invitation_and_is_stamped_when_made(
    smtp_server, after_commit, deliver, make_event, person, now
):
    event = make_event(format="onsite")
    registered_at = now + timedelta(minutes=30)  # the event row was last changed at `now`
    registration = register(after_commit, event, person(email="jonas@example.org"), registered_at)
    later = registered_at + timedelta(hours=3, minutes=7)
    after_commit(services.cancel, registration, actor=None, now=later)
    deliver()

    invite, cancellation = (strict(raw) for raw in raw_mails_to(smtp_server, "jonas@example.org"))
    cancel_parts = calendar_parts(cancellation)

    assert cancel_parts["attachment"].get_filename() == "cancel.ics"
    assert {p.get_param("method") for p in cancel_parts.values()} == {"CANCEL"}
    request, cancel = vevent_of(calendar_parts(invite)["attachment"]), vevent_of(cancel_parts["attachment"])
    rows = OutboxMail.objects.filter(registration=registration).order_by("pk")
    assert [vevent.decoded("DTSTAMP") for vevent in (request, cancel)] == [
        row.created_at.replace(microsecond=0) for row in rows
    ]
    assert cancel.decoded("DTSTAMP") - request.decoded("DTSTAMP") == timedelta(hours=3, minutes=7)
    assert request.decoded("DTSTAMP") != event.updated_at.replace(microsecond=0)
    assert (request["SEQUENCE"], cancel["SEQUENCE"]) == (0, 1)


def test_the_entry_is_in_the_registrants_mail_language_not_the_page_language(
    smtp_server, after_commit, make_event, person, now
):
    event = make_event(format="onsite", title_en="Citizens' dialogue", description_en="What the city plans.")
    with translation.override("de"):  # registered on the German page, mails in English
        registration = register(after_commit, event, person(email="joerg@example.org", language="en"), now)

    vevent = vevent_of(calendar_parts(strict(raw_mails_to(smtp_server, "joerg@example.org")[0]))["attachment"])

    assert str(vevent["SUMMARY"]) == "Citizens' dialogue"
    assert str(vevent["DESCRIPTION"]) == "What the city plans."
    assert "/en/veranstaltungen/" in str(vevent["URL"])
    assert str(vevent["UID"]) == f"registration-{registration.public_id}@stadtdialog"


def test_an_online_seat_gets_its_join_link_and_personal_page_in_its_own_entry_only(
    smtp_server, after_commit, client, make_event, person, now
):
    access = {"online_join_url": JOIN_URL, "access_data_hours_before": None}
    event = event_services.update_event(make_event(format="hybrid"), access, actor=None, now=now)
    online = register(after_commit, event, person(seat="online", email="online@example.org"), now)
    register(after_commit, event, person(seat="onsite", email="onsite@example.org"), now)

    online_mails = [strict(raw) for raw in raw_mails_to(smtp_server, "online@example.org")]
    descriptions = [str(vevent_of(calendar_parts(m)["attachment"])["DESCRIPTION"]) for m in online_mails]
    locations = {str(vevent_of(calendar_parts(m)["attachment"])["LOCATION"]) for m in online_mails}
    onsite = vevent_of(calendar_parts(strict(raw_mails_to(smtp_server, "onsite@example.org")[0]))["attachment"])

    # The signed token carries its time of signing: compare the part that names the registration.
    token = manage_url(online).rstrip("/").rsplit("/", 1)[1].split(":")[0]
    assert all(JOIN_URL in text and f"/anmeldung/{token}:" in text for text in descriptions)
    assert locations == {"Online"}, "an online seat is not sent to the town hall"
    assert JOIN_URL not in str(onsite["DESCRIPTION"]) and "/anmeldung/" not in str(onsite["DESCRIPTION"])
    assert str(onsite["LOCATION"]) == "DIEZE, Erinstraße 6, Castrop-Rauxel"
    for path in ("/veranstaltungen.ics", f"/veranstaltungen/{event.slug}/kalender.ics", "/en/veranstaltungen.ics"):
        body = client.get(path).content
        assert b"zoom.example" not in body and token.encode() not in body and b"/anmeldung/" not in body


def test_a_waiting_or_pending_registration_gets_no_invitation_and_the_seat_brings_it(
    smtp_server, after_commit, deliver, make_event, person, now
):
    event = make_event(format="onsite", onsite=1)
    first = register(after_commit, event, person(email="first@example.org"), now)
    register(after_commit, event, person(email="second@example.org"), now)
    at_deadline = make_event(format="onsite", onsite=5, allocation="at_deadline")
    register(after_commit, at_deadline, person(email="pending@example.org"), now)

    waiting_mail = strict(raw_mails_to(smtp_server, "second@example.org")[0])
    pending_mail = strict(raw_mails_to(smtp_server, "pending@example.org")[0])
    assert calendar_parts(waiting_mail) == {} and calendar_parts(pending_mail) == {}
    assert "PARTSTAT" not in waiting_mail.as_string() and "PARTSTAT" not in pending_mail.as_string()
    assert "mit Ihrem Platz" in waiting_mail.get_body(("plain",)).get_content()

    after_commit(services.cancel, first, actor=None, now=now)
    services.allocate(at_deadline, actor=None, now=at_deadline.registration_closes_at + timedelta(minutes=1))
    deliver(now=at_deadline.registration_closes_at + timedelta(minutes=2))

    for address in ("second@example.org", "pending@example.org"):
        seated = vevent_of(calendar_parts(strict(raw_mails_to(smtp_server, address)[-1]))["attachment"])
        assert seated["STATUS"] == "CONFIRMED" and seated["ATTENDEE"].params["PARTSTAT"] == "ACCEPTED"
    waiting_cancelled = Registration.objects.get(email="second@example.org")
    after_commit(services.cancel, waiting_cancelled, actor=None, now=now)
    assert set(calendar_parts(strict(raw_mails_to(smtp_server, "second@example.org")[-1]))) == {
        "alternative",
        "attachment",
    }, "the entry it holds since the seat is removed"


def test_a_waiting_person_who_cancels_gets_no_calendar_cancellation(smtp_server, after_commit, make_event, person, now):
    event = make_event(format="onsite", onsite=1)
    register(after_commit, event, person(email="first@example.org"), now)
    waiting = register(after_commit, event, person(email="second@example.org"), now)

    after_commit(services.cancel, waiting, actor=None, now=now)

    cancelled = strict(raw_mails_to(smtp_server, "second@example.org")[-1])
    assert cancelled["Subject"].startswith("Ihre Anmeldung ist storniert")
    assert calendar_parts(cancelled) == {}
    assert "Kalender" not in cancelled.get_body(("plain",)).get_content()


def test_an_online_seat_in_a_hybrid_event_is_not_told_the_venue(smtp_server, after_commit, make_event, person, now):
    event = make_event(format="hybrid")
    register(after_commit, event, person(seat="online", email="online@example.org"), now)
    register(after_commit, event, person(seat="onsite", email="onsite@example.org"), now)

    online = strict(raw_mails_to(smtp_server, "online@example.org")[0])
    onsite = strict(raw_mails_to(smtp_server, "onsite@example.org")[0])

    for part in ("plain", "html"):
        assert "DIEZE" not in online.get_body((part,)).get_content()
        assert "DIEZE" in onsite.get_body((part,)).get_content()
    assert "Wo: Online" in online.get_body(("plain",)).get_content()


def unfolded_subject(raw: bytes) -> str:
    """The Subject as RFC 5322 unfolding (remove CRLF only) and RFC 2047 decoding give it."""
    header = re.search(rb"^Subject:(.*?)\r\n(?![ \t])", raw, re.MULTILINE | re.DOTALL).group(1)
    return str(make_header(decode_header(header.replace(b"\r\n", b"").decode("ascii").strip())))


@pytest.mark.parametrize("padding", range(0, 40, 3))
def test_a_long_subject_unfolds_without_double_spaces(smtp_server, after_commit, make_event, person, now, padding):
    title = "Wie Castrop-Rauxel " + "x" * padding + " digital wird, entsteht im Bürgerdialog über Straßen"
    event = make_event(format="onsite", title_de=title)
    register(after_commit, event, person(email="lang@example.org"), now)

    [raw] = raw_mails_to(smtp_server, "lang@example.org")

    expected = f"Ihr Platz ist bestätigt: {title}"
    assert str(strict(raw)["Subject"]) == expected
    assert unfolded_subject(raw) == expected
    assert max(len(line) for line in raw.split(b"\r\n")) <= 78


@pytest.mark.usefixtures("in_english")
def test_english_dates_in_mails_end_a_sentence_with_one_full_stop(
    smtp_server, deliver, make_event, person, organiser, now
):
    event = make_event(format="onsite", organiser=organiser)
    registration = services.register(event, person(email="clara@example.org"), channel="web", received_at=now, now=now)
    new_start = datetime(2027, 2, 17, 18, 0, tzinfo=BERLIN)
    event_services.move_event(
        event, starts_at=new_start, ends_at=new_start + timedelta(hours=2), actor=organiser, now=now
    )
    deliver()

    moved = strict(raw_mails_to(smtp_server, registration.email)[-1])
    text = moved.get_body(("plain",)).get_content()

    assert "to 17 February 2027, 18:00." in text
    assert ".." not in text.replace("...", "")
    assert "When: 17 February 2027, 18:00 – 20:00" in text
