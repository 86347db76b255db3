"""What Stadtdialog sends to Zoom: the meeting of an event and its registrants."""

import hashlib
import json
import secrets
import string
from datetime import UTC

from events.models import Event
from registrations.models import Registration

ZOOM_TIMEZONE = "Europe/Berlin"
PASSCODE_ALPHABET = string.ascii_letters + string.digits
PASSCODE_LENGTH = 10  # Zoom's maximum
# Zoom's names of interpretation languages, by the codes events use (`interpretation_languages`).
INTERPRETATION_LANGUAGE_NAMES = {
    "ar": "Arabic",
    "de": "German",
    "el": "Greek",
    "en": "English",
    "es": "Spanish",
    "fa": "Persian",
    "fr": "French",
    "it": "Italian",
    "pl": "Polish",
    "ru": "Russian",
    "tr": "Turkish",
    "uk": "Ukrainian",
}
REGISTRANT_LANGUAGES = {"de": "de-DE", "en": "en-US"}


def new_passcode() -> str:
    return "".join(secrets.choice(PASSCODE_ALPHABET) for _ in range(PASSCODE_LENGTH))


def meeting_payload(
    event: Event, *, passcode: str, interpreters: list[tuple[str, str, str]], rooms: list[tuple[str, list[str]]]
) -> dict:
    """The meeting as Zoom's "create a meeting" takes it; PATCH takes the same body.

    Registration with manual approval: everyone we register is approved by us (`auto_approve`),
    and whoever finds the meeting's registration link waits for an approval that never comes."""
    minutes = max(1, int((event.ends_at - event.starts_at).total_seconds() // 60))
    return {
        "topic": event.title_de[:200],
        "type": 2,
        "start_time": event.starts_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "duration": minutes,
        "timezone": ZOOM_TIMEZONE,
        "password": passcode,
        "agenda": event.description_de[:2000],
        "settings": {
            "waiting_room": True,
            "join_before_host": False,
            "mute_upon_entry": True,
            "approval_type": 1,
            "registration_type": 1,
            # Our own mails carry the links; Zoom's would arrive in English and twice.
            "registrants_confirmation_email": False,
            "registrants_email_notification": False,
            "language_interpretation": {
                "enable": bool(interpreters),
                "interpreters": [
                    {"email": email, "interpreter_languages": f"{language_name(first)},{language_name(second)}"}
                    for email, first, second in interpreters
                ],
            },
            "breakout_room": {
                "enable": bool(rooms),
                "rooms": [{"name": name, "participants": emails} for name, emails in rooms],
            },
        },
    }


def language_name(code: str) -> str:
    return INTERPRETATION_LANGUAGE_NAMES.get(code, code)


def registrant_payload(registration: Registration) -> dict:
    first_name, _, last_name = registration.name.strip().partition(" ")
    return {
        "email": registration.email,
        "first_name": first_name[:64] or registration.email.split("@")[0][:64],
        "last_name": last_name.strip()[:64],
        "language": REGISTRANT_LANGUAGES.get(registration.language, "de-DE"),
        "auto_approve": True,
    }


def fingerprint(payload: dict) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
