"""Outside the language prefixes: Zoom posts to one fixed address."""

from django.urls import path

from streaming.webhooks import zoom_webhook

urlpatterns = [
    path("zoom/webhook", zoom_webhook, name="zoom_webhook"),
]
