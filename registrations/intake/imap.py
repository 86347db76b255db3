"""Reading the registration inbox over IMAP, oldest INTERNALDATE first.

Processed mails get the keyword flag `$StadtdialogDone` (and \\Seen); nothing is deleted. Only
mails whose body was fetched and processed are flagged; one the server did not give stays
unflagged and is read next time. The flag only saves work: exactly-once comes from the unique
message key in the database, so a crash between registering and flagging just means the mail is
recognised and flagged next time."""

import imaplib
import logging
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from imap_tools import MailBox, MailBoxUnencrypted

from registrations.intake.matching import candidate_events
from registrations.intake.services import RawMail, process_raw_mails

logger = logging.getLogger(__name__)
DONE_FLAG = "$StadtdialogDone"
# A chunk is fetched, parsed and registered at once, in one transaction: at most this many mails
# and (unless one mail alone is larger) this many bytes, so that a few large attachments do not
# fill the memory. Larger chunks cost fewer statements and commits per mail (docs/benchmarks.md).
CHUNK = 400
CHUNK_BYTES = 50 * 1024 * 1024
# The events a mail may name are read again after this many seconds, not for every chunk (a
# read costs as much as registering 20 mails): a change to an event reaches the intake at most
# this late, as it reaches a web request that arrived this much earlier.
EVENTS_READ_EVERY_SECONDS = 1.0
UID_IN_FETCH = re.compile(r"UID (\d+)")
FETCH_LINE = re.compile(r'(?=.*UID (?P<uid>\d+))(?=.*INTERNALDATE "(?P<date>[^"]+)")(?=.*RFC822\.SIZE (?P<size>\d+))')


@dataclass(frozen=True)
class ImapAccount:
    host: str
    port: int
    tls: bool
    user: str
    password: str
    folder: str

    @classmethod
    def from_url(cls, url: str) -> "ImapAccount":
        parts = urlsplit(url)
        tls = parts.scheme == "imaps"
        return cls(
            host=parts.hostname or "localhost",
            port=parts.port or (993 if tls else 143),
            tls=tls,
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            folder=unquote(parts.path.lstrip("/")) or "INBOX",
        )

    def connect(self):
        mailbox_class = MailBox if self.tls else MailBoxUnencrypted
        return mailbox_class(self.host, self.port, timeout=60).login(self.user, self.password, self.folder)


@dataclass(frozen=True)
class Queued:
    """A mail waiting in the folder, as the server lists it."""

    uid: str
    received_at: datetime  # INTERNALDATE
    size: int  # RFC822.SIZE, in bytes


@dataclass
class BatchResult:
    processed: int = 0
    skipped: int = 0


def configured_account() -> ImapAccount | None:
    return ImapAccount.from_url(settings.INTAKE_IMAP_URL) if settings.INTAKE_IMAP_URL else None


def fetch_new_mails(account: ImapAccount, *, now=None) -> BatchResult:
    """Process every unflagged mail of the folder in INTERNALDATE order, fetching and flagging
    in chunks to save round trips.

    While one chunk is registered, the next one is already being fetched: one thread talks to the
    server (an IMAP connection takes one command at a time) and does what it is asked in order, so
    a chunk is flagged only after it was committed, and never before it was fetched."""
    result = BatchResult()
    with account.connect() as mailbox:
        queue = unprocessed_in_arrival_order(mailbox)
        chunks = in_chunks(queue)
        with ThreadPoolExecutor(1, thread_name_prefix="imap") as server:
            flagged, events_read_at = [], None
            for fetched, mails in _read_ahead(mailbox, account.folder, chunks, server):
                if not mails:
                    continue
                if events_read_at is None or time.monotonic() - events_read_at > EVENTS_READ_EVERY_SECONDS:
                    # Chunks come in order of arrival: events for the first mail of this chunk
                    # cover the later ones too (find_event passes over those that are over).
                    events, events_read_at = candidate_events(fetched[0].received_at), time.monotonic()
                # One transaction per chunk: a crash rolls the whole chunk back (nothing was
                # flagged yet, so it is read again), and the database syncs once per chunk, not
                # per mail.
                with transaction.atomic():
                    outcomes = process_raw_mails(mails, now=now or timezone.now(), events=events)
                result.processed += sum(1 for outcome in outcomes if outcome is not None)
                result.skipped += sum(1 for outcome in outcomes if outcome is None)
                flagged.append(server.submit(mailbox.flag, _uids(fetched), [DONE_FLAG, "\\Seen"], True))
            for flagging in flagged:
                flagging.result()  # a failed command raises here
    return result


def _read_ahead(mailbox, folder: str, chunks: list, server: ThreadPoolExecutor):
    """Each chunk's mails that the server gave, as the queue entries (their UIDs are the ones to
    flag) and the raw mails, in order. While the caller processes a chunk, the next one is being
    fetched."""

    def fetch(index):
        return server.submit(fetch_raw, mailbox, _uids(chunks[index])) if index < len(chunks) else None

    fetching = fetch(0)
    for index in range(len(chunks)):
        bodies = fetching.result()
        fetching = fetch(index + 1)
        fetched = [mail for mail in chunks[index] if mail.uid in bodies]
        if len(fetched) < len(chunks[index]):
            missing = sorted(set(_uids(chunks[index])) - set(bodies), key=int)
            logger.warning("IMAP gave no body for UIDs %s; left unflagged for the next run", ",".join(missing))
        yield fetched, [RawMail(bodies[mail.uid], mail.received_at, f"imap:{folder}:{mail.uid}") for mail in fetched]


def _uids(chunk: list[Queued]) -> list[str]:
    return [mail.uid for mail in chunk]


def in_chunks(queue: list[Queued]) -> list[list[Queued]]:
    """The queue cut into chunks of at most CHUNK mails and CHUNK_BYTES (a larger mail alone)."""
    chunks, current, size = [], [], 0
    for mail in queue:
        if current and (len(current) == CHUNK or size + mail.size > CHUNK_BYTES):
            chunks.append(current)
            current, size = [], 0
        current.append(mail)
        size += mail.size
    return [*chunks, current] if current else chunks


def unprocessed_in_arrival_order(mailbox) -> list[Queued]:
    uids = mailbox.uids(f"NOT KEYWORD {DONE_FLAG}")
    dated = []
    for start in range(0, len(uids), 500):
        chunk = ",".join(uids[start : start + 500])
        status, data = mailbox.client.uid("fetch", chunk, "(INTERNALDATE RFC822.SIZE)")
        if status != "OK":
            raise imaplib.IMAP4.error(f"FETCH INTERNALDATE failed: {data!r}")
        for line in data:
            if not isinstance(line, bytes) or b"INTERNALDATE" not in line:
                continue
            found = FETCH_LINE.search(line.decode("ascii", "replace"))
            if found:
                internal_date = datetime.strptime(found["date"], "%d-%b-%Y %H:%M:%S %z")
                dated.append(Queued(found["uid"], internal_date, int(found["size"])))
    return sorted(dated, key=lambda mail: (mail.received_at, int(mail.uid)))


def fetch_raw(mailbox, uids: list[str]) -> dict[str, bytes]:
    status, data = mailbox.client.uid("fetch", ",".join(uids), "(UID BODY.PEEK[])")
    if status != "OK":
        raise imaplib.IMAP4.error(f"FETCH failed: {data!r}")
    """The bodies by UID. RFC 3501 does not fix the order of a FETCH answer's items: imaplib
    gives `(b'1 (UID 7 BODY[] {n}', body)` when the UID comes first, and the tuple followed by
    `b' UID 7)'` when it comes after the literal."""
    bodies = {}
    for position, item in enumerate(data):
        if not (isinstance(item, tuple) and len(item) == 2):
            continue
        found = UID_IN_FETCH.search(item[0].decode("ascii", "replace"))
        following = data[position + 1] if position + 1 < len(data) else b""
        if found is None and isinstance(following, bytes):
            found = UID_IN_FETCH.search(following.decode("ascii", "replace"))
        if found:
            bodies[found[1]] = item[1]
    return bodies
