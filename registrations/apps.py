from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Registrations")

    def ready(self):
        from events.access import Capability, organises_any_event
        from events.signals import demo_loaded, event_page_section, seats_changed
        from registrations import demo, event_changes, services
        from registrations.signals import staff_pages
        from registrations.staff.tabs import Tab
        from registrations.views import registration_section

        def promote_into_new_seats(sender, event, actor, now, **kwargs):
            services.fill_free_seats(event, now=now, actor=actor)

        def section(sender, request, event, place, **kwargs):
            return registration_section(request, event) if place == "registration" else None

        def add_demo_registrations(sender, events, organiser, now, **kwargs):
            return demo.load(events, organiser, now)

        tabs = [
            Tab("checkin", "checkin:page", _("Check-in"), capability=Capability.CHECK_IN),
            Tab("outbox", "outbox:list", _("Outbox")),
            # The inbox of registration e-mails spans events: organisers only, as its views ask.
            Tab("intake", "intake:inbox", _("Registration inbox"), per_event=False, visible_to=organises_any_event),
        ]

        def door_and_mail_pages(sender, **kwargs):
            return tabs

        staff_pages.connect(door_and_mail_pages, weak=False, dispatch_uid="registrations.staff_pages")
        demo_loaded.connect(add_demo_registrations, weak=False, dispatch_uid="registrations.demo")
        seats_changed.connect(promote_into_new_seats, weak=False, dispatch_uid="registrations.promote")
        event_changes.connect()
        event_page_section.connect(section, weak=False, dispatch_uid="registrations.event_section")
