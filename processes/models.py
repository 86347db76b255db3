"""A participation process: several events and working groups over months, in phases, ending in
results a council adopts (docs/processes.md). The process links events and working groups; they do
not know it (they lie lower in the import order)."""

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Event, localized
from ideas.models import BacklogItem, WorkingGroup
from registrations.models import EarlyAccess

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
    events = models.ManyToManyField(
        Event, through="ProcessEvent", related_name="processes", blank=True, verbose_name=_("events")
    )
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


class ProcessEvent(models.Model):
    """An event of a process, and when it was added: the followers' digest tells of new events."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE)
    event = models.ForeignKey(Event, on_delete=models.CASCADE)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["process", "event"], name="event_once_per_process")]

    def __str__(self):
        return f"{self.process} – {self.event}"


class SubscriptionKind(models.TextChoices):
    MEMBER = "member", _("member of the working group")
    FOLLOWER = "follower", _("follows the news")


class Subscription(models.Model):
    """Someone who joined a working group or follows a process or a working group by e-mail.
    Counted only once confirmed from the mail (double opt-in); leaving deletes the row."""

    process = models.ForeignKey(Process, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions")
    working_group = models.ForeignKey(
        WorkingGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=SubscriptionKind.choices)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"))
    email_normalized = models.CharField(max_length=254, editable=False)
    language = models.CharField(_("language"), max_length=2, default="de")
    consent_at = models.DateTimeField(_("agreed at"))
    created_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # The news up to this moment have been sent (the digest tells what changed after it).
    news_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(process__isnull=False, working_group__isnull=True, kind="follower")
                | models.Q(process__isnull=True, working_group__isnull=False),
                name="subscription_has_one_target",
            ),
            models.UniqueConstraint(
                fields=["process", "email_normalized"],
                condition=models.Q(process__isnull=False),
                name="one_subscription_per_process_and_address",
            ),
            models.UniqueConstraint(
                fields=["working_group", "email_normalized"],
                condition=models.Q(working_group__isnull=False),
                name="one_subscription_per_group_and_address",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.target}"

    @property
    def target(self):
        return self.process if self.process_id else self.working_group


class Result(models.Model):
    """What the process ends in: a document such as the strategy the council adopts, in sections."""

    process = models.OneToOneField(Process, on_delete=models.CASCADE, related_name="result")
    title_de = models.CharField(_("title (German)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary_de = models.TextField(_("summary (German)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    adopted_on = models.DateField(_("adopted by the council on"), null=True, blank=True)
    published = models.BooleanField(_("published"), default=False)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")

    def __str__(self):
        return self.title_de

    @property
    def title(self) -> str:
        return localized(self.title_de, self.title_en)

    @property
    def summary(self) -> str:
        return localized(self.summary_de, self.summary_en)


class ResultSection(models.Model):
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField(_("position"))
    heading_de = models.CharField(_("heading (German)"), max_length=200)
    heading_en = models.CharField(_("heading (English)"), max_length=200, blank=True)
    text_de = models.TextField(_("text (German)"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.heading_de

    @property
    def heading(self) -> str:
        return localized(self.heading_de, self.heading_en)

    @property
    def text(self) -> str:
        return localized(self.text_de, self.text_en)


class Adoption(models.TextChoices):
    ADOPTED = "adopted", _("taken up")
    PARTLY = "partly", _("partly taken up")
    NOT_ADOPTED = "not_adopted", _("not taken up")


class SectionItem(models.Model):
    """A working group's backlog item taken up (or not) by a section of the result, with the
    city's account of it: how far it is taken up, why not, and how far it has come."""

    section = models.ForeignKey(ResultSection, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(BacklogItem, on_delete=models.CASCADE, related_name="result_sections")
    adoption = models.CharField(_("taken up?"), max_length=11, choices=Adoption.choices)
    reason = models.TextField(_("reason"), blank=True)
    progress = models.PositiveSmallIntegerField(_("progress in per cent"), default=0)

    class Meta:
        verbose_name = _("item in a section")
        verbose_name_plural = _("items in sections")
        constraints = [
            models.UniqueConstraint(fields=["section", "item"], name="item_once_per_section"),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="progress_at_most_100"),
            models.CheckConstraint(
                condition=~models.Q(adoption="not_adopted") | ~models.Q(reason=""), name="not_adopted_needs_reason"
            ),
        ]

    def __str__(self):
        return f"{self.section} – {self.item}"


class Meeting(models.Model):
    """An event of the process that is a meeting of one of its working groups; its confirmed
    members are invited to it by mail, and may get a head start for registering."""

    working_group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="meetings")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="working_group_meetings")
    invited_at = models.DateTimeField(_("members invited at"), null=True, blank=True)
    invited = models.PositiveIntegerField(_("members invited"), default=0)
    # The members' head start for registering (registrations/early_access.py): their invitations
    # carry the personal links to it. None: they register when everyone does.
    early_access = models.OneToOneField(
        EarlyAccess,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("members' head start"),
    )

    class Meta:
        verbose_name = _("meeting of a working group")
        verbose_name_plural = _("meetings of working groups")
        constraints = [models.UniqueConstraint(fields=["working_group", "event"], name="meeting_once_per_group")]

    def __str__(self):
        return f"{self.working_group} – {self.event}"
