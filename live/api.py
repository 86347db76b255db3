"""The live API: public, read-only, what the live pages show. The approved questions to the panel
(`Question.objects.public()`, as the questions page lists them) and the polls opened so far with
their results (as the wall shows them). Everything else of live participation is HTML only."""

from ninja import Router
from ninja.pagination import paginate

from core.pagination import BoundedLimitOffsetPagination
from events.schemas import ErrorOut
from ideas.api import public_event
from live import queries
from live.schemas import LivePollOut, LiveQuestionOut

router = Router(tags=["live"])

ERRORS = {404: ErrorOut, 422: ErrorOut}


@router.get("/events/{slug}/live/questions", response={200: list[LiveQuestionOut], **ERRORS})
@paginate(BoundedLimitOffsetPagination)
def list_questions(request, slug: str, order: queries.Order = "votes"):
    """Public: the approved questions to the panel, open ones first (by votes, or the newest
    first with `order=time`), then the answered ones with the panel's answer."""
    return queries.public_questions(public_event(slug), order=order)


@router.get("/events/{slug}/live/polls", response={200: list[LivePollOut], **ERRORS})
@paginate(BoundedLimitOffsetPagination)
def list_polls(request, slug: str):
    """Public: the running poll and the closed ones, the latest opened first, with their results
    (prepared polls not yet opened are not shown)."""
    return queries.public_polls(public_event(slug))
