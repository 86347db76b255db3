import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.models import ConsentTerms, Event, SeatType


class Channel(models.TextChoices):
    WEB = "web", _("web form")
    EMAIL = "email", _("e-mail")
    PHONE = "phone", _("phone")


class Status(models.TextChoices):
    PENDING = "pending", _("pending until the deadline")
    CONFIRMED = "confirmed", _("confirmed")
    WAITLISTED = "waitlisted", _("on the waiting list")
    CANCELLED = "cancelled", _("cancelled")


class Language(models.TextChoices):
    GERMAN = "de", _("German")
    ENGLISH = "en", _("English")


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=Status.CANCELLED)

    def in_queue_order(self):
        """Order of receipt across all channels; the primary key breaks ties of equal times."""
        return self.order_by("received_at", "pk")


class Registration(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    seat_type = models.CharField(_("seat type"), max_length=10, choices=SeatType.choices)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"), blank=True)
    email_normalized = models.CharField(max_length=254, blank=True, editable=False)
    phone = models.CharField(_("phone number"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.GERMAN)
    needs = models.TextField(_("accessibility or interpretation needs"), blank=True)
    channel = models.CharField(_("channel"), max_length=5, choices=Channel.choices)
    received_at = models.DateTimeField(_("received at"), help_text=_("When the registration reached the city."))
    entered_at = models.DateTimeField(_("entered at"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    waitlist_position = models.PositiveIntegerField(_("position on the waiting list"), null=True, blank=True)
    status_changed_at = models.DateTimeField()
    manage_link_version = models.PositiveSmallIntegerField(default=1, editable=False)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["received_at", "pk"]
        constraints = [
            # The database itself refuses a second active registration of one address, so two
            # simultaneous submissions of the same form cannot both get through.
            models.UniqueConstraint(
                fields=["event", "email_normalized"],
                condition=~Q(email_normalized="") & ~Q(status="cancelled"),
                name="one_active_registration_per_email",
            ),
            models.CheckConstraint(
                condition=Q(status="waitlisted", waitlist_position__isnull=False)
                | (~Q(status="waitlisted") & Q(waitlist_position__isnull=True)),
                name="position_only_on_waiting_list",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "seat_type", "status", "received_at"]),
            models.Index(fields=["event", "received_at"]),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        self.email_normalized = self.email.strip().casefold()
        super().save(*args, **kwargs)


class ConsentKind(models.TextChoices):
    TERMS = "terms", _("general terms")
    BROADCAST = "broadcast", _("appearing in the broadcast")


class ConsentRecord(models.Model):
    """Evidence of one consent: which terms, in which version, how and when, and who took it
    down for phone registrations. Withdrawal is recorded, never deleted."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=10, choices=ConsentKind.choices)
    terms = models.ForeignKey(ConsentTerms, on_delete=models.PROTECT, related_name="+")
    terms_version = models.PositiveIntegerField()
    text = models.TextField(help_text=_("The exact text the person agreed to."))
    channel = models.CharField(max_length=5, choices=Channel.choices)
    given_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["given_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} v{self.terms_version}"


from registrations.intake.models import IntakeMail  # noqa: E402,F401  (registers the intake model)
