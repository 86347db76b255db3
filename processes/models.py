"""A participation process: several events and working groups over months, in phases, ending in
results a council adopts (docs/processes.md). The process links events and working groups; they do
not know it (they lie lower in the import order)."""

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from events.models import Event, localized
from ideas.models import WorkingGroup

# The licence the open data is published under unless a process says otherwise: the German
# open-data licence most cities use (https://www.govdata.de/dl-de/by-2-0).
DEFAULT_LICENCE = "dl-de/by-2-0"


class ProcessQuerySet(models.QuerySet):
    def public(self) -> "ProcessQuerySet":
        return self.filter(published=True)


class Process(models.Model):
    slug = models.SlugField(_("address (slug)"), max_length=80, unique=True)
    title_de = models.CharField(_("title (German)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_de = models.TextField(_("description (German)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    published = models.BooleanField(_("published"), default=False)
    licence = models.CharField(_("licence of the open data"), max_length=100, default=DEFAULT_LICENCE)
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="processes", verbose_name=_("team"))
    events = models.ManyToManyField(Event, related_name="processes", blank=True, verbose_name=_("events"))
    working_groups = models.ManyToManyField(
        WorkingGroup, related_name="processes", blank=True, verbose_name=_("working groups")
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    objects = ProcessQuerySet.as_manager()

    class Meta:
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title_de

    @property
    def title(self) -> str:
        return localized(self.title_de, self.title_en)

    @property
    def description(self) -> str:
        return localized(self.description_de, self.description_en)

    def get_absolute_url(self):
        return reverse("processes:detail", args=[self.slug])


class Phase(models.Model):
    """A stretch of the process with dates (Auftakt, Themen-Labore, Entwurf, Ratsbeschluss)."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="phases")
    title_de = models.CharField(_("title (German)"), max_length=120)
    title_en = models.CharField(_("title (English)"), max_length=120, blank=True)
    description_de = models.TextField(_("description (German)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="phase_ends_after_start"
            )
        ]

    def __str__(self):
        return self.title_de

    @property
    def title(self) -> str:
        return localized(self.title_de, self.title_en)

    @property
    def description(self) -> str:
        return localized(self.description_de, self.description_en)

    def state_on(self, day: date) -> str:
        """ "past", "current" or "coming" on that day."""
        if day > self.ends_on:
            return "past"
        return "current" if day >= self.starts_on else "coming"
