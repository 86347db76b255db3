"""The demo's events: the three dialogues of the city's press releases and a hybrid workshop,
moved into the coming weeks, and two dialogues of the past weeks for the reports."""

from datetime import datetime, time, timedelta

from core.berlin import BERLIN
from events.services import SeatPlan, TermsData, VenueData

REGISTRATION_EMAIL = "digitalisierung@castrop-rauxel.de"
REGISTRATION_PHONE = "02305 / 106-2101"


def at(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BERLIN)


RATHAUS = VenueData("Ratssaal im Rathaus", "Europaplatz 1, 44575 Castrop-Rauxel", "Aufzug, Induktionsschleife.")
# The past events: the period report of the last three months shows them by default.
PAST_HYBRID_SLUG = "ideenwerkstatt-digitale-schule"
PAST_ONSITE_SLUG = "buergersprechstunde-online-dienste"
UPCOMING_HYBRID_SLUG = "werkstatt-digitales-rathaus"


def demo_events(today) -> list[dict]:
    """Each entry: slug, fields, seats, venue, terms, and `created` (the day the organisers made
    it, before its registration opened). Dates are relative to `today`."""
    return [*press_release_events(today), hybrid_workshop(today), *past_events(today)]


def hybrid_workshop(today) -> dict:
    day = today + timedelta(days=18)
    return {
        "slug": UPCOMING_HYBRID_SLUG,
        "fields": {
            "title_de": "Werkstatt: Das digitale Rathaus – vor Ort und online",
            "title_en": "Workshop: the digital town hall – on site and online",
            "description_de": (
                "Welche Wege ins Rathaus sollen digital werden? Im Ratssaal und per Zoom arbeiten Sie in "
                "Kleingruppen an Vorschlägen, die das Plenum am Ende gewichtet."
            ),
            "description_en": (
                "Which ways into the town hall should become digital? In the council chamber and on Zoom you "
                "work on proposals in small groups; the plenum weighs them at the end."
            ),
            "format": "hybrid",
            "starts_at": at(day, 17),
            "ends_at": at(day, 20),
            "keyword": "Rathaus digital",
            "max_companions": 2,
            "registration_email": REGISTRATION_EMAIL,
            "registration_phone": REGISTRATION_PHONE,
            "registration_opens_at": at(today - timedelta(days=1), 8),
            "registration_closes_at": at(day - timedelta(days=2), 23, 59),
            "allocation": "first_come",
            "status": "published",
        },
        "seats": {"onsite": SeatPlan(capacity=25, reserved=2), "online": SeatPlan(capacity=50)},
        "venue": RATHAUS,
        "terms": None,
        "created": today - timedelta(days=2),
    }


def past_events(today) -> list[dict]:
    workshop_day = today - timedelta(days=24)
    consultation_day = today - timedelta(days=52)
    return [
        {
            "slug": PAST_HYBRID_SLUG,
            "fields": {
                "title_de": "Ideenwerkstatt: Digitale Schule in Castrop-Rauxel",
                "title_en": "Idea workshop: digital schools in Castrop-Rauxel",
                "description_de": (
                    "Eltern, Lehrkräfte und Schülerinnen und Schüler sammelten in Kleingruppen Ideen für die "
                    "digitale Schule. Das Plenum hat sie mit Punkten gewichtet, eine Arbeitsgruppe arbeitet weiter."
                ),
                "description_en": (
                    "Parents, teachers and pupils collected ideas for digital schools in small groups. The plenum "
                    "weighed them with dots; a working group carries them on."
                ),
                "format": "hybrid",
                "max_companions": 2,
                "starts_at": at(workshop_day, 17),
                "ends_at": at(workshop_day, 20),
                "registration_opens_at": at(workshop_day - timedelta(days=21), 8),
                "registration_closes_at": at(workshop_day - timedelta(days=1), 23, 59),
                "allocation": "first_come",
                "status": "published",
            },
            "seats": {"onsite": SeatPlan(capacity=20), "online": SeatPlan(capacity=20)},
            "venue": RATHAUS,
            "terms": None,
            "created": workshop_day - timedelta(days=22),
        },
        {
            "slug": PAST_ONSITE_SLUG,
            "fields": {
                "title_de": "Bürgersprechstunde: Online-Dienste der Stadt",
                "title_en": "Citizens' consultation: the city's online services",
                "description_de": "Fragen und Anregungen zu den Online-Diensten der Stadtverwaltung.",
                "description_en": "Questions and suggestions about the city administration's online services.",
                "format": "onsite",
                "max_companions": 2,
                "starts_at": at(consultation_day, 18),
                "ends_at": at(consultation_day, 19, 30),
                "registration_opens_at": at(consultation_day - timedelta(days=14), 8),
                "registration_closes_at": at(consultation_day - timedelta(days=1), 23, 59),
                "allocation": "first_come",
                "status": "published",
            },
            "seats": {"onsite": SeatPlan(capacity=16)},
            "venue": VenueData(
                "DIEZE", "Erinstraße 6, 44575 Castrop-Rauxel", "Ebenerdiger Zugang, barrierefreies WC im Erdgeschoss."
            ),
            "terms": None,
            "created": consultation_day - timedelta(days=15),
        },
    ]


def press_release_events(today) -> list[dict]:
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
