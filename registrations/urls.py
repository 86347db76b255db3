from django.urls import path

from registrations import address_change_views, views

app_name = "registrations"

urlpatterns = [
    path("veranstaltungen/<slug:slug>/anmelden/", views.register, name="register"),
    path("veranstaltungen/<slug:slug>/anmeldung-erhalten/", views.received, name="received"),
    path("mein-link/", views.lost_links, name="lost_links"),
    path("mein-link/gesendet/", views.lost_links_sent, name="lost_links_sent"),
    path("anmeldung/<str:token>/", views.manage, name="manage"),
    path("anmeldung/<str:token>/abmelden/", views.cancel, name="cancel"),
    path("anmeldung/<str:token>/aendern/", views.change, name="change"),
    path("anmeldung/<str:token>/platz-wechseln/", views.switch, name="switch"),
    path("anmeldung/<str:token>/angaben/", views.details, name="details"),
    path("anmeldung/<str:token>/adresse/", views.email_change, name="email_change"),
    path("platz-bestaetigen/<str:token>/", views.reconfirm, name="reconfirm"),
    path("einwilligung/<str:token>/", views.consent, name="consent"),
    path("adresse-bestaetigen/<str:token>/", address_change_views.confirm_email, name="confirm_email"),
]
