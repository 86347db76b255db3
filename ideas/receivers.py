"""Every signal this app listens to, connected in one place (`connect()`, from `apps.ready`):
its tab on the organiser pages, the voting and live-channel sections of the personal page, the demo, and the
privacy requests (`ideas.privacy`)."""

from django.utils.translation import gettext_lazy as _

from events.access import Capability
from events.signals import demo_loaded
from ideas import demo, privacy
from registrations.signals import personal_page_section, staff_pages
from registrations.staff.tabs import Tab

TABS = [Tab("ideas", "ideas:organise", _("Breakout groups and ideas"), capability=Capability.MODERATE)]


def section(sender, request, registration, now, kind, **kwargs):
    from ideas.views.voting import voting_section

    return voting_section(request, registration, now=now) if kind == "other" else None


def live_channel(sender, request, registration, now, kind, **kwargs):
    from ideas.views.live import live_section

    return live_section(request, registration, now=now) if kind == "other" else None


def add_demo_ideas(sender, events, organiser, now, **kwargs):
    return demo.load(events, organiser, now)


def ideas_pages(sender, **kwargs):
    return TABS


def connect() -> None:
    privacy.connect()
    staff_pages.connect(ideas_pages, dispatch_uid="ideas.staff_pages")
    demo_loaded.connect(add_demo_ideas, dispatch_uid="ideas.demo")
    personal_page_section.connect(section, dispatch_uid="ideas.voting_section")
    personal_page_section.connect(live_channel, dispatch_uid="ideas.live_section")
