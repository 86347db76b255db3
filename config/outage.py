"""When the database goes away (restart, failover, a dropped connection), every request answers
503 with `Retry-After` instead of a 500: the API as `{"code": "busy"}`, pages with a short page
that needs no database. Nothing is half saved, because every change is one transaction."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.defaults import server_error as default_server_error

from config.api import error_response
from core.errors import Busy

DATABASE_GONE = (OperationalError, InterfaceError)


def database_unavailable_response(request) -> HttpResponse:
    if request.path.startswith("/api/"):
        response = error_response(
            request, Busy.status, "busy", _("Too many requests at once. Please try again in a moment.")
        )
    else:
        response = HttpResponse(render_to_string("errors/database_unavailable.html", request=None), status=503)
    response["Retry-After"] = str(Busy.retry_after_seconds)
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_GONE):
            return database_unavailable_response(request)
        return None


def server_error(request):
    """handler500: also catches a database error raised in a middleware, outside any view."""
    if isinstance(sys.exc_info()[1], DATABASE_GONE):
        return database_unavailable_response(request)
    return default_server_error(request)
