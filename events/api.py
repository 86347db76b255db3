from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from core.errors import PermissionDenied
from core.pagination import BoundedLimitOffsetPagination
from events import access, questions, services
from events.auth import optional_organiser_auth, organiser_auth
from events.models import Event, EventStatus, Question
from events.schemas import ErrorOut, EventIn, EventOut, EventPatch, QuestionIn, QuestionMoveIn, QuestionOut
from events.services import SeatPlan, TermsData, VenueData

router = Router(tags=["events"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def aware(value):
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def event_fields(payload: EventPatch) -> dict:
    data = payload.model_dump(exclude_unset=True)
    renamed = {"title": "title_de", "description": "description_de"}
    nested = {"venue", "seats", "terms", "online_access"}
    fields = {renamed.get(key, key): value for key, value in data.items() if key not in nested}
    if "online_access" in data:
        access = data["online_access"] or {}
        fields["online_join_url"] = str(access.get("join_url") or "")
        fields["online_meeting_id"] = access.get("meeting_id", "")
        fields["online_passcode"] = access.get("passcode", "")
    for key in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
        if key in fields:
            fields[key] = aware(fields[key])
    if "livestream_url" in fields:
        fields["livestream_url"] = str(fields["livestream_url"] or "")
    for key in ("title_en", "description_de", "description_en", "keyword", "registration_email", "registration_phone"):
        if key in fields and fields[key] is None:
            fields[key] = ""
    # An explicit null for a field that cannot be empty (format, dates, status …) changes nothing.
    return {key: value for key, value in fields.items() if value is not None or Event._meta.get_field(key).null}


def seat_plans(payload: EventPatch) -> dict[str, SeatPlan] | None:
    if payload.seats is None:
        return None
    return {
        seat_type: SeatPlan(plan.capacity, plan.reserved)
        for seat_type, plan in (("onsite", payload.seats.onsite), ("online", payload.seats.online))
        if plan is not None
    }


def venue_data(payload: EventPatch) -> VenueData | None:
    venue = payload.venue
    return venue and VenueData(
        venue.name, venue.address, venue.accessibility_notes, accessibility_notes_en=venue.accessibility_notes_en
    )


def terms_data(payload: EventPatch) -> TermsData | None:
    terms = payload.terms
    return terms and TermsData(
        text_de=terms.text,
        text_en=terms.text_en,
        broadcast_consent_required=terms.broadcast_consent_required,
        broadcast_text_de=terms.broadcast_text,
        broadcast_text_en=terms.broadcast_text_en,
    )


@router.get("/events", response={200: list[EventOut], 422: ErrorOut}, summary="List public events")
@paginate(BoundedLimitOffsetPagination)
def list_events(request):
    return Event.objects.public().with_public_details()


@router.get("/events/{slug}", response={200: EventOut, **ERRORS}, auth=optional_organiser_auth)
def get_event(request, slug: str):
    event = get_object_or_404(Event.objects.with_public_details(), slug=slug)
    if event.status == "draft" and not access.capabilities_of(request.user, event):
        return Status(404, {"code": "not_found", "detail": "Not found."})
    return event


@router.post("/events", response={201: EventOut, **ERRORS}, auth=organiser_auth)
def create_event(request, payload: EventIn):
    if not access.organises_any_event(request.user):
        raise PermissionDenied("not_an_organiser", _("Only organisers may create events."))
    fields = event_fields(payload)
    fields.setdefault("registration_opens_at", timezone.now())
    fields.setdefault("registration_closes_at", fields["starts_at"])
    event = services.create_event(
        fields,
        seats=seat_plans(payload) or {},
        venue=venue_data(payload),
        terms=terms_data(payload),
        actor=request.user,
        now=timezone.now(),
    )
    return Status(201, Event.objects.with_public_details().get(pk=event.pk))


@router.patch("/events/{slug}", response={200: EventOut, **ERRORS}, auth=organiser_auth)
def update_event(request, slug: str, payload: EventPatch):
    event = access.event_for(request.user, slug, access.Capability.MANAGE)
    services.update_event(
        event,
        event_fields(payload),
        seats=seat_plans(payload),
        venue=venue_data(payload),
        terms=terms_data(payload),
        actor=request.user,
        now=timezone.now(),
    )
    return Event.objects.with_public_details().get(pk=event.pk)


def question_data(payload: QuestionIn) -> questions.QuestionData:
    return questions.QuestionData(
        kind=payload.kind,
        label_de=payload.label,
        label_en=payload.label_en,
        choices_de=tuple(payload.choices),
        choices_en=tuple(payload.choices_en),
        required=payload.required,
    )


def managed_question(request, slug: str, question_id: int) -> Question:
    event = get_object_or_404(Event, slug=slug)
    access.ensure(request.user, event, access.Capability.MANAGE)
    return get_object_or_404(Question.objects.select_related("event"), pk=question_id, event=event)


@router.get(
    "/events/{slug}/questions",
    response={200: list[QuestionOut], **ERRORS},
    auth=optional_organiser_auth,
    summary="The questions asked at registration (answers go in `answers` of a registration)",
)
def list_questions(request, slug: str):
    event = get_object_or_404(Event, slug=slug)
    if event.status == EventStatus.DRAFT and not access.can(request.user, event, access.Capability.MANAGE):
        return Status(404, {"code": "not_found", "detail": "Not found."})
    return event.questions.all()


@router.post("/events/{slug}/questions", response={201: QuestionOut, **ERRORS}, auth=organiser_auth)
def add_question(request, slug: str, payload: QuestionIn):
    event = get_object_or_404(Event, slug=slug)
    access.ensure(request.user, event, access.Capability.MANAGE)
    return Status(201, questions.add_question(event, question_data(payload), actor=request.user, now=timezone.now()))


@router.put("/events/{slug}/questions/{question_id}", response={200: QuestionOut, **ERRORS}, auth=organiser_auth)
def update_question(request, slug: str, question_id: int, payload: QuestionIn):
    question = managed_question(request, slug, question_id)
    return questions.update_question(question, question_data(payload), actor=request.user, now=timezone.now())


@router.post(
    "/events/{slug}/questions/{question_id}/move", response={200: list[QuestionOut], **ERRORS}, auth=organiser_auth
)
def move_question(request, slug: str, question_id: int, payload: QuestionMoveIn):
    question = managed_question(request, slug, question_id)
    questions.move_question(question, by=payload.by, actor=request.user, now=timezone.now())
    return question.event.questions.all()


@router.delete("/events/{slug}/questions/{question_id}", response={204: None, **ERRORS}, auth=organiser_auth)
def remove_question(request, slug: str, question_id: int):
    """The answers given to the question are deleted with it."""
    question = managed_question(request, slug, question_id)
    questions.remove_question(question, actor=request.user, now=timezone.now())
    return Status(204, None)
