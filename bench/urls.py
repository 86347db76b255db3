"""The production URLconf plus the baselines of the benchmarks, bare Django views that go
through the same middleware as the pages they are compared with: `bench/rush.py`'s inserts one
row per request, so the ratio measures what registering costs beyond "one HTTP request that
writes one row"; `bench/pages.py`'s reads the event and renders a small template, so the ratio
measures what a page costs beyond "one HTTP request that reads one row and renders HTML"."""

import json

from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.template import engines
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from config.urls import urlpatterns as app_urlpatterns
from events.models import AuditEntry, Event

SMALL_PAGE = engines["django"].from_string(
    """<!doctype html><html lang="{{ LANGUAGE_CODE }}"><head><meta charset="utf-8"><title>{{ event.title }}</title>
</head><body><main><h1>{{ event.title }}</h1><p>{{ event.starts_at|date:"DATETIME_FORMAT" }}</p>
<p>{{ event.description|linebreaksbr }}</p></main></body></html>"""
)


@csrf_exempt  # like the API: a JSON client without a session or CSRF cookie
@require_POST
def insert_one_row(request):
    payload = json.loads(request.body)
    entry = AuditEntry.objects.create(
        at=timezone.now(), actor_label=payload.get("name", ""), action="bench.insert", data=payload
    )
    return JsonResponse({"id": entry.pk}, status=201)


def small_page(request, slug):
    event = get_object_or_404(Event, slug=slug)
    return HttpResponse(SMALL_PAGE.render({"event": event}, request))


urlpatterns = [
    path("bench/insert", insert_one_row),
    path("bench/page/<slug:slug>/", small_page),
    *app_urlpatterns,
]
