"""Reading single mails, the import command, and the organisers' inbox page."""

import mailbox
from datetime import timedelta

import pytest
from django.core.management import call_command

from registrations.intake.models import IntakeMail
from registrations.intake.parsing import UnreadableMail, parse_mail
from registrations.intake.services import process_raw_mail
from registrations.models import Registration
from tests.registrations.mail_corpus import plain


def test_name_comes_from_the_signature_when_the_sender_has_no_display_name():
    body = "Hallo,\nich komme.\n\nMit freundlichen Grüßen\nEva Zimmer\n"
    parsed = parse_mail(plain("eva@example.org", "Anmeldung", body))
    assert parsed.sender_name == "Eva Zimmer"


def test_reply_to_wins_over_from():
    parsed = parse_mail(plain("Büro <office@example.org>", "x", "y", Reply_To="Eva <eva@example.org>"))
    assert (parsed.sender_email, parsed.sender_name) == ("eva@example.org", "Büro")


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"Auto_Submitted": "auto-replied"}, "auto-reply"),
        ({"List_Id": "<x.example.org>"}, "mailing list"),
        ({"Precedence": "bulk"}, "mailing list"),
        ({"X_Spam_Flag": "YES"}, "spam"),
    ],
)
def test_machines_are_recognised(headers, reason):
    assert parse_mail(plain("a@example.org", "Digitalisierung", "x", **headers)).ignore_reason == reason


def test_auto_submitted_no_is_a_person():
    assert parse_mail(plain("a@example.org", "x", "y", Auto_Submitted="no")).ignore_reason == ""


def test_a_20_mb_mail_is_unreadable():
    with pytest.raises(UnreadableMail, match="too large"):
        parse_mail(plain("a@example.org", "Digitalisierung 20.08.", "x" * (20 * 1024 * 1024)))


@pytest.mark.parametrize("charset", ["utf-8", "latin-1"])
def test_unencoded_umlauts_in_headers_are_read_as_the_writer_meant(charset):
    raw = "From: Jürgen Groß <j@example.org>\r\nSubject: Anmeldung für Trikala\r\n\r\nHallo\r\n".encode(charset)
    parsed = parse_mail(raw)
    assert (parsed.sender_name, parsed.subject) == ("Jürgen Groß", "Anmeldung für Trikala")


def test_encoded_words_are_decoded_across_folded_lines_and_unknown_charsets():
    raw = (
        b"From: =?utf-8?q?M=C3=BCller=2C_Hans?= <hans@example.org>\r\n"
        b"Subject: =?iso-8859-1?q?Anmeldung_f=FCr_?=\r\n =?x-unbekannt?q?Trikala?=\r\n\r\nHallo\r\n"
    )
    parsed = parse_mail(raw)
    assert (parsed.sender_name, parsed.subject) == ("Müller, Hans", "Anmeldung für Trikala")


def test_the_body_is_the_first_plain_text_part_never_an_attachment_or_attached_mail():
    raw = (
        b"From: <eva@example.org>\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n"
        b"--x\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=a.txt\r\n\r\nANHANG\r\n"
        b"--x\r\nContent-Type: message/rfc822\r\n\r\nFrom: a@example.org\r\n\r\nWEITERGELEITET\r\n"
        b"--x\r\nContent-Type: multipart/alternative; boundary=y\r\n\r\n"
        b"--y\r\nContent-Type: text/html\r\n\r\n<p>HTML</p>\r\n--y\r\nContent-Type: text/plain\r\n\r\nText\r\n"
        b"--y--\r\n--x--\r\n"
    )
    assert parse_mail(raw).text.strip() == "Text"


@pytest.mark.django_db
def test_the_record_keeps_when_the_mail_arrived_and_when_it_was_processed(make_event, now):
    make_event(format="online", keyword="Digitalisierung 31.08.")
    arrived = now - timedelta(hours=1)
    raw = plain("Eva <eva@example.org>", "Digitalisierung 31.08.", "Ich komme.")
    intake_mail = process_raw_mail(raw, received_at=arrived, source="test", now=now)
    intake_mail.refresh_from_db()
    assert (intake_mail.received_at, intake_mail.processed_at) == (arrived, now)
    assert intake_mail.registration.received_at == arrived


@pytest.mark.django_db
def test_a_mail_without_message_id_is_still_processed_once(make_event, now):
    event = make_event(format="online", keyword="Digitalisierung 31.08.")
    raw = plain("Eva <eva@example.org>", "Digitalisierung 31.08.", "Ich komme.").replace(b"Message-ID", b"X-Old-ID")
    assert process_raw_mail(raw, received_at=now, source="test", now=now).outcome == "registered"
    assert process_raw_mail(raw, received_at=now, source="test", now=now) is None
    assert Registration.objects.filter(event=event).count() == 1


@pytest.mark.django_db
def test_import_command_reads_eml_files_and_mbox_in_order_of_arrival(tmp_path, make_event, now):
    event = make_event(format="onsite", onsite=1, keyword="Digitalisierung 20.08.", opens=now - timedelta(days=5))
    late = plain("Late <late@example.org>", "Digitalisierung 20.08.", "x", Date="Mon, 16 Nov 2026 10:00:00 +0100")
    early = plain("Early <early@example.org>", "Digitalisierung 20.08.", "x", Date="Mon, 16 Nov 2026 09:00:00 +0100")
    (tmp_path / "late.eml").write_bytes(late)
    box = mailbox.mbox(tmp_path / "export.mbox")
    box.add(early)
    box.flush()
    event.registration_opens_at = now - timedelta(days=30)
    event.save()
    call_command("import_registrations", str(tmp_path / "late.eml"), str(tmp_path / "export.mbox"))
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses == {"early@example.org": "confirmed", "late@example.org": "waitlisted"}
    call_command("import_registrations", str(tmp_path / "late.eml"))
    assert IntakeMail.objects.count() == 2


@pytest.mark.django_db
class TestInboxPage:
    def mails(self, make_event, organiser, now):
        mine = make_event(format="online", keyword="Digitalisierung 31.08.", organiser=organiser)
        theirs = make_event(format="online", keyword="Trikala")
        registering = plain("A <a@example.org>", "Digitalisierung 31.08.", "x")
        process_raw_mail(registering, received_at=now, source="t", now=now)
        process_raw_mail(plain("B <b@example.org>", "Trikala", "x"), received_at=now, source="t", now=now)
        question = plain("C <c@example.org>", "Frage", "Wann?")
        unmatched = process_raw_mail(question, received_at=now, source="t", now=now)
        return mine, theirs, unmatched

    def test_organiser_sees_own_and_unassigned_mails(self, client, make_event, organiser, now):
        self.mails(make_event, organiser, now)
        client.force_login(organiser)
        html = client.get("/organisation/posteingang/").text
        assert "a@example.org" in html and "c@example.org" in html
        assert "b@example.org" not in html

    def test_organiser_assigns_an_unmatched_mail_and_it_keeps_its_time(self, client, make_event, organiser, now):
        mine, _, unmatched = self.mails(make_event, organiser, now)
        client.force_login(organiser)
        response = client.post(f"/organisation/posteingang/{unmatched.pk}/zuordnen/", {"event": mine.pk})
        assert response.status_code == 302
        registration = Registration.objects.get(email="c@example.org")
        assert (registration.event, registration.received_at, registration.channel) == (mine, now, "email")

    def test_cannot_assign_to_another_teams_event(self, client, make_event, organiser, now):
        _, theirs, unmatched = self.mails(make_event, organiser, now)
        client.force_login(organiser)
        response = client.post(f"/organisation/posteingang/{unmatched.pk}/zuordnen/", {"event": theirs.pk})
        assert response.status_code == 422
        assert not Registration.objects.filter(email="c@example.org").exists()

    def test_anonymous_and_citizens_are_kept_out(self, client, make_event, organiser, now, django_user_model):
        self.mails(make_event, organiser, now)
        assert client.get("/organisation/posteingang/").status_code == 302
        client.force_login(django_user_model.objects.create_user("citizen", password="x-secret-pass-1"))
        assert client.get("/organisation/posteingang/").status_code == 403


@pytest.mark.django_db
def test_a_mail_without_keyword_is_answered_with_the_open_events(make_event, now):
    from registrations.mail.compose import render
    from registrations.models import OutboxMail

    make_event(format="online", keyword="Digitalisierung 31.08.")
    process_raw_mail(
        plain("Eva <eva@example.org>", "Frage", "Wie melde ich mich an?"), received_at=now, source="t", now=now
    )
    reply = OutboxMail.objects.get(kind="intake_reply")
    message = render(reply).message()
    text = message.get_body(("plain",)).get_content()
    assert reply.to == "eva@example.org"
    assert "Digitalisierung 31.08." in text
    assert message["Auto-Submitted"] == "auto-generated"
    assert IntakeMail.objects.get().replied


@pytest.mark.django_db
def test_machines_get_no_answer(make_event, now):
    from registrations.models import OutboxMail

    make_event(format="online", keyword="Digitalisierung 31.08.")
    auto = plain("a@example.org", "Digitalisierung 31.08.", "Abwesend", Auto_Submitted="auto-replied")
    process_raw_mail(auto, received_at=now, source="t", now=now)
    assert not OutboxMail.objects.exists()
    assert IntakeMail.objects.get().outcome == "ignored"


@pytest.mark.django_db
def test_nul_characters_in_a_mail_are_left_out_and_the_mail_is_processed(make_event, now):
    """PostgreSQL stores no NUL in a text: a mail with one must not stop the intake."""
    event = make_event(format="online", keyword="Digitalisierung 31.08.")
    raw = plain("Eva\x00 Zimmer <eva@example.org>", "Digitalisierung\x00 31.08.", "Ich komme.\x00 Bis dann.")
    intake_mail = process_raw_mail(raw, received_at=now, source="test", now=now)
    intake_mail.refresh_from_db()
    assert intake_mail.outcome == "registered"
    assert intake_mail.body_excerpt.startswith("Ich komme. Bis dann.")
    assert "\x00" not in intake_mail.subject + intake_mail.sender_name
    assert Registration.objects.get(event=event).email == "eva@example.org"
