"""Every signal this app listens to, connected in one place (`connect()`, from `apps.ready`):
the pages and sections it adds to other apps' pages, the demo, and the changes of the events
below it (`registrations.event_changes`)."""

from django.utils.translation import gettext_lazy as _

from events.access import Capability, organises_any_event
from events.signals import demo_loaded, event_page_section, seats_changed
from registrations import demo, event_changes, services
from registrations.signals import staff_pages
from registrations.staff.tabs import Tab

TABS = [
    Tab("checkin", "checkin:page", _("Check-in"), capability=Capability.CHECK_IN),
    Tab("outbox", "outbox:list", _("Outbox")),
    # The inbox of registration e-mails spans events: organisers only, as its views ask.
    Tab("intake", "intake:inbox", _("Registration inbox"), per_event=False, visible_to=organises_any_event),
]


def promote_into_new_seats(sender, event, actor, now, **kwargs):
    services.fill_free_seats(event, now=now, actor=actor)


def section(sender, request, event, place, **kwargs):
    from registrations.views import registration_section

    return registration_section(request, event) if place == "registration" else None


def add_demo_registrations(sender, events, organiser, now, **kwargs):
    return demo.load(events, organiser, now)


def door_and_mail_pages(sender, **kwargs):
    return TABS


def connect() -> None:
    staff_pages.connect(door_and_mail_pages, dispatch_uid="registrations.staff_pages")
    demo_loaded.connect(add_demo_registrations, dispatch_uid="registrations.demo")
    seats_changed.connect(promote_into_new_seats, dispatch_uid="registrations.promote")
    event_changes.connect()
    event_page_section.connect(section, dispatch_uid="registrations.event_section")
