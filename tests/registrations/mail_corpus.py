"""A mailbox like the city's: what people really send, each mail with what a person reading it
would do. Used by the intake tests against Dovecot and by bench/intake.py."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.header import Header
from email.message import EmailMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, make_msgid

FIRST_NAMES = ["Jürgen", "Anna", "Özlem", "Björn", "Maria", "Dimitris", "Käthe", "Luca", "Sören", "Fatma"]
LAST_NAMES = ["Müller", "Schmidt", "Yılmaz", "Weiß", "Papadopoulos", "Groß", "Kowalski", "Hoffmann"]


@dataclass
class CorpusMail:
    raw: bytes
    internal_date: datetime
    expect: str  # registered / ignored / no_keyword / unreadable / already_registered / refused
    email: str = ""
    name: str = ""
    event: str = ""  # key of the event in the test's keyword map
    seat: str = ""


def person(rng, index):
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    return f"{first} {last}", f"{first.lower()}.{index}@beispiel.de".replace("ü", "ue").replace("ö", "oe").replace(
        "ä", "ae"
    ).replace("ß", "ss").replace("ı", "i").replace("Ö", "oe")


def plain(sender, subject, body, **headers) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "digitalisierung@castrop-rauxel.de"
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="beispiel.de")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message.as_bytes()


def build_corpus(keywords: dict[str, str], *, size=200, start: datetime, seed=20) -> list[CorpusMail]:
    """`keywords` maps event keys to keywords: "onsite", "online", "hybrid" (open) and "closed"."""
    rng = random.Random(seed)
    mails = []
    start = start.replace(microsecond=0)  # IMAP INTERNALDATE has whole seconds
    dates = sorted(start + timedelta(seconds=rng.randint(0, 3 * 24 * 3600)) for _ in range(size))
    writers = []
    for index in range(size):
        when = dates[index]
        name, address = person(rng, index)
        kind = index % 20
        kw = keywords
        if kind in (0, 1, 2):
            raw = plain(f"{name} <{address}>", f"Anmeldung {kw['onsite']}", "Hallo,\nich melde mich an.\n")
            mails.append(CorpusMail(raw, when, "registered", address, name, "onsite", "onsite"))
        elif kind == 3:
            message = MIMEText("Ich möchte teilnehmen.", "plain", "utf-8")
            message["From"] = formataddr((name, address), charset="utf-8")
            message["Subject"] = Header(f"Anmeldung „{kw['onsite']}“", "utf-8").encode()
            message["Message-ID"] = make_msgid(domain="beispiel.de")
            mails.append(CorpusMail(message.as_bytes(), when, "registered", address, name, "onsite", "onsite"))
        elif kind == 4:
            html = f"<html><body><p>Guten Tag,</p><p>Stichwort: <b>{kw['online']}</b></p></body></html>"
            message = MIMEText(html, "html", "utf-8")
            message["From"] = formataddr((name, address), charset="utf-8")
            message["Subject"] = "Anmeldung"
            message["Message-ID"] = make_msgid(domain="beispiel.de")
            mails.append(CorpusMail(message.as_bytes(), when, "registered", address, name, "online", "online"))
        elif kind == 5:
            body = (
                f"Hier die Anmeldung meiner Frau.\n\n---------- Weitergeleitete Nachricht ----------\n"
                f"Von: Jemand <jemand@example.org>\nBetreff: {kw['online']}\n"
            )
            raw = plain(f"{name} <{address}>", f"WG: {kw['online']}", body)
            mails.append(CorpusMail(raw, when, "registered", address, name, "online", "online"))
        elif kind == 6:
            spaced = kw["online"].replace(" ", "   ").replace(".", "").lower()
            raw = plain(f"{name} <{address}>", f"AW: {spaced}", "Bin dabei.")
            mails.append(CorpusMail(raw, when, "registered", address, name, "online", "online"))
        elif kind == 7:
            raw = plain(address, "Anmeldung", f"Stichwort '{kw['onsite']}'\n\nViele Grüße\n{name}\n")
            mails.append(CorpusMail(raw, when, "registered", address, name, "onsite", "onsite"))
        elif kind == 8:
            reply_to = address.replace("@", ".privat@")
            raw = plain(
                f"{name} <{address}>", f"Re: {kw['hybrid']}", "Ich nehme online per Zoom teil.", Reply_To=reply_to
            )
            mails.append(CorpusMail(raw, when, "registered", reply_to, name, "hybrid", "online"))
        elif kind == 9:
            raw = plain(f"{name} <{address}>", kw["hybrid"], "Ich komme gern persönlich vor Ort.")
            mails.append(CorpusMail(raw, when, "registered", address, name, "hybrid", "onsite"))
        elif kind == 10:
            raw = plain(
                f"{name} <{address}>",
                f"Abwesenheitsnotiz: {kw['onsite']}",
                "Ich bin nicht im Büro.",
                Auto_Submitted="auto-replied",
            )
            mails.append(CorpusMail(raw, when, "ignored"))
        elif kind == 11:
            bounce = MIMEMultipart("report", report_type="delivery-status")
            bounce.attach(MIMEText(f"Delivery failed: {kw['onsite']}", "plain", "utf-8"))
            bounce["From"] = "MAILER-DAEMON@mail.beispiel.de"
            bounce["Subject"] = f"Undelivered Mail: {kw['onsite']}"
            bounce["Message-ID"] = make_msgid(domain="mail.beispiel.de")
            mails.append(CorpusMail(bounce.as_bytes(), when, "ignored"))
        elif kind == 12:
            raw = plain(
                f"Newsletter <news@{address.split('@')[1]}>",
                kw["onsite"],
                "Veranstaltungstipps",
                List_Id="<tipps.beispiel.de>",
                Precedence="bulk",
            )
            mails.append(CorpusMail(raw, when, "ignored"))
        elif kind == 13:
            invite = MIMEMultipart("alternative")
            invite.attach(MIMEText(f"Angenommen: {kw['online']}", "plain", "utf-8"))
            invite.attach(MIMEText("BEGIN:VCALENDAR\nMETHOD:REPLY\nEND:VCALENDAR", "calendar", "utf-8"))
            invite.get_payload()[1].set_param("method", "REPLY")
            invite["From"] = formataddr((name, address), charset="utf-8")
            invite["Subject"] = f"Angenommen: {kw['online']}"
            invite["Message-ID"] = make_msgid(domain="beispiel.de")
            mails.append(CorpusMail(invite.as_bytes(), when, "ignored"))
        elif kind == 14:
            raw = plain("Gewinnspiel <win@spam.example>", "Sie haben gewonnen!!!", "Klicken Sie hier.")
            mails.append(CorpusMail(raw, when, "no_keyword"))
        elif kind == 15:
            raw = plain(f"{name} <{address}>", f"Anmeldung {kw['closed']}", "Ich möchte kommen.")
            mails.append(CorpusMail(raw, when, "refused", address, name, "closed"))
        elif kind == 16 and writers:
            earlier_name, earlier_address = writers[0]
            raw = plain(f"{earlier_name} <{earlier_address}>", f"Nochmal: {kw['onsite']}", "Sicherheitshalber.")
            mails.append(CorpusMail(raw, when, "already_registered", earlier_address, earlier_name, "onsite"))
        elif kind == 17:
            raw = b"Subject: " + kw["onsite"].encode() + b"\r\nMessage-ID: <nofrom@x>\r\n\r\nAnmeldung ohne Absender"
            mails.append(CorpusMail(raw.replace(b"<nofrom@x>", make_msgid().encode()), when, "unreadable"))
        elif kind == 18:
            raw = (
                f"From: {address}\r\nSubject: {kw['onsite']}\r\nMessage-ID: {make_msgid()}\r\n"
                "Content-Type: text/plain; charset=x-unbekannt\r\n\r\n"
            ).encode() + "Grüße".encode("cp1252")
            mails.append(CorpusMail(raw, when, "unreadable"))
        else:
            raw = (
                f"From: {address}\r\nSubject: {kw['onsite']}\r\nMessage-ID: {make_msgid()}\r\n"
                'Content-Type: multipart/mixed; boundary="abc"\r\n\r\n--abc\r\nContent-Type: text/plain\r\n'
                "Content-Transfer-Encoding: base64\r\n\r\n@@@ kein base64 @@@"
            ).encode()
            mails.append(CorpusMail(raw, when, "unreadable"))
        if mails[-1].expect == "registered" and mails[-1].event == "onsite":
            writers.append((mails[-1].name, mails[-1].email))
    return mails
