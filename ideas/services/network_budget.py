"""How many dots one network may give one idea in one voting round, on the device path.

A device is a cookie, and cookies are free: one script once gave one idea 120 dots from one
address with 40 fresh cookies in a few seconds. Counting per address cannot tell that script
from a real room, because the whole room shares the venue Wi-Fi's address; so the budget is the
room itself: one network gives one idea at most as many dots as the event has seats on site (at
least `DOTS_PER_IDEA_FLOOR`, for online events and small rooms), i.e. what the room gives when
every person in it puts one dot on that idea. A script from anywhere adds at most that, and
a real room never meets the limit unless nearly everyone stacks several dots on one idea.
Taking a dot back returns it to the budget. A round starts whenever the organisers open, close
or reconfigure the voting (`PlenumVoting.changed_at`). The count lives in the cache (Redis in
production, shared by all app servers) under a hash of the address (`core.ratelimit.client_key`);
no address is stored. Registrations vote through their personal link and need no such budget:
each has one ballot. docs/ideas.md has the numbers."""

import logging

from django.core.cache import cache
from django.utils.translation import gettext as _

from core.errors import DomainError
from events.models import SeatPool, SeatType
from ideas.models import Dot, Voter
from ideas.services.voting import give_dot, take_back_dot, voting_of

logger = logging.getLogger(__name__)

DOTS_PER_IDEA_FLOOR = 30
# Longer than any plenum; a new round starts with a new key anyway.
ROUND_SECONDS = 24 * 3600


def dots_per_idea_per_network(event) -> int:
    seats = SeatPool.objects.filter(event=event, seat_type=SeatType.ONSITE).values_list("capacity", flat=True).first()
    return max(DOTS_PER_IDEA_FLOOR, seats or 0)


def give_dot_from_network(voter: Voter, idea_id, *, network: str, now) -> Dot:
    """`give_dot`, counted against the network's budget for the idea (429 `network_budget_spent`)."""
    key = _count_key(voter, idea_id, network)
    if _count(key, +1) > dots_per_idea_per_network(voter.event):
        _count(key, -1)
        raise DomainError(
            "network_budget_spent",
            _(
                "This idea already has very many dots from your network in this round. Your dot was not "
                "counted; please give it to another idea."
            ),
            status=429,
        )
    try:
        return give_dot(voter, idea_id, now=now)
    except DomainError:
        _count(key, -1)
        raise


def take_back_dot_from_network(voter: Voter, idea_id, *, network: str, now) -> None:
    take_back_dot(voter, idea_id, now=now)
    _count(_count_key(voter, idea_id, network), -1)


def _count_key(voter: Voter, idea_id, network: str) -> str:
    voting = voting_of(voter.event)
    round_started = voting.changed_at.timestamp() if voting.changed_at else 0
    return f"plenum_network_dots:{voter.event_id}:{round_started}:{idea_id}:{network}"


def _count(key: str, step: int) -> int:
    """Add `step` to the count; with the cache down the budget is not kept (logged), as the
    rate limits, rather than stopping the voting."""
    try:
        cache.add(key, 0, timeout=ROUND_SECONDS)
        return cache.incr(key, step) if step > 0 else max(cache.decr(key, -step), 0)
    except ValueError:  # expired between add and incr/decr: a fresh count
        cache.add(key, max(step, 0), timeout=ROUND_SECONDS)
        return max(step, 0)
    except Exception:
        logger.warning("network dot budget not kept: cache unavailable", exc_info=True)
        return 0
