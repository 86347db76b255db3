"""Reading one raw mail into what the intake needs, tolerant of what citizens' mail programs
send: RFC 2047 subjects, HTML-only mails, forwarded mails, odd charsets."""

import email
import hashlib
import html
import re
from dataclasses import dataclass
from email import errors, policy
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

MAX_MAIL_BYTES = 10 * 1024 * 1024
BODY_LINES_SEARCHED = 15
SIGN_OFFS = re.compile(
    r"^(mit )?(freundlichen|besten|lieben|herzlichen|viele|liebe|beste)? ?(gr(ü|ue)(ß|ss)en|gr(ü|ue)(ß|ss)e|gru(ß|ss))"
    r"|^mfg\b|^(best|kind) regards|^regards|^cheers|^thanks",
    re.IGNORECASE,
)
# Defects after which we could only guess what the writer meant.
BROKEN_MIME = (
    errors.StartBoundaryNotFoundDefect,
    errors.CloseBoundaryNotFoundDefect,
    errors.MultipartInvariantViolationDefect,
    errors.InvalidBase64CharactersDefect,
    errors.InvalidBase64PaddingDefect,
    errors.InvalidBase64LengthDefect,
)
BOUNCE_SENDERS = re.compile(r"^(mailer-daemon|postmaster)@", re.IGNORECASE)


class UnreadableMail(Exception):
    """The mail cannot be understood; it is recorded as unreadable and never stops a batch."""


@dataclass(frozen=True)
class ParsedMail:
    message_key: str
    message_id: str
    sender_name: str
    sender_email: str
    subject: str
    text: str
    ignore_reason: str  # empty when the mail is a person writing to us

    @property
    def searchable_lines(self) -> list[str]:
        lines = [line.strip() for line in self.text.splitlines() if line.strip()]
        return [self.subject, *lines[:BODY_LINES_SEARCHED]]


def message_key(raw: bytes, message_id: str) -> str:
    if message_id:
        return message_id[:255]
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def parse_mail(raw: bytes) -> ParsedMail:
    if len(raw) > MAX_MAIL_BYTES:
        raise UnreadableMail(f"too large ({len(raw) // (1024 * 1024)} MB)")
    try:
        message = email.message_from_bytes(raw, policy=policy.default)
        message_id = str(message.get("Message-ID", "") or "").strip()
        subject = " ".join(str(message.get("Subject", "") or "").split())
        from_header = str(message.get("From", "") or "")
        reply_to = str(message.get("Reply-To", "") or "")
    except Exception as error:  # the email package raises many kinds on broken headers
        raise UnreadableMail(f"broken headers: {error}") from error
    from_name, from_address = parseaddr(from_header)
    if "@" not in from_address:
        raise UnreadableMail("no sender address")
    reply_addresses = [address for _name, address in getaddresses([reply_to]) if "@" in address]
    sender_email = (reply_addresses[0] if reply_addresses else from_address).strip()
    try:
        validate_email(sender_email)
    except ValidationError as error:
        raise UnreadableMail("invalid sender address") from error
    try:
        text = body_text(message)
    except Exception as error:
        raise UnreadableMail(f"unreadable body: {error}") from error
    return ParsedMail(
        message_key=message_key(raw, message_id),
        message_id=message_id,
        sender_name=from_name.strip() or signature_name(text),
        sender_email=sender_email,
        subject=subject,
        text=text,
        ignore_reason=ignore_reason(message, from_address),
    )


def ignore_reason(message: EmailMessage, from_address: str) -> str:
    """Why no person is waiting for an answer to this mail (never reply to machines)."""
    auto_submitted = str(message.get("Auto-Submitted", "no")).strip().lower()
    if auto_submitted and auto_submitted != "no":
        return "auto-reply"
    if message.get("X-Autoreply") or message.get("X-Autorespond"):
        return "auto-reply"
    if message.get_content_type() == "multipart/report" or BOUNCE_SENDERS.match(from_address):
        return "bounce"
    if message.get("List-Id") or str(message.get("Precedence", "")).strip().lower() in {"bulk", "list", "junk"}:
        return "mailing list"
    if str(message.get("X-Spam-Flag", "")).strip().upper() == "YES":
        return "spam"
    for part in message.walk():
        if part.get_content_type() == "text/calendar" and part.get_param("method", "").upper() == "REPLY":
            return "calendar reply"
    return ""


def body_text(message: EmailMessage) -> str:
    broken = [defect for part in message.walk() for defect in part.defects if isinstance(defect, BROKEN_MIME)]
    if broken:
        raise UnreadableMail(f"broken MIME: {type(broken[0]).__name__}")
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = decoded_content(part)
    if part.get_content_type() == "text/html":
        content = html_to_text(content)
    return content


def decoded_content(part) -> str:
    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:
        # An unknown charset name: plain UTF-8 text is still read; anything else we would only guess.
        try:
            return payload.decode("utf-8")
        except UnicodeDecodeError as error:
            raise UnreadableMail(f"unknown charset {charset!r}") from error


def html_to_text(markup: str) -> str:
    without_scripts = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.IGNORECASE | re.DOTALL)
    with_breaks = re.sub(r"<(br|/p|/div|/h\d|/li|/tr)\b[^>]*>", "\n", without_scripts, flags=re.IGNORECASE)
    return html.unescape(re.sub(r"<[^>]+>", " ", with_breaks))


def signature_name(text: str) -> str:
    """The line after a sign-off like "Viele Grüße", which is usually the writer's name."""
    lines = [line.strip() for line in text.splitlines()]
    for index, line in enumerate(lines):
        if SIGN_OFFS.match(line):
            for candidate in lines[index + 1 : index + 3]:
                if candidate and len(candidate) <= 80 and "@" not in candidate:
                    return candidate.strip(" ,")
    return ""
