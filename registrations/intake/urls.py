from django.urls import path

from registrations.intake import views

app_name = "intake"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.mail_detail, name="mail"),
    path("<int:pk>/zuordnen/", views.assign, name="assign"),
]
