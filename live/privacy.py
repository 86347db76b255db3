"""Live participation's part of data protection. Registrations owns the rules and sends the
signals (registrations/privacy/services.py); live answers for its own data:

- when the event's data expires, participants are untied from their registration and device
  (their votes stay, as anonymous counts), the questions that never became public are deleted
  whole, and the askers' names and addresses of the others are erased (the questions stay);
- an erased registration's participant is untied at once;
- an address's export lists the questions asked with it, and its erasure blanks it there."""

from live.models import Participant, Question, QuestionState
from registrations.privacy.services import address_data_requested, address_erasure_requested, event_data_expired


def untie(participants) -> int:
    return participants.update(registration=None, device_hash=None)


def erase_addresses(questions) -> int:
    return questions.exclude(submitter_email="").update(submitter_email="", updates_consent_at=None)


def on_event_data_expired(sender, event, now, dry_run=False, **kwargs) -> dict:
    participants = Participant.objects.filter(event=event).exclude(registration__isnull=True, device_hash__isnull=True)
    questions = Question.objects.filter(event=event)
    not_public = questions.exclude(state=QuestionState.APPROVED)
    kept = questions.filter(state=QuestionState.APPROVED)
    addresses, names = kept.exclude(submitter_email=""), kept.exclude(name="")
    if dry_run:
        return {
            "live_participants": participants.count(),
            "live_questions_not_public": not_public.count(),
            "live_question_addresses": addresses.count(),
            "live_question_names": names.count(),
        }
    return {
        "live_participants": untie(participants),
        "live_questions_not_public": not_public.delete()[1].get("live.Question", 0),
        "live_question_addresses": erase_addresses(addresses),
        "live_question_names": names.update(name="", show_name=False),
    }


def on_address_data_requested(sender, address, **kwargs) -> dict:
    questions = Question.objects.filter(submitter_email__iexact=address).select_related("event").order_by("created_at")
    return {
        "live_questions": [
            {
                "question": question.text,
                "event": question.event.title_de,
                "created_at": question.created_at.isoformat(),
                "name": question.name,
                "show_name": question.show_name,
                "sent_from": question.via,
                "state": question.state,
                "hidden_reason": question.hidden_reason,
                "submitter_email": question.submitter_email,
                "updates_consent_at": question.updates_consent_at.isoformat() if question.updates_consent_at else None,
            }
            for question in questions
        ]
    }


def on_address_erasure_requested(sender, address, now, **kwargs) -> dict:
    # Registrations blanks its rows before it asks, so the erased ones are found by their mark.
    erased = Participant.objects.filter(registration__personal_data_erased_at__isnull=False)
    return {
        "live_participants": untie(erased),
        "live_question_addresses": erase_addresses(Question.objects.filter(submitter_email__iexact=address)),
    }


def connect() -> None:
    event_data_expired.connect(on_event_data_expired, weak=False, dispatch_uid="live.privacy.expired")
    address_data_requested.connect(on_address_data_requested, weak=False, dispatch_uid="live.privacy.export")
    address_erasure_requested.connect(on_address_erasure_requested, weak=False, dispatch_uid="live.privacy.erase")
