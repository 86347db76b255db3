"""The one NinjaAPI of Stadtdialog and its error answers.

Every error leaves as `{"code", "detail"}` with a fitting 4xx (or 503 with `Retry-After` when a
seat pool stays locked), so API clients can branch on the code and show the detail. That holds
for the answers Django and ninja give before any operation runs, too (an unknown path under
/api/, a method the path does not allow): `ApiErrorMiddleware` reshapes them.
"""

from django.db import OperationalError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from core.errors import Busy, DomainError, ValidationFailed
from events.api import router as events_router
from ideas.api import router as ideas_router
from registrations.api import router as registrations_router


def contains_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(contains_nul(key) or contains_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(contains_nul(item) for item in value)
    return False


class TextOnlyJsonParser(Parser):
    """PostgreSQL cannot store NUL characters in text; refuse them as unreadable input (400,
    `invalid_input`) instead of failing deep in the database. Web forms refuse them through
    Django's own validator."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if contains_nul(data):
            raise DomainError("invalid_input", _("Text must not contain NUL characters."), status=422)
        return data


api = NinjaAPI(
    parser=TextOnlyJsonParser(),
    title="Stadtdialog API",
    version="1",
    description="Events, registrations and ideas of hybrid citizen dialogues.",
    urls_namespace="api",
)
api.add_router("/", events_router)
api.add_router("/", registrations_router)
api.add_router("/", ideas_router)


def error_response(request, status: int, code: str, detail: str, **extra):
    return api.create_response(request, {"code": code, "detail": detail, **extra}, status=status)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    extra = {}
    if isinstance(exc, ValidationFailed):
        extra["errors"] = [
            {"field": field, "code": error.code, "detail": error.message}
            for field, errors in exc.errors.items()
            for error in errors
        ]
    elif exc.field:
        extra["field"] = exc.field  # e.g. `answers.12`: which answer of a registration is refused
    response = error_response(request, exc.status, exc.code, exc.message, **extra)
    retry_after = getattr(exc, "retry_after_seconds", None)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


@api.exception_handler(ValidationError)
def invalid_input(request, exc: ValidationError):
    errors = [
        {"field": ".".join(str(part) for part in error.get("loc", [])[1:]), "detail": error.get("msg", "")}
        for error in exc.errors
    ]
    summary = "; ".join(f"{e['field']}: {e['detail']}" if e["field"] else e["detail"] for e in errors)
    return error_response(request, 422, "invalid_input", summary or _("The request is not valid."), errors=errors)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    response = error_response(request, 401, "not_authenticated", _("An organiser token is required."))
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Http404)
def not_found(request, exc):
    return error_response(request, 404, "not_found", _("Not found."))


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    code = "invalid_input" if exc.status_code == 400 else "http_error"
    return error_response(request, exc.status_code, code, str(exc))


@api.exception_handler(OperationalError)
def database_busy(request, exc):
    busy = Busy("busy", _("Too many requests at once. Please try again in a moment."))
    return domain_error(request, busy)


class ApiErrorMiddleware:
    """An unknown path under /api/ gets Django's HTML 404 page, and a method a known path does
    not allow gets ninja's plain-text 405, before any exception handler above can run. Both
    leave as JSON error answers; pages outside /api/ keep their HTML 404."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path_info.startswith("/api/") or is_json(response):
            return response
        if response.status_code == 404:
            return error_response(request, 404, "not_found", _("Not found."))
        if response.status_code == 405:
            methods = ", ".join(sorted(method.strip() for method in response.get("Allow", "").split(",")))
            detail = _("This method is not allowed here. Allowed: %(methods)s.") % {"methods": methods}
            refusal = error_response(request, 405, "method_not_allowed", detail)
            refusal["Allow"] = methods
            return refusal
        return response


def is_json(response) -> bool:
    return response.get("Content-Type", "").startswith("application/json")
