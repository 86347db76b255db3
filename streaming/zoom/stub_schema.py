"""The request bodies and query parameters the Zoom stub accepts, field by field, as Zoom's API
reference (Meetings API v2) documents them for the endpoints Stadtdialog uses.

Zoom itself ignores fields it does not know; the stub refuses them with Zoom's validation error
(HTTP 400, code 300), so that a typo or a field that Zoom never had shows up in our tests instead
of being silently dropped in production.

A spec is a Python type (`str`, `int`, `bool`), a `Field` with limits, a dict (an object with
these keys), or a one-element list (an array of that spec).
"""

import re
from dataclasses import dataclass, field
from datetime import datetime

# The country IDs Zoom accepts in `languages` of an interpreter ("US,DE").
INTERPRETATION_COUNTRY_IDS = {"US", "CN", "JP", "DE", "FR", "RU", "PT", "ES", "KR"}
REGISTRANT_LANGUAGES = {
    "en-US",
    "de-DE",
    "es-ES",
    "fr-FR",
    "jp-JP",
    "pt-PT",
    "ru-RU",
    "zh-CN",
    "zh-TW",
    "ko-KO",
    "it-IT",
    "vi-VN",
    "pl-PL",
    "Tr-TR",
}
PASSCODE = re.compile(r"^[A-Za-z0-9@\-_*]{1,10}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Field:
    kind: type
    max_length: int | None = None
    choices: frozenset = field(default_factory=frozenset)
    pattern: re.Pattern | None = None
    check: object = None  # a function(value) -> error message or ""

    def problems(self, value, path: str) -> list[tuple[str, str]]:
        if not is_of_kind(value, self.kind):
            return [(path, f"Invalid field type, expected {self.kind.__name__}.")]
        if self.max_length is not None and len(value) > self.max_length:
            return [(path, f"Longer than {self.max_length} characters.")]
        if self.choices and value not in self.choices:
            return [(path, f"Invalid value {value!r}.")]
        if self.pattern is not None and not self.pattern.match(value):
            return [(path, "Invalid format.")]
        message = self.check(value) if self.check else ""
        return [(path, message)] if message else []


def one_of(*values) -> Field:
    return Field(type(values[0]), choices=frozenset(values))


def two_country_ids(value: str) -> str:
    parts = value.split(",")
    if len(parts) != 2 or not set(parts) <= INTERPRETATION_COUNTRY_IDS:
        return "Must be two of the supported language IDs, e.g. “US,DE”."
    return ""


def two_languages(value: str) -> str:
    parts = [part.strip() for part in value.split(",")]
    if len(parts) != 2 or not all(parts):
        return "Must be two languages separated by a comma, e.g. “German,Greek”."
    return ""


def zoom_time(value: str) -> str:
    """`yyyy-MM-ddTHH:mm:ssZ` (UTC) or `yyyy-MM-ddTHH:mm:ss` (local time of `timezone`)."""
    try:
        datetime.strptime(value.removesuffix("Z"), "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return "Invalid start_time, use yyyy-MM-ddTHH:mm:ssZ."
    return ""


EMAIL_FIELD = Field(str, max_length=128, pattern=EMAIL)

RECURRENCE = {
    "type": one_of(1, 2, 3),
    "repeat_interval": int,
    "weekly_days": str,
    "monthly_day": int,
    "monthly_week": one_of(-1, 1, 2, 3, 4),
    "monthly_week_day": one_of(1, 2, 3, 4, 5, 6, 7),
    "end_times": int,
    "end_date_time": str,
}

MEETING_SETTINGS = {
    "host_video": bool,
    "participant_video": bool,
    "cn_meeting": bool,
    "in_meeting": bool,
    "join_before_host": bool,
    "jbh_time": one_of(0, 5, 10, 15),
    "mute_upon_entry": bool,
    "watermark": bool,
    "use_pmi": bool,
    # 0: approve automatically, 1: approve manually, 2: no registration required
    "approval_type": one_of(0, 1, 2),
    # 1: once for all occurrences, 2: for each occurrence, 3: once, choose occurrences
    "registration_type": one_of(1, 2, 3),
    "audio": one_of("both", "telephony", "voip", "thirdParty"),
    "auto_recording": one_of("local", "cloud", "none"),
    "enforce_login": bool,
    "enforce_login_domains": str,
    "alternative_hosts": str,
    "alternative_hosts_email_notification": bool,
    "alternative_host_update_polls": bool,
    "close_registration": bool,
    "show_share_button": bool,
    "allow_multiple_devices": bool,
    "registrants_confirmation_email": bool,
    "registrants_email_notification": bool,
    "waiting_room": bool,
    "meeting_authentication": bool,
    "authentication_option": str,
    "authentication_domains": str,
    "authentication_exception": [{"email": EMAIL_FIELD, "name": str}],
    "additional_data_center_regions": [str],
    "global_dial_in_countries": [str],
    "contact_name": str,
    "contact_email": EMAIL_FIELD,
    "email_notification": bool,
    "encryption_type": one_of("enhanced_encryption", "e2ee"),
    "focus_mode": bool,
    "private_meeting": bool,
    "host_save_video_order": bool,
    "calendar_type": one_of(1, 2),
    "meeting_invitees": [{"email": EMAIL_FIELD}],
    "participant_focused_meeting": bool,
    "push_change_to_calendar": bool,
    "request_permission_to_unmute_participants": bool,
    "device_testing": bool,
    "internal_meeting": bool,
    "email_in_attendee_report": bool,
    "auto_start_meeting_summary": bool,
    "approved_or_denied_countries_or_regions": {
        "enable": bool,
        "method": one_of("approve", "deny"),
        "approved_list": [str],
        "denied_list": [str],
    },
    "breakout_room": {
        "enable": bool,
        "rooms": [{"name": str, "participants": [EMAIL_FIELD]}],
    },
    "language_interpretation": {
        "enable": bool,
        "interpreters": [
            {
                "email": EMAIL_FIELD,
                "languages": Field(str, check=two_country_ids),
                "interpreter_languages": Field(str, check=two_languages),
            }
        ],
    },
    "sign_language_interpretation": {
        "enable": bool,
        "interpreters": [{"email": EMAIL_FIELD, "sign_language": str}],
    },
    "continuous_meeting_chat": {"enable": bool, "auto_add_invited_external_users": bool},
}

MEETING = {
    "topic": Field(str, max_length=200),
    # 1 instant, 2 scheduled, 3 recurring without fixed time, 8 recurring with fixed time
    "type": one_of(1, 2, 3, 8, 10),
    "pre_schedule": bool,
    "start_time": Field(str, check=zoom_time),
    "duration": int,
    "schedule_for": str,
    "timezone": str,
    "password": Field(str, pattern=PASSCODE),
    "default_password": bool,
    "agenda": Field(str, max_length=2000),
    "tracking_fields": [{"field": str, "value": str}],
    "recurrence": RECURRENCE,
    "settings": MEETING_SETTINGS,
    "template_id": str,
}

REGISTRANT = {
    "email": EMAIL_FIELD,
    "first_name": Field(str, max_length=64),
    "last_name": Field(str, max_length=64),
    "address": str,
    "city": str,
    "state": str,
    "zip": str,
    "country": str,
    "phone": str,
    "comments": str,
    "custom_questions": [{"title": str, "value": Field(str, max_length=128)}],
    "industry": str,
    "job_title": str,
    "no_of_employees": str,
    "org": str,
    "purchasing_time_frame": str,
    "role_in_purchase_process": str,
    "language": Field(str, choices=frozenset(REGISTRANT_LANGUAGES)),
    "auto_approve": bool,
}
REGISTRANT_REQUIRED = ("email", "first_name")

REGISTRANT_STATUS = {
    "action": one_of("approve", "cancel", "deny"),
    "registrants": [{"id": str, "email": EMAIL_FIELD}],
}

QUERY_PARAMETERS = {
    "GET meeting": {"occurrence_id", "show_previous_occurrences"},
    "PATCH meeting": {"occurrence_id"},
    "DELETE meeting": {"occurrence_id", "schedule_for_reminder", "cancel_meeting_reminder"},
    "POST meetings": set(),
    "POST registrants": {"occurrence_ids"},
    "GET registrants": {"occurrence_id", "status", "page_size", "page_number", "next_page_token"},
    "PUT registrant status": {"occurrence_id"},
}


def is_of_kind(value, kind: type) -> bool:
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def problems(value, spec, path: str = "") -> list[tuple[str, str]]:
    """Every way `value` departs from `spec`, as (field path, message)."""
    if isinstance(spec, dict):
        if not isinstance(value, dict):
            return [(path or "body", "Invalid field type, expected object.")]
        found = []
        for key, item in value.items():
            item_path = f"{path}.{key}" if path else key
            if key not in spec:
                found.append((item_path, "Unknown field."))
            else:
                found += problems(item, spec[key], item_path)
        return found
    if isinstance(spec, list):
        if not isinstance(value, list):
            return [(path, "Invalid field type, expected array.")]
        return [problem for index, item in enumerate(value) for problem in problems(item, spec[0], f"{path}[{index}]")]
    if isinstance(spec, Field):
        return spec.problems(value, path)
    if not is_of_kind(value, spec):
        return [(path, f"Invalid field type, expected {spec.__name__}.")]
    return []
