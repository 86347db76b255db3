"""The processes' part of data protection: a citizen's subscriptions (joined working groups,
followed processes) are part of the data export of their address, and erased with it."""

from core.addresses import normalize_email
from processes.models import Subscription
from registrations.privacy.services import address_data_requested, address_erasure_requested


def subscriptions_of(address: str):
    return Subscription.objects.filter(email_normalized=normalize_email(address)).select_related(
        "process", "working_group"
    )


def on_address_data_requested(sender, address, **kwargs) -> dict:
    return {
        "working_groups_and_processes": [
            {
                "what": subscription.target.title_de if subscription.process_id else subscription.working_group.title,
                "as": subscription.kind,
                "name": subscription.name,
                "email": subscription.email,
                "language": subscription.language,
                "agreed_at": subscription.consent_at.isoformat(),
                "confirmed_at": subscription.confirmed_at.isoformat() if subscription.confirmed_at else None,
            }
            for subscription in subscriptions_of(address).order_by("created_at")
        ]
    }


def on_address_erasure_requested(sender, address, now, **kwargs) -> dict:
    deleted, _ = subscriptions_of(address).delete()
    return {"working_groups_and_processes": deleted}


def connect() -> None:
    address_data_requested.connect(on_address_data_requested, weak=False, dispatch_uid="processes.privacy.export")
    address_erasure_requested.connect(on_address_erasure_requested, weak=False, dispatch_uid="processes.privacy.erase")
