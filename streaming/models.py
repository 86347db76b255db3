from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import INTERPRETATION_LANGUAGES, Event
from registrations.models import Registration


class SyncState(models.TextChoices):
    PENDING = "pending", _("waiting to be sent to Zoom")
    SYNCED = "synced", _("in step with Zoom")
    FAILED = "failed", _("failed, needs an organiser")


class ZoomSync(models.Model):
    """What a row of the Zoom sync needs: its state, its retries and who is working on it.

    A row is the wish ("this meeting should exist with these data"), the sync worker makes Zoom
    match it. Everything a retry needs after a restart is here, never in a worker's memory."""

    state = models.CharField(_("sync state"), max_length=8, choices=SyncState.choices, default=SyncState.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # A worker's claim: only one worker calls Zoom for a row at a time; a claim that ran out
    # means its worker died, and the row is due again.
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True, editable=False)
    claim_token = models.UUIDField(_("claim token"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)
    synced_at = models.DateTimeField(_("last synced at"), null=True, blank=True)
    # Raised with every new wish. A worker that finishes an older wish records what Zoom
    # answered but leaves the row pending, so the newer wish is never marked done by mistake.
    wish_version = models.PositiveIntegerField(_("wish version"), default=0, editable=False)

    class Meta:
        abstract = True

    def wait_for_sync(self, *, now) -> None:
        """Due at once, with a fresh count of attempts: the wish changed."""
        self.state = SyncState.PENDING
        self.attempts = 0
        self.next_attempt_at = now
        self.wish_version += 1


class MeetingGoal(models.TextChoices):
    PRESENT = "present", _("meeting wanted")
    ABSENT = "absent", _("meeting to be deleted")


class ZoomMeeting(ZoomSync):
    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="zoom_meeting", verbose_name=_("event"))
    goal = models.CharField(_("goal"), max_length=8, choices=MeetingGoal.choices, default=MeetingGoal.PRESENT)
    # Zoom's meeting IDs outgrow 32 bits (11 digits and more).
    meeting_id = models.BigIntegerField(_("Zoom meeting ID"), null=True, blank=True, unique=True)
    passcode = models.CharField(_("passcode"), max_length=10, editable=False)
    # SHA-256 of the meeting data last accepted by Zoom: a different one means "patch".
    synced_fingerprint = models.CharField(
        max_length=64, blank=True, editable=False, verbose_name=_("synced fingerprint")
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Zoom meeting")
        verbose_name_plural = _("Zoom meetings")
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="zoom_meeting_due")]

    def __str__(self):
        return f"{self.event} – {self.meeting_id or '…'}"


class RegistrantGoal(models.TextChoices):
    APPROVED = "approved", _("registered at Zoom")
    CANCELLED = "cancelled", _("cancelled at Zoom")


class ZoomRegistrant(ZoomSync):
    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="zoom_registrant", verbose_name=_("registration")
    )
    meeting = models.ForeignKey(
        ZoomMeeting, on_delete=models.CASCADE, related_name="registrants", verbose_name=_("meeting")
    )
    goal = models.CharField(_("goal"), max_length=9, choices=RegistrantGoal.choices, default=RegistrantGoal.APPROVED)
    registrant_id = models.CharField(_("Zoom registrant ID"), max_length=64, blank=True, db_index=True)
    # Set before the first "add registrant" call leaves: from then on Zoom may know this person
    # even if its answer never arrived, so a retry looks them up by e-mail before adding again.
    add_attempted = models.BooleanField(default=False, editable=False, verbose_name=_("add attempted"))

    class Meta:
        verbose_name = _("Zoom registrant")
        verbose_name_plural = _("Zoom registrants")
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="zoom_registrant_due")]

    def __str__(self):
        return f"{self.registration} – {self.get_goal_display()}"


class MatchedBy(models.TextChoices):
    REGISTRANT_ID = "registrant_id", _("Zoom registrant ID")
    EMAIL = "email", _("e-mail address")
    NONE = "", _("not matched")


class Attendance(models.Model):
    """One stay of one participant in the meeting, from a join to its leave, as Zoom reported
    them by webhook. Zoom may deliver a leave before its join: then the row starts with the leave
    alone and the join fills it in (streaming/webhooks.py)."""

    meeting = models.ForeignKey(
        ZoomMeeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("meeting")
    )
    registration = models.ForeignKey(
        Registration,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="zoom_attendance",
        verbose_name=_("registration"),
    )
    # Zoom's participant UUID (or user ID): with the join time it names one join, so a webhook
    # that Zoom delivers twice is recorded once.
    participant_key = models.CharField(max_length=128, verbose_name=_("participant key"))
    joined_at = models.DateTimeField(_("joined at"), null=True, blank=True)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    name = models.CharField(_("name in Zoom"), max_length=200, blank=True)
    email = models.CharField(_("e-mail in Zoom"), max_length=254, blank=True)
    registrant_id = models.CharField(max_length=64, blank=True, verbose_name=_("registrant ID"))
    matched_by = models.CharField(_("matched by"), max_length=13, choices=MatchedBy.choices, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("recorded at"))

    class Meta:
        verbose_name = _("online attendance")
        verbose_name_plural = _("online attendance")
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "participant_key", "joined_at"], name="one_row_per_join"),
            models.UniqueConstraint(fields=["meeting", "participant_key", "left_at"], name="one_row_per_leave"),
        ]

    def __str__(self):
        moment = self.joined_at or self.left_at
        return f"{self.name or self.email} {moment:%H:%M}"


class Interpreter(models.Model):
    """An interpreter of an online event and the language pair they interpret between."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="interpreters", verbose_name=_("event"))
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address of their Zoom account"))
    language_from = models.CharField(_("language"), max_length=5, choices=INTERPRETATION_LANGUAGES)
    language_to = models.CharField(_("other language"), max_length=5, choices=INTERPRETATION_LANGUAGES)

    class Meta:
        verbose_name = _("interpreter")
        verbose_name_plural = _("interpreters")
        ordering = ["event", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "email"], name="one_interpreter_entry_per_email")]

    def __str__(self):
        return f"{self.name} ({self.language_from}/{self.language_to})"


class StreamStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    LIVE = "live", _("live now")
    ENDED = "ended", _("ended")


class Livestream(models.Model):
    """The state of an event's public livestream. Its address is the event's `livestream_url`;
    the platform is read from that address, so neither is kept twice."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="livestream", verbose_name=_("event"))
    status = models.CharField(_("status"), max_length=8, choices=StreamStatus.choices, default=StreamStatus.PLANNED)
    replay_url = models.URLField(_("replay URL"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("livestream")
        verbose_name_plural = _("livestreams")

    def __str__(self):
        return f"{self.event} – {self.get_status_display()}"
