"""Live participation during an event: questions to the panel with their upvotes, and polls.

Everyone takes part without an account, as a `Participant`: a registration (through its signed
personal link) or a device (a signed cookie, core/devices.py, of which only the SHA-256 is kept).
One vote per participant is kept by unique constraints; the counts shown are counters written in
the same transaction as the vote (docs/live.md, "Questions and polls")."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.models import Event
from ideas.models import LiveVia
from registrations.models import Registration


class Participant(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="live_participants")
    # Set to NULL when the registration's personal data is erased; the votes stay, anonymous.
    registration = models.ForeignKey(
        Registration, null=True, blank=True, on_delete=models.SET_NULL, related_name="live_participants"
    )
    device_hash = models.CharField(max_length=64, null=True, blank=True, editable=False)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("live participant")
        verbose_name_plural = _("live participants")
        constraints = [
            models.UniqueConstraint(fields=["event", "device_hash"], name="one_live_participant_per_device"),
            models.UniqueConstraint(fields=["event", "registration"], name="one_live_participant_per_registration"),
        ]

    def __str__(self):
        return f"participant #{self.pk}"


class QuestionState(models.TextChoices):
    PENDING = "pending", _("waiting for moderation")
    APPROVED = "approved", _("approved")
    HIDDEN = "hidden", _("hidden")


class QuestionQuerySet(models.QuerySet):
    def public(self) -> "QuestionQuerySet":
        """The one rule for every public reader: approved questions only (answered ones too)."""
        return self.filter(state=QuestionState.APPROVED)

    def open(self) -> "QuestionQuerySet":
        """Approved and not answered yet: the panel's next questions."""
        return self.public().filter(answered_at__isnull=True)


class Question(models.Model):
    """A question to the panel, sent through the event's live channel (/mit/<code>/)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="live_questions")
    text = models.CharField(_("question"), max_length=300)
    name = models.CharField(_("name"), max_length=80, blank=True)
    # The asker chose to show the name with the question; the team sees it either way.
    show_name = models.BooleanField(default=False)
    # Where it was sent from (the link of the wall, the Zoom mail or the stream page), or empty.
    via = models.CharField(_("sent from"), max_length=6, choices=LiveVia.choices, blank=True)
    # Kept only with the consent to be told what becomes of the question (`clean_contact`).
    submitter_email = models.EmailField(blank=True)
    updates_consent_at = models.DateTimeField(null=True, blank=True)
    # The form's id: the same form sent twice stores one question.
    client_id = models.CharField(max_length=64, null=True, blank=True, editable=False)
    asked_by = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    language = models.CharField(max_length=2, default="de")
    # Pending unless a service decides otherwise: nothing becomes public by forgetting a field.
    state = models.CharField(_("moderation"), max_length=8, choices=QuestionState.choices, default="pending")
    moderated_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True)
    # Counter of `QuestionVote` rows, raised in the transaction that inserts one.
    votes = models.PositiveIntegerField(_("votes"), default=0)
    # On the wall and the panel's screen as "the current question" since then.
    shown_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    created_at = models.DateTimeField()

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("question to the panel")
        verbose_name_plural = _("questions to the panel")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["event", "state"])]
        constraints = [
            # A retried form carries the same client_id (NULLs never collide).
            models.UniqueConstraint(fields=["event", "client_id"], name="one_live_question_per_client_id"),
            models.CheckConstraint(
                condition=Q(submitter_email="") | Q(updates_consent_at__isnull=False),
                name="question_email_only_with_consent",
            ),
            models.CheckConstraint(
                condition=~Q(state="hidden") | ~Q(hidden_reason=""), name="hidden_question_has_a_reason"
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def public_name(self) -> str:
        """The name as the public pages show it: only when the asker chose so."""
        return self.name if self.show_name else ""


class QuestionVote(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="upvotes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="question_votes")
    given_at = models.DateTimeField()

    class Meta:
        verbose_name = _("vote for a question")
        verbose_name_plural = _("votes for questions")
        constraints = [models.UniqueConstraint(fields=["question", "participant"], name="one_vote_per_question")]

    def __str__(self):
        return f"{self.participant_id} → {self.question_id}"


class PollKind(models.TextChoices):
    SINGLE = "single", _("single choice")
    MULTIPLE = "multiple", _("multiple choice")
    SCALE = "scale", _("scale from 1 to 5")


class PollState(models.TextChoices):
    DRAFT = "draft", _("prepared")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class Poll(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="live_polls")
    question = models.CharField(_("question"), max_length=200)
    kind = models.CharField(_("kind"), max_length=8, choices=PollKind.choices)
    state = models.CharField(_("state"), max_length=6, choices=PollState.choices, default=PollState.DRAFT)
    # Counter of `PollBallot` rows, raised in the transaction that inserts one.
    ballots = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        ordering = ["created_at", "pk"]
        constraints = [
            # One running poll per event: the wall shows it, and opening another closes it.
            models.UniqueConstraint(fields=["event"], condition=Q(state="open"), name="one_open_poll_per_event"),
        ]

    def __str__(self):
        return self.question


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("answer"), max_length=120)
    position = models.PositiveSmallIntegerField()
    # Counter of `PollChoice` rows, raised in the transaction that inserts the ballot.
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("poll option")
        verbose_name_plural = _("poll options")
        ordering = ["poll", "position"]

    def __str__(self):
        return self.label


class PollBallot(models.Model):
    """That a participant answered a poll: the one-answer rule. Which options they chose are
    `PollChoice` rows without a link to the participant, so the answers are anonymous."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballot_rows")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="ballots")
    given_at = models.DateTimeField()

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [models.UniqueConstraint(fields=["poll", "participant"], name="one_ballot_per_poll")]

    def __str__(self):
        return f"{self.participant_id} → {self.poll_id}"


class PollChoice(models.Model):
    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="choices")

    class Meta:
        verbose_name = _("chosen answer")
        verbose_name_plural = _("chosen answers")

    def __str__(self):
        return str(self.option_id)
