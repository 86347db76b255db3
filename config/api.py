"""The one NinjaAPI of Stadtdialog and its error answers.

Every error leaves as `{"code", "detail"}` with a fitting 4xx (or 503 with `Retry-After` when a
seat pool stays locked), so API clients can branch on the code and show the detail. That holds
for the answers Django and ninja give before any operation runs, too (an unknown path under
/api/, a method the path does not allow): `ApiErrorMiddleware` reshapes them.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import OperationalError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from core.errors import Busy, DomainError, ValidationFailed
from events.api import router as events_router
from ideas.api import router as ideas_router
from live.api import router as live_router
from registrations.api import router as registrations_router


def contains_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(contains_nul(key) or contains_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(contains_nul(item) for item in value)
    return False


def is_json_media_type(content_type: str) -> bool:
    kind, _slash, subtype = content_type.partition("/")
    return kind == "application" and (subtype == "json" or subtype.endswith("+json"))


class TextOnlyJsonParser(Parser):
    """Bodies are JSON sent as JSON: a body with another content type (a cross-site
    `<form enctype="text/plain">` can send one without a CORS preflight) is refused with 415
    before it is read. PostgreSQL cannot store NUL characters in text; refuse them as
    unreadable input (400, `invalid_input`) instead of failing deep in the database. Web forms
    refuse them through Django's own validator."""

    def parse_body(self, request):
        if not is_json_media_type(request.content_type or ""):
            raise DomainError(
                "unsupported_media_type", _("The request body must be sent as application/json."), status=415
            )
        data = super().parse_body(request)
        if contains_nul(data):
            raise DomainError("invalid_input", _("Text must not contain NUL characters."), status=400)
        return data


class StadtdialogApi(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """Operations open to everyone declare their bearer as optional (`{}` first), so that
        a generated client may call them without a token; operations with a body document the
        413 and 415 that `ApiErrorMiddleware` and the parser give for every one of them."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema["paths"].values():
            for operation in operations.values():
                security = operation.get("security", [])
                if any(OPTIONAL_BEARER in requirement for requirement in security):
                    operation["security"] = [{}, *security]
                if "requestBody" in operation:
                    for status, description in BODY_REFUSALS.items():
                        operation["responses"].setdefault(status, error_answer(description))
        return schema


OPTIONAL_BEARER = "OptionalOrganiserBearer"
BODY_REFUSALS = {"413": "Request body too large", "415": "Unsupported Media Type"}


def error_answer(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
    }


api = StadtdialogApi(
    parser=TextOnlyJsonParser(),
    title="Stadtdialog API",
    version="1",
    description="Events, registrations, ideas and live participation of hybrid citizen dialogues.",
    urls_namespace="api",
)
api.add_router("/", events_router)
api.add_router("/", registrations_router)
api.add_router("/", ideas_router)
api.add_router("/", live_router)


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
    if isinstance(exc.__cause__, DomainError):  # ninja wraps every error of the body parser
        return domain_error(request, exc.__cause__)
    code = "invalid_input" if exc.status_code == 400 else "http_error"
    return error_response(request, exc.status_code, code, str(exc))


@api.exception_handler(OperationalError)
def database_busy(request, exc):
    busy = Busy("busy", _("Too many requests at once. Please try again in a moment."))
    return domain_error(request, busy)


class ApiErrorMiddleware:
    """Answers Django and ninja give outside any exception handler above leave as JSON error
    answers too: an unknown path under /api/ (Django's HTML 404), a method a known path does not
    allow (ninja's plain-text 405), a body over `DATA_UPLOAD_MAX_MEMORY_SIZE` (refused here,
    before anything reads it) and an unexpected error (Django logs it to `django.request` and
    renders its HTML 500). Pages outside /api/ keep their HTML answers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith("/api/"):
            return self.get_response(request)
        if body_too_large(request):
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            detail = _("The request body is larger than %(limit)s bytes.") % {"limit": limit}
            return error_response(request, 413, "request_too_large", detail)
        response = self.get_response(request)
        if response.status_code < 400 or is_json(response):
            return response
        if response.status_code == 404:
            return error_response(request, 404, "not_found", _("Not found."))
        if response.status_code == 405:
            methods = ", ".join(sorted(method.strip() for method in response.get("Allow", "").split(",")))
            detail = _("This method is not allowed here. Allowed: %(methods)s.") % {"methods": methods}
            refusal = error_response(request, 405, "method_not_allowed", detail)
            refusal["Allow"] = methods
            return refusal
        if response.status_code >= 500:
            code, detail = "server_error", _("Something went wrong on our side.")
        else:
            code, detail = "bad_request", _("The request is not valid.")
        refusal = error_response(request, response.status_code, code, detail)
        if "Retry-After" in response:
            refusal["Retry-After"] = response["Retry-After"]
        return refusal


def body_too_large(request) -> bool:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return limit is not None and length > limit


class BearerOnlyApiMiddleware:
    """The API knows its callers by their bearer token only (events/auth.py, ideas/auth.py).
    Without this, the session cookie of an organiser logged in to the pages would make a
    token-less call (CSRF-free, as every API operation is) that organiser's. Placed after
    AuthenticationMiddleware; a valid token sets `request.user` again in the auth class."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/api/"):
            request.user = AnonymousUser()
            request.auser = anonymous_user
        return self.get_response(request)


async def anonymous_user():
    return AnonymousUser()


def is_json(response) -> bool:
    return response.get("Content-Type", "").startswith("application/json")
