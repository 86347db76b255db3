"""Every change of live participation: asking, upvoting and moderating questions to the panel;
preparing, opening, closing and answering polls.

One vote per person: a participant is a registration or a device (live/models.py), and the
database refuses a second vote of the same participant (unique constraints; the insert runs in a
savepoint and its IntegrityError becomes `already_voted`). Counts are never lost: the counter is
raised by `UPDATE … SET votes = votes + 1` in the transaction that inserts the vote, which
PostgreSQL applies to the row's latest value however many votes arrive at once
(tests/live/test_vote_races.py, with the control that shows read-then-write losing votes).

Every change invalidates the event's live state (live/state.py) after its commit."""

import hashlib
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from core.errors import DomainError
from events.access import Capability, ensure
from events.models import Event, EventStatus
from events.services import record_audit
from ideas.access import ACCESS_AFTER_EVENT
from ideas.models import ModerationMode, ModerationPolicy
from ideas.services.capture import clean_client_id
from ideas.services.live import LiveDraft, clean_sender, plain
from ideas.services.texts import clean_line, clean_text
from live import notifications, state
from live.models import (
    Participant,
    Poll,
    PollBallot,
    PollChoice,
    PollKind,
    PollOption,
    PollState,
    Question,
    QuestionState,
    QuestionVote,
)
from registrations.models import Registration

QUESTION_MAX = 300
REASON_MAX = 500
ANSWER_MAX = 2000
POLL_QUESTION_MAX = 200
OPTION_MAX = 120
MIN_OPTIONS, MAX_OPTIONS = 2, 10
SCALE = ("1", "2", "3", "4", "5")


def device_hash(device_id: str) -> str:
    return hashlib.sha256(device_id.encode()).hexdigest()


def ensure_live(event: Event, *, now: datetime) -> None:
    """Questions and votes are taken from publication until shortly after the event."""
    if event.status != EventStatus.PUBLISHED or now > event.ends_at + ACCESS_AFTER_EVENT:
        raise DomainError("live_closed", _("This event takes no more questions or votes."), status=409)


def participant_for_device(event: Event, device_id: str, *, now: datetime) -> Participant:
    return _participant(event, now=now, device_hash=device_hash(device_id))


def participant_for_registration(registration: Registration, *, now: datetime) -> Participant:
    return _participant(registration.event, now=now, registration=registration)


def _participant(event: Event, *, now: datetime, **identity) -> Participant:
    """Found or made; two first requests of one browser at once make one participant."""
    found = Participant.objects.filter(event=event, **identity).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Participant.objects.create(event=event, created_at=now, **identity)
    except IntegrityError:
        return Participant.objects.get(event=event, **identity)


# Questions ------------------------------------------------------------------------------------


def ask_question(
    event: Event, draft: LiveDraft, *, participant: Participant, now: datetime, client_id: str | None = None
) -> Question:
    """A question to the panel, sent through the live channel; pending until approved when the
    event pre-moderates. A form sent twice (its `client_id`) stores one question. Nothing is
    stored when any part is refused."""
    ensure_live(event, now=now)
    text = clean_line(
        draft.text, limit=QUESTION_MAX, field="text", code="question", missing=_("Please write your question.")
    )
    text = plain(text, field="text")
    sender = clean_sender(draft, now=now)
    client_id = clean_client_id(client_id)
    if (stored := stored_question(event, client_id)) is not None:
        return stored
    approved = ModerationPolicy.mode_of(event) == ModerationMode.POST
    question = Question(
        event=event,
        text=text,
        name=sender.name,
        show_name=sender.show_name,
        via=sender.via,
        submitter_email=sender.email,
        updates_consent_at=sender.consent_at,
        client_id=client_id,
        asked_by=participant,
        language=sender.language,
        state=QuestionState.APPROVED if approved else QuestionState.PENDING,
        created_at=now,
    )
    try:
        with transaction.atomic():
            question.save()
            record_audit(
                "live.question_asked",
                actor=None,
                label="live participant",
                now=now,
                event=event,
                target=question,
                data={"via": question.via, "state": question.state},
            )
            state.changed_on_commit(event)
    except IntegrityError:
        stored = stored_question(event, client_id)
        if stored is None:
            raise
        return stored
    return question


def stored_question(event: Event, client_id: str | None) -> Question | None:
    if client_id is None:
        return None
    return Question.objects.filter(event=event, client_id=client_id).first()


def upvote(question: Question, *, participant: Participant, now: datetime) -> Question:
    ensure_live(question.event, now=now)
    if question.event_id != participant.event_id or question.state != QuestionState.APPROVED:
        raise DomainError("question_not_found", _("This question cannot be voted for."), status=404)
    if question.answered_at is not None:
        raise DomainError("question_answered", _("This question has been answered already."), status=409)
    with transaction.atomic():
        try:
            with transaction.atomic():
                QuestionVote.objects.create(question=question, participant=participant, given_at=now)
        except IntegrityError:
            raise DomainError("already_voted", _("You have already voted for this question."), status=409) from None
        count_question_vote(question.pk)
        state.changed_on_commit(question.event)
    question.refresh_from_db(fields=["votes"])
    return question


def count_question_vote(question_id: int) -> None:
    """The guard against lost counts: the database adds one to the row's latest value."""
    Question.objects.filter(pk=question_id).update(votes=F("votes") + 1)


def _moderated(question: Question, actor, *, now: datetime) -> Question:
    ensure(actor, question.event, Capability.MODERATE)
    return Question.objects.select_for_update().select_related("event").get(pk=question.pk)


def approve_question(question: Question, *, actor, now: datetime) -> Question:
    """Public from now on. The asker (address and consent given) hears it once, when the question
    becomes public: not when it was approved at once under post-moderation, nor approved again."""
    with transaction.atomic():
        question = _moderated(question, actor, now=now)
        newly_public = question.state != QuestionState.APPROVED
        question.state, question.moderated_at = QuestionState.APPROVED, now
        question.save(update_fields=["state", "moderated_at"])
        record_audit("live.question_approved", actor=actor, now=now, event=question.event, target=question)
        if newly_public:
            notifications.notify_question_approved(question, now=now)
        state.changed_on_commit(question.event)
    return question


def hide_question(question: Question, reason: str, *, actor, now: datetime) -> Question:
    """Hidden from every public page, always with a reason, which the asker is told by mail
    (address and consent given), in the language they asked in."""
    reason = clean_line(
        reason,
        limit=REASON_MAX,
        field="reason",
        missing=_("Please say why the question is hidden."),
        code="hidden_reason",
    )
    with transaction.atomic():
        question = _moderated(question, actor, now=now)
        if question.state == QuestionState.HIDDEN:
            raise DomainError("question_hidden", _("This question is hidden already."), status=409)
        question.state, question.moderated_at, question.shown_at = QuestionState.HIDDEN, now, None
        question.hidden_reason = reason
        question.save(update_fields=["state", "moderated_at", "shown_at", "hidden_reason"])
        record_audit(
            "live.question_hidden", actor=actor, now=now, event=question.event, target=question, data={"reason": reason}
        )
        notifications.notify_question_hidden(question, now=now)
        state.changed_on_commit(question.event)
    return question


def show_question(question: Question, *, actor, now: datetime) -> Question:
    """Put an approved, open question on the wall and the panel's screen as the current one."""
    with transaction.atomic():
        question = _moderated(question, actor, now=now)
        if question.state != QuestionState.APPROVED or question.answered_at is not None:
            raise DomainError(
                "question_not_open", _("Only an approved question that is not answered can be shown."), status=409
            )
        question.shown_at = now
        question.save(update_fields=["shown_at"])
        record_audit("live.question_shown", actor=actor, now=now, event=question.event, target=question)
        state.changed_on_commit(question.event)
    return question


def answer_question(question: Question, answer: str, *, actor, now: datetime) -> Question:
    """Marked as answered, with what the panel said (for the protocol; it may stay empty). The
    asker (address and consent given) gets the answer once, when it is first marked answered; a
    pending question answered at once gets this one mail, not the approval's as well."""
    answer = clean_text(answer, limit=ANSWER_MAX, field="answer")
    with transaction.atomic():
        question = _moderated(question, actor, now=now)
        if question.state == QuestionState.HIDDEN:
            raise DomainError("question_hidden", _("A hidden question cannot be answered."), status=409)
        newly_answered = question.answered_at is None
        question.state = QuestionState.APPROVED
        question.moderated_at = question.moderated_at or now
        question.answered_at, question.answer, question.shown_at = now, answer, None
        question.save(update_fields=["state", "moderated_at", "answered_at", "answer", "shown_at"])
        record_audit("live.question_answered", actor=actor, now=now, event=question.event, target=question)
        if newly_answered:
            notifications.notify_question_answered(question, now=now)
        state.changed_on_commit(question.event)
    return question


# Polls ----------------------------------------------------------------------------------------


def create_poll(event: Event, question: str, kind: str, options: list[str], *, actor, now: datetime) -> Poll:
    ensure(actor, event, Capability.MODERATE)
    question = clean_line(
        question,
        limit=POLL_QUESTION_MAX,
        field="question",
        code="poll_question",
        missing=_("Please write the question."),
    )
    if kind not in PollKind.values:
        raise DomainError("invalid_poll_kind", _("Choose the kind of poll."), status=422, field="kind")
    if kind == PollKind.SCALE:
        labels = list(SCALE)
    else:
        labels = [clean_line(option, limit=OPTION_MAX, field="options", code="option") for option in options]
        labels = [label for label in labels if label]
        if not MIN_OPTIONS <= len(labels) <= MAX_OPTIONS:
            raise DomainError(
                "invalid_options",
                _("Write between %(min)s and %(max)s answers, one per line.")
                % {"min": MIN_OPTIONS, "max": MAX_OPTIONS},
                status=422,
                field="options",
            )
        if len({label.casefold() for label in labels}) != len(labels):
            raise DomainError("duplicate_options", _("Each answer may appear only once."), status=422, field="options")
    with transaction.atomic():
        poll = Poll.objects.create(event=event, question=question, kind=kind, created_at=now)
        PollOption.objects.bulk_create(
            PollOption(poll=poll, label=label, position=number) for number, label in enumerate(labels, start=1)
        )
        record_audit("live.poll_created", actor=actor, now=now, event=event, target=poll, data={"kind": kind})
    return poll


def open_poll(poll: Poll, *, actor, now: datetime) -> Poll:
    """Open a prepared poll; a poll already running at the event is closed first."""
    ensure(actor, poll.event, Capability.MODERATE)
    with transaction.atomic():
        poll = Poll.objects.select_for_update().select_related("event").get(pk=poll.pk)
        if poll.state != PollState.DRAFT:
            raise DomainError("poll_not_draft", _("Only a prepared poll can be opened."), status=409)
        running = Poll.objects.select_for_update().filter(event=poll.event, state=PollState.OPEN)
        for other in running:
            other.state, other.closed_at = PollState.CLOSED, now
            other.save(update_fields=["state", "closed_at"])
            record_audit("live.poll_closed", actor=actor, now=now, event=poll.event, target=other)
        poll.state, poll.opened_at = PollState.OPEN, now
        poll.save(update_fields=["state", "opened_at"])
        record_audit("live.poll_opened", actor=actor, now=now, event=poll.event, target=poll)
        state.changed_on_commit(poll.event)
    return poll


def close_poll(poll: Poll, *, actor, now: datetime) -> Poll:
    ensure(actor, poll.event, Capability.MODERATE)
    with transaction.atomic():
        poll = Poll.objects.select_for_update().select_related("event").get(pk=poll.pk)
        if poll.state != PollState.OPEN:
            raise DomainError("poll_not_open", _("This poll is not open."), status=409)
        poll.state, poll.closed_at = PollState.CLOSED, now
        poll.save(update_fields=["state", "closed_at"])
        record_audit("live.poll_closed", actor=actor, now=now, event=poll.event, target=poll)
        state.changed_on_commit(poll.event)
    return poll


def answer_poll(poll: Poll, option_ids: list[str], *, participant: Participant, now: datetime) -> Poll:
    """One ballot per participant; the choices are stored without the participant (anonymous)."""
    ensure_live(poll.event, now=now)
    if poll.event_id != participant.event_id:
        raise DomainError("poll_not_found", _("This poll does not exist."), status=404)
    if poll.state != PollState.OPEN:
        raise DomainError("poll_not_open", _("This poll is not open."), status=409)
    options = {str(option.pk): option for option in poll.options.all()}
    chosen = list(dict.fromkeys(option_ids))
    if not chosen:
        raise DomainError("choice_required", _("Please choose an answer."), status=422, field="options")
    if any(option_id not in options for option_id in chosen):
        raise DomainError("unknown_option", _("Please choose one of the answers shown."), status=422, field="options")
    if poll.kind != PollKind.MULTIPLE and len(chosen) > 1:
        raise DomainError("one_choice_only", _("Please choose only one answer."), status=422, field="options")
    with transaction.atomic():
        # Conditional: a poll closed a moment ago takes no more answers, whatever this request read.
        if not Poll.objects.filter(pk=poll.pk, state=PollState.OPEN).update(ballots=F("ballots") + 1):
            raise DomainError("poll_not_open", _("This poll is not open."), status=409)
        try:
            with transaction.atomic():
                PollBallot.objects.create(poll=poll, participant=participant, given_at=now)
        except IntegrityError:
            raise DomainError("already_answered", _("You have already answered this poll."), status=409) from None
        PollChoice.objects.bulk_create(PollChoice(option=options[option_id]) for option_id in chosen)
        PollOption.objects.filter(pk__in=[int(option_id) for option_id in chosen]).update(count=F("count") + 1)
        state.changed_on_commit(poll.event)
    return poll
