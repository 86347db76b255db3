from django.urls import path

from streaming.views import organiser, public

app_name = "streaming"

urlpatterns = [
    path("veranstaltungen/<slug:slug>/livestream/", public.stream_page, name="stream"),
    path("anmeldung/<str:token>/zoom/", public.registrant_access, name="access"),
    path("organisation/zoom/", organiser.overview, name="organiser_overview"),
    path("organisation/zoom/<slug:slug>/", organiser.event_page, name="organiser_event"),
    path("organisation/zoom/<slug:slug>/synchronisieren/", organiser.sync_now, name="sync_now"),
    path("organisation/zoom/<slug:slug>/starten/", organiser.start_as_host, name="start_as_host"),
    path("organisation/zoom/<slug:slug>/livestream/", organiser.update_livestream, name="update_livestream"),
]
