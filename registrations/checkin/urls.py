from django.urls import path

from registrations.checkin import views

app_name = "checkin"

urlpatterns = [
    path("<slug:slug>/", views.checkin_page, name="page"),
    path("<slug:slug>/tuer/", views.walk_in, name="walk_in"),
    path("<slug:slug>/personen/", views.search, name="search"),
    path("<slug:slug>/personen/<int:registration_id>/", views.checkin_person, name="person"),
    path("<slug:slug>/gaeste/", views.guests, name="guests"),
    path("<slug:slug>/gaeste/<int:registration_id>/einlass/", views.guest_check_in, name="guest_check_in"),
    path("<slug:slug>/gaeste/<int:registration_id>/auschecken/", views.check_out, name="check_out"),
]
