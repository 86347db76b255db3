from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from core.errors import PermissionDenied
from core.pagination import BoundedLimitOffsetPagination
from core.ratelimit import check_request_rate
from events.access import Capability, can, ensure, event_for
from events.auth import optional_organiser_auth, organiser_auth
from events.models import Event
from events.schemas import ErrorOut
from registrations import changes, services, submissions
from registrations.answers import NeedsData, details_of
from registrations.checkin import checkout, walk_ins
from registrations.checkin import services as checkin
from registrations.links import manage_url
from registrations.models import Channel, Registration
from registrations.schemas import (
    AllocationOut,
    CheckInIn,
    CheckInOut,
    CheckOutOut,
    DetailsIn,
    ReceivedOut,
    RegistrationIn,
    RegistrationListItem,
    RegistrationOut,
    SwitchIn,
    WalkInIn,
    WalkInOut,
)
from registrations.tickets import display_code

router = Router(tags=["registrations"])

ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
    503: ErrorOut,
}


def registration_out(registration: Registration) -> dict:
    details = details_of(registration)
    return {
        "id": registration.pk,
        "status": registration.status,
        "seat": registration.seat_type,
        "companions": registration.companions,
        "waitlist_position": registration.waitlist_position,
        "manage_url": manage_url(registration),
        "answers": {str(question_id): value for question_id, value in details.answers.items()},
        "accessibility": dict(vars(details.needs)),  # asdict() copies deeply: slower on the rush path
    }


@router.post(
    "/events/{slug}/registrations",
    response={201: RegistrationOut, 202: ReceivedOut, **ERRORS},
    auth=optional_organiser_auth,
)
def create_registration(request, slug: str, payload: RegistrationIn):
    """Citizens get 202 and a mail, whether the person was registered before or not: the answer
    tells nobody who is registered, and the link to a registration goes only to its address.
    Organisers of the event get 201 with the registration (or 409 `already_registered`)."""
    now = timezone.now()
    # Anonymous citizens (a rush) need not have the event read for them: see _register_citizen.
    event = get_object_or_404(Event.objects.public(), slug=slug) if request.user.is_authenticated else None
    if event is None or not can(request.user, event, Capability.MANAGE):
        check_request_rate("register", request)
        if payload.channel != Channel.WEB or payload.received_at or payload.phone:
            raise PermissionDenied(
                "organiser_only_fields", _("Only organisers of this event may enter phone registrations.")
            )
        try:
            _register_citizen(slug, payload, now=now)
        except services.AlreadyRegistered as refusal:
            services.tell_owner_of_address(refusal, now=now)
        return Status(202, {"detail": received_detail()})
    # A phone call keeps the time the organiser entered; a web request is received now, by
    # the database's clock (see "Order of receipt" in docs/allocation.md).
    received_at = payload.received_at or (None if payload.channel == Channel.WEB else now)
    if received_at is not None and timezone.is_naive(received_at):
        received_at = timezone.make_aware(received_at)
    registration = services.register(
        event,
        registration_data(payload),
        channel=payload.channel,
        received_at=received_at,
        now=now,
        actor=request.user,
    )
    return Status(201, registration_out(registration))


def received_detail() -> str:
    return _("Thank you. We have sent an e-mail to the address you gave, with the link to the registration.")


def _register_citizen(slug: str, payload: RegistrationIn, *, now) -> Registration:
    """An anonymous citizen registering now, on the web channel. The event is found by its id
    (remembered per slug, a slug never changes) and read once per batch of registrations, by
    the request that writes the batch, instead of once per request."""
    for attempt in (1, 2):
        event_id = _public_event_ids.get(slug) or get_object_or_404(
            Event.objects.public().values_list("pk", flat=True), slug=slug
        )
        try:
            registration = services.register_for_event_id(
                event_id, registration_data(payload), channel=Channel.WEB, received_at=None, now=now
            )
        except services.EventGone:
            _public_event_ids.pop(slug, None)  # no longer public: look again, once
            if attempt == 2:
                raise
        else:
            if len(_public_event_ids) >= PUBLIC_EVENT_IDS_KEPT:
                _public_event_ids.clear()  # rare: looking them up again costs one query each
            _public_event_ids[slug] = event_id
            return registration


# The ids of public events by slug, filled by successful registrations; at most this many.
PUBLIC_EVENT_IDS_KEPT = 1000
_public_event_ids: dict[str, int] = {}


def registration_data(payload: RegistrationIn) -> submissions.RegistrationData:
    return submissions.RegistrationData(
        name=payload.name,
        seat_type=payload.seat,
        email=str(payload.email),
        phone=payload.phone,
        language=payload.language,
        needs=payload.needs,
        accept_terms=payload.accept_terms,
        broadcast_consent=payload.broadcast_consent,
        feedback_consent=payload.feedback_consent,
        companions=payload.companions,
        answers=payload.answers,
        accessibility=NeedsData(**payload.accessibility.model_dump()) if payload.accessibility else None,
    )


class RegistrationFilter(Schema):
    status: Literal["pending", "confirmed", "waitlisted", "offered", "cancelled"] | None = None
    seat: Literal["onsite", "online"] | None = None
    channel: Literal["web", "email", "phone", "door"] | None = None


@router.get("/events/{slug}/registrations", response={200: list[RegistrationListItem], **ERRORS}, auth=organiser_auth)
@paginate(BoundedLimitOffsetPagination)
def list_registrations(request, slug: str, filters: Query[RegistrationFilter]):
    event = event_for(request.user, slug, Capability.PERSONAL_DATA)
    registrations = event.registrations.in_queue_order()
    if filters.status:
        registrations = registrations.filter(status=filters.status)
    if filters.seat:
        registrations = registrations.filter(seat_type=filters.seat)
    if filters.channel:
        registrations = registrations.filter(channel=filters.channel)
    return registrations


@router.post("/registrations/{registration_id}/cancel", response={200: RegistrationOut, **ERRORS}, auth=organiser_auth)
def cancel_registration(request, registration_id: int):
    registration = get_object_or_404(Registration.objects.select_related("event"), pk=registration_id)
    ensure(request.user, registration.event, Capability.MANAGE)
    return registration_out(services.cancel(registration, actor=request.user, now=timezone.now()))


@router.post("/registrations/{registration_id}/switch", response={200: RegistrationOut, **ERRORS}, auth=organiser_auth)
def switch_seat_type(request, registration_id: int, payload: SwitchIn):
    """Move a registration and its companions to the other seat type of a hybrid event, under the
    seat-pool lock. `seat_type_full` (409): no seats for the whole party and `join_waiting_list`
    not set; nothing changed."""
    registration = get_object_or_404(Registration.objects.select_related("event"), pk=registration_id)
    ensure(request.user, registration.event, Capability.MANAGE)
    switched = changes.switch_seat_type(
        registration,
        payload.seat,
        actor=request.user,
        now=timezone.now(),
        join_waiting_list=payload.join_waiting_list,
        broadcast_consent=payload.broadcast_consent,
    )
    return registration_out(switched)


@router.patch("/registrations/{registration_id}", response={200: RegistrationOut, **ERRORS}, auth=organiser_auth)
def change_registration(request, registration_id: int, payload: DetailsIn):
    """Name, needs, language of the mails or the number of companions; fields left out stay as
    they are. More companions than there are free seats: `not_enough_seats` (409), unless
    `join_waiting_list` moves the party to the end of the waiting list."""
    registration = get_object_or_404(Registration.objects.select_related("event"), pk=registration_id)
    ensure(request.user, registration.event, Capability.MANAGE)
    changed = changes.change_details(
        registration,
        name=registration.name if payload.name is None else payload.name,
        needs=registration.needs if payload.needs is None else payload.needs,
        language=payload.language or registration.language,
        companions=payload.companions,
        join_waiting_list=payload.join_waiting_list,
        actor=request.user,
        now=timezone.now(),
    )
    return registration_out(changed)


@router.post("/events/{slug}/allocate", response={200: AllocationOut, **ERRORS}, auth=organiser_auth)
def allocate(request, slug: str):
    event = event_for(request.user, slug, Capability.MANAGE)
    return {"seats": services.allocate(event, actor=request.user, now=timezone.now())}


@router.post("/events/{slug}/check-in", response={200: CheckInOut, **ERRORS}, auth=organiser_auth)
def check_in(request, slug: str, payload: CheckInIn):
    """For scanner apps at the door: 200 lets the person in (exactly once); every refusal is an
    error with its code: `already_checked_in`, `not_confirmed`, `online_seat`, `wrong_event`,
    `cancelled`, `event_cancelled` (409) or `unknown_ticket` (404)."""
    event = event_for(request.user, slug, Capability.CHECK_IN)
    result = checkin.check_in(event, payload.ticket, actor=request.user, now=timezone.now())
    if not result.admitted:
        raise checkin.refusal(result)
    return result.registration


@router.post("/events/{slug}/check-out", response={200: CheckOutOut, **ERRORS}, auth=organiser_auth)
def check_out(request, slug: str, payload: CheckInIn):
    """Someone leaves during the event: their seat (and their companions') goes back by the seat
    rule, to the door queue first while the door is open. Refusals: `not_checked_in`,
    `already_checked_out` (409), `unknown_registration` (404, also for another event's ticket)."""
    event = event_for(request.user, slug, Capability.CHECK_IN)
    registration = checkin.find_ticket(event, payload.ticket)
    registration_id = registration.pk if registration is not None and registration.event_id == event.pk else 0
    return checkout.check_out(event, registration_id, actor=request.user, now=timezone.now())


@router.post("/events/{slug}/walk-ins", response={201: WalkInOut, **ERRORS}, auth=organiser_auth)
def register_walk_in(request, slug: str, payload: WalkInIn):
    """Door staff register someone without a registration, from an hour before the start until
    the end: a free on-site seat, checked in at once, or the door queue when the room is full.
    Refusals: `door_closed`, `online_only`, `event_cancelled`, `allocation_pending` (409),
    `already_registered` (409), `name_required`, `invalid_email`, `consent_required` (422)."""
    event = event_for(request.user, slug, Capability.CHECK_IN)
    data = submissions.RegistrationData(seat_type="onsite", **payload.model_dump())
    registration = walk_ins.register_walk_in(event, data, actor=request.user, now=timezone.now())
    queue = walk_ins.door_queue(event) if registration.waitlist_position else []
    return Status(
        201,
        {
            "id": registration.pk,
            "status": registration.status,
            "door_queue_position": next((n for n, r in enumerate(queue, 1) if r.pk == registration.pk), None),
            "checked_in_at": registration.checked_in_at,
            "ticket_code": display_code(registration.ticket_code),
        },
    )
