"""Every signal this app listens to, connected in one place (`connect()`, from `apps.ready`):
its tabs on the organiser pages and the privacy requests (`reports.privacy`)."""

from django.utils.translation import gettext_lazy as _

from events.access import Capability
from registrations.signals import staff_pages
from registrations.staff.tabs import Tab
from reports import privacy

TABS = [
    Tab("report", "reports:event", _("Attendance"), capability=Capability.VIEW_COUNTS),
    Tab("survey", "reports:survey", _("Feedback")),
    Tab("reports", "reports:period", _("Reports"), per_event=False),
]


def reports_pages(sender, **kwargs):
    return TABS


def connect() -> None:
    privacy.connect()
    staff_pages.connect(reports_pages, dispatch_uid="reports.staff_pages")
