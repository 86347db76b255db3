"""The ideas' part of data protection: the addresses submitters gave for updates, and which
registration gave which plenum dots, and the contributions the moderation hid.

Registrations owns the rules and sends the signals (registrations/privacy/services.py); ideas
answers for its own data. An erased address ends the updates; the idea itself stays. An erased
registration (or an expired event) unties its voter from it, and a device's voter from its cookie:
the dots stay, as anonymous counts. Hidden contributions are erased whole with the event's data."""

from django.db.models import Count

from ideas.models import Dot, Idea, Moderation, Voter
from registrations.privacy.services import address_data_requested, address_erasure_requested, event_data_expired


def erase_addresses(ideas) -> int:
    return ideas.exclude(submitter_email="").update(submitter_email="", updates_consent_at=None)


def untie_voters(voters) -> int:
    return voters.update(registration=None, device_hash=None)


def on_event_data_expired(sender, event, now, dry_run=False, **kwargs) -> dict:
    # What the moderation hid was never public and has no place in the record: it goes entirely.
    hidden = Idea.objects.filter(event=event, moderation=Moderation.HIDDEN)
    ideas = Idea.objects.filter(event=event).exclude(submitter_email="").exclude(moderation=Moderation.HIDDEN)
    voters = Voter.objects.filter(event=event).exclude(registration__isnull=True, device_hash__isnull=True)
    # A live sender's name goes with the addresses, shown or not: the idea stays, anonymous.
    names = Idea.objects.filter(event=event).exclude(sender_name="").exclude(moderation=Moderation.HIDDEN)
    if dry_run:
        return {
            "idea_addresses": ideas.count(),
            "idea_sender_names": names.count(),
            "plenum_voters": voters.count(),
            "hidden_ideas": hidden.count(),
        }
    return {
        "idea_addresses": erase_addresses(ideas),
        "idea_sender_names": names.update(sender_name="", show_name=False),
        "plenum_voters": untie_voters(voters),
        "hidden_ideas": hidden.delete()[1].get("ideas.Idea", 0),
    }


def voters_of(address: str):
    return Voter.objects.filter(registration__email_normalized=address.lower())


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
                "sender_name": idea.sender_name,
                "updates_consent_at": idea.updates_consent_at.isoformat() if idea.updates_consent_at else None,
            }
            for idea in ideas
        ],
        "plenum_dots": [
            {"event": row["idea__event__title_de"], "idea": row["idea__title"], "dots": row["dots"]}
            for row in Dot.objects.filter(voter__in=voters_of(address))
            .values("idea__event__title_de", "idea__title")
            .annotate(dots=Count("pk"))
            .order_by("idea__event__title_de", "idea__title")
        ],
    }


def on_address_erasure_requested(sender, address, now, **kwargs) -> dict:
    return {
        "idea_addresses": erase_addresses(Idea.objects.filter(submitter_email__iexact=address)),
        # Registrations blanks its rows before it asks, so the erased ones are found by their mark.
        "plenum_voters": untie_voters(Voter.objects.filter(registration__personal_data_erased_at__isnull=False)),
    }


def connect() -> None:
    event_data_expired.connect(on_event_data_expired, weak=False, dispatch_uid="ideas.privacy.expired")
    address_data_requested.connect(on_address_data_requested, weak=False, dispatch_uid="ideas.privacy.export")
    address_erasure_requested.connect(on_address_erasure_requested, weak=False, dispatch_uid="ideas.privacy.erase")
