"""Copying an event, alone or as a series on several dates: everything the organisers set up
(texts, format, place, seats, registration rules, mails, terms, questions, team), nothing of the
people who registered. Each copy is a new event of its own, made by `services.create_event`."""

from datetime import date, datetime, time

from django.db import transaction
from django.utils.translation import gettext as _

from core.berlin import BERLIN
from core.errors import DomainError
from events.models import Event, EventMember, SeatPool
from events.publishing import publish_event
from events.questions import QuestionData, add_question
from events.services import EVENT_FIELDS, SECRET_EVENT_FIELDS, SeatPlan, TermsData, create_event, record_audit

MAX_SERIES_DATES = 20
# Not copied: a copy starts as a draft, and the keyword of the mail channel belongs to one open
# event at a time, so the organisers give the copy its own.
NOT_COPIED = SECRET_EVENT_FIELDS | {"status", "keyword"}
SHIFTED = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")


def copied_fields(source: Event, starts_at: datetime) -> dict:
    shift = starts_at - source.starts_at
    fields = {name: getattr(source, name) for name in EVENT_FIELDS - NOT_COPIED}
    for name in SHIFTED:
        fields[name] = getattr(source, name) + shift
    fields["interpretation_languages"] = list(source.interpretation_languages)
    return fields


def terms_of(source: Event) -> TermsData | None:
    terms = source.current_terms()
    return terms and TermsData(
        text_de=terms.text_de,
        text_en=terms.text_en,
        broadcast_consent_required=terms.broadcast_consent_required,
        broadcast_text_de=terms.broadcast_text_de,
        broadcast_text_en=terms.broadcast_text_en,
    )


@transaction.atomic
def copy_event(source: Event, *, starts_at: datetime, publish: bool = False, actor, now: datetime) -> Event:
    """A new event like `source`, starting at `starts_at` (every other date moves with it); a
    draft, or published when `publish` (refused, like any publication, while something is missing)."""
    source = Event.objects.select_related("venue").get(pk=source.pk)
    seats = {pool.seat_type: SeatPlan(pool.capacity, pool.reserved) for pool in SeatPool.objects.filter(event=source)}
    copy = create_event(
        copied_fields(source, starts_at),
        seats=seats,
        venue=source.venue if source.has_venue else None,
        terms=terms_of(source),
        actor=actor,
        now=now,
    )
    for member in EventMember.objects.filter(event=source).exclude(user=actor):
        EventMember.objects.get_or_create(event=copy, user_id=member.user_id, defaults={"role": member.role})
    for question in source.questions.all():
        data = QuestionData(
            kind=question.kind,
            label_de=question.label_de,
            label_en=question.label_en,
            choices_de=tuple(question.choice_values),
            choices_en=tuple(line.strip() for line in question.choices_en.splitlines() if line.strip()),
            required=question.required,
        )
        add_question(copy, data, actor=actor, now=now)
    record_audit("event.copied", actor=actor, now=now, event=copy, target=copy, data={"from": source.slug})
    if publish:
        copy = publish_event(copy, actor=actor, now=now)
    return copy


def start_on(source: Event, day: date) -> datetime:
    """The start on `day` at the source's time of day on the city's clock (also across a change
    between summer and winter time)."""
    local = source.starts_at.astimezone(BERLIN)
    return datetime.combine(day, time(local.hour, local.minute), tzinfo=BERLIN)


@transaction.atomic
def create_series(source: Event, days: list[date], *, publish: bool, actor, now: datetime) -> list[Event]:
    """The same event on each of `days`, in one step: all copies are made, or none."""
    days = sorted(set(days))
    if not days:
        raise DomainError("no_dates", _("Enter at least one date."), status=422, field="dates")
    if len(days) > MAX_SERIES_DATES:
        message = _("At most %(count)s dates at once.") % {"count": MAX_SERIES_DATES}
        raise DomainError("too_many_dates", message, status=422, field="dates")
    copies = []
    for day in days:
        starts_at = start_on(source, day)
        if starts_at <= now:
            message = _("The date %(date)s is in the past.") % {"date": day.strftime("%d.%m.%Y")}
            raise DomainError("date_in_past", message, status=422, field="dates")
        copies.append(copy_event(source, starts_at=starts_at, publish=publish, actor=actor, now=now))
    return copies
