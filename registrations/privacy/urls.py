from django.urls import path

from registrations.privacy import views

app_name = "privacy"

urlpatterns = [
    path("datenauskunft/", views.request_access, name="request"),
    path("datenauskunft/geloescht/", views.erased, name="erased"),
    path("daten/<str:token>/", views.data_page, name="data"),
    path("daten/<str:token>/daten.json", views.data_download, name="download"),
    path("daten/<str:token>/loeschen/", views.erase, name="erase"),
]
