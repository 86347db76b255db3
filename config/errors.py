"""The page for a form the CSRF check refuses (CSRF_FAILURE_VIEW): in the visitor's language and
the site's look, instead of Django's English page with its inline style, which the CSP blocks.
The other error pages are the templates 400/403/404/500.html with Django's default handlers."""

from django.http import HttpResponseForbidden
from django.template.loader import render_to_string


def csrf_failure(request, reason=""):
    return HttpResponseForbidden(render_to_string("errors/csrf_failure.html"))
