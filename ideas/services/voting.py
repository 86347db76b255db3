"""Dot voting in the plenum: the organisers set how many dots each voter has and open or close
the voting; voters (a registration through its personal link, or a device through a signed
cookie) give dots to the ideas on the wall and take them back while the voting is open.

The budget is kept by the database: a dot is given only if the conditional
`UPDATE voter SET dots_used = dots_used + 1 WHERE dots_used < budget` changed a row, in the same
transaction as the dot's insert. PostgreSQL makes a second, racing update wait for the first and
then test its condition again, so no number of parallel requests spends more than the budget."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils.translation import gettext as _

from core.errors import DomainError
from events.access import Capability, ensure
from events.models import Event
from events.services import record_audit
from ideas.models import Dot, Idea, Moderation, PlenumVoting, Voter, token_hash
from registrations.models import Registration, Status

MAX_DOTS_PER_VOTER = 20


@dataclass(frozen=True)
class Ballot:
    """What one voter sees: the voting's state, their dots left and their dots per idea."""

    voting: PlenumVoting
    dots_left: int
    given: dict[int, int] = field(default_factory=dict)


def voting_of(event: Event) -> PlenumVoting:
    """The event's voting settings; an unsaved "no voting" when the organisers set none."""
    voting = PlenumVoting.objects.filter(event=event).first()
    return voting if voting is not None else PlenumVoting(event=event, dots_per_voter=0, is_open=False)


def configure_voting(event: Event, dots_per_voter: int, *, actor, now: datetime) -> PlenumVoting:
    """How many dots each voter has (0 turns voting off and closes it). Dots already given stay;
    a smaller budget only stops voters who used more from giving new ones. Organisers decide it;
    moderators open and close the voting they run on the wall."""
    ensure(actor, event, Capability.MANAGE)
    if not isinstance(dots_per_voter, int) or not 0 <= dots_per_voter <= MAX_DOTS_PER_VOTER:
        raise DomainError(
            "invalid_dots",
            _("The number of dots per person must be between 0 and %(max)s.") % {"max": MAX_DOTS_PER_VOTER},
            status=422,
            field="dots_per_voter",
        )
    with transaction.atomic():
        voting = _locked_voting(event, now=now)
        previous = voting.dots_per_voter
        voting.dots_per_voter = dots_per_voter
        voting.is_open = voting.is_open and dots_per_voter > 0
        voting.changed_at = now
        voting.save()
        record_audit(
            "plenum_voting.configured",
            actor=actor,
            now=now,
            event=event,
            target=voting,
            data={"dots_per_voter": dots_per_voter, "previous": previous},
        )
    return voting


def set_voting_open(event: Event, is_open: bool, *, actor, now: datetime) -> PlenumVoting:
    ensure(actor, event, Capability.MODERATE)
    with transaction.atomic():
        voting = _locked_voting(event, now=now)
        if is_open and voting.dots_per_voter == 0:
            raise DomainError(
                "voting_without_dots",
                _("Set how many dots each person has before opening the voting."),
                status=422,
                field="dots_per_voter",
            )
        if voting.is_open == is_open:
            return voting
        voting.is_open, voting.changed_at = is_open, now
        voting.save(update_fields=["is_open", "changed_at"])
        record_audit(
            "plenum_voting.opened" if is_open else "plenum_voting.closed",
            actor=actor,
            now=now,
            event=event,
            target=voting,
        )
    return voting


def _locked_voting(event: Event, *, now: datetime) -> PlenumVoting:
    PlenumVoting.objects.get_or_create(event=event, defaults={"changed_at": now})
    return PlenumVoting.objects.select_for_update().get(event=event)


def voter_for_registration(registration: Registration, *, now: datetime) -> Voter:
    """The voter a confirmed registration votes as (one per registration)."""
    if registration.status != Status.CONFIRMED:
        raise DomainError(
            "not_a_participant", _("Only confirmed participants of this event can give dots."), status=403
        )
    return _voter(
        Voter.objects.filter(registration=registration), event=registration.event, registration=registration, now=now
    )


def voter_for_device(event: Event, device_id: str, *, now: datetime) -> Voter:
    """The voter a device votes as, by the random id in its signed cookie (one per device and event)."""
    digest = token_hash(device_id)
    return _voter(Voter.objects.filter(event=event, device_hash=digest), event=event, device_hash=digest, now=now)


def _voter(existing, *, event: Event, now: datetime, **identity) -> Voter:
    voter = existing.select_related("event").first()
    if voter is not None:
        return voter
    try:
        with transaction.atomic():
            return Voter.objects.create(event=event, created_at=now, **identity)
    except IntegrityError:  # a parallel first request of the same voter created it
        return existing.select_related("event").get()


def ballot(voter: Voter | None, voting: PlenumVoting) -> Ballot:
    if voter is None or voter.pk is None:
        return Ballot(voting, voting.dots_per_voter)
    used = Voter.objects.filter(pk=voter.pk).values_list("dots_used", flat=True).first() or 0
    given = dict(Dot.objects.filter(voter=voter).values("idea").annotate(n=Count("pk")).values_list("idea", "n"))
    return Ballot(voting, max(voting.dots_per_voter - used, 0), given)


def give_dot(voter: Voter, idea_id: int, *, now: datetime) -> Dot:
    with transaction.atomic():
        voting = _open_voting(voter.event_id)
        idea = _votable_idea(voter.event_id, idea_id)
        if not spend_dot(voter.pk, voting.dots_per_voter):
            raise DomainError(
                "no_dots_left",
                _("You have given all your dots. Take one back to give it to another idea."),
                status=409,
            )
        dot = Dot.objects.create(voter=voter, idea=idea, given_at=now)
        _audit("plenum_dot.given", voter, idea, now=now)
    return dot


def take_back_dot(voter: Voter, idea_id: int, *, now: datetime) -> None:
    with transaction.atomic():
        _open_voting(voter.event_id)
        idea = _votable_idea(voter.event_id, idea_id)
        dot_id = Dot.objects.filter(voter=voter, idea=idea).order_by("-given_at", "-pk").values_list("pk", flat=True)
        # Deleting by id counts what this transaction really removed: of two racing take-backs of
        # the last dot, one deletes it and the other finds nothing.
        if not dot_id or Dot.objects.filter(pk=dot_id[0]).delete()[0] == 0:
            raise DomainError("no_dot_to_take_back", _("You have no dot on this idea to take back."), status=409)
        Voter.objects.filter(pk=voter.pk, dots_used__gt=0).update(dots_used=F("dots_used") - 1)
        _audit("plenum_dot.taken_back", voter, idea, now=now)


def spend_dot(voter_id: int, budget: int) -> bool:
    """Count one more dot on the voter, if the budget allows it; False when it does not."""
    return Voter.objects.filter(pk=voter_id, dots_used__lt=budget).update(dots_used=F("dots_used") + 1) == 1


def _open_voting(event_id: int) -> PlenumVoting:
    voting = PlenumVoting.objects.filter(event_id=event_id).first()
    if voting is None or not voting.is_open or voting.dots_per_voter == 0:
        raise DomainError("voting_closed", _("Voting is closed at the moment. Nothing was changed."), status=409)
    return voting


def _votable_idea(event_id: int, idea_id) -> Idea:
    idea = Idea.objects.filter(pk=idea_id).first() if str(idea_id).isdigit() else None
    if idea is None:
        raise DomainError("idea_not_found", _("This idea does not exist."), status=404, field="idea")
    if idea.event_id != event_id:
        raise DomainError(
            "idea_of_other_event",
            _("This idea belongs to another event; it cannot get dots here."),
            status=422,
            field="idea",
        )
    if not idea.for_plenum or idea.merged_into_id or idea.moderation != Moderation.APPROVED:
        raise DomainError(
            "idea_not_in_plenum", _("Only ideas on the plenum wall can get dots."), status=422, field="idea"
        )
    return idea


def _audit(action: str, voter: Voter, idea: Idea, *, now: datetime) -> None:
    # Voters have no account and the log must not tie a registration to its votes: a number only.
    record_audit(action, actor=None, label=str(voter), now=now, event=voter.event, target=idea)
