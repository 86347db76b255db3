"""The data page in words. `services.data_held` returns codes and ISO times, which the JSON
download keeps (machine-readable, GDPR Art. 20); a citizen reading the page gets the labels of
those codes in the page's language and the times as datetimes, which the template shows in
Europe/Berlin."""

from datetime import datetime

from events.models import Role, SeatType
from registrations.models import Channel, ConsentKind, Language, MailKind, MailState, Status

# The codes of each section, and the choices that name them.
REGISTRATION_CODES = {"status": Status, "seat_type": SeatType, "channel": Channel, "language": Language}
CONSENT_CODES = {"kind": ConsentKind, "channel": Channel}
SENT_MAIL_CODES = {"kind": MailKind, "state": MailState}
INVITATION_CODES = {"role": Role}
TIMES = {
    "event_starts_at",
    "received_at",
    "checked_in_at",
    "reconfirm_asked_at",
    "reconfirmed_at",
    "offer_expires_at",
    "given_at",
    "withdrawn_at",
    "queued_at",
    "sent_at",
    "invited_at",
    "expires_at",
    "accepted_at",
}


def readable(data: dict) -> dict:
    """A copy of `data` for the page: codes named, times as datetimes."""
    page = dict(data)
    page["registrations"] = [
        {
            **in_words(registration, REGISTRATION_CODES),
            "consents": [in_words(c, CONSENT_CODES) for c in registration["consents"]],
        }
        for registration in data["registrations"]
    ]
    page["intake_mails"] = [in_words(mail, {}) for mail in data["intake_mails"]]
    page["sent_mails"] = [in_words(mail, SENT_MAIL_CODES) for mail in data["sent_mails"]]
    page["team_invitations"] = [in_words(invitation, INVITATION_CODES) for invitation in data["team_invitations"]]
    return page


def in_words(row: dict, codes: dict) -> dict:
    named = {}
    for key, value in row.items():
        if key in codes and value in codes[key].values:
            value = codes[key](value).label
        elif key in TIMES and isinstance(value, str):
            value = datetime.fromisoformat(value)
        named[key] = value
    return named
