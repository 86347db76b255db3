from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = _("Ideas")

    def ready(self):
        from ideas import privacy
        from ideas.views.voting import voting_section
        from registrations.personal_sections import add_section

        privacy.connect()
        add_section(voting_section)
