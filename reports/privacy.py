"""The reports' part of data protection: the survey invitations, whose tokens and links lead to a
person. The anonymous answers stay: nothing in them leads to anyone (reports/models.py).

When an event's data expires the invitations go, and with them every link (it answers 404). A
citizen's erasure takes the invitations of their erased registrations. The mail that carried
the link is erased by registrations with the other mails."""

from registrations.privacy.services import address_data_requested, address_erasure_requested, event_data_expired
from reports.models import Invitation


def on_event_data_expired(sender, event, now, dry_run=False, **kwargs) -> dict:
    invitations = Invitation.objects.filter(survey__event=event)
    return {"feedback_invitations": invitations.count() if dry_run else invitations.delete()[0]}


def on_address_data_requested(sender, address, **kwargs) -> dict:
    invitations = (
        Invitation.objects.filter(registration__email_normalized=address)
        .select_related("survey__event")
        .order_by("sent_at")
    )
    return {
        "feedback_invitations": [
            {
                "event": invitation.survey.event.title_de,
                "sent_at": invitation.sent_at.isoformat(),
                "link_used": invitation.used,
            }
            for invitation in invitations
        ]
    }


def on_address_erasure_requested(sender, address, now, **kwargs) -> dict:
    # Registrations are erased before this signal: their invitations are found by the erasure mark.
    invitations = Invitation.objects.filter(registration__personal_data_erased_at__isnull=False)
    return {"feedback_invitations": invitations.delete()[0]}


def connect() -> None:
    event_data_expired.connect(on_event_data_expired, weak=False, dispatch_uid="reports.privacy.expired")
    address_data_requested.connect(on_address_data_requested, weak=False, dispatch_uid="reports.privacy.export")
    address_erasure_requested.connect(on_address_erasure_requested, weak=False, dispatch_uid="reports.privacy.erase")
