from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = _("Ideas")

    def ready(self):
        from events.access import Capability
        from events.signals import demo_loaded
        from ideas import demo, privacy
        from ideas.views.live import live_section
        from ideas.views.voting import voting_section
        from registrations.signals import personal_page_section, staff_pages
        from registrations.staff.tabs import Tab

        def section(sender, request, registration, now, kind, **kwargs):
            return voting_section(request, registration, now=now) if kind == "other" else None

        def live_channel(sender, request, registration, now, kind, **kwargs):
            return live_section(request, registration, now=now) if kind == "other" else None

        def add_demo_ideas(sender, events, organiser, now, **kwargs):
            return demo.load(events, organiser, now)

        tabs = [Tab("ideas", "ideas:organise", _("Breakout groups and ideas"), capability=Capability.MODERATE)]

        def ideas_pages(sender, **kwargs):
            return tabs

        privacy.connect()
        staff_pages.connect(ideas_pages, weak=False, dispatch_uid="ideas.staff_pages")
        demo_loaded.connect(add_demo_ideas, weak=False, dispatch_uid="ideas.demo")
        personal_page_section.connect(section, weak=False, dispatch_uid="ideas.voting_section")
        personal_page_section.connect(live_channel, weak=False, dispatch_uid="ideas.live_section")
