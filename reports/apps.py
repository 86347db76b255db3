from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports and feedback")

    def ready(self):
        from events.access import Capability
        from registrations.signals import staff_pages
        from registrations.staff.tabs import Tab
        from reports import privacy

        privacy.connect()
        tabs = [
            Tab("report", "reports:event", _("Attendance"), capability=Capability.VIEW_COUNTS),
            Tab("survey", "reports:survey", _("Feedback")),
            Tab("reports", "reports:period", _("Reports"), per_event=False),
        ]

        def reports_pages(sender, **kwargs):
            return tabs

        staff_pages.connect(reports_pages, weak=False, dispatch_uid="reports.staff_pages")
