from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Registrations")

    def ready(self):
        from events.signals import event_page_section, seats_changed
        from registrations import event_changes, services
        from registrations.views import registration_section

        def promote_into_new_seats(sender, event, actor, now, **kwargs):
            services.fill_free_seats(event, now=now, actor=actor)

        def section(sender, request, event, place, **kwargs):
            return registration_section(request, event) if place == "registration" else None

        seats_changed.connect(promote_into_new_seats, weak=False, dispatch_uid="registrations.promote")
        event_changes.connect()
        event_page_section.connect(section, weak=False, dispatch_uid="registrations.event_section")
