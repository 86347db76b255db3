"""The privacy notice, the imprint, the accessibility statement and the two explanations BITV 2.0
§ 4 asks for on the home page (Leichte Sprache, German Sign Language): the city's text where it
set one in the admin, else these defaults (which name what Stadtdialog really does, see
docs/privacy.md and docs/accessibility.md)."""

from dataclasses import dataclass
from email.utils import parseaddr
from typing import Literal
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import translation
from django.utils.formats import number_format

from events.models import DEFAULT_RETENTION_DAYS, LegalPage, LegalPageKind

SCHLICHTUNGSSTELLE_URL = "https://www.schlichtungsstelle-bgg.de"

# Formats a browser plays in a native <video> element; the file must come from this site, because
# the Content Security Policy allows media from here only and nothing loads from elsewhere unasked.
VIDEO_FILE_ENDINGS = (".mp4", ".webm", ".ogv", ".m4v")


def contact_address() -> str:
    return settings.CITY_CONTACT_EMAIL or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def legal_page(kind: str) -> LegalPage:
    page = LegalPage.objects.filter(kind=kind).first()
    return page if page is not None else default_page(kind)


def default_page(kind: str) -> LegalPage:
    texts = DEFAULTS[kind]
    values = {
        "contact": contact_address(),
        "days": DEFAULT_RETENTION_DAYS,
        "schlichtungsstelle": SCHLICHTUNGSSTELLE_URL,
    }
    return LegalPage(
        kind=kind,
        **{
            key: text.format(**values, evidence_years=years(settings.CONSENT_EVIDENCE_DAYS, key[-2:]))
            for key, text in texts.items()
        },
    )


def years(days: int, language: str) -> str:
    """Days as years for a sentence: "3", or "2,5" in German and "2.5" in English; never "3.0"."""
    value = round(days / 365, 1)
    if value == int(value):
        return str(int(value))
    with translation.override(language):
        return number_format(value, decimal_pos=1, use_l10n=True)


def plays_in_page(video_url: str) -> bool:
    """Whether a video address is a file on this site (shown as <video>), not a link to elsewhere."""
    address = urlsplit(video_url)
    return address.netloc == urlsplit(settings.SITE_URL).netloc and address.path.lower().endswith(VIDEO_FILE_ENDINGS)


@dataclass(frozen=True)
class EasyReadBlock:
    """A heading, a list or a paragraph of an easy-read text. A class rather than a dict: a
    template asking a dict for `items` gets the dict's method, and prints its pairs."""

    kind: Literal["heading", "list", "paragraph"]
    texts: list[str]


def easy_read_blocks(body: str) -> list[EasyReadBlock]:
    """An easy-read text in blocks: a line starting with "# " is a heading, lines starting with
    "- " make a list, other lines make a paragraph in which every line (one sentence) stays a line
    of its own. A blank line ends a paragraph or a list."""
    blocks: list[EasyReadBlock] = []
    for paragraph in body.replace("\r\n", "\n").split("\n\n"):
        current: EasyReadBlock | None = None
        for line in (line.strip() for line in paragraph.split("\n")):
            if not line:
                continue
            if line.startswith("# "):
                current = None
                blocks.append(EasyReadBlock("heading", [line[2:].strip()]))
                continue
            kind, text = ("list", line[2:].strip()) if line.startswith("- ") else ("paragraph", line)
            if current is None or current.kind != kind:
                current = EasyReadBlock(kind, [])
                blocks.append(current)
            current.texts.append(text)
    return blocks


DEFAULTS = {
    LegalPageKind.PRIVACY: {
        "title_de": "Datenschutzerklärung",
        "title_en": "Privacy notice",
        "body_de": (
            "Verantwortlich für die Verarbeitung Ihrer Daten ist die Stadtverwaltung. Kontakt: {contact}\n\n"
            "Wenn Sie sich zu einem Bürgerdialog anmelden, verarbeiten wir Ihren Namen, Ihre E-Mail-Adresse, "
            "gegebenenfalls Ihre Telefonnummer und Ihre Angaben zu Barrierefreiheit oder Dolmetschen, um die "
            "Veranstaltung zu organisieren (Art. 6 Abs. 1 lit. a und e DSGVO). Ihre Einwilligungen halten wir "
            "mit Text, Version und Zeitpunkt fest.\n\n"
            "Ihre personenbezogenen Daten werden {days} Tage nach der Veranstaltung gelöscht (die Organisation "
            "kann diese Frist je Veranstaltung ändern). Es bleiben nur anonyme Zahlen. Nachweise Ihrer "
            "Einwilligungen bewahren wir ohne Ihren Namen {evidence_years} Jahre nach der Veranstaltung auf.\n\n"
            "Sie haben das Recht auf Auskunft, Berichtigung, Löschung, Einschränkung der Verarbeitung, "
            "Datenübertragbarkeit und Widerspruch sowie das Recht, eine erteilte Einwilligung jederzeit zu "
            "widerrufen. Eine Auskunft über alle Daten zu Ihrer E-Mail-Adresse und deren Löschung können Sie "
            "selbst auf der Seite „Ihre Daten“ anfordern. Sie können sich bei der Aufsichtsbehörde beschweren.\n\n"
            "Diese Website lädt keine Inhalte von fremden Servern; Livestreams und Videokonferenzen werden erst "
            "nach einem Klick geöffnet."
        ),
        "body_en": (
            "The city administration is responsible for processing your data. Contact: {contact}\n\n"
            "When you register for a citizen dialogue, we process your name, your e-mail address, if given your "
            "phone number, and what you tell us about accessibility or interpretation needs, to organise the "
            "event (Art. 6(1)(a) and (e) GDPR). We record your consents with their text, version and time.\n\n"
            "Your personal data is erased {days} days after the event (the organisers may change this period "
            "per event). Only anonymous counts remain. Evidence of your consents is kept without your name for "
            "{evidence_years} years after the event.\n\n"
            "You have the right of access, rectification, erasure, restriction, data portability and objection, "
            "and you may withdraw a consent at any time. You can ask for all data held about your e-mail "
            "address, and have it erased, yourself on the page “Your data”. You may complain to the "
            "supervisory authority.\n\n"
            "This website loads nothing from other servers; livestreams and video conferences open only after "
            "a click."
        ),
    },
    LegalPageKind.IMPRINT: {
        "title_de": "Impressum",
        "title_en": "Imprint",
        "body_de": (
            "Herausgeberin: die Stadtverwaltung, vertreten durch die Bürgermeisterin oder den Bürgermeister.\n\n"
            "Kontakt: {contact}\n\n"
            "Die Stadt trägt hier Anschrift, Telefonnummer und die für den Inhalt verantwortliche Person ein."
        ),
        "body_en": (
            "Published by the city administration, represented by the mayor.\n\n"
            "Contact: {contact}\n\n"
            "The city enters its postal address, phone number and the person responsible for the content here."
        ),
    },
    LegalPageKind.ACCESSIBILITY: {
        "title_de": "Erklärung zur Barrierefreiheit",
        "title_en": "Accessibility statement",
        "body_de": (
            "Die Stadt ist bemüht, diese Website im Einklang mit der Barrierefreie-Informationstechnik-Verordnung "
            "(BITV 2.0) barrierefrei zugänglich zu machen.\n\n"
            "Stand der Vereinbarkeit: Die Website wird mit automatischen Prüfungen (axe-core) und manuell "
            "geprüft. Bekannte Barrieren trägt die Stadt hier ein.\n\n"
            "Feedback und Kontakt: Sind Ihnen Mängel beim barrierefreien Zugang aufgefallen, oder brauchen Sie "
            "Inhalte in einer anderen Form? Schreiben Sie uns: {contact}\n\n"
            "Schlichtungsverfahren: Wenn auch nach Ihrem Feedback keine zufriedenstellende Lösung gefunden "
            "wurde, können Sie sich an die Schlichtungsstelle nach dem Behindertengleichstellungsgesetz wenden: "
            "{schlichtungsstelle}"
        ),
        "body_en": (
            "The city strives to make this website accessible in accordance with the German accessibility "
            "regulation for information technology (BITV 2.0).\n\n"
            "Compliance status: the website is checked automatically (axe-core) and by hand. The city lists "
            "known barriers here.\n\n"
            "Feedback and contact: have you found a barrier, or do you need content in another form? Write to "
            "us: {contact}\n\n"
            "Conciliation: if your feedback has not led to a satisfactory solution, you can turn to the "
            "conciliation body under the Disability Equality Act (Schlichtungsstelle nach dem BGG): "
            "{schlichtungsstelle}"
        ),
    },
    # Leichte Sprache after the rules of the Netzwerk Leichte Sprache: one statement per sentence,
    # one sentence per line, no passive and no foreign words, long words split with a middle dot.
    LegalPageKind.EASY_LANGUAGE: {
        "title_de": "Leichte Sprache",
        "title_en": "Easy read",
        "body_de": (
            "# Was ist Stadt·dialog?\n"
            "Stadt·dialog ist eine Internet·seite von der Stadt.\n"
            "Die Stadt lädt Menschen zu Gesprächen ein.\n"
            "Diese Gespräche heißen: Bürger·dialog.\n"
            "Bei einem Bürger·dialog sprechen Sie mit der Stadt.\n"
            "Und mit anderen Menschen aus der Stadt.\n"
            "Sie sagen Ihre Ideen.\n"
            "Die Stadt hört zu.\n\n"
            "Ein Bürger·dialog ist an einem Ort in der Stadt.\n"
            "Oder im Internet.\n"
            "Im Internet heißt das: Video·konferenz.\n"
            "Manchmal geht beides.\n\n"
            "# Einen Bürger·dialog finden\n"
            "Auf der Start·seite stehen alle Bürger·dialoge.\n"
            "Klicken Sie auf einen Bürger·dialog.\n"
            "Dann lesen Sie:\n"
            "- Wann ist der Bürger·dialog?\n"
            "- Wo ist der Bürger·dialog?\n"
            "- Um welches Thema geht es?\n\n"
            "# Sich anmelden\n"
            "Sie möchten mit·machen?\n"
            "Dann melden Sie sich an.\n"
            "Das kostet nichts.\n"
            "Sie können sich so anmelden:\n"
            "- mit dem Formular auf dieser Internet·seite\n"
            "- mit einer E-Mail\n"
            "- mit einem Anruf\n\n"
            "In das Formular schreiben Sie:\n"
            "- Ihren Namen\n"
            "- Ihre E-Mail-Adresse\n"
            "Sie sagen auch: Kommen Sie zum Ort?\n"
            "Oder sind Sie im Internet dabei?\n"
            "Das Formular gibt es auch mit einfachen Wörtern.\n"
            "Klicken Sie dafür beim Formular auf: Einfache Sprache.\n\n"
            "Danach bekommen Sie eine E-Mail.\n"
            "In der E-Mail steht: Sie haben einen Platz.\n"
            "Manchmal sind schon alle Plätze weg.\n"
            "Dann kommen Sie auf eine Warte·liste.\n"
            "Wird ein Platz frei?\n"
            "Dann bekommen Sie den Platz.\n"
            "Wir schreiben Ihnen dann eine E-Mail.\n\n"
            "# Brauchen Sie Hilfe?\n"
            "Zum Beispiel:\n"
            "- eine Dolmetscherin für Gebärden·sprache\n"
            "- einen Platz für Ihren Roll·stuhl\n"
            "- eine Übersetzung in eine andere Sprache\n"
            "Dann schreiben Sie das in das Formular.\n"
            "Die Stadt hilft Ihnen gern.\n\n"
            "# Sich abmelden\n"
            "Sie können doch nicht kommen?\n"
            "Dann melden Sie sich bitte ab.\n"
            "In Ihrer E-Mail ist ein Link.\n"
            "Ein Link ist eine Adresse im Internet.\n"
            "Klicken Sie auf den Link.\n"
            "Dort können Sie sich abmelden.\n"
            "Dann bekommt ein anderer Mensch Ihren Platz.\n\n"
            "# Was passiert mit Ihren Daten?\n"
            "Daten sind zum Beispiel: Ihr Name und Ihre E-Mail-Adresse.\n"
            "Die Stadt braucht Ihre Daten für den Bürger·dialog.\n"
            "Manchmal braucht auch die Firma von der Video·konferenz Ihren Namen und Ihre E-Mail-Adresse.\n"
            "Dann bekommt die Firma diese Daten.\n"
            "Sonst bekommt niemand Ihre Daten.\n\n"
            "Nach dem Bürger·dialog löscht die Stadt Ihre Daten.\n"
            "Löschen heißt: Die Daten sind dann weg.\n"
            "Das passiert {days} Tage nach dem Bürger·dialog.\n\n"
            "Sie möchten wissen: Welche Daten hat die Stadt von mir?\n"
            "Dann gehen Sie auf die Seite: Ihre Daten.\n"
            "Den Link zu der Seite finden Sie unten auf jeder Seite.\n"
            "Dort können Sie Ihre Daten auch löschen.\n\n"
            "# Haben Sie Fragen?\n"
            "Dann schreiben Sie eine E-Mail an:\n"
            "{contact}"
        ),
        "body_en": (
            "# What is Stadtdialog?\n"
            "Stadtdialog is a website of the city.\n"
            "The city invites people to talk with it.\n"
            "These talks are called citizen dialogues.\n"
            "At a citizen dialogue you talk with the city.\n"
            "You also talk with other people from the city.\n"
            "You can say your ideas.\n"
            "The city listens.\n\n"
            "A citizen dialogue takes place in a room in the city.\n"
            "Or on the internet, in a video meeting.\n"
            "Sometimes you can choose.\n\n"
            "# Find a citizen dialogue\n"
            "The start page shows all citizen dialogues.\n"
            "Click on a citizen dialogue.\n"
            "Then you can read:\n"
            "- When is the citizen dialogue?\n"
            "- Where is the citizen dialogue?\n"
            "- What is it about?\n\n"
            "# Register\n"
            "Do you want to take part?\n"
            "Then you register.\n"
            "It is free.\n"
            "You can register:\n"
            "- with the form on this website\n"
            "- by e-mail\n"
            "- by phone\n\n"
            "In the form you write:\n"
            "- your name\n"
            "- your e-mail address\n"
            "You also say if you come to the room or take part on the internet.\n"
            "The form also has easy words.\n"
            "Click on “Plain language” at the form.\n\n"
            "Then you get an e-mail.\n"
            "The e-mail says that you have a seat.\n"
            "Sometimes all seats are taken.\n"
            "Then you are on a waiting list.\n"
            "When a seat is free, you get it.\n"
            "We send you an e-mail then.\n\n"
            "# Do you need help?\n"
            "For example:\n"
            "- a sign language interpreter\n"
            "- a place for your wheelchair\n"
            "- a translation into another language\n"
            "Write it in the form.\n"
            "The city is happy to help.\n\n"
            "# Cancel\n"
            "You cannot come?\n"
            "Please cancel.\n"
            "Your e-mail has a link.\n"
            "Click on the link.\n"
            "There you can cancel.\n"
            "Then another person gets your seat.\n\n"
            "# What happens with your data?\n"
            "Data is for example your name and your e-mail address.\n"
            "The city needs your data for the citizen dialogue.\n"
            "Sometimes the company of the video meeting needs your name and e-mail address too.\n"
            "Then the company gets this data.\n"
            "Nobody else gets your data.\n\n"
            "After the citizen dialogue the city deletes your data.\n"
            "Deleted means: the data is gone.\n"
            "This happens {days} days after the citizen dialogue.\n\n"
            "Do you want to know which data the city has about you?\n"
            "Go to the page “Your data”.\n"
            "The link is at the bottom of every page.\n"
            "There you can also delete your data.\n\n"
            "# Do you have questions?\n"
            "Write an e-mail to:\n"
            "{contact}"
        ),
    },
    # The text alternative of the city's video; the page says when the video itself is still missing.
    LegalPageKind.SIGN_LANGUAGE: {
        "title_de": "Gebärdensprache",
        "title_en": "German Sign Language",
        "body_de": (
            "Hier erklärt die Stadt diese Website in Deutscher Gebärdensprache (DGS).\n\n"
            "Das Video zeigt: Auf Stadtdialog finden Sie die Bürgerdialoge der Stadt. Sie melden sich online, "
            "per E-Mail oder per Telefon an und bekommen eine Bestätigung per E-Mail. Wenn Sie nicht kommen "
            "können, melden Sie sich mit dem Link aus dieser E-Mail wieder ab. Ihre Daten nutzt die Stadt nur "
            "für die Veranstaltung und löscht sie {days} Tage danach. Auf der Seite „Ihre Daten“ sehen und "
            "löschen Sie, was die Stadt über Sie gespeichert hat.\n\n"
            "Brauchen Sie bei einer Veranstaltung eine Dolmetscherin oder einen Dolmetscher für "
            "Gebärdensprache? Schreiben Sie es bei der Anmeldung in das Feld für Barrierefreiheit. Fragen "
            "beantworten wir unter: {contact}"
        ),
        "body_en": (
            "Here the city explains this website in German Sign Language (DGS).\n\n"
            "The video shows: on Stadtdialog you find the city's citizen dialogues. You register online, by "
            "e-mail or by phone and get a confirmation by e-mail. If you cannot come, you cancel with the link "
            "in that e-mail. The city uses your data only for the event and erases it {days} days after it. On "
            "the page “Your data” you see and erase what the city holds about you.\n\n"
            "Do you need a sign language interpreter at an event? Say so in the accessibility field when you "
            "register. We answer questions at: {contact}"
        ),
    },
}
