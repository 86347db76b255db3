"""One event with everything an organiser can see or change (registrations, mails, an intake
mail, a breakout group with a moderator and an idea, a working group with a backlog item), and a
second event with its own team: the world the security sweeps walk through."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from events.models import AuditEntry, Event, Question
from events.questions import QuestionData, add_question
from events.services import SeatPlan
from ideas import services as ideas
from ideas.models import BacklogItem, BreakoutGroup, Idea, Moderator, WorkingGroup
from registrations.intake.models import IntakeMail
from registrations.models import BulkMessage, OutboxMail, Registration
from registrations.outbox.bulk import send_bulk_message
from tests.factories import issue_token, make_user, scheduled_event
from tests.registrations.staff_helpers import enter

REGISTRANT = "Erika Geheimname"


@dataclass
class World:
    now: datetime
    organiser: object
    outsider: object
    organiser_token: str
    outsider_token: str
    event: Event
    other_event: Event
    registration: Registration
    mail: OutboxMail
    bulk: BulkMessage
    intake_mail: IntakeMail
    group: BreakoutGroup
    moderator: Moderator
    moderator_token: str
    idea: Idea
    working_group: WorkingGroup
    item: BacklogItem
    audit: AuditEntry
    question: Question | None = None


def organiser_with_token(username: str):
    user = make_user(username, email=f"{username}@stadt.example")
    return user, issue_token(user)


def build_world(*, registrant: str = REGISTRANT) -> World:
    now = timezone.now().replace(microsecond=0)
    organiser, organiser_token = organiser_with_token("orga-team")
    outsider, outsider_token = organiser_with_token("orga-nachbar")
    event = scheduled_event(
        organiser,
        slug="digitalisierung",
        opens=now - timedelta(hours=6),
        closes=now + timedelta(days=2),
        onsite=SeatPlan(capacity=30),
        online=SeatPlan(capacity=20),
    )
    other_event = scheduled_event(
        outsider,
        slug="nachbarschaft",
        opens=now - timedelta(hours=6),
        closes=now + timedelta(days=2),
        online=SeatPlan(capacity=5),
    )
    registration = enter(event, registrant, at=now - timedelta(hours=1), email="erika.geheim@example.org")
    bulk = send_bulk_message(
        event,
        audience="all",
        subject="Hinweis",
        body="Bitte pünktlich.",
        subject_en="Note",
        body_en="Please be on time.",
        actor=organiser,
        now=now,
    )
    intake_mail = IntakeMail.objects.create(
        message_key="<world@test>",
        received_at=now,
        processed_at=now,
        sender_name=registrant,
        sender_email="erika.geheim@example.org",
        subject="Anmeldung",
        outcome="registered",
        event=event,
        registration=registration,
    )
    group, access = ideas.create_group(
        event, ideas.GroupData("Tisch 1", "Verwaltung"), moderator_name="Moni", actor=organiser, now=now
    )
    idea, _created = ideas.add_idea(
        group, ideas.IdeaDraft(title="WLAN im Rathaus"), client_id=None, actor=organiser, now=now
    )
    working_group = ideas.create_working_group("Digitale Verwaltung", actor=organiser, now=now)
    item = ideas.create_backlog_item(working_group, "Rathaus-WLAN", [idea.pk], actor=organiser, now=now)
    world = World(
        now=now,
        organiser=organiser,
        outsider=outsider,
        organiser_token=organiser_token,
        outsider_token=outsider_token,
        event=event,
        other_event=other_event,
        registration=registration,
        mail=OutboxMail.objects.filter(event=event).first(),
        bulk=bulk,
        intake_mail=intake_mail,
        group=group,
        moderator=access.moderator,
        moderator_token=access.api_token,
        idea=idea,
        working_group=working_group,
        item=item,
        audit=AuditEntry.objects.filter(event=event).first(),
    )
    world.question = add_question(
        event, QuestionData("choice", "Anreise?", "Travel?", ("Bus", "Rad"), ("Bus", "Bike")), actor=organiser, now=now
    )
    return world
