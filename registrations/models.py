import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.addresses import normalize_email
from events.models import ConsentTerms, Event, Question, Role, SeatType
from registrations.names import normalize_name
from registrations.tickets import new_ticket_code, new_ticket_secret

# People, not registrations: a registration brings its registrant and the companions, and each
# of them takes a seat. Check-in counts, reports and charts count this (docs/reports.md);
# `Registration.seats` is the same for one registration.
PEOPLE = F("companions") + 1


def people(*, filter: Q | None = None) -> Sum:
    """The number of people of the registrations aggregated over (0 for none)."""
    return Sum(PEOPLE, filter=filter, default=0)


class Channel(models.TextChoices):
    WEB = "web", _("web form")
    EMAIL = "email", _("e-mail")
    PHONE = "phone", _("phone")
    DOOR = "door", _("at the door")


class Status(models.TextChoices):
    PENDING = "pending", _("pending until the deadline")
    CONFIRMED = "confirmed", _("confirmed")
    WAITLISTED = "waitlisted", _("on the waiting list")
    # A seat from the waiting list held for this person until `offer_expires_at`, while the event
    # reconfirms; counted in the pool's `confirmed` (seats held), see docs/allocation.md.
    OFFERED = "offered", _("seat offered, answer awaited")
    CANCELLED = "cancelled", pgettext_lazy("registration status", "cancelled")


class Language(models.TextChoices):
    GERMAN = "de", _("German")
    ENGLISH = "en", _("English")


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=Status.CANCELLED)

    def in_queue_order(self):
        """Order of receipt across all channels; the primary key breaks ties of equal times."""
        return self.order_by("received_at", "pk")

    def in_line_order(self):
        """Order of joining the line of the seat type (receipt, or a later switch of seat type)."""
        return self.order_by("queued_at", "pk")


class Registration(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public ID"))
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event"))
    seat_type = models.CharField(_("seat type"), max_length=10, choices=SeatType.choices)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"), blank=True)
    email_normalized = models.CharField(
        max_length=254, blank=True, editable=False, verbose_name=_("e-mail address (normalised)")
    )
    phone = models.CharField(_("phone number"), max_length=40, blank=True)
    # Folded for comparing: two people may share one address, one person may not register twice.
    name_normalized = models.CharField(max_length=200, blank=True, editable=False, verbose_name=_("name (normalised)"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.GERMAN)
    # People who come with this registration (a household): they take seats of the same type,
    # all or none; every seat counter counts them (see `seats`).
    companions = models.PositiveSmallIntegerField(_("companions"), default=0)
    needs = models.TextField(_("accessibility or interpretation needs"), blank=True)
    channel = models.CharField(_("channel"), max_length=5, choices=Channel.choices)
    received_at = models.DateTimeField(_("received at"), help_text=_("When the registration reached the city."))
    entered_at = models.DateTimeField(_("entered at"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
    )
    # When this registration joined the line of its seat type: its receipt, or the time it
    # switched seat type. Waiting lists and allocation follow this, not `received_at`.
    queued_at = models.DateTimeField(_("in line since"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    waitlist_position = models.PositiveIntegerField(_("position on the waiting list"), null=True, blank=True)
    status_changed_at = models.DateTimeField(verbose_name=_("status changed at"))
    manage_link_version = models.PositiveSmallIntegerField(
        default=1, editable=False, verbose_name=_("manage link version")
    )
    # The QR code carries only this random secret; the short code is printed under it for typing.
    ticket_secret = models.CharField(
        max_length=43, unique=True, null=True, editable=False, verbose_name=_("ticket secret")
    )
    ticket_code = models.CharField(_("ticket code"), max_length=8, blank=True, editable=False)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("checked in by"),
    )
    # Left during the event: the seat went back to the pool (the registration is then cancelled,
    # `checked_in_at` stays, so the person still counts as having come).
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    # Raised on every change of this person's own calendar entry; the entry's SEQUENCE adds the
    # event's `calendar_sequence` (raised when the event moves or is cancelled).
    calendar_sequence = models.PositiveIntegerField(default=0, editable=False, verbose_name=_("calendar sequence"))
    # Whether the last calendar part mailed to this person was a REQUEST (an entry in their
    # calendar), so that only a seat gets an entry and only an entry gets a CANCEL.
    holds_calendar_entry = models.BooleanField(default=False, editable=False, verbose_name=_("holds calendar entry"))
    # Set in the transaction that queues the mail, by a conditional UPDATE: queued exactly once.
    access_data_sent_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("access data sent at")
    )
    # A personal join link, where the streaming layer registers each person with Zoom; without
    # it everyone gets the event's link.
    personal_join_url = models.URLField(_("personal join link"), max_length=500, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False, verbose_name=_("reminder sent at"))
    # Reconfirmation (registrations/reconfirmation.py): asked once (conditional UPDATE), answered
    # by the link or by accepting an offered seat.
    reconfirm_asked_at = models.DateTimeField(_("asked to reconfirm at"), null=True, blank=True, editable=False)
    reconfirmed_at = models.DateTimeField(_("reconfirmed at"), null=True, blank=True, editable=False)
    offer_expires_at = models.DateTimeField(_("offer expires at"), null=True, blank=True, editable=False)
    # Set when name, addresses and needs were erased (registrations/privacy.py); the row stays
    # with its status, seat type, channel and times, so that the counts still add up.
    personal_data_erased_at = models.DateTimeField(_("personal data erased at"), null=True, blank=True, editable=False)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["received_at", "pk"]
        constraints = [
            # The database itself refuses a second active registration of one person (address and
            # name), so two simultaneous submissions of the same form cannot both get through,
            # while two people of one household may share their address.
            models.UniqueConstraint(
                fields=["event", "email_normalized", "name_normalized"],
                condition=~Q(email_normalized="") & ~Q(status="cancelled"),
                name="one_active_registration_per_person",
            ),
            models.UniqueConstraint(
                fields=["event", "ticket_code"], condition=~Q(ticket_code=""), name="one_ticket_code_per_event"
            ),
            models.CheckConstraint(
                condition=Q(status="waitlisted", waitlist_position__isnull=False)
                | (~Q(status="waitlisted") & Q(waitlist_position__isnull=True)),
                name="position_only_on_waiting_list",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "seat_type", "status", "queued_at"]),
            models.Index(fields=["event", "received_at"]),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_status_display()})"

    @property
    def seats(self) -> int:
        """The seats this registration takes: the person and their companions."""
        return 1 + self.companions

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        super().save(*args, **kwargs)

    def fill_derived_fields(self) -> None:
        """What `save()` derives, for callers that insert in bulk. A ticket code that happens to
        be taken already (1 in 10^12 for each pair) is refused by `one_ticket_code_per_event`."""
        self.email_normalized = normalize_email(self.email)
        self.name_normalized = normalize_name(self.name)
        if self.queued_at is None:
            self.queued_at = self.received_at
        if not self.ticket_secret:
            self.ticket_secret = new_ticket_secret()
            self.ticket_code = new_ticket_code()

    @property
    def broadcast_consent(self) -> "ConsentRecord | None":
        return next((c for c in self.consents.all() if c.kind == ConsentKind.BROADCAST), None)

    @property
    def feedback_consent(self) -> "ConsentRecord | None":
        return next((c for c in self.consents.all() if c.kind == ConsentKind.FEEDBACK), None)


class ConsentKind(models.TextChoices):
    TERMS = "terms", _("general terms")
    BROADCAST = "broadcast", _("appearing in the broadcast")
    FEEDBACK = "feedback", _("a feedback request after the event")


class ConsentRecord(models.Model):
    """Evidence of one consent: which terms, in which version, how and when, and who took it
    down for phone registrations. Withdrawal is recorded, never deleted."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="consents", verbose_name=_("registration")
    )
    kind = models.CharField(max_length=10, choices=ConsentKind.choices, verbose_name=_("kind"))
    terms = models.ForeignKey(ConsentTerms, on_delete=models.PROTECT, related_name="+", verbose_name=_("terms"))
    terms_version = models.PositiveIntegerField(verbose_name=_("terms version"))
    text = models.TextField(help_text=_("The exact text the person agreed to."), verbose_name=_("text"))
    channel = models.CharField(max_length=5, choices=Channel.choices, verbose_name=_("channel"))
    given_at = models.DateTimeField(verbose_name=_("given at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True, verbose_name=_("withdrawn at"))
    # When the registration's personal data is erased, the record keeps as evidence only a keyed
    # hash of the address: whoever disputes the consent can be checked against it, nobody can
    # read it back. Text and hash go too when the evidence period ends (registrations/privacy.py).
    subject_digest = models.CharField(max_length=64, blank=True, editable=False, verbose_name=_("subject digest"))
    evidence_erased_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("evidence erased at")
    )

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["given_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} v{self.terms_version}"


class Answer(models.Model):
    """One registrant's answer to one of the event's questions (events.Question): a text, the
    German text of a choice, or "yes"/"no". Personal data, erased with the registration's."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="answers", verbose_name=_("registration")
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question"))
    value = models.TextField(_("answer"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["registration", "question"], name="one_answer_per_question")]

    def __str__(self):
        return f"{self.question_id}: {self.value[:40]}"


class AccessibilityNeeds(models.Model):
    """What a registrant needs to take part, in the terms the organisers plan with; the free-text
    `Registration.needs` stays beside it. Only written for someone who needs something, so that a
    registration without needs costs no row and no statement."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="accessibility", verbose_name=_("registration")
    )
    wheelchair = models.BooleanField(_("wheelchair place"), default=False)
    sign_language = models.BooleanField(_("sign-language interpretation (DGS)"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    children = models.PositiveSmallIntegerField(_("children in childcare"), default=0)
    children_ages = models.CharField(_("ages of the children"), max_length=100, blank=True)
    dietary = models.CharField(_("dietary requirements"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("accessibility needs")
        verbose_name_plural = _("accessibility needs")

    def __str__(self):
        return str(self.registration_id)


class MailKind(models.TextChoices):
    CONFIRMED = "confirmed", _("seat confirmed")
    WAITLISTED = "waitlisted", _("on the waiting list")
    PENDING = "pending", _("received, pending until the deadline")
    PROMOTED = "promoted", _("moved up from the waiting list")
    CANCELLED = "cancelled", _("registration cancelled")
    CHANGED = "changed", _("registration changed")
    ACCESS_DATA = "access_data", _("access data")
    REMINDER = "reminder", _("reminder")
    EVENT_MOVED = "event_moved", _("event moved")
    EVENT_CANCELLED = "event_cancelled", _("event cancelled")
    EVENT_POSTPONED = "event_postponed", _("event postponed")
    MESSAGE = "message", _("message from the organisers")
    INTAKE_REPLY = "intake_reply", _("answer to a registration e-mail")
    # Someone registered a person again: the answer on the page is neutral, the mail goes to the
    # address already registered, with its link (docs/api.md, "Registering").
    ALREADY_REGISTERED = "registered_again", _("registered again: the link to the registration")
    DATA_ACCESS = "data_access", _("link to the data held about an address")
    # "I can't find my link": the personal links of every registration of an address.
    LOST_LINKS = "lost_links", _("the personal links of an address")
    RECONFIRM = "reconfirm", _("request to reconfirm")
    SEAT_OFFERED = "seat_offered", _("seat offered from the waiting list")
    # Written already rendered by the ideas app (ideas/notifications.py), sent like every other mail.
    IDEA_STAGE = "idea_stage", _("status of an idea")
    # Written already rendered (registrations/team/services.py): the link's secret is kept nowhere else.
    TEAM_INVITATION = "team_invitation", _("invitation into an event's team")
    # The link to the survey after the event; the reports app writes it (reports/feedback/).
    FEEDBACK_REQUEST = "feedback_request", _("feedback request after the event")
    # Written already rendered by the processes app (processes/mails.py): confirming that one joins
    # a working group or follows a process, and the news digest.
    PARTICIPATION = "participation", _("joining or following a process or working group")
    # A new address for a registration (registrations/address_change.py): the link to confirm it
    # goes to the new address, the news that it took effect to the old one.
    EMAIL_CHANGE = "email_change", _("confirm a new e-mail address")
    EMAIL_CHANGED = "email_changed", _("e-mail address of a registration changed")
    # Written already rendered by the live app (live/notifications.py): a question to the panel
    # was not put through, and why.
    LIVE_QUESTION = "live_question", _("decision about a question to the panel")


class EmailChange(models.Model):
    """A new e-mail address for a registration, which takes effect only when its owner confirms
    it with the link mailed to it (registrations/address_change.py). A later request supersedes
    an open one; the row goes with the registration's personal data (registrations/privacy/)."""

    public_id = models.UUIDField(_("public ID"), default=uuid.uuid4, unique=True, editable=False)
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="email_changes", verbose_name=_("registration")
    )
    new_email = models.EmailField(_("new e-mail address"))
    requested_at = models.DateTimeField(_("requested at"))
    # None: the registrant asked, with their personal link.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("change of e-mail address")
        verbose_name_plural = _("changes of e-mail address")
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"{self.registration_id} → {self.new_email}"

    @property
    def is_open(self) -> bool:
        return self.confirmed_at is None and self.superseded_at is None


class MailState(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class BulkMessage(models.Model):
    """A message organisers write to all registrants of an event, or to one status group."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="bulk_messages", verbose_name=_("event"))
    audience = models.CharField(_("recipients"), max_length=12)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(verbose_name=_("created at"))
    without_email = models.PositiveIntegerField(
        default=0, help_text=_("Recipients who must be called."), verbose_name=_("without e-mail address")
    )
    # Each registrant reads the message in their language (`Registration.language`); messages
    # written before both were asked for have only the German text.
    subject_en = models.CharField(_("subject (English)"), max_length=200, blank=True)
    body_en = models.TextField(_("message (English)"), blank=True)

    class Meta:
        verbose_name = _("message to registrants")
        verbose_name_plural = _("messages to registrants")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject

    def in_language(self, language: str) -> tuple[str, str, str]:
        """(language, subject, body) as a reader of `language` gets them: English where written."""
        if language == "en" and self.subject_en and self.body_en:
            return "en", self.subject_en, self.body_en
        return "de", self.subject, self.body


class OutboxMail(models.Model):
    """One e-mail, written in the transaction of the change that causes it and sent after commit.

    Rendered on its first attempt and stored, so that every retry sends the same bytes under the
    same Message-ID (see docs/outbox.md)."""

    # Empty only for answers to registration e-mails that named no event.
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.CASCADE, related_name="outbox_mails", verbose_name=_("event")
    )
    registration = models.ForeignKey(
        Registration,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="outbox_mails",
        verbose_name=_("registration"),
    )
    bulk_message = models.ForeignKey(
        BulkMessage,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="mails",
        verbose_name=_("bulk message"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=MailKind.choices)
    to = models.EmailField(_("to"))
    language = models.CharField(max_length=2, default="de", verbose_name=_("language"))
    # What the mail must say as it was at the time of the change (waiting list position,
    # calendar sequence, previous date of a moved event, the organiser's note).
    facts = models.JSONField(default=dict, blank=True, verbose_name=_("facts"))
    message_id = models.CharField(max_length=200, unique=True, verbose_name=_("message ID"))
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    rendered = models.BinaryField(null=True, blank=True, editable=False, verbose_name=_("rendered"))
    state = models.CharField(_("state"), max_length=8, choices=MailState.choices, default=MailState.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    claimed_until = models.DateTimeField(null=True, blank=True, verbose_name=_("claimed until"))
    claim_token = models.UUIDField(null=True, blank=True, verbose_name=_("claim token"))
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    personal_data_erased_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("personal data erased at")
    )

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"]),
            models.Index(fields=["event", "state"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.to} ({self.get_state_display()})"


class TeamInvitation(models.Model):
    """An invitation by e-mail into an event's team, with a role. Only the SHA-256 of the link's
    secret is stored; the link works once, until `expires_at` (registrations/team/)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="team_invitations", verbose_name=_("event"))
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, verbose_name=_("token hash"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("invited at"))
    expires_at = models.DateTimeField(_("valid until"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("team invitation")
        verbose_name_plural = _("team invitations")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.email} – {self.get_role_display()}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.withdrawn_at is None


class DataAccessRequest(models.Model):
    """A citizen asked which data we hold about an address. The signed link in the mail carries
    only `public_id`, so no address shows up in links or request logs; rows go when the link
    expires (registrations/privacy.py)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public ID"))
    email_normalized = models.CharField(max_length=254, verbose_name=_("e-mail address (normalised)"))
    requested_at = models.DateTimeField(verbose_name=_("requested at"))

    class Meta:
        verbose_name = _("data access request")
        verbose_name_plural = _("data access requests")

    def __str__(self):
        return f"{self.requested_at:%Y-%m-%d %H:%M}"


class EarlyAccess(models.Model):
    """A head start: whoever holds one of its personal links (registrations/early_access.py) may
    register for the event from `opens_at`, before registration opens to all. A higher layer
    makes it and sends the links (processes: a working group's members for its meeting). It holds
    no personal data: a link names the address it was sent to only by a keyed hash."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="early_accesses", verbose_name=_("event"))
    opens_at = models.DateTimeField(_("holders of its links may register from"))
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("head start for registering")
        verbose_name_plural = _("head starts for registering")

    def __str__(self):
        return f"{self.event} – {self.opens_at:%Y-%m-%d %H:%M}"


class WorkerHeartbeat(models.Model):
    """The last time a long-running worker finished a round, so `/health` can tell a stuck or
    stopped worker from a quiet one. One row per kind of worker, overwritten each round."""

    worker = models.CharField(max_length=40, unique=True, verbose_name=_("worker"))
    beat_at = models.DateTimeField(verbose_name=_("beat at"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return f"{self.worker} {self.beat_at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def beat(cls, worker: str, *, now) -> None:
        cls.objects.update_or_create(worker=worker, defaults={"beat_at": now})


from registrations.intake.models import IntakeMail  # noqa: E402,F401  (registers the intake model)
