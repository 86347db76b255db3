from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StreamingConfig(AppConfig):
    name = "streaming"
    verbose_name = _("Streaming")

    def ready(self):
        from events.signals import event_page_section
        from registrations.signals import access_data_wanted, personal_page_section, staff_pages
        from registrations.staff.tabs import Tab
        from streaming import privacy, receivers
        from streaming.access import meeting_access_data
        from streaming.views.public import access_section, livestream_section

        def event_section(sender, request, event, place, **kwargs):
            return livestream_section(request, event) if place == "livestream" else None

        def personal_section(sender, request, registration, now, kind, **kwargs):
            return access_section(request, registration, now=now) if kind == "access" else None

        def access_data(sender, registration, **kwargs):
            return meeting_access_data(registration)

        tabs = [
            Tab("zoom", "streaming:organiser_event", _("Zoom")),
            Tab("livestream", "streaming:organiser_event", _("Livestream"), anchor="livestream"),
        ]

        def streaming_pages(sender, **kwargs):
            return tabs

        receivers.connect()
        staff_pages.connect(streaming_pages, weak=False, dispatch_uid="streaming.staff_pages")
        privacy.connect()
        event_page_section.connect(event_section, weak=False, dispatch_uid="streaming.event_section")
        personal_page_section.connect(personal_section, weak=False, dispatch_uid="streaming.access_section")
        access_data_wanted.connect(access_data, weak=False, dispatch_uid="streaming.access_data")
