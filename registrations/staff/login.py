"""The organisers' own login and logout, in the site's look, instead of the Django admin's.

Django's `LoginView` checks the password through `authenticate(request=…)`, so whatever hooks
into authentication (the login lockout) covers this page as it covers /admin/login/. Too many
attempts from one client are refused before the password is even checked (core/ratelimit.py).
After login an organiser lands on their dashboard, never in the admin, unless the page that
sent them to the login (`next`) was one of the organiser pages."""

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import KernFormMixin
from core.ratelimit import RateLimited, check_request_rate


class StaffLoginForm(KernFormMixin, AuthenticationForm):
    username = forms.CharField(
        label=gettext_lazy("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )


class StaffLoginView(auth_views.LoginView):
    template_name = "registrations/staff/login.html"
    form_class = StaffLoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        try:
            check_request_rate("login", request)
        except RateLimited as limited:
            form = self.get_form()
            form.add_error(None, _("Too many login attempts. Please wait a few minutes and try again."))
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(limited.retry_after_seconds)
            return response
        return super().post(request, *args, **kwargs)

    def get_default_redirect_url(self):
        return reverse("staff:dashboard")

    def get_redirect_url(self):
        # The admin is for a superuser's rare tasks: a `next` into it would land an organiser in
        # "Django-Verwaltung" again.
        url = super().get_redirect_url()
        if url.startswith(reverse("admin:index")) and not self.request.user.is_superuser:
            return ""
        return url


class StaffLogoutView(auth_views.LogoutView):
    def get_success_url(self):
        messages.info(self.request, _("You are logged out."))
        return reverse("staff:login")
