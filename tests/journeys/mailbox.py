"""A real SMTP server for the journeys: the app sends through Django's SMTP backend to an
aiosmtpd sink on a free port, and a journey opens the mail sent to an address as a person would.
"""

import email
import email.policy
import re
import threading
import time
from email.message import EmailMessage

from aiosmtpd.controller import Controller

LINK = re.compile(r"https?://[^\s\"'<>]+")


class Mail:
    """One received message, parsed with the `email` package."""

    def __init__(self, message: EmailMessage):
        self.message = message

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def language(self) -> str:
        return str(self.message.get("Content-Language", ""))

    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part else ""

    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part else ""

    def links(self) -> list[str]:
        """Every link of the plain text part, then of the HTML part, in order, without repeats."""
        found = LINK.findall(self.text()) + LINK.findall(self.html())
        return list(dict.fromkeys(link.rstrip(".,;)") for link in found))

    def link(self, containing: str) -> str:
        """The one link whose address contains `containing` (e.g. "/anmeldung/", "/abmelden/")."""
        matches = [link for link in self.links() if containing in link]
        assert matches, f"no link containing {containing!r} in the mail {self.subject!r}: {self.links()}"
        return matches[0]

    def attachments(self) -> dict[str, bytes]:
        return {part.get_filename(): part.get_content() for part in self.message.iter_attachments()}


class Mailbox:
    """The messages the sink received, by recipient; safe to read while the server thread writes."""

    def __init__(self):
        self.messages: list[tuple[list[str], Mail]] = []
        self.condition = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.condition:
            self.messages.append(([to.lower() for to in envelope.rcpt_tos], Mail(message)))
            self.condition.notify_all()
        return "250 Message accepted for delivery"

    def sent_to(self, address: str) -> list[Mail]:
        with self.condition:
            return [mail for recipients, mail in self.messages if address.lower() in recipients]

    def wait_for(self, address: str, *, subject: str = "", link: str = "", count: int = 1, timeout: float = 30) -> Mail:
        """The `count`-th mail to `address` whose subject contains `subject` and that has a link
        containing `link`; waits for it, because the app sends from its outbox after the commit."""
        deadline = time.monotonic() + timeout
        with self.condition:
            while True:
                matching = [
                    mail
                    for mail in self.sent_to_unlocked(address)
                    if subject in mail.subject and any(link in found for found in mail.links())
                ]
                if len(matching) >= count:
                    return matching[count - 1]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    subjects = [mail.subject for mail in self.sent_to_unlocked(address)]
                    raise AssertionError(f"no mail {count} to {address} with {subject!r} in the subject: {subjects}")
                self.condition.wait(remaining)

    def sent_to_unlocked(self, address: str) -> list[Mail]:
        return [mail for recipients, mail in self.messages if address.lower() in recipients]


def start_smtp_sink(port: int) -> tuple[Controller, Mailbox]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, mailbox
