from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StreamingConfig(AppConfig):
    name = "streaming"
    verbose_name = _("Streaming")

    def ready(self):
        from events.page_sections import add_event_section
        from registrations.mail.notices import add_access_provider
        from registrations.personal_sections import add_access_section
        from streaming import privacy, receivers
        from streaming.access import meeting_access_data
        from streaming.views.public import access_section, livestream_section

        receivers.connect()
        privacy.connect()
        add_event_section(livestream_section, place="livestream")
        add_access_section(access_section)
        add_access_provider(meeting_access_data)
