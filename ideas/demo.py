"""The demo's ideas chain (`manage.py load_demo`, through the `demo_loaded` signal): at the past
idea workshop, breakout groups (online rooms and tables on site) with their ideas, the ones marked
for the plenum weighed with dots, and a working group whose backlog carries the winners on."""

from datetime import datetime, timedelta

from events.demo import PAST_HYBRID_SLUG
from events.models import Event
from ideas import services
from ideas.models import BacklogStatus, BreakoutGroup, GroupKind, WorkingGroup
from registrations.models import Registration, Status

WORKING_GROUP = "AG Digitale Schule"
# (name, topic, kind, moderator, ideas as (title, text, for the plenum))
GROUPS = [
    (
        "Raum 1: Lernen mit digitalen Medien",
        "Was brauchen Schülerinnen und Schüler, um digital gut zu lernen?",
        GroupKind.ROOM,
        "Miriam Hahn",
        [
            ("Leihgeräte für alle, die zu Hause keins haben", "Tablets aus einem städtischen Pool.", True),
            ("Lernplattform mit einem Login für alle Schulen", "Nicht jede Schule eine andere.", True),
            ("Medienkompetenz ab der Grundschule", "", False),
        ],
    ),
    (
        "Raum 2: Ausstattung und WLAN",
        "Netz, Geräte und Wartung an den Schulen",
        GroupKind.ROOM,
        "Tobias Lang",
        [
            ("WLAN in jedem Klassenraum", "Heute oft nur im Lehrerzimmer.", True),
            ("IT-Betreuung durch die Stadt statt durch Lehrkräfte", "", True),
        ],
    ),
    (
        "Tisch 3: Eltern und Schule",
        "Wie Schule und Eltern digital miteinander sprechen",
        GroupKind.TABLE,
        "Sabine Vogt",
        [
            ("Elternbriefe digital und in mehreren Sprachen", "Mit Übersetzung ins Türkische und Polnische.", True),
            ("Sprechstunden per Video", "", False),
        ],
    ),
]
DOTS_PER_VOTER = 3


def load(events: dict[str, Event], organiser, now: datetime) -> str | None:
    event = events.get(PAST_HYBRID_SLUG)
    if event is None or BreakoutGroup.objects.filter(event=event).exists():
        return None
    during = event.starts_at + timedelta(minutes=30)
    ideas = capture(event, organiser=organiser, now=during)
    vote(event, ideas, organiser=organiser, now=event.ends_at - timedelta(minutes=20))
    carry_on(ideas, organiser=organiser, now=max(event.ends_at + timedelta(days=7), now - timedelta(days=3)))
    return f"{len(GROUPS)} breakout groups with {len(ideas)} ideas"


def capture(event: Event, *, organiser, now: datetime) -> list:
    ideas = []
    for number, (name, topic, kind, moderator, drafts) in enumerate(GROUPS):
        data = services.GroupData(name=name, topic=topic, kind=kind)
        group, _access = services.create_group(event, data, moderator_name=moderator, actor=organiser, now=now)
        for title, text, for_plenum in drafts:
            draft = services.IdeaDraft(title=title, text=text, for_plenum=for_plenum)
            idea, _created = services.add_idea(
                group, draft, client_id=None, actor=organiser, now=now + timedelta(minutes=10 * number)
            )
            ideas.append(idea)
    return ideas


def vote(event: Event, ideas: list, *, organiser, now: datetime) -> None:
    """Those who came give their dots, most to the first ideas on the wall."""
    services.configure_voting(event, DOTS_PER_VOTER, actor=organiser, now=now)
    services.set_voting_open(event, True, actor=organiser, now=now)
    candidates = [idea for idea in ideas if idea.for_plenum]
    voters = Registration.objects.filter(event=event, status=Status.CONFIRMED).order_by("received_at")
    for number, registration in enumerate(voters):
        voter = services.voter_for_registration(registration, now=now)
        for dot in range(DOTS_PER_VOTER):
            idea = candidates[(number + dot * dot) % len(candidates)]
            services.give_dot(voter, idea.pk, now=now + timedelta(seconds=number))
    services.set_voting_open(event, False, actor=organiser, now=now + timedelta(minutes=10))


def carry_on(ideas: list, *, organiser, now: datetime) -> None:
    if WorkingGroup.objects.filter(title=WORKING_GROUP).exists():
        return
    working_group = services.create_working_group(
        WORKING_GROUP,
        "Verwaltung, Schulen und Eltern bringen die Ideen der Ideenwerkstatt auf den Weg.",
        actor=organiser,
        now=now,
    )
    plenum = [idea for idea in ideas if idea.for_plenum]
    statuses = [BacklogStatus.IN_PROGRESS, BacklogStatus.IN_DISCUSSION, BacklogStatus.DONE, BacklogStatus.NEW]
    for idea, status in zip(plenum, statuses, strict=False):
        item = services.create_backlog_item(working_group, idea.title, [idea.pk], actor=organiser, now=now)
        if status != BacklogStatus.NEW:
            services.update_backlog_item(item, services.ItemChanges(status=status), actor=organiser, now=now)
