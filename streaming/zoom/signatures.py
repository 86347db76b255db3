"""Zoom's webhook signatures (HMAC-SHA256 with the app's secret token), for the receiving side
and for the stub that sends webhooks in tests and in the demo."""

import hashlib
import hmac


def webhook_signature(secret: str, timestamp: str, body: bytes) -> str:
    """The `x-zm-signature` of a webhook: `v0=` + hex HMAC of `v0:{timestamp}:{raw body}`."""
    message = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def url_validation_token(secret: str, plain_token: str) -> str:
    """The `encryptedToken` answering Zoom's `endpoint.url_validation` challenge."""
    return hmac.new(secret.encode(), plain_token.encode(), hashlib.sha256).hexdigest()
