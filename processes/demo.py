"""The demo's process (`manage.py load_demo`, through the `demo_loaded` signal): the city's
digital strategy CAS.digital from the press releases (../shared/seeds/), with its phases, the
demo's events and the working group of the ideas demo."""

from datetime import datetime, timedelta

from ideas.models import WorkingGroup
from processes.models import Process
from processes.services import PhaseData, ProcessData, add_phase, create_process

SLUG = "cas-digital"
# (German, English, first day, last day) relative to the demo's day
PHASES = [
    ("Ideenwerkstätten", "Idea workshops", -60, -1),
    ("Auftakt und Themen-Labore", "Kick-off and theme labs", 0, 120),
    ("Entwurf der Strategie", "Drafting the strategy", 121, 240),
    ("Ratsbeschluss", "Council decision", 241, 300),
]


def load(events: dict, organiser, now: datetime) -> str | None:
    if Process.objects.filter(slug=SLUG).exists():
        return None
    process = create_process(
        ProcessData(
            slug=SLUG,
            title_de="CAS.digital – Digitalisierungsstrategie",
            title_en="CAS.digital – the city's digital strategy",
            description_de=(
                "Die Stadt entwickelt ihre Digitalisierungsstrategie „CityAgilSmart.digital“ gemeinsam mit den "
                "Bürgerinnen und Bürgern: vom Auftakt über thematische Arbeitsgruppen bis zum Beschluss des Rates."
            ),
            description_en=(
                "The city develops its digital strategy “CityAgilSmart.digital” together with its citizens: from "
                "the kick-off through thematic working groups to the council's decision."
            ),
            published=True,
        ),
        actor=organiser,
        now=now,
    )
    today = now.date()
    for german, english, first, last in PHASES:
        data = PhaseData(german, today + timedelta(days=first), today + timedelta(days=last), title_en=english)
        add_phase(process, data, actor=organiser, now=now)
    process.events.add(*events.values())
    process.working_groups.add(*WorkingGroup.objects.all())
    return f"the process {process.title_de} with {len(PHASES)} phases and {len(events)} events"
