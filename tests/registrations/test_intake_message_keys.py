"""Two different mails that share a Message-ID are both read; one mail read again (or
delivered twice) is recognised; and only the mails the server gave and the intake processed
are flagged done (findings L2). Against a real Dovecot where the server matters."""

from datetime import timedelta

import pytest

from registrations.intake import imap
from registrations.intake.imap import DONE_FLAG, fetch_new_mails, fetch_raw
from registrations.intake.models import IntakeMail
from registrations.intake.parsing import message_key
from registrations.models import Registration
from tests.registrations.dovecot import Dovecot
from tests.registrations.mail_corpus import plain

KEYWORD = "Digitalisierung 31.08."
SHARED_ID = "<b13@bad.example>"


@pytest.fixture(scope="module")
def dovecot():
    server = Dovecot.in_temporary_folder()
    yield server
    server.stop()


@pytest.fixture
def inbox(dovecot):
    dovecot.empty_inbox()
    return dovecot


@pytest.fixture
def event(make_event, now):
    return make_event(format="online", online=100, keyword=KEYWORD, opens=now - timedelta(days=15))


def registration_mail(sender: str, message_id: str = SHARED_ID) -> bytes:
    raw = plain(sender, f"Anmeldung {KEYWORD}", "Ich melde mich an.\n\nViele Grüße")
    return raw.replace(raw.split(b"Message-ID: ", 1)[1].split(b"\n", 1)[0], message_id.encode())


def append(dovecot, raws, now):
    with dovecot.account().connect() as mailbox:
        for minutes, raw in enumerate(raws):
            mailbox.append(raw, "INBOX", dt=now - timedelta(days=1) + timedelta(minutes=minutes), flag_set=[])


def unflagged(dovecot) -> list[str]:
    with dovecot.account().connect() as mailbox:
        return mailbox.uids(f"NOT KEYWORD {DONE_FLAG}")


@pytest.mark.django_db
def test_two_peoples_mails_with_one_message_id_are_both_registered(inbox, event, now):
    first = registration_mail("Hanna Html <html@example.net>")
    second = registration_mail("Otto Other <other-person@example.net>")
    append(inbox, [first, second], now)

    result = fetch_new_mails(inbox.account(), now=now)

    assert (result.processed, result.skipped) == (2, 0)
    assert set(Registration.objects.values_list("email", flat=True)) == {"html@example.net", "other-person@example.net"}
    assert IntakeMail.objects.filter(message_key__startswith=SHARED_ID).count() == 2
    assert unflagged(inbox) == []


@pytest.mark.django_db
def test_a_mail_delivered_twice_is_registered_once(inbox, event, now):
    mail = registration_mail("Hanna Html <html@example.net>")
    again = b"Received: from relay2.example.net by mx.stadt.example; Mon, 7 Dec 2026 01:00:00 +0100\r\n" + mail
    append(inbox, [mail, again], now)

    result = fetch_new_mails(inbox.account(), now=now)

    assert (result.processed, result.skipped) == (1, 1)
    assert Registration.objects.count() == 1
    assert unflagged(inbox) == []


@pytest.mark.django_db
def test_a_mail_the_server_does_not_give_stays_unflagged_and_is_read_next_time(inbox, event, now, monkeypatch):
    append(inbox, [registration_mail(f"Person {n} <p{n}@example.net>", f"<{n}@example.net>") for n in range(3)], now)
    withheld = sorted(unflagged(inbox), key=int)[1]

    def without_one(mailbox, uids):
        bodies = fetch_raw(mailbox, uids)
        bodies.pop(withheld, None)
        return bodies

    monkeypatch.setattr(imap, "fetch_raw", without_one)
    first = fetch_new_mails(inbox.account(), now=now)

    assert first.processed == 2
    assert unflagged(inbox) == [withheld]
    monkeypatch.undo()
    second = fetch_new_mails(inbox.account(), now=now)
    assert (second.processed, second.skipped) == (1, 0)
    assert Registration.objects.count() == 3
    assert unflagged(inbox) == []


class FetchAnswer:
    """imaplib's answer to `UID FETCH … (UID BODY.PEEK[])` when the server puts the UID after the
    literal (RFC 3501 leaves the order open; Dovecot puts it first)."""

    def __init__(self, data):
        self.client = self
        self.data = data

    def uid(self, *args):
        return "OK", self.data


def test_the_uid_is_found_after_the_literal_too():
    answer = FetchAnswer(
        [
            (b"1 (BODY[] {5}", b"first"),
            b" UID 7)",
            (b"2 (UID 9 BODY[] {6}", b"second"),
            b")",
            (b"3 (BODY[] {4}", b"lost"),
            b")",
        ]
    )

    assert fetch_raw(answer, ["7", "9", "11"]) == {"7": b"first", "9": b"second"}


def test_the_key_tells_different_mails_with_one_message_id_apart():
    first = registration_mail("A <a@example.net>")
    second = registration_mail("B <b@example.net>")

    assert message_key(first, SHARED_ID) != message_key(second, SHARED_ID)
    assert message_key(first, SHARED_ID).startswith(SHARED_ID)
    assert len(message_key(first, "<" + "x" * 400 + "@example.net>")) <= 255


def test_the_key_ignores_what_servers_add_on_the_way():
    mail = registration_mail("A <a@example.net>").replace(b"\r\n", b"\n")
    relayed = (
        b"Return-Path: <a@example.net>\r\nReceived: from a\r\n\tby b; Mon, 7 Dec 2026 01:00:00 +0100\r\n"
        b"Delivered-To: anmeldung@stadt.example\r\n" + mail.replace(b"\n", b"\r\n")
    )

    assert message_key(relayed, SHARED_ID) == message_key(mail, SHARED_ID)


def test_a_mail_without_message_id_is_known_by_its_digest():
    assert message_key(b"Subject: x\n\nbody", "").startswith("sha256:")
    assert message_key(b"Subject: x\n\nbody", "") != message_key(b"Subject: x\n\nother", "")
