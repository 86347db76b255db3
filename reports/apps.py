from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports and feedback")

    def ready(self):
        from django.utils.translation import gettext_lazy

        from registrations.staff.tabs import add_event_tab, add_staff_link
        from reports import privacy

        privacy.connect()
        add_event_tab("report", "reports:event", gettext_lazy("Attendance"))
        add_event_tab("survey", "reports:survey", gettext_lazy("Feedback"))
        add_staff_link("reports", "reports:period", gettext_lazy("Reports"))
