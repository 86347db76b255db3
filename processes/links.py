"""The signed links of a subscription: one to confirm it, one to leave (a salt each)."""

from django.core import signing
from django.utils.translation import gettext as _

from core.errors import DomainError
from processes.models import Subscription

CONFIRM_SALT = "processes.subscription.confirm"
LEAVE_SALT = "processes.subscription.leave"


def link_token(subscription: Subscription, *, salt: str) -> str:
    return signing.Signer(salt=salt).sign_object({"s": subscription.pk})


def subscription_for(token: str, *, salt: str) -> Subscription:
    """The subscription of a signed link; a tampered link, or one of a subscription that has
    ended, is refused with a message that says so."""
    try:
        payload = signing.Signer(salt=salt).unsign_object(token)
    except signing.BadSignature:
        payload = None
    subscription = None
    if isinstance(payload, dict) and isinstance(payload.get("s"), int):
        subscription = Subscription.objects.select_related("process", "working_group").filter(pk=payload["s"]).first()
    if subscription is None:
        raise DomainError(
            "link_not_valid",
            _("This link is not valid (any more). If you left already, there is nothing more to do."),
            status=404,
        )
    return subscription
