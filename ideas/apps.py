from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = _("Ideas")

    def ready(self):
        from ideas import privacy
        from ideas.views.voting import voting_section
        from registrations.signals import personal_page_section

        def section(sender, request, registration, now, kind, **kwargs):
            return voting_section(request, registration, now=now) if kind == "other" else None

        privacy.connect()
        personal_page_section.connect(section, weak=False, dispatch_uid="ideas.voting_section")
