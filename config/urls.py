from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from config.api import api
from config.health import health

urlpatterns = [
    path("api/", api.urls),
    path("streaming/", include("streaming.webhook_urls")),
    path("health", health, name="health"),
]

handler500 = "config.outage.server_error"

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("organisation/", include("registrations.staff.urls")),
    path("", include("events.urls")),
    path("", include("registrations.urls")),
    path("", include("registrations.privacy.urls")),
    path("organisation/posteingang/", include("registrations.intake.urls")),
    path("", include("ideas.urls")),
    path("", include("live.urls")),
    path("einlass/", include("registrations.checkin.urls")),
    path("postausgang/", include("registrations.outbox.urls")),
    path("", include("streaming.urls")),
    path("", include("reports.urls")),
    path("", include("processes.urls")),
    prefix_default_language=False,
)
