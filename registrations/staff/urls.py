from django.urls import path

from registrations.staff import login, questions, views
from registrations.staff.editor import consent
from registrations.staff.editor import views as editor
from registrations.team import views as team

app_name = "staff"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("anmelden/", login.StaffLoginView.as_view(), name="login"),
    path("abmelden/", login.StaffLogoutView.as_view(), name="logout"),
    path("veranstaltungen/neu/", editor.new_event, name="new_event"),
    path("veranstaltungen/<slug:slug>/", views.event_overview, name="event"),
    path("veranstaltungen/<slug:slug>/bearbeiten/", editor.editor, name="edit"),
    path("veranstaltungen/<slug:slug>/bearbeiten/<slug:part>/", editor.edit_section, name="edit_section"),
    path("veranstaltungen/<slug:slug>/einwilligung/", consent.consent_terms, name="consent_terms"),
    path("veranstaltungen/<slug:slug>/veroeffentlichen/", editor.publish, name="publish"),
    path("veranstaltungen/<slug:slug>/zurueckziehen/", editor.unpublish, name="unpublish"),
    path("veranstaltungen/<slug:slug>/kopieren/", editor.copy, name="copy"),
    path("veranstaltungen/<slug:slug>/serie/", editor.series, name="series"),
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
        "veranstaltungen/<slug:slug>/anmeldungen/<int:pk>/platz-wechseln/",
        views.switch_seat_type,
        name="switch",
    ),
    path(
        "veranstaltungen/<slug:slug>/anmeldungen/<int:pk>/bearbeiten/",
        views.edit_registration,
        name="edit_registration",
    ),
    path(
        "veranstaltungen/<slug:slug>/anmeldungen/<int:pk>/bestaetigung-senden/",
        views.resend_confirmation,
        name="resend_confirmation",
    ),
    path(
        "veranstaltungen/<slug:slug>/anmeldungen/<int:pk>/links-sperren/",
        views.revoke_links,
        name="revoke_links",
    ),
    path("veranstaltungen/<slug:slug>/team/", team.team, name="team"),
    path("veranstaltungen/<slug:slug>/team/<int:user_id>/rolle/", team.change_role, name="team_role"),
    path("veranstaltungen/<slug:slug>/team/<int:user_id>/entfernen/", team.remove_member, name="team_remove"),
    path(
        "veranstaltungen/<slug:slug>/einladungen/<int:invitation_id>/zurueckziehen/",
        team.withdraw_invitation,
        name="team_withdraw",
    ),
    path("einladung/<str:token>/", team.accept_invitation, name="accept_invitation"),
]
