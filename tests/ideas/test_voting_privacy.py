"""Plenum dots and data protection: a registrant sees their dots in their data export; erasing
the address or the event's data unties the voters from registrations and devices, and the dots
stay as anonymous counts."""

from datetime import timedelta

import pytest

from events.models import Event
from ideas import services
from ideas.models import Dot, Voter
from registrations.privacy.services import data_held, erase_address, purge_event, request_data_access
from tests.factories import confirmed_registration
from tests.ideas.ideas_factories import add_idea


@pytest.fixture
def voted(event, organiser, group, moderator, now):
    idea = add_idea(group, "Mehr Bänke", actor=moderator, for_plenum=True)
    services.configure_voting(event, 3, actor=organiser, now=now)
    services.set_voting_open(event, True, actor=organiser, now=now)
    registration = confirmed_registration(event, "Ada")
    voter = services.voter_for_registration(registration, now=now)
    services.give_dot(voter, idea.pk, now=now)
    services.give_dot(voter, idea.pk, now=now)
    services.give_dot(services.voter_for_device(event, "geraet", now=now), idea.pk, now=now)
    return registration, idea


def test_the_data_export_shows_the_dots_a_registration_gave(voted):
    registration, _idea = voted
    held = data_held(registration.email)
    assert held["plenum_dots"] == [{"event": registration.event.title_de, "idea": "Mehr Bänke", "dots": 2}]


def test_erasing_an_address_unties_its_voter_and_keeps_the_dots(voted, event, now):
    registration, idea = voted
    # After the plenum: the registration is not cancelled first (that needs a seat pool), only erased.
    Event.objects.filter(pk=event.pk).update(ends_at=now - timedelta(minutes=1))
    erase_address(request_data_access(registration.email, now=now), now=now)

    assert Voter.objects.filter(registration__isnull=False).count() == 0
    assert Dot.objects.filter(idea=idea).count() == 3


def test_when_the_event_data_expires_voters_lose_registration_and_device(voted, event):
    _registration, idea = voted
    report = purge_event(event, now=event.ends_at + timedelta(days=event.retention_days + 1))

    assert report.counts["plenum_voters"] == 2
    assert not Voter.objects.filter(registration__isnull=False).exists()
    assert not Voter.objects.filter(device_hash__isnull=False).exists()
    assert Dot.objects.filter(idea=idea).count() == 3
