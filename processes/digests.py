"""The news digest (`manage.py send_digests`, once a day): each confirmed subscriber hears, in
one mail, what changed since their last one — events added to the process, and backlog items of
its working groups (or of the one group) that changed status. Nothing changed: no mail."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction

from events.models import Event
from ideas.models import BacklogItem
from processes.mails import digest_mail
from processes.models import ProcessEvent, Subscription
from registrations.outbox.queue import queue_many


@dataclass
class News:
    events: list[Event] = field(default_factory=list)
    items: list[BacklogItem] = field(default_factory=list)

    def __bool__(self):
        return bool(self.events or self.items)


def news_for(subscription: Subscription, *, now: datetime) -> News:
    since = subscription.news_until or subscription.confirmed_at
    if subscription.process_id:
        processes = [subscription.process_id]
        groups = subscription.process.working_groups.values("pk")
    else:
        processes = subscription.working_group.processes.values("pk")
        groups = [subscription.working_group_id]
    added = ProcessEvent.objects.filter(process__in=processes, added_at__gt=since, added_at__lte=now)
    return News(
        events=list(Event.objects.public().filter(pk__in=added.values("event")).order_by("starts_at")),
        items=list(
            BacklogItem.objects.filter(
                working_group__in=groups, status_changed_at__gt=since, status_changed_at__lte=now
            )
            .select_related("working_group")
            .order_by("working_group__title", "position")
        ),
    )


# A wish not confirmed within this time is erased, as the confirmation mail says.
UNCONFIRMED_KEPT = timedelta(days=7)


def send_digests(*, now: datetime) -> int:
    """Queue one mail per subscriber with news; returns how many. Each subscriber in a short
    transaction of their own, so that one failure does not hold back the others' mails."""
    Subscription.objects.filter(confirmed_at__isnull=True, created_at__lt=now - UNCONFIRMED_KEPT).delete()
    sent = 0
    subscribers = Subscription.objects.filter(confirmed_at__isnull=False).values_list("pk", flat=True)
    for pk in subscribers.iterator(chunk_size=200):
        with transaction.atomic():
            # Locked and read again: a second run at the same time skips it, and sends nothing twice.
            subscription = (
                Subscription.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("process", "working_group")
                .filter(pk=pk, confirmed_at__isnull=False)
                .first()
            )
            if subscription is None:
                continue
            news = news_for(subscription, now=now)
            if news:
                queue_many([digest_mail(subscription, news, now=now)])
                sent += 1
            Subscription.objects.filter(pk=subscription.pk).update(news_until=now)
    return sent
