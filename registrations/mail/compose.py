"""Turning an outbox row into an e-mail: text and HTML part, in the registrant's language, with
the QR ticket inline (multipart/related) and the calendar entry attached.

    multipart/mixed
    ├── multipart/alternative
    │   ├── text/plain
    │   └── multipart/related
    │       ├── text/html               (shows the ticket as <img src="cid:…">)
    │       └── image/png               (the QR ticket)
    └── text/calendar; method=REQUEST   (invite.ics)
"""

from email.message import MIMEPart
from email.utils import format_datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from registrations.links import cancel_url, consent_url, manage_url
from registrations.mail.access_data import access_data_for
from registrations.mail.calendar import registration_calendar
from registrations.mail.content import MailContent, content_for
from registrations.models import OutboxMail, Registration
from registrations.tickets import display_code, qr_png


class MailWithInlineImages(EmailMultiAlternatives):
    """Puts images next to the HTML part, so that mail clients show them without downloading."""

    def __init__(self, *args, inline_images=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.inline_images = list(inline_images)  # (content_id, png bytes, filename)

    def _add_bodies(self, msg):
        super()._add_bodies(msg)
        html = msg.get_body(("html",))
        for content_id, png, filename in self.inline_images:
            html.add_related(png, "image", "png", cid=f"<{content_id}>", disposition="inline", filename=filename)
        return msg


def render(mail: OutboxMail) -> EmailMultiAlternatives:
    registration = mail.registration
    with translation.override(mail.language):
        content = content_for(mail)
        context = mail_context(mail, registration, content)
        text = render_to_string("registrations/mail/mail.txt", context)
        html = render_to_string("registrations/mail/mail.html", context)
    headers = outbox_headers(mail)
    images = []
    if context["ticket_cid"]:
        images.append((context["ticket_cid"], qr_png(registration.ticket_secret), "ticket.png"))
    message = MailWithInlineImages(
        content.subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [mail.to],
        headers=headers,
        alternatives=[(html, "text/html")],
        inline_images=images,
    )
    if content.calendar_method and registration is not None:
        message.attach(calendar_part(registration, content, sequence=mail.facts.get("sequence", 0)))
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
        "manage_url": manage_url(registration) if registration else "",
        "cancel_url": cancel_url(registration) if registration and content.offer_cancel else "",
        "consent_url": consent_url(registration) if registration and content.consents else "",
        "consents": list(registration.consents.all()) if registration and content.consents else [],
        "ticket_cid": f"ticket-{registration.public_id}@stadtdialog" if show_ticket else "",
        "ticket_code": display_code(registration.ticket_code) if show_ticket else "",
        "access": access_data_for(registration) if content.access_data else None,
    }


def calendar_part(registration: Registration, content: MailContent, *, sequence: int) -> MIMEPart:
    ics = registration_calendar(
        registration, sequence=sequence, method=content.calendar_method, tentative=content.tentative
    )
    part = MIMEPart()
    part.set_content(
        ics.decode(),
        subtype="calendar",
        charset="utf-8",
        params={"method": content.calendar_method},
        disposition="attachment",
        filename="invite.ics",
    )
    return part


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
