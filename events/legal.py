"""The privacy notice, the imprint and the accessibility statement: the city's text where it set
one in the admin, else these defaults (which name what Stadtdialog really does, see docs/privacy.md)."""

from email.utils import parseaddr

from django.conf import settings

from events.models import DEFAULT_RETENTION_DAYS, LegalPage, LegalPageKind

SCHLICHTUNGSSTELLE_URL = "https://www.schlichtungsstelle-bgg.de"


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
        "evidence_years": round(settings.CONSENT_EVIDENCE_DAYS / 365, 1),
        "schlichtungsstelle": SCHLICHTUNGSSTELLE_URL,
    }
    return LegalPage(kind=kind, **{key: text.format(**values) for key, text in texts.items()})


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
}
