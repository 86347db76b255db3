"""The project's URLs plus a login page built on Django's plain LoginView, as a site-owned
staff login would be: the lockout must hold there as on the admin's login."""

from django.contrib.auth.views import LoginView
from django.urls import path

from config.urls import handler500
from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("plain-login/", LoginView.as_view(template_name="admin/login.html")),
    *project_urlpatterns,
]

__all__ = ["handler500", "urlpatterns"]
