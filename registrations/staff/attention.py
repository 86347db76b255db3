"""What needs an organiser's attention, on the dashboard: each item says what is wrong, how
many, and links to the page where it is fixed.

- mails that failed (the outbox, filtered to failed mails);
- the e-mail intake stalled: its last round longer ago than HEALTH_MAX_INTAKE_AGE (the same rule
  as /health), or mails it could not read;
- seats offered from the waiting list whose offer runs out within OFFERS_EXPIRING_WITHIN;
- events that allocate at the deadline with registrations still pending and the deadline passed
  or within ALLOCATION_DUE_WITHIN.

A fixed number of queries however many events: counts are grouped by event, the seat pools are
those the dashboard prefetched."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.access import is_city_admin
from events.models import Allocation, Event, Role
from registrations.intake.models import IntakeMail, Outcome
from registrations.intake.services import last_intake_run
from registrations.models import MailState, OutboxMail, Registration, Status

OFFERS_EXPIRING_WITHIN = timedelta(hours=24)
ALLOCATION_DUE_WITHIN = timedelta(days=1)
UNREADABLE_MAILS_SINCE = timedelta(days=7)


@dataclass(frozen=True)
class Attention:
    text: str
    url: str
    link_label: str
    event: Event | None = None


def needs_attention(user, events: list[Event], *, now: datetime) -> list[Attention]:
    """The items for `user` about `events` (the dashboard's, with `member_role` annotated and the
    seat pools prefetched); only events the user organises (the roles that can act on them)."""
    managed = [event for event in events if event.ends_at >= now and _organises(user, event)]
    items = _failed_mails(managed) + _expiring_offers(managed, now) + _allocations_due(managed, now)
    if managed or is_city_admin(user):
        items += _intake(now)
    return items


def _organises(user, event: Event) -> bool:
    return event.member_role == Role.ORGANISER or (event.member_role is None and is_city_admin(user))


def _failed_mails(events: list[Event]) -> list[Attention]:
    counts = dict(
        OutboxMail.objects.filter(event__in=events, state=MailState.FAILED)
        .values_list("event")
        .annotate(Count("pk"))
        .order_by()
    )
    return [
        Attention(
            ngettext("%(count)s mail could not be sent.", "%(count)s mails could not be sent.", counts[event.pk])
            % {"count": counts[event.pk]},
            reverse("outbox:list", args=[event.slug]) + f"?state={MailState.FAILED}",
            _("See the failed mails"),
            event,
        )
        for event in events
        if event.pk in counts
    ]


def _expiring_offers(events: list[Event], now: datetime) -> list[Attention]:
    offers = {
        event_id: (count, first)
        for event_id, count, first in Registration.objects.filter(
            event__in=events, status=Status.OFFERED, offer_expires_at__lte=now + OFFERS_EXPIRING_WITHIN
        )
        .values_list("event")
        .annotate(Count("pk"), Min("offer_expires_at"))
        .order_by()
    }
    items = []
    for event in events:
        if event.pk not in offers:
            continue
        count, _first = offers[event.pk]
        items.append(
            Attention(
                ngettext(
                    "%(count)s seat offered from the waiting list runs out within a day without an answer.",
                    "%(count)s seats offered from the waiting list run out within a day without an answer.",
                    count,
                )
                % {"count": count},
                reverse("staff:registrations", args=[event.slug]) + f"?status={Status.OFFERED}",
                _("See the open offers"),
                event,
            )
        )
    return items


def _allocations_due(events: list[Event], now: datetime) -> list[Attention]:
    items = []
    for event in events:
        if event.allocation != Allocation.AT_DEADLINE:
            continue
        pending = sum(pool.pending for pool in event.seat_pools.all())
        if not pending or event.registration_closes_at > now + ALLOCATION_DUE_WITHIN:
            continue
        passed = event.registration_closes_at <= now
        text = (
            ngettext(
                "The deadline has passed: %(count)s registration waits to be allocated.",
                "The deadline has passed: %(count)s registrations wait to be allocated.",
                pending,
            )
            if passed
            else ngettext(
                "The deadline is within a day: %(count)s registration will wait to be allocated.",
                "The deadline is within a day: %(count)s registrations will wait to be allocated.",
                pending,
            )
        )
        items.append(
            Attention(text % {"count": pending}, reverse("staff:event", args=[event.slug]), _("Allocate seats"), event)
        )
    return items


def _intake(now: datetime) -> list[Attention]:
    items = []
    if settings.INTAKE_IMAP_URL:
        last_run = last_intake_run()
        if last_run is None or (now - last_run).total_seconds() > settings.HEALTH_MAX_INTAKE_AGE:
            items.append(
                Attention(
                    _("The e-mail intake has not fetched new registration mails for a while. Please tell the IT team."),
                    reverse("intake:inbox"),
                    _("To the registration inbox"),
                )
            )
    unreadable = IntakeMail.objects.filter(
        outcome=Outcome.UNREADABLE, received_at__gte=now - UNREADABLE_MAILS_SINCE
    ).count()
    if unreadable:
        items.append(
            Attention(
                ngettext(
                    "%(count)s registration mail of the last week could not be read.",
                    "%(count)s registration mails of the last week could not be read.",
                    unreadable,
                )
                % {"count": unreadable},
                reverse("intake:inbox") + f"?outcome={Outcome.UNREADABLE}",
                _("See the unreadable mails"),
            )
        )
    return items
