"""Every change to events, seat pools and consent terms goes through these functions."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.errors import DomainError, ValidationFailed
from events.models import (
    EARLIEST_EVENT_TIME,
    EVENT_TIME_FIELDS,
    LATEST_EVENT_TIME,
    MAX_COMPANIONS,
    SEAT_TYPES_BY_FORMAT,
    AuditEntry,
    ConsentTerms,
    Event,
    EventStatus,
    Format,
    OrganiserToken,
    SeatPool,
    Venue,
    normalize_keyword,
    within_event_time_bounds,
)
from events.signals import (
    access_data_changed,
    event_cancelled,
    event_moved,
    event_postponed,
    event_published,
    seats_changed,
)

EVENT_FIELDS = {
    "title_de",
    "title_en",
    "description_de",
    "description_en",
    "format",
    "starts_at",
    "ends_at",
    "keyword",
    "registration_email",
    "registration_phone",
    "registration_opens_at",
    "registration_closes_at",
    "allocation",
    "livestream_url",
    "interpretation_languages",
    "status",
    "online_join_url",
    "online_meeting_id",
    "online_passcode",
    "access_data_hours_before",
    "reminder_hours_before",
    "retention_days",
    "max_companions",
    "max_registrations_per_address",
    "reconfirm_days_before",
    "reconfirm_answer_hours",
    "offer_valid_hours",
}
# Never written into the audit log in clear: the log is read by more people than the registrants.
SECRET_EVENT_FIELDS = {"online_join_url", "online_meeting_id", "online_passcode"}
ACCESS_DATA_FIELDS = SECRET_EVENT_FIELDS | {"access_data_hours_before"}
# A change of these makes calendars replace their entry (RFC 5545 3.8.7.4: date, time, status), and
# a new place belongs with them.
CALENDAR_FIELDS = {"starts_at", "ends_at", "status", "format", "venue"}


@dataclass(frozen=True)
class SeatPlan:
    capacity: int
    reserved: int = 0


@dataclass(frozen=True)
class VenueData:
    """A place. The structured accessibility facts are None when the caller does not state them
    (the API): then a known venue keeps what it has. A caller that states them (the event
    editor) sets all four facts of the venue, which every event held there shares."""

    name: str
    address: str
    accessibility_notes: str = ""
    step_free: bool | None = None
    hearing_loop: bool | None = None
    accessible_toilet: bool | None = None
    accessibility_notes_en: str = ""

    @property
    def states_accessibility(self) -> bool:
        return None not in (self.step_free, self.hearing_loop, self.accessible_toilet)

    def accessibility(self) -> dict:
        return {
            "step_free": bool(self.step_free),
            "hearing_loop": bool(self.hearing_loop),
            "accessible_toilet": bool(self.accessible_toilet),
            "accessibility_notes": self.accessibility_notes.strip(),
            "accessibility_notes_en": self.accessibility_notes_en.strip(),
        }

    def notes(self) -> dict:
        return {
            "accessibility_notes": self.accessibility_notes.strip(),
            "accessibility_notes_en": self.accessibility_notes_en.strip(),
        }


@dataclass(frozen=True)
class TermsData:
    text_de: str
    text_en: str = ""
    broadcast_consent_required: bool = False
    broadcast_text_de: str = ""
    broadcast_text_en: str = ""


def record_audit(action: str, *, actor, now: datetime, event=None, target=None, data=None, label: str = ""):
    """Write one audit line. `actor` is a user or None (a citizen or the system, named by `label`)."""
    entry = audit_entry(action, actor=actor, now=now, event=event, target=target, data=data, label=label)
    entry.save()
    return entry


def audit_entry(action: str, *, actor, now: datetime, event=None, target=None, data=None, label: str = ""):
    """An unsaved audit line, for callers that write many at once."""
    return AuditEntry(
        at=now,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=label or (actor.get_username() if getattr(actor, "pk", None) else "system"),
        action=action,
        event=event,
        target_type=target._meta.model_name if target is not None else "",
        target_id=target.pk if target is not None else None,
        data=data or {},
    )


def default_terms(event: Event, *, broadcast: bool) -> TermsData:
    return TermsData(
        text_de=(
            "Ich bin einverstanden, dass die Stadt meinen Namen und meine Kontaktdaten zur Organisation "
            "dieser Veranstaltung verarbeitet. Die Daten werden nach der Veranstaltung gelöscht."
        ),
        text_en=(
            "I agree that the city processes my name and contact details to organise this event. "
            "The data is deleted after the event."
        ),
        broadcast_consent_required=broadcast,
        broadcast_text_de=(
            "Ich bin damit einverstanden, im Rahmen der Übertragung der Veranstaltung in den digitalen Medien "
            "zu erscheinen."
        )
        if broadcast
        else "",
        broadcast_text_en="I agree to appear in the broadcast of the event in digital media." if broadcast else "",
    )


def event_problems(event: Event, seats: dict[str, SeatPlan], *, now: datetime) -> dict[str, list[DomainError]]:
    """What an organiser must fix before the event can be saved, by field."""
    problems: dict[str, list[DomainError]] = {}

    def add(field, code, message):
        problems.setdefault(field, []).append(DomainError(code, message, field=field))

    for name in EVENT_TIME_FIELDS:
        if not within_event_time_bounds(getattr(event, name)):
            add(name, "date_out_of_range", out_of_range_message())
    if problems:  # the rules below compute with these times
        return problems
    if event.starts_at and event.ends_at and event.ends_at <= event.starts_at:
        add("ends_at", "ends_before_start", _("The event must end after it starts."))
    opens, closes = event.registration_opens_at, event.registration_closes_at
    if opens and closes and closes <= opens:
        add("registration_closes_at", "registration_window_empty", _("Registration must close after it opens."))
    if event.registration_closes_at and event.starts_at and event.registration_closes_at > event.starts_at:
        add(
            "registration_closes_at",
            "registration_closes_after_start",
            _("Registration must close before the event starts."),
        )
    deadline = event.reconfirm_deadline() if event.starts_at else None
    if deadline is not None and event.reconfirm_answer_hours < 1:
        add("reconfirm_answer_hours", "invalid_reconfirm_hours", _("People need at least one hour to reconfirm."))
    elif deadline is not None and deadline >= event.starts_at:
        add(
            "reconfirm_answer_hours",
            "reconfirm_after_start",
            _("The time to reconfirm must end before the event starts."),
        )
    if deadline is not None and event.offer_valid_hours < 1:
        add("offer_valid_hours", "invalid_offer_hours", _("An offered seat must be open for at least one hour."))
    if not 0 <= event.max_companions <= MAX_COMPANIONS:
        message = _("At most %(count)s companions per registration.") % {"count": MAX_COMPANIONS}
        add("max_companions", "too_many_companions_allowed", message)
    if event.format in (Format.ONSITE, Format.HYBRID) and event.venue_id is None and event.venue is None:
        add("venue", "venue_required", _("An on-site or hybrid event needs a venue."))
    offered = {str(t) for t in SEAT_TYPES_BY_FORMAT.get(event.format, set())}
    for seat_type in sorted(offered):
        if seat_type not in seats:
            add("seats", "seats_required", _("This format needs seats of type “%(type)s”.") % {"type": seat_type})
    for seat_type, plan in seats.items():
        if seat_type not in offered:
            add(
                "seats",
                "seat_type_not_offered",
                _("A %(format)s event has no “%(type)s” seats.") % {"format": event.format, "type": seat_type},
            )
        elif plan.capacity < 0 or plan.reserved < 0:
            add("seats", "invalid_capacity", _("Seat numbers cannot be negative."))
        elif plan.reserved > plan.capacity:
            add("seats", "reserved_exceeds_capacity", _("Reserved seats cannot exceed the capacity."))
    if event.keyword:
        other = keyword_owner(event.keyword, now=now, exclude=event)
        if other is not None:
            add(
                "keyword",
                "keyword_taken",
                _("The keyword “%(keyword)s” is already used by “%(event)s”, which is open for registration.")
                % {"keyword": event.keyword, "event": other.title},
            )
    return problems


def out_of_range_message() -> str:
    return _("Please enter a date between %(earliest)s and %(latest)s.") % {
        "earliest": date_format(EARLIEST_EVENT_TIME.date()),
        "latest": date_format(LATEST_EVENT_TIME.date() - timedelta(days=1)),
    }


def pool_problems(
    event: Event, pools, planned: dict[str, SeatPlan], *, allow_fewer_seats: bool = False
) -> dict[str, list[DomainError]]:
    """What the registrations already in the event's seat `pools` forbid in a change to the
    `planned` seats: dropping a seat type people hold (by a change of format), or fewer free
    seats than are confirmed (unless a move re-seats them, see `move_event`)."""
    problems: dict[str, list[DomainError]] = {}
    for pool in pools:
        if pool.seat_type not in event.seat_types and pool.active:
            message = _(
                "%(count)s people hold a registration for the seat type “%(type)s”, which the format “%(format)s” "
                "does not offer. Cancel these registrations before changing the format."
            ) % {"count": pool.active, "type": pool.get_seat_type_display(), "format": event.get_format_display()}
            problems.setdefault("format", []).append(DomainError("seat_type_in_use", message, field="format"))
        plan = planned.get(pool.seat_type)
        if plan is not None and plan.capacity - plan.reserved < pool.confirmed and not allow_fewer_seats:
            problems.setdefault("seats", []).append(
                DomainError(
                    "capacity_below_confirmed",
                    _("%(count)s people already hold a confirmed seat of this type; the free seats cannot be fewer.")
                    % {"count": pool.confirmed},
                    field="seats",
                )
            )
    return problems


def keyword_owner(keyword: str, *, now: datetime, exclude: Event | None = None) -> Event | None:
    """The event open for registration (not cancelled, registration not yet closed) that
    holds this keyword, if any."""
    candidates = Event.objects.filter(
        keyword_normalized=normalize_keyword(keyword), registration_closes_at__gte=now
    ).exclude(status=EventStatus.CANCELLED)
    if exclude is not None and exclude.pk:
        candidates = candidates.exclude(pk=exclude.pk)
    return candidates.first()


def lock_keyword(keyword: str) -> None:
    """Serialise the saves of events that claim the same keyword, until the transaction ends.

    A keyword may pass from an event whose registration has closed to a new one, so no unique
    constraint can guard it; the check in `keyword_owner()` is only sound when no other save of
    the same keyword runs between the check and the commit. On PostgreSQL a transaction-level
    advisory lock keyed on the normalised keyword does that (other keywords are not held up).
    On SQLite every transaction is IMMEDIATE (see settings), so saves are serialised already."""
    normalized = normalize_keyword(keyword)
    if not normalized or connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('events.keyword'), hashtext(%s))", [normalized])


def unique_slug(title: str, starts_at: datetime) -> str:
    """The title and the day of the event in the city's time zone: an event that starts at
    00:30 on 21 August belongs to the 21st, though in UTC it is still the 20th."""
    day = timezone.localtime(starts_at) if timezone.is_aware(starts_at) else starts_at
    base = slugify(f"{title[:60]} {day:%Y-%m-%d}") or "veranstaltung"
    slug, counter = base, 2
    while Event.objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def save_new_event(event: Event, *, slug: str | None) -> None:
    """Insert a new event under `slug`, or else under the first free slug of its title and day.

    Another event created at the same moment may take a slug between `unique_slug()` finding it
    free and the insert, so the unique index decides: the insert runs in a savepoint, and when
    it clashes with a slug saved meanwhile, the next free one is tried. A slug the caller chose
    is refused instead (slug_taken)."""
    while True:
        event.slug = slug or unique_slug(event.title_de, event.starts_at)
        try:
            with transaction.atomic():
                event.save()
            return
        except IntegrityError:
            # Anything but a slug saved meanwhile (visible now that its transaction committed)
            # is not ours to handle; it also ends the loop if the slug cannot be seen.
            if not Event.objects.filter(slug=event.slug).exists():
                raise
            if slug:
                error = DomainError("slug_taken", _("Another event already has this slug."), field="slug")
                raise ValidationFailed({"slug": [error]}) from None


@transaction.atomic
def create_event(
    fields: dict,
    *,
    seats: dict[str, SeatPlan],
    venue: VenueData | Venue | None,
    terms: TermsData | None = None,
    slug: str | None = None,
    actor,
    now: datetime,
) -> Event:
    event = Event(**{key: value for key, value in fields.items() if key in EVENT_FIELDS})
    if venue is not None:
        event.venue = venue if isinstance(venue, Venue) else find_or_create_venue(venue)
    lock_keyword(event.keyword)
    problems = event_problems(event, seats, now=now)
    if problems:
        raise ValidationFailed(problems)
    save_new_event(event, slug=slug)
    for seat_type, plan in seats.items():
        SeatPool.objects.create(event=event, seat_type=seat_type, capacity=plan.capacity, reserved=plan.reserved)
    broadcast = bool(event.livestream_url) and event.format != Format.ONLINE
    add_terms_version(event, terms or default_terms(event, broadcast=broadcast))
    if actor is not None and getattr(actor, "pk", None):
        event.team.add(actor)
    record_audit("event.created", actor=actor, now=now, event=event, target=event, data={"slug": event.slug})
    if event.status == EventStatus.PUBLISHED:
        event_published.send(sender=Event, event=event, actor=actor, now=now)
    return event


@transaction.atomic
def update_event(
    event: Event,
    fields: dict,
    *,
    seats: dict[str, SeatPlan] | None = None,
    venue: VenueData | Venue | None = None,
    terms: TermsData | None = None,
    actor,
    now: datetime,
    note: str = "",
    allow_fewer_seats: bool = False,
) -> Event:
    """Change an event. `seats` are the plans of the seat types to add or change; a change of
    format removes the pools of seat types it no longer offers, and is refused while people hold
    registrations for them. `allow_fewer_seats` is for moves, where registrations are re-seated
    in their original order instead of refusing the change (see `move_event`)."""
    event = Event.objects.select_for_update(of=("self",)).select_related("venue").get(pk=event.pk)
    before = {
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "place": public_place(event),
        "venue_id": event.venue_id,
        "status": event.status,
    }
    changed = {}
    for key, value in fields.items():
        if key in EVENT_FIELDS and getattr(event, key) != value:
            setattr(event, key, value)
            changed[key] = "(changed)" if key in SECRET_EVENT_FIELDS else str(value)
    if venue is not None:
        event.venue = venue if isinstance(venue, Venue) else find_or_create_venue(venue)
        if event.venue_id != before["venue_id"]:
            changed["venue"] = event.venue.name
        described = isinstance(venue, VenueData) and describe_venue(event.venue, venue)
        if described or ("venue" in changed and isinstance(venue, VenueData) and venue.states_accessibility):
            changed["venue.accessibility"] = venue.accessibility()
    current_pools = {pool.seat_type: pool for pool in SeatPool.objects.select_for_update().filter(event=event)}
    # The pools of seat types the (new) format no longer offers are removed; every seat plan
    # asked for in this change is checked, so none of a type the format lacks is created.
    planned = {t: SeatPlan(p.capacity, p.reserved) for t, p in current_pools.items() if t in event.seat_types}
    planned.update(seats or {})
    lock_keyword(event.keyword)
    problems = event_problems(event, planned, now=now)
    in_use = pool_problems(event, current_pools.values(), planned, allow_fewer_seats=allow_fewer_seats)
    for field, errors in in_use.items():
        problems.setdefault(field, []).extend(errors)
    if problems:
        raise ValidationFailed(problems)
    if changed.keys() & CALENDAR_FIELDS and before["status"] != EventStatus.DRAFT:
        event.calendar_sequence += 1
    event.save()
    for seat_type, pool in current_pools.items():
        if seat_type not in event.seat_types:
            pool.delete()
            changed[f"seats.{seat_type}"] = "removed"
    for seat_type, plan in (seats or {}).items():
        pool = current_pools.get(seat_type)
        if pool is not None and (pool.capacity, pool.reserved) == (plan.capacity, plan.reserved):
            continue
        if pool is None:
            SeatPool.objects.create(event=event, seat_type=seat_type, capacity=plan.capacity, reserved=plan.reserved)
        else:
            pool.capacity, pool.reserved = plan.capacity, plan.reserved
            pool.save(update_fields=["capacity", "reserved"])
        changed[f"seats.{seat_type}"] = {"capacity": plan.capacity, "reserved": plan.reserved}
    if terms is not None:
        add_terms_version(event, terms)
        changed["terms"] = "new version"
    record_audit("event.updated", actor=actor, now=now, event=event, target=event, data=changed)
    announce_changes(event, before, changed, actor=actor, now=now, note=note)
    if before["status"] == EventStatus.DRAFT and event.status == EventStatus.PUBLISHED:
        event_published.send(sender=Event, event=event, actor=actor, now=now)
    if seats:
        seats_changed.send(sender=Event, event=event, actor=actor, now=now)
    return event


def announce_changes(event: Event, before: dict, changed: dict, *, actor, now: datetime, note: str) -> None:
    """Tell the layers above what registrants must hear about, inside the transaction of the change."""
    if before["status"] == EventStatus.DRAFT and event.status == EventStatus.DRAFT:
        return
    details = {"sender": Event, "event": event, "actor": actor, "now": now, "note": note}
    if "status" in changed and event.status == EventStatus.CANCELLED:
        event_cancelled.send(**details)
        return
    if "status" in changed and event.status == EventStatus.POSTPONED:
        event_postponed.send(**details)
    elif changed.keys() & {"starts_at", "ends_at", "venue"} or before["status"] == EventStatus.POSTPONED:
        previous = {key: before[key] for key in ("starts_at", "ends_at", "place")}
        event_moved.send(**details, previous=previous)
    if changed.keys() & ACCESS_DATA_FIELDS:
        access_data_changed.send(**details, data_changed=bool(changed.keys() & SECRET_EVENT_FIELDS))


def public_place(event: Event) -> str:
    if event.venue is not None and event.has_venue:
        return f"{event.venue.name}, {event.venue.address}"
    return ""


def cancel_event(event: Event, *, actor, now: datetime, note: str = "") -> Event:
    """Cancel an event; every registrant is told, with a calendar cancellation."""
    event = Event.objects.get(pk=event.pk)
    if event.status == EventStatus.CANCELLED:
        raise DomainError("already_cancelled", _("This event is already cancelled."), status=409)
    return update_event(event, {"status": EventStatus.CANCELLED}, actor=actor, now=now, note=note)


def postpone_event(event: Event, *, actor, now: datetime, note: str = "") -> Event:
    """Postpone without a new date yet; registrations stay and carry over to the new date."""
    event = Event.objects.get(pk=event.pk)
    if event.status != EventStatus.PUBLISHED:
        raise DomainError("not_published", _("Only a published event can be postponed."), status=409)
    return update_event(event, {"status": EventStatus.POSTPONED}, actor=actor, now=now, note=note)


def move_event(
    event: Event,
    *,
    starts_at: datetime,
    ends_at: datetime,
    venue: VenueData | None = None,
    seats: dict[str, SeatPlan] | None = None,
    actor,
    now: datetime,
    note: str = "",
) -> Event:
    """Move an event to a new date (and perhaps place and seats). Registrations carry over in their
    original order; with fewer seats the last confirmed move to the head of the waiting list."""
    event = Event.objects.get(pk=event.pk)
    if event.status == EventStatus.CANCELLED:
        raise DomainError("event_cancelled", _("A cancelled event cannot be moved."), status=409)
    if starts_at <= now:
        raise DomainError("moved_into_past", _("The new date must be in the future."), status=422, field="starts_at")
    fields = {"starts_at": starts_at, "ends_at": ends_at}
    if event.status == EventStatus.POSTPONED:
        fields["status"] = EventStatus.PUBLISHED
    if event.registration_closes_at > starts_at:
        fields["registration_closes_at"] = starts_at
    return update_event(
        event, fields, venue=venue, seats=seats, actor=actor, now=now, note=note, allow_fewer_seats=True
    )


def add_terms_version(event: Event, terms: TermsData) -> ConsentTerms:
    latest = event.consent_terms.order_by("-version").first()
    event.forget_terms()
    return ConsentTerms.objects.create(
        event=event,
        version=(latest.version + 1) if latest else 1,
        text_de=terms.text_de,
        text_en=terms.text_en,
        broadcast_consent_required=terms.broadcast_consent_required,
        broadcast_text_de=terms.broadcast_text_de,
        broadcast_text_en=terms.broadcast_text_en,
    )


def change_terms(event: Event, terms: TermsData, *, actor, now: datetime) -> ConsentTerms:
    """The team changes the terms or the broadcast clause: a new version, which everyone who
    registers from now on agrees to. Versions people agreed to are never edited; their consent
    records keep naming theirs. The same texts again make no version (the current one is returned).
    Refused (422, at the field): no German terms; a broadcast consent asked for without its text."""
    problems = {}
    if not terms.text_de.strip():
        problems["text_de"] = [
            DomainError("terms_required", _("Please write the terms in German."), status=422, field="text_de")
        ]
    if terms.broadcast_consent_required and not terms.broadcast_text_de.strip():
        problems["broadcast_text_de"] = [
            DomainError(
                "broadcast_text_required",
                _("Please write the broadcast consent in German, or do not ask for it."),
                status=422,
                field="broadcast_text_de",
            )
        ]
    if problems:
        raise ValidationFailed(problems)
    terms = TermsData(
        text_de=terms.text_de.strip(),
        text_en=terms.text_en.strip(),
        broadcast_consent_required=terms.broadcast_consent_required,
        broadcast_text_de=terms.broadcast_text_de.strip() if terms.broadcast_consent_required else "",
        broadcast_text_en=terms.broadcast_text_en.strip() if terms.broadcast_consent_required else "",
    )
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        current = event.consent_terms.order_by("-version").first()
        if current is not None and terms_of(current) == terms:
            return current
        made = add_terms_version(event, terms)
        record_audit(
            "terms.changed",
            actor=actor,
            now=now,
            event=event,
            target=made,
            data={"version": made.version, "broadcast_consent_required": made.broadcast_consent_required},
        )
    return made


def terms_of(terms: ConsentTerms) -> TermsData:
    return TermsData(
        text_de=terms.text_de,
        text_en=terms.text_en,
        broadcast_consent_required=terms.broadcast_consent_required,
        broadcast_text_de=terms.broadcast_text_de,
        broadcast_text_en=terms.broadcast_text_en,
    )


def find_or_create_venue(data: VenueData) -> Venue:
    defaults = data.accessibility() if data.states_accessibility else data.notes()
    venue, _created = Venue.objects.get_or_create(
        name=data.name.strip(), address=data.address.strip(), defaults=defaults
    )
    return venue


def describe_venue(venue: Venue, data: VenueData) -> bool:
    """Give the venue the accessibility facts `data` states; True if that changed anything."""
    if not data.states_accessibility:
        return False
    facts = data.accessibility()
    if all(getattr(venue, name) == value for name, value in facts.items()):
        return False
    for name, value in facts.items():
        setattr(venue, name, value)
    venue.save(update_fields=list(facts))
    return True


def issue_api_token(user, *, now: datetime) -> str:
    """A new API token for an organiser. The raw token is returned once; only its hash is kept."""
    raw = "sdt_" + secrets.token_urlsafe(32)
    OrganiserToken.objects.create(user=user, key_hash=OrganiserToken.hash(raw))
    record_audit("api_token.issued", actor=user, now=now, target=user)
    return raw
