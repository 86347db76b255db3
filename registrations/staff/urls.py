from django.urls import path

from registrations.staff import questions, views

app_name = "staff"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("veranstaltungen/<slug:slug>/", views.event_overview, name="event"),
    path("veranstaltungen/<slug:slug>/plaetze/<slug:seat_type>/freigeben/", views.release_seats, name="release"),
    path("veranstaltungen/<slug:slug>/zuteilen/", views.allocate_seats, name="allocate"),
    path("veranstaltungen/<slug:slug>/telefon/", views.phone_registration, name="phone"),
    path("veranstaltungen/<slug:slug>/anmeldungen/", views.registration_list, name="registrations"),
    path("veranstaltungen/<slug:slug>/anmeldungen.csv", views.export_registrations, name="export"),
    path("veranstaltungen/<slug:slug>/anmeldungen/<int:pk>/", views.registration_detail, name="registration"),
    path("veranstaltungen/<slug:slug>/anmeldungen/<int:pk>/stornieren/", views.cancel_registration, name="cancel"),
    path("veranstaltungen/<slug:slug>/fragen/", questions.question_list, name="questions"),
    path("veranstaltungen/<slug:slug>/fragen/<int:pk>/", questions.question_edit, name="question"),
    path("veranstaltungen/<slug:slug>/fragen/<int:pk>/verschieben/", questions.question_move, name="question_move"),
    path("veranstaltungen/<slug:slug>/fragen/<int:pk>/entfernen/", questions.question_delete, name="question_delete"),
    path(
        "veranstaltungen/<slug:slug>/anmeldungen/<int:pk>/links-sperren/",
        views.revoke_links,
        name="revoke_links",
    ),
]
