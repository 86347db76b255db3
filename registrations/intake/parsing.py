"""Reading one raw mail into what the intake needs, tolerant of what citizens' mail programs
send: RFC 2047 subjects, HTML-only mails, forwarded mails, odd charsets.

Mails are parsed with the email package's compat32 policy and only the few headers the intake
reads are decoded: the modern policy builds a structured object for every header it is asked
about, which made parsing almost nine times slower (2.67 against 0.31 ms per mail, docs/benchmarks.md)."""

import codecs
import email
import hashlib
import html
import re
from dataclasses import dataclass
from email import errors
from email.header import decode_header, make_header
from email.message import Message
from email.policy import Compat32
from email.utils import getaddresses, parseaddr

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from core.addresses import MAX_ADDRESS_LENGTH

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


class _RawHeaders(Compat32):
    """compat32, except that headers come back as they stand in the mail (8-bit bytes as
    surrogate escapes) instead of as `Header` objects that replace those bytes."""

    def header_fetch_parse(self, name, value):
        return value


RAW_HEADERS = _RawHeaders()


class UnreadableMail(Exception):
    """The mail cannot be understood; it is recorded as unreadable and never stops a batch."""

    def __str__(self):  # the reason may quote the mail
        return without_nul(super().__str__())


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


# Added by the servers on the way, not by the sender: one mail delivered twice differs only here.
TRACE_HEADERS = frozenset({b"received", b"return-path", b"delivered-to", b"x-original-to"})
HEADER_END = re.compile(rb"\r?\n\r?\n")


def message_key(raw: bytes, message_id: str) -> str:
    """What recognises a mail read again: its Message-ID with a digest of what its sender wrote.
    The Message-ID alone is not enough: broken mail programs and form mailers reuse one for
    different people's mails, and each must be read."""
    if message_id:
        digest = hashlib.sha256(without_trace_headers(raw)).hexdigest()
        return f"{message_id[:180]} sha256:{digest}"
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def without_trace_headers(raw: bytes) -> bytes:
    end = HEADER_END.search(raw)
    head, body = (raw[: end.start()], raw[end.end() :]) if end else (raw, b"")
    fields: list[list[bytes]] = []
    for line in head.replace(b"\r\n", b"\n").split(b"\n"):
        if line[:1] in (b" ", b"\t") and fields:
            fields[-1].append(line)  # a folded header goes on
        else:
            fields.append([line])
    kept = [b"\n".join(field) for field in fields if field[0].split(b":", 1)[0].strip().lower() not in TRACE_HEADERS]
    return b"\n".join(kept) + b"\n\n" + body.replace(b"\r\n", b"\n")  # a file import may have no CR


def parse_mail(raw: bytes) -> ParsedMail:
    if len(raw) > MAX_MAIL_BYTES:
        raise UnreadableMail(f"too large ({len(raw) // (1024 * 1024)} MB)")
    try:
        message = email.message_from_bytes(raw, policy=RAW_HEADERS)
        message_id = header(message, "Message-ID").strip()
        subject = " ".join(header(message, "Subject").split())
        from_name, from_address = parseaddr(raw_header(message, "From"))
        reply_addresses = [a for _name, a in getaddresses([raw_header(message, "Reply-To")]) if "@" in a]
        from_name = decoded(from_name)
    except Exception as error:  # the email package raises many kinds on broken headers
        raise UnreadableMail(f"broken headers: {error}") from error
    if "@" not in from_address:
        raise UnreadableMail("no sender address")
    sender_email = (reply_addresses[0] if reply_addresses else from_address).strip()
    # An address too long for our columns even as written cannot be kept or answered; one that
    # only outgrows them when normalised is refused by the registration, with a reply.
    if len(sender_email) > MAX_ADDRESS_LENGTH:
        raise UnreadableMail("sender address too long")
    try:
        validate_email(sender_email)
    except ValidationError as error:
        raise UnreadableMail("invalid sender address") from error
    try:
        text = body_text(message)
    except Exception as error:
        raise UnreadableMail(f"unreadable body: {error}") from error
    message_id, subject, from_name, text = (without_nul(value) for value in (message_id, subject, from_name, text))
    return ParsedMail(
        message_key=message_key(raw, message_id),
        message_id=message_id,
        sender_name=from_name.strip() or signature_name(text),
        sender_email=sender_email,
        subject=subject,
        text=text,
        ignore_reason=ignore_reason(message, from_address),
    )


def without_nul(text: str) -> str:
    """NUL characters, which some mail programs leave in a text, cannot be stored (PostgreSQL
    refuses them in any text) and mean nothing to a reader."""
    return text.replace("\x00", "")


def parse_or_unreadable(raw: bytes) -> ParsedMail | UnreadableMail:
    """`parse_mail`, with the reason a mail is unreadable returned instead of raised."""
    try:
        return parse_mail(raw)
    except UnreadableMail as error:
        return error


def raw_header(message: Message, name: str) -> str:
    """The header as it stands in the mail, unfolded; 8-bit bytes that some mail programs put
    into headers against the standard are read as UTF-8 (or Latin-1 where that fails)."""
    unfolded = " ".join(str(message.get(name, "")).splitlines())
    try:
        unfolded.encode("utf-8")
    except UnicodeEncodeError:  # surrogate escapes stand for the undecodable 8-bit bytes
        eight_bit = unfolded.encode("ascii", "surrogateescape")
        try:
            return eight_bit.decode("utf-8")
        except UnicodeDecodeError:
            return eight_bit.decode("latin-1")
    return unfolded


def header(message: Message, name: str) -> str:
    """The header with RFC 2047 encoded words decoded."""
    return decoded(raw_header(message, name))


def decoded(value: str) -> str:
    if "=?" not in value:
        return value
    try:
        return str(make_header([(text, _known_charset(charset)) for text, charset in decode_header(value)]))
    except (UnicodeDecodeError, errors.HeaderParseError):
        return value


def _known_charset(charset: str | None) -> str | None:
    """An encoded word in a charset Python does not know is read as UTF-8, the likeliest."""
    if charset is None:
        return None
    try:
        codecs.lookup(charset)
    except LookupError:
        return "utf-8"
    return charset


def ignore_reason(message: Message, from_address: str) -> str:
    """Why no person is waiting for an answer to this mail (never reply to machines)."""
    auto_submitted = header(message, "Auto-Submitted").strip().lower() or "no"
    if auto_submitted != "no":
        return "auto-reply"
    if message.get("X-Autoreply") or message.get("X-Autorespond"):
        return "auto-reply"
    if message.get_content_type() == "multipart/report" or BOUNCE_SENDERS.match(from_address):
        return "bounce"
    if message.get("List-Id") or header(message, "Precedence").strip().lower() in {"bulk", "list", "junk"}:
        return "mailing list"
    if header(message, "X-Spam-Flag").strip().upper() == "YES":
        return "spam"
    for part in message.walk():
        if part.get_content_type() == "text/calendar" and str(part.get_param("method", "")).upper() == "REPLY":
            return "calendar reply"
    return ""


def body_text(message: Message) -> str:
    broken = [defect for part in message.walk() for defect in part.defects if isinstance(defect, BROKEN_MIME)]
    if broken:
        raise UnreadableMail(f"broken MIME: {type(broken[0]).__name__}")
    part = readable_body(message)
    if part is None:
        return ""
    content = decoded_content(part)
    if part.get_content_type() == "text/html":
        content = html_to_text(content)
    return content


def readable_body(message: Message) -> Message | None:
    """The part a person would read: the first plain-text part, else the first HTML part, not
    counting attachments or attached mails (the choice `EmailMessage.get_body` makes)."""
    first_html = None
    for part in _body_candidates(message):
        if part.get_content_subtype() == "plain":
            return part
        first_html = first_html or part
    return first_html


def _body_candidates(part: Message):
    if part.get_content_disposition() == "attachment":
        return
    maintype, subtype = part.get_content_maintype(), part.get_content_subtype()
    if maintype == "text":
        if subtype in ("plain", "html"):
            yield part
        return
    if maintype != "multipart" or not part.is_multipart():
        return
    subparts = part.get_payload()
    if subtype == "related":  # only its root part is the body; the rest are its images
        start = part.get_param("start")
        root = next((p for p in subparts if start and p.get("Content-ID") == start), subparts[0] if subparts else None)
        if root is not None:
            yield from _body_candidates(root)
        return
    for subpart in subparts:
        yield from _body_candidates(subpart)


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
