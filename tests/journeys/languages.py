"""Text that betrays a page in the wrong language: English on a German page (Django's own error
pages and form messages, our untranslated labels) and German on an English one. Matched as whole
words, case-sensitive, in the page text outside elements marked with another `lang` (the
language switch "English"/"Deutsch" is marked so).

Chosen from what slipped through before (findings/newcomer.md D11, D13–D16, the dates) and the commonest
strings of the citizen pages; not from the test data, which journeys name in both languages."""

import re

WRONG_ON_GERMAN_PAGES = [
    "Not Found",
    "Forbidden",
    "Server Error",
    "Bad Request",
    "CSRF verification failed",
    "Select an option",
    "This field is required",
    "Enter a valid email address",
    "Please correct",
    "Your registration",
    "Cancel registration",
    "Upcoming events",
    "Privacy notice",
    "Thank you",
    "waiting list",
    "Save changes",
    "Submit",
    "o’clock",
    "True",
    "False",
    "None",
    "confirmed",
    "waitlisted",
    "cancelled",
    "onsite",
    "sent",
    "Type of seat",
    "New date",
    "Postpone",
    "Registration inbox",
    "a.m.",
    "p.m.",
]

WRONG_ON_ENGLISH_PAGES = [
    "Anmeldung",
    "Abmelden",
    "Veranstaltungen",
    "Datenschutz",
    "Bitte",
    "Pflichtfeld",
    "Dieses Feld",
    "Warteliste",
    "Einwilligung",
    "Speichern",
    "Zurück",
    "Ihre",
    "Seite nicht gefunden",
    "Verboten",
    "Uhr",
    "Plätze",
    "erforderlich",
    "Platzart",
    "Barrierefreiheit",
    "Verschieben",
    "Neuer Termin",
    "Posteingang",
]

WRONG_STRINGS = {"de": WRONG_ON_GERMAN_PAGES, "en": WRONG_ON_ENGLISH_PAGES}


def wrong_language_strings(language: str, text: str) -> list[str]:
    """The known strings of the other language found in `text`, a page in `language`."""
    return [
        string for string in WRONG_STRINGS.get(language, []) if re.search(rf"(?<!\w){re.escape(string)}(?!\w)", text)
    ]
