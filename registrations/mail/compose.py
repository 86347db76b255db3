"""Turning an outbox row into an e-mail: text and HTML part, in the registrant's language, with
the QR ticket inline (multipart/related) and the calendar entry as iMIP wants it.

    multipart/mixed
    ├── multipart/alternative
    │   ├── text/plain
    │   ├── multipart/related
    │   │   ├── text/html               (shows the ticket as <img src="cid:…">)
    │   │   └── image/png               (the QR ticket)
    │   └── text/calendar; method=REQUEST   (the one Outlook processes, [MS-OXCMAIL])
    └── text/calendar; method=REQUEST   (the same, attached: invite.ics, or cancel.ics for a CANCEL)

Calendar parts go quoted-printable, never 8bit: a relay that re-encodes 8-bit content would break
the DKIM signature (RFC 6376 5.3).
"""

from email.utils import format_datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from events.calendar import public_location
from registrations.links import cancel_url, consent_url, manage_url
from registrations.mail.access_data import access_data_for
from registrations.mail.calendar import CANCEL, registration_calendar, seat_location
from registrations.mail.content import MailContent, content_for
from registrations.models import OutboxMail, Registration, SeatType, Status
from registrations.tickets import display_code, qr_png


class MailWithTicketAndCalendar(EmailMultiAlternatives):
    """Puts images next to the HTML part, so that mail clients show them without downloading, and
    the calendar entry where each kind of mail client looks for it."""

    def __init__(self, *args, inline_images=(), calendar=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.inline_images = list(inline_images)  # (content_id, png bytes, filename)
        self.calendar = calendar  # (method, ics bytes): an alternative body and an attachment

    def _add_bodies(self, msg):
        super()._add_bodies(msg)
        html = msg.get_body(("html",))
        for content_id, png, filename in self.inline_images:
            html.add_related(png, "image", "png", cid=f"<{content_id}>", disposition="inline", filename=filename)
        if self.calendar is not None:
            method, ics = self.calendar
            msg.add_alternative(ics.decode(), **calendar_part_options(method))
        return msg

    def _add_attachments(self, msg):
        super()._add_attachments(msg)
        if self.calendar is not None:
            method, ics = self.calendar
            filename = "cancel.ics" if method == CANCEL else "invite.ics"
            options = calendar_part_options(method)
            msg.add_attachment(ics.decode(), **options, disposition="attachment", filename=filename)


def calendar_part_options(method: str) -> dict:
    return {"subtype": "calendar", "charset": "utf-8", "cte": "quoted-printable", "params": {"method": method}}


def render(mail: OutboxMail) -> EmailMultiAlternatives:
    registration = mail.registration
    with translation.override(mail.language):
        content = content_for(mail)
        context = mail_context(mail, registration, content)
        text = render_to_string("registrations/mail/mail.txt", context)
        html = render_to_string("registrations/mail/mail.html", context)
        calendar = None
        if content.calendar_method and registration is not None:
            ics = calendar_entry(registration, content, mail=mail)
            calendar = (content.calendar_method, ics)
    headers = outbox_headers(mail)
    images = []
    if context["ticket_cid"]:
        images.append((context["ticket_cid"], qr_png(registration.ticket_secret), "ticket.png"))
    message = MailWithTicketAndCalendar(
        content.subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [mail.to],
        headers=headers,
        alternatives=[(html, "text/html")],
        inline_images=images,
        calendar=calendar,
    )
    return message


def mail_context(mail: OutboxMail, registration: Registration | None, content: MailContent) -> dict:
    event = mail.event
    show_ticket = content.ticket and registration is not None and registration.ticket_secret
    return {
        "mail": mail,
        "content": content,
        "event": event,
        "registration": registration,
        "site_url": settings.SITE_URL,
        "event_url": settings.SITE_URL + event.get_absolute_url() if event else "",
        "place": where(event, registration),
        "manage_url": manage_url(registration) if registration and content.personal_links else "",
        "cancel_url": cancel_url(registration) if registration and content.offer_cancel else "",
        "consent_url": consent_url(registration) if registration and content.consents else "",
        "consents": list(registration.consents.all()) if registration and content.consents else [],
        "ticket_cid": f"ticket-{registration.public_id}@stadtdialog" if show_ticket else "",
        "ticket_code": display_code(registration.ticket_code) if show_ticket else "",
        "access": access_data_for(registration) if content.access_data else None,
    }


def where(event, registration: Registration | None) -> str:
    """The place this person goes to: an online seat in a hybrid event is not told the venue."""
    if event is None:
        return ""
    return seat_location(registration) if registration is not None else public_location(event)


def calendar_entry(registration: Registration, content: MailContent, *, mail: OutboxMail) -> bytes:
    """DTSTAMP is when the mail was queued, the moment its iTIP message was made (RFC 5546)."""
    return registration_calendar(
        registration,
        sequence=mail.facts.get("sequence", 0),
        method=content.calendar_method,
        stamp=mail.created_at,
        links=personal_links(registration) if content.calendar_method != CANCEL else [],
    )


def personal_links(registration: Registration) -> list[tuple[str, str]]:
    """An online seat's entry says how to join: the join link once the access data has gone out,
    and the personal page, which shows the access data when its time comes. Never in a public file."""
    if registration.seat_type != SeatType.ONLINE or registration.status != Status.CONFIRMED:
        return []
    links = []
    if registration.access_data_sent_at is not None:
        join_url = access_data_for(registration).join_url
        if join_url:
            links.append((_("Join link:"), join_url))
    links.append((_("Your registration:"), manage_url(registration)))
    return links


def outbox_headers(mail) -> dict[str, str]:
    """The headers of every mail the outbox sends, whichever app wrote it."""
    return {
        "Message-ID": mail.message_id,
        "Date": format_datetime(mail.created_at),
        "Auto-Submitted": "auto-generated",
        # Out-of-office replies to an automatic mail only fill the city's inbox.
        "X-Auto-Response-Suppress": "All",
        "Content-Language": mail.language,
    }
