"""How API callers prove they may capture ideas for a group: `Authorization: Bearer <token>`
with a moderator's token (printed once when the group or moderator was made) or an organiser's
token (`manage.py create_api_token`). Only SHA-256 hashes of both are stored."""

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from events.auth import user_for_token
from ideas.access import AccessRefused, moderator_for_token


class CaptureBearer(HttpBearer):
    """Sets `request.auth` to the Moderator or the organiser (a user) behind the token."""

    def __call__(self, request):
        if not request.headers.get(self.header):
            raise AccessRefused(
                "not_authenticated", _("A moderator token or an organiser token is required."), status=401
            )
        return super().__call__(request)

    def authenticate(self, request, token):
        moderator = moderator_for_token(token, now=timezone.now())
        if moderator is not None:
            return moderator
        user = user_for_token(token)
        if user is None:
            raise AccessRefused("invalid_token", _("This token is not valid (any more)."), status=401)
        request.user = user
        return user


capture_auth = CaptureBearer()
