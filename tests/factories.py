"""The one set of test factories: organisers and their API tokens, events, registrations.

Plain functions and classes, so that conftests, helper modules and tests all build from the same
code; the fixtures in tests/conftest.py (and the defaults a folder's conftest sets) wrap them.
Events and registrations are made through the services, as the application makes them, except
`running_event`: the services refuse an event that has already begun.
"""

import itertools
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from events import services as event_services
from events.models import SEAT_TYPES_BY_FORMAT, Event
from events.services import SeatPlan, TermsData, VenueData
from registrations import services as registration_services
from registrations.models import Registration
from registrations.submissions import RegistrationData

numbers = itertools.count(1)

RATHAUS = VenueData("Rathaus", "Europaplatz 1, 44575 Castrop-Rauxel")
RATSSAAL = VenueData("Ratssaal", "Europaplatz 1, 44575 Castrop-Rauxel")
DIEZE = VenueData("DIEZE", "Erinstraße 6, Castrop-Rauxel")


def make_user(username: str, *, staff: bool = True, superuser: bool = False, password=None, email: str = ""):
    """A staff account; without a password unless a test logs in with one (no slow hashing)."""
    return get_user_model().objects.create_user(username, email, password, is_staff=staff, is_superuser=superuser)


def issue_token(user) -> str:
    """An API token through the real service; kept on the user as `raw_token` for `bearer`."""
    user.raw_token = event_services.issue_api_token(user, now=timezone.now())
    return user.raw_token


def bearer(token_or_user) -> dict[str, str]:
    token = token_or_user if isinstance(token_or_user, str) else token_or_user.raw_token
    return {"Authorization": f"Bearer {token}"}


def agreement(*, broadcast: bool = False, broadcast_text_de: str = "Ich darf gefilmt werden.") -> TermsData:
    """The consent terms most tests register under; `broadcast` makes the filming consent required."""
    return TermsData(
        text_de="Ich bin einverstanden.",
        text_en="I agree.",
        broadcast_consent_required=broadcast,
        broadcast_text_de=broadcast_text_de if broadcast else "",
    )


def seat_plans(format: str, *, onsite: int = 40, online: int = 40, reserved: int = 0) -> dict[str, SeatPlan]:
    return {
        str(seat_type): SeatPlan(onsite, reserved) if str(seat_type) == "onsite" else SeatPlan(online, 0)
        for seat_type in SEAT_TYPES_BY_FORMAT[format]
    }


class EventFactory:
    """Published events open for registration, built through `events.services.create_event`.

    A folder's conftest sets its defaults once (`EventFactory(format="hybrid", onsite=60, …)`);
    a test overrides any of them per call. Numbers count per factory, so titles and keywords read
    "Bürgerdialog 1", "Bürgerdialog 2", … in every test.
    """

    def __init__(
        self,
        *,
        title: str = "Bürgerdialog",
        keyword_prefix: str | None = None,
        format: str = "online",
        onsite: int = 40,
        online: int = 40,
        reserved: int = 0,
        venue: VenueData | None = RATSSAAL,
        terms: TermsData | None = None,
        actor=None,
        now: datetime | None = None,
        starts_in: timedelta | None = None,
        duration: timedelta = timedelta(hours=2),
        opens_before: timedelta = timedelta(days=1),
        closes_after: timedelta | None = None,
        **fields,
    ):
        self.defaults = {
            "title": title,
            "keyword_prefix": keyword_prefix,
            "format": format,
            "onsite": onsite,
            "online": online,
            "reserved": reserved,
            "venue": venue,
            "terms": terms,
            "actor": actor,
            "now": now,
            "starts_in": starts_in,
            "duration": duration,
            "opens_before": opens_before,
            "closes_after": closes_after,
        }
        self.fields = fields
        self.numbers = itertools.count(1)

    def __call__(self, *, seats=None, team=(), slug=None, opens=None, closes=None, starts_at=None, **overrides):
        number = next(self.numbers)
        known = {key: overrides.pop(key) for key in list(overrides) if key in self.defaults}
        options = {**self.defaults, **known}
        fields = {**self.fields, **overrides}
        now = options["now"] or timezone.now()
        format = options["format"]
        if starts_at is None:
            starts_at = now + (options["starts_in"] or timedelta(days=14, hours=number))
        if closes is None:
            after = options["closes_after"]
            closes = now + after if after is not None else starts_at - timedelta(days=1)
        values = {
            "title_de": f"{options['title']} {number}",
            "format": format,
            "starts_at": starts_at,
            "ends_at": starts_at + options["duration"],
            "registration_opens_at": opens or now - options["opens_before"],
            "registration_closes_at": closes,
            "status": "published",
            **fields,
        }
        if options["keyword_prefix"] and not fields.get("keyword"):
            values["keyword"] = f"{options['keyword_prefix']} {number}"
        if seats is None:
            seats = seat_plans(format, onsite=options["onsite"], online=options["online"], reserved=options["reserved"])
        event = event_services.create_event(
            values,
            seats=seats,
            venue=options["venue"] if format != "online" or "venue" in known else None,
            terms=options["terms"],
            slug=slug,
            actor=options["actor"],
            now=now,
        )
        event.team.add(*(getattr(member, "user", member) for member in team))
        return event


def scheduled_event(organiser, *, slug: str, opens: datetime, closes: datetime, allocation="first_come", **seats):
    """An event with these seat pools (`onsite=SeatPlan(…)`), open from `opens` to `closes`, that
    begins a day after; the filming consent is required."""
    return EventFactory(
        venue=RATHAUS,
        terms=TermsData(
            text_de="Ich bin einverstanden.",
            broadcast_consent_required=True,
            broadcast_text_de="Ich erscheine in der Übertragung.",
        ),
    )(
        title_de=f"Bürgerdialog {slug}",
        format="hybrid" if len(seats) == 2 else next(iter(seats)),
        seats=seats,
        slug=slug,
        opens=opens,
        closes=closes,
        starts_at=closes + timedelta(days=1),
        allocation=allocation,
        actor=organiser,
        now=opens,
    )


def running_event(*, starts_in=timedelta(hours=-1), duration=timedelta(hours=3), status="published", team=()):
    """An online event that has begun (or begins `starts_in` from now), written straight to the
    table because the services refuse events in the past."""
    number = next(numbers)
    start = timezone.now() + starts_in
    event = Event.objects.create(
        slug=f"dialog-{number}",
        title_de=f"Bürgerdialog {number}",
        title_en=f"Citizen dialogue {number}",
        format="online",
        starts_at=start,
        ends_at=start + duration,
        registration_opens_at=start - timedelta(days=20),
        registration_closes_at=start - timedelta(days=1),
        status=status,
    )
    event.team.add(*team)
    return event


def registration_data(number: int, seat: str = "onsite", **overrides) -> RegistrationData:
    """A numbered person who accepts the terms and the filming."""
    values = {
        "name": f"Person {number}",
        "email": f"person{number}@example.org",
        "seat_type": seat,
        "accept_terms": True,
        "broadcast_consent": True,
        **overrides,
    }
    return RegistrationData(**values)


def confirmed_registration(event, name: str, *, status: str = "confirmed") -> Registration:
    """A registration written straight to the table, for events `running_event` made."""
    number = next(numbers)
    now = timezone.now()
    return Registration.objects.create(
        event=event,
        seat_type="online",
        name=name,
        email=f"person{number}@example.org",
        channel="web",
        received_at=now,
        entered_at=now,
        status=status,
        waitlist_position=1 if status == "waitlisted" else None,
        status_changed_at=now,
    )


def register(event, data: RegistrationData, now: datetime, *, channel: str = "web", received_at=None, **kwargs):
    """Register through the one service, received now on the web unless a test says otherwise."""
    return registration_services.register(
        event, data, channel=channel, received_at=received_at or now, now=now, **kwargs
    )
