from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import Event


class Outcome(models.TextChoices):
    REGISTERED = "registered", _("registered")
    ALREADY_REGISTERED = "already_registered", _("already registered")
    REFUSED = "refused", _("refused (closed, not bookable …)")
    NO_KEYWORD = "no_keyword", _("no known keyword")
    IGNORED = "ignored", _("ignored (auto-reply, bounce, list, spam)")
    UNREADABLE = "unreadable", _("unreadable")


class IntakeMail(models.Model):
    """One mail that reached the registration inbox, processed exactly once.

    `message_key` (the Message-ID, or a hash of the raw mail where it has none) is unique, so a
    mail read twice, by a restarted or a second intake, is recognised and skipped."""

    message_key = models.CharField(max_length=255, unique=True, verbose_name=_("message key"))
    received_at = models.DateTimeField(_("received at"), db_index=True)
    processed_at = models.DateTimeField(_("processed at"))
    source = models.CharField(
        max_length=120, blank=True, help_text=_("IMAP folder and UID, or the imported file."), verbose_name=_("source")
    )
    sender_name = models.CharField(_("sender name"), max_length=200, blank=True)
    sender_email = models.CharField(_("sender address"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body_excerpt = models.TextField(_("beginning of the text"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="intake_mails", verbose_name=_("event")
    )
    registration = models.ForeignKey(
        "registrations.Registration",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="intake_mails",
        verbose_name=_("registration"),
    )
    replied = models.BooleanField(_("answered"), default=False)
    personal_data_erased_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("personal data erased at")
    )

    class Meta:
        verbose_name = _("incoming registration mail")
        verbose_name_plural = _("incoming registration mails")
        ordering = ["-received_at", "-pk"]

    def __str__(self):
        return f"{self.received_at:%Y-%m-%d %H:%M} {self.sender_email} {self.outcome}"
