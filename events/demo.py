"""The three dialogues of the city's press releases, moved into the coming weeks."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from events.services import SeatPlan, TermsData, VenueData

BERLIN = ZoneInfo("Europe/Berlin")
REGISTRATION_EMAIL = "digitalisierung@castrop-rauxel.de"
REGISTRATION_PHONE = "02305 / 106-2101"


def at(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BERLIN)


def demo_events(today) -> list[dict]:
    """Each entry: slug, fields, seats, venue, terms. Dates are relative to `today`."""
    kickoff_day = today + timedelta(days=14)
    zoom_day = today + timedelta(days=25)
    trikala_day = today + timedelta(days=35)
    return [
        {
            "slug": "auftakt-digitalisierungsstrategie",
            "fields": {
                "title_de": "Auftakt: Die Digitalisierungsstrategie entsteht im Bürgerdialog",
                "title_en": "Kick-off: the digital strategy is made in dialogue with citizens",
                "description_de": (
                    "Der Digitalisierungsbeauftragte stellt das bürgernahe Vorgehen bei der Entwicklung der "
                    "Strategie „CityAgilSmart.digital“ (CAS.digital) vor und lädt zum Mitmachen ein. Der Chief "
                    "Digital Officer der Stadt Herne gibt in einem Impulsvortrag Einblicke in die Digitalisierung "
                    "seiner Stadt. Die Veranstaltung wird mit Unterstützung von CAS-TV Bürgerfernsehen e. V. live "
                    "auf Facebook übertragen, inklusive der Beiträge der Teilnehmenden vor Ort."
                ),
                "description_en": (
                    "The city's digital officer presents how the strategy “CityAgilSmart.digital” is developed "
                    "together with citizens and invites everyone to take part. The Chief Digital Officer of Herne "
                    "gives a keynote. The event is streamed live on Facebook with the help of CAS-TV, including "
                    "the contributions of the people in the room."
                ),
                "format": "onsite",
                "starts_at": at(kickoff_day, 18),
                "ends_at": at(kickoff_day, 20),
                "keyword": f"Digitalisierung {kickoff_day:%d.%m.}",
                "registration_email": REGISTRATION_EMAIL,
                "registration_phone": REGISTRATION_PHONE,
                "registration_opens_at": at(today - timedelta(days=1), 8),
                "registration_closes_at": at(kickoff_day - timedelta(days=3), 23, 59),
                "allocation": "first_come",
                "livestream_url": "https://www.facebook.com/StadtCastropRauxel",
                "status": "published",
            },
            "seats": {"onsite": SeatPlan(capacity=30, reserved=4)},
            "venue": VenueData(
                "DIEZE", "Erinstraße 6, 44575 Castrop-Rauxel", "Ebenerdiger Zugang, barrierefreies WC im Erdgeschoss."
            ),
            "terms": TermsData(
                text_de=(
                    "Ich bin einverstanden, dass die Stadt Castrop-Rauxel meinen Namen und meine Kontaktdaten zur "
                    "Organisation dieser Veranstaltung verarbeitet. Die Daten werden 90 Tage nach der "
                    "Veranstaltung gelöscht."
                ),
                text_en=(
                    "I agree that the City of Castrop-Rauxel processes my name and contact details to organise "
                    "this event. The data is erased 90 days after the event."
                ),
                broadcast_consent_required=True,
                broadcast_text_de=(
                    "Mit meiner Anmeldung erkläre ich mich bereit, im Rahmen der Übertragung der Veranstaltung in "
                    "den digitalen Medien zu erscheinen."
                ),
                broadcast_text_en="By registering I agree to appear in the broadcast of the event in digital media.",
            ),
        },
        {
            "slug": "zoom-dialog-digitalisierung",
            "fields": {
                "title_de": "Zoom-Dialog: Ihre Erfahrungen mit digitalen Angeboten der Stadt",
                "title_en": "Zoom dialogue: your experience with the city's digital services",
                "description_de": (
                    "Interaktive Videokonferenz mit bis zu 75 Teilnehmenden, moderiert von der Bertelsmann Stiftung "
                    "und Mitarbeitenden der Verwaltung. In Kleingruppen bringen Sie Ihre Anregungen ein, die an das "
                    "gesamte Plenum weitergegeben und in thematischen Arbeitsgruppen weiterentwickelt werden."
                ),
                "description_en": (
                    "Interactive video conference for up to 75 participants, moderated by the Bertelsmann Stiftung "
                    "and city staff. In small groups you bring in your suggestions, which are passed on to the "
                    "plenum and developed further in thematic working groups."
                ),
                "format": "online",
                "starts_at": at(zoom_day, 18),
                "ends_at": at(zoom_day, 20, 30),
                "keyword": f"Digitalisierung {zoom_day:%d.%m.}",
                "registration_email": REGISTRATION_EMAIL,
                "registration_phone": REGISTRATION_PHONE,
                "registration_opens_at": at(today - timedelta(days=1), 8),
                "registration_closes_at": at(zoom_day - timedelta(days=6), 23, 59),
                "allocation": "first_come",
                "status": "published",
            },
            "seats": {"online": SeatPlan(capacity=75)},
            "venue": None,
            "terms": None,
        },
        {
            "slug": "digitalisierung-trikala-castrop-rauxel",
            "fields": {
                "title_de": "Digitalisierung in Trikala und Castrop-Rauxel – ein digitales Freundschaftstreffen",
                "title_en": "Digitalisation in Trikala and Castrop-Rauxel – a digital meeting of friends",
                "description_de": (
                    "Die Bürgermeister der Partnerstädte und ihre Digitalisierungsexperten stellen mit Hilfe einer "
                    "Dolmetscherin die kommunalen Digitalisierungsstrategien vor. Danach gibt es Gelegenheit für "
                    "Fragen und Anregungen der Teilnehmenden. Gefördert im Rahmen der „Europawoche“."
                ),
                "description_en": (
                    "The mayors of the twin cities and their digital experts present their digital strategies with "
                    "an interpreter. Afterwards participants can ask questions and make suggestions."
                ),
                "format": "online",
                "starts_at": at(trikala_day, 18),
                "ends_at": at(trikala_day, 20),
                "keyword": "Trikala",
                "registration_email": REGISTRATION_EMAIL,
                "registration_phone": REGISTRATION_PHONE,
                "registration_opens_at": at(today - timedelta(days=1), 8),
                "registration_closes_at": at(trikala_day - timedelta(days=2), 23, 59),
                "allocation": "at_deadline",
                "interpretation_languages": ["de", "el"],
                "status": "published",
            },
            "seats": {"online": SeatPlan(capacity=100)},
            "venue": None,
            "terms": None,
        },
    ]
