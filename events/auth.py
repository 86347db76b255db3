"""How API callers prove they are organisers: `Authorization: Bearer <token>`, as printed by
`manage.py create_api_token`. Only the token's SHA-256 is stored."""

from django.contrib.auth import get_user_model
from ninja.security import HttpBearer

from events.models import OrganiserToken


def user_for_token(raw_token: str):
    return get_user_model().objects.filter(api_tokens__key_hash=OrganiserToken.hash(raw_token), is_active=True).first()


class OrganiserBearer(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class OptionalOrganiserBearer(OrganiserBearer):
    """For operations open to everyone that organisers may use with more rights: no header
    means an anonymous caller, a wrong token is still refused."""

    def __call__(self, request):
        if not request.headers.get(self.header):
            return "anonymous"
        return super().__call__(request)


organiser_auth = OrganiserBearer()
optional_organiser_auth = OptionalOrganiserBearer()
