from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("", views.upcoming_events, name="upcoming"),
    path("vergangene/", views.past_events, name="past"),
    path("veranstaltungen.ics", views.calendar_feed, name="feed"),
    path("veranstaltungen/<slug:slug>/", views.event_detail, name="detail"),
    path("veranstaltungen/<slug:slug>/kalender.ics", views.event_calendar, name="ics"),
    path("datenschutz/", views.legal, {"kind": "privacy"}, name="privacy"),
    path("impressum/", views.legal, {"kind": "imprint"}, name="imprint"),
    path("barrierefreiheit/", views.legal, {"kind": "accessibility"}, name="accessibility"),
    path("leichte-sprache/", views.easy_language, name="easy_language"),
    path("gebaerdensprache/", views.sign_language, name="sign_language"),
]
