"""The production URLconf plus the baseline of `bench/rush.py`: a bare Django view that
inserts one row per request. It goes through the same middleware as the API, so the ratio of
the two measures what registering costs beyond "one HTTP request that writes one row"."""

import json

from django.http import JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from config.urls import urlpatterns as app_urlpatterns
from events.models import AuditEntry


@csrf_exempt  # like the API: a JSON client without a session or CSRF cookie
@require_POST
def insert_one_row(request):
    payload = json.loads(request.body)
    entry = AuditEntry.objects.create(
        at=timezone.now(), actor_label=payload.get("name", ""), action="bench.insert", data=payload
    )
    return JsonResponse({"id": entry.pk}, status=201)


urlpatterns = [path("bench/insert", insert_one_row), *app_urlpatterns]
