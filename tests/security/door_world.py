"""Pages that exist only at certain times, made to exist now for the sweeps: an event that is
reconfirming (a request not answered yet, an open offer) and an event whose door is open (a
walk-in seated, one in the door queue)."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from events.models import Event
from events.services import SeatPlan, update_event
from registrations import reconfirmation
from registrations.checkin.walk_ins import register_walk_in
from registrations.models import Registration
from registrations.services import register
from registrations.submissions import RegistrationData
from tests.factories import scheduled_event
from tests.registrations.reconfirm_helpers import run_reconfirmation


@dataclass
class DoorWorld:
    reconfirming: Event
    asked: Registration
    offered: Registration
    door: Event


def build_door_world(organiser) -> DoorWorld:
    now = timezone.now().replace(microsecond=0)
    event = scheduled_event(
        organiser,
        slug="nachfrage",
        opens=now - timedelta(days=3),
        closes=now + timedelta(days=4),
        onsite=SeatPlan(capacity=2),
    )
    event = update_event(
        event, {"reconfirm_days_before": 6, "reconfirm_answer_hours": 48}, actor=organiser, now=now
    )  # the event starts in 5 days: asked yesterday, answers until tomorrow
    earlier = now - timedelta(days=2)
    people = [
        register(
            event,
            RegistrationData(
                name=name,
                email=f"{name.lower()}@example.org",
                seat_type="onsite",
                accept_terms=True,
                broadcast_consent=True,
            ),
            channel="web",
            received_at=earlier,
            now=earlier,
        )
        for name in ("Asked", "Giving", "Waiting")
    ]
    run_reconfirmation(now=event.reconfirm_asked_at())
    people[1].refresh_from_db()
    reconfirmation.decline(people[1], now=now)
    door = scheduled_event(
        organiser,
        slug="tuer",
        opens=now - timedelta(days=3),
        closes=now - timedelta(hours=1),
        onsite=SeatPlan(capacity=1),
    )
    door = update_event(door, {"starts_at": now + timedelta(minutes=30)}, actor=organiser, now=now)
    for name in ("Seated walk-in", "Queued walk-in"):
        register_walk_in(
            door,
            RegistrationData(seat_type="onsite", name=name, accept_terms=True, broadcast_consent=True),
            actor=organiser,
            now=now,
        )
    return DoorWorld(
        reconfirming=event,
        asked=Registration.objects.get(pk=people[0].pk),
        offered=Registration.objects.get(pk=people[2].pk),
        door=door,
    )
