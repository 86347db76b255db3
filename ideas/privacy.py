"""The ideas' part of data protection: the addresses submitters gave for updates.

Registrations owns the rules and sends the signals (registrations/privacy/services.py); ideas
answers for its own data. An erased address ends the updates; the idea itself stays."""

from ideas.models import Idea
from registrations.privacy.services import address_data_requested, address_erasure_requested, event_data_expired


def erase_addresses(ideas) -> int:
    return ideas.exclude(submitter_email="").update(submitter_email="", updates_consent_at=None)


def on_event_data_expired(sender, event, now, dry_run=False, **kwargs) -> dict:
    ideas = Idea.objects.filter(event=event).exclude(submitter_email="")
    return {"idea_addresses": ideas.count() if dry_run else erase_addresses(ideas)}


def on_address_data_requested(sender, address, **kwargs) -> dict:
    ideas = Idea.objects.filter(submitter_email__iexact=address).select_related("event").order_by("created_at")
    return {
        "ideas": [
            {
                "title": idea.title,
                "text": idea.text,
                "event": idea.event.title_de,
                "created_at": idea.created_at.isoformat(),
                "submitter_email": idea.submitter_email,
                "updates_consent_at": idea.updates_consent_at.isoformat() if idea.updates_consent_at else None,
            }
            for idea in ideas
        ]
    }


def on_address_erasure_requested(sender, address, now, **kwargs) -> dict:
    return {"idea_addresses": erase_addresses(Idea.objects.filter(submitter_email__iexact=address))}


def connect() -> None:
    event_data_expired.connect(on_event_data_expired, weak=False, dispatch_uid="ideas.privacy.expired")
    address_data_requested.connect(on_address_data_requested, weak=False, dispatch_uid="ideas.privacy.export")
    address_erasure_requested.connect(on_address_erasure_requested, weak=False, dispatch_uid="ideas.privacy.erase")
