"""Breakout groups and their moderators, ideas, working groups and their backlogs.

An idea is born in one breakout group of one event, or in the event's live channel (docs/live.md):
then it has no group until the team places it in one, or it goes straight to the plenum. It may be
marked for the plenum, merged into another idea (it then keeps its own origin and follows the other
one), sorted into one thematic working group, and become part of one backlog item there, whose
status is the idea's status.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from events.models import Event
from registrations.models import Registration


def new_poster_key() -> str:
    return secrets.token_urlsafe(18)


def token_hash(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


class GroupKind(models.TextChoices):
    ROOM = "room", _("breakout room (online)")
    TABLE = "table", _("table on site")


class BreakoutGroup(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="breakout_groups", verbose_name=_("event"))
    name = models.CharField(_("name"), max_length=120)
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=5, choices=GroupKind.choices, default=GroupKind.ROOM)
    position = models.PositiveIntegerField(_("position"), default=0)
    # The secret in a table's QR poster. Anyone at the table may add an idea with it, so it
    # is a random token with a unique index, not a guessable id.
    poster_key = models.CharField(
        max_length=32, unique=True, default=new_poster_key, editable=False, verbose_name=_("poster key")
    )
    created_at = models.DateTimeField(verbose_name=_("created at"))

    class Meta:
        verbose_name = _("breakout group")
        verbose_name_plural = _("breakout groups")
        ordering = ["event", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="unique_group_name_per_event")]

    def __str__(self):
        return self.name


class Moderator(models.Model):
    """One person's access to one group's capture page, by signed link and API token.

    The link carries `link_version`; renewing the link raises it, so every earlier link stops
    working. Revoking is final. Only the SHA-256 of the API token is kept."""

    group = models.ForeignKey(
        BreakoutGroup, on_delete=models.CASCADE, related_name="moderators", verbose_name=_("group")
    )
    name = models.CharField(_("name"), max_length=120, blank=True)
    link_version = models.PositiveSmallIntegerField(default=1, editable=False, verbose_name=_("link version"))
    token_hash = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False, verbose_name=_("token hash")
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_at = models.DateTimeField(verbose_name=_("created at"))

    class Meta:
        verbose_name = _("moderator")
        verbose_name_plural = _("moderators")
        ordering = ["group", "pk"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return self.name or _("Moderator of “%(group)s”") % {"group": self.group.name}


class Assignment(models.TextChoices):
    HAND = "hand", _("by hand")
    RANDOM = "random", _("evenly at random")
    PREFERENCE = "preference", _("by preference")


class GroupMembership(models.Model):
    group = models.ForeignKey(
        BreakoutGroup, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("group")
    )
    # One group per registration: a registration belongs to one event, and so do groups.
    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="breakout_membership", verbose_name=_("registration")
    )
    assigned_by = models.CharField(max_length=10, choices=Assignment.choices, verbose_name=_("assigned by"))
    assigned_at = models.DateTimeField(verbose_name=_("assigned at"))

    class Meta:
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")

    def __str__(self):
        return f"{self.registration_id} → {self.group_id}"


class GroupPreference(models.Model):
    """The group a registrant would like to join, given through their signed preference link."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="breakout_preference", verbose_name=_("registration")
    )
    group = models.ForeignKey(
        BreakoutGroup, on_delete=models.CASCADE, related_name="preferences", verbose_name=_("group")
    )
    given_at = models.DateTimeField(verbose_name=_("given at"))

    class Meta:
        verbose_name = _("group preference")
        verbose_name_plural = _("group preferences")

    def __str__(self):
        return f"{self.registration_id} → {self.group_id}"


class WorkingGroup(models.Model):
    """A thematic working group ("Themen-Labor") that carries ideas of many events for months."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("leads"), related_name="led_working_groups", blank=True
    )
    # With the leads in office, the founding team that may name leads (ideas/access.py).
    founded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("founded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="founded_working_groups",
    )
    created_at = models.DateTimeField(verbose_name=_("created at"))

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["title"]

    def __str__(self):
        return self.title


class BacklogStatus(models.TextChoices):
    NEW = "new", _("new")
    IN_DISCUSSION = "in_discussion", _("in discussion")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    REJECTED = "rejected", _("rejected")


class BacklogItem(models.Model):
    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="items", verbose_name=_("working group")
    )
    title = models.CharField(_("title"), max_length=200)
    position = models.PositiveIntegerField(_("position"))
    status = models.CharField(_("status"), max_length=13, choices=BacklogStatus.choices, default=BacklogStatus.NEW)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    public_note = models.TextField(_("public note"), blank=True)
    created_at = models.DateTimeField(verbose_name=_("created at"))
    updated_at = models.DateTimeField(verbose_name=_("updated at"))
    status_changed_at = models.DateTimeField(verbose_name=_("status changed at"))

    class Meta:
        verbose_name = _("backlog item")
        verbose_name_plural = _("backlog items")
        ordering = ["working_group", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""), name="rejection_needs_reason"
            )
        ]

    def __str__(self):
        return self.title


class IdeaSource(models.TextChoices):
    MODERATOR = "moderator", _("moderator")
    ORGANISER = "organiser", pgettext_lazy("source of an idea", "organiser")
    PARTICIPANT = "participant", _("participant at the table")
    LIVE = "live", _("live channel")


class LiveVia(models.TextChoices):
    """Where a live idea was sent from: the link each place shows carries it (`?via=`)."""

    ROOM = "room", pgettext_lazy("origin of an idea", "Room")
    ZOOM = "zoom", pgettext_lazy("origin of an idea", "Zoom")
    STREAM = "stream", pgettext_lazy("origin of an idea", "Livestream")


class IdeaStage(models.TextChoices):
    """Where an idea stands, as citizens read it on the public pages and in the e-mails."""

    COLLECTED = "collected", _("collected")
    PLENUM = "plenum", _("taken to the plenum")
    WORKING_GROUP = "working_group", _("handed to a working group")
    NEW = "new", _("in the working group's backlog")
    IN_DISCUSSION = "in_discussion", _("in discussion")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    REJECTED = "rejected", _("rejected")


class Moderation(models.TextChoices):
    """Whether an idea may be shown to the public: only approved ones are (`Idea.objects.public()`)."""

    PENDING = "pending", _("waiting for moderation")
    APPROVED = "approved", _("approved")
    HIDDEN = "hidden", _("hidden")


class ModerationMode(models.TextChoices):
    PRE = "pre", _("pre-moderation: ideas from tables are public once approved")
    POST = "post", _("post-moderation: ideas from tables are public at once and can be hidden")


class IdeaQuerySet(models.QuerySet):
    def public(self) -> "IdeaQuerySet":
        """The one rule for every public reader (pages, wall, API, exports): approved ideas only."""
        return self.filter(moderation=Moderation.APPROVED)


class Idea(models.Model):
    # The event is the group's event, kept on the idea so that event pages and exports need
    # no join through the groups.
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="ideas", verbose_name=_("event"))
    # Empty only for an idea from the live channel that the team has not placed in a group: it
    # belongs to the event as a whole and may go straight to the plenum (a check constraint).
    group = models.ForeignKey(
        BreakoutGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="ideas", verbose_name=_("group")
    )
    title = models.CharField(_("title"), max_length=140)
    text = models.TextField(_("text"), blank=True)
    theme = models.CharField(_("theme"), max_length=60, blank=True)
    for_plenum = models.BooleanField(_("for the plenum"), default=False)
    marked_for_plenum_at = models.DateTimeField(null=True, blank=True, verbose_name=_("marked for plenum at"))
    source = models.CharField(max_length=11, choices=IdeaSource.choices, verbose_name=_("source"))
    # Live ideas only: the room, Zoom or the livestream; kept when the idea is placed in a group.
    via = models.CharField(_("sent from"), max_length=6, choices=LiveVia.choices, blank=True)
    # A live sender may give a name, and shows it with the idea only if they chose to.
    sender_name = models.CharField(_("name of the sender"), max_length=80, blank=True)
    show_name = models.BooleanField(_("show the name"), default=False)
    client_id = models.CharField(max_length=64, null=True, blank=True, editable=False, verbose_name=_("client ID"))
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    working_group = models.ForeignKey(
        WorkingGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
        verbose_name=_("working group"),
    )
    backlog_item = models.ForeignKey(
        BacklogItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
        verbose_name=_("backlog item"),
    )
    submitter_email = models.EmailField(_("e-mail address for updates"), blank=True)
    updates_consent_at = models.DateTimeField(_("agreed to updates at"), null=True, blank=True)
    language = models.CharField(max_length=2, default="de", verbose_name=_("language"))
    # Pending unless a service decides otherwise: nothing becomes public by forgetting a field.
    moderation = models.CharField(_("moderation"), max_length=8, choices=Moderation.choices, default=Moderation.PENDING)
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    # The sender's own words, kept when a moderator rewords the idea (empty: never reworded).
    original_title = models.CharField(_("original title"), max_length=140, blank=True)
    original_text = models.TextField(_("original text"), blank=True)
    abuse_reported_at = models.DateTimeField(_("reported as abuse at"), null=True, blank=True)
    abuse_note = models.CharField(_("abuse report"), max_length=500, blank=True)
    created_at = models.DateTimeField(verbose_name=_("created at"))
    updated_at = models.DateTimeField(verbose_name=_("updated at"))

    objects = IdeaQuerySet.as_manager()

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["created_at", "pk"]
        constraints = [
            # A retried request carries the same client_id; the database refuses the second copy
            # even when both arrive at the same moment (NULLs never collide).
            models.UniqueConstraint(fields=["group", "client_id"], name="one_idea_per_client_id"),
            models.UniqueConstraint(
                fields=["event", "client_id"], condition=Q(group__isnull=True), name="one_live_idea_per_client_id"
            ),
            models.CheckConstraint(
                condition=Q(group__isnull=False) | Q(source="live"), name="only_live_ideas_without_group"
            ),
            models.CheckConstraint(
                condition=Q(submitter_email="") | Q(updates_consent_at__isnull=False),
                name="email_only_with_updates_consent",
            ),
            models.CheckConstraint(
                condition=~Q(moderation="hidden") | ~Q(hidden_reason=""), name="hiding_needs_reason"
            ),
        ]
        indexes = [models.Index(fields=["event", "for_plenum"]), models.Index(fields=["event", "moderation"])]

    def __str__(self):
        return self.title

    @property
    def current(self) -> "Idea":
        """The idea that speaks for this one: itself, or the one it was merged into."""
        return self.merged_into if self.merged_into_id else self

    def page_path(self) -> str:
        """The idea's own page, in the active language: the way it went (docs/ideas.md). It is
        there only while the idea is approved; any other idea is 404 there."""
        return reverse("ideas:idea", args=[self.event.slug, self.pk])

    @property
    def origin_label(self) -> str:
        """Where the idea was said: its event, its group or the live channel, and where it was sent from."""
        if self.group_id is None:
            where = _("%(event)s, live channel") % {"event": self.event.title}
        else:
            where = _("%(event)s, group “%(group)s”") % {"event": self.event.title, "group": self.group.name}
        return f"{where} ({self.get_via_display()})" if self.via else where

    @property
    def place_label(self) -> str:
        """Where in the event the idea was said, for the team's pages: its group, or the live channel."""
        where = self.group.name if self.group_id else _("live channel")
        return f"{where} ({self.get_via_display()})" if self.via else where

    @property
    def public_sender(self) -> str:
        """The sender's name where they chose to show it, else nothing."""
        return self.sender_name if self.show_name else ""

    @property
    def stage(self) -> IdeaStage:
        idea = self.current
        if idea.backlog_item_id:
            return IdeaStage(idea.backlog_item.status)
        if idea.working_group_id:
            return IdeaStage.WORKING_GROUP
        return IdeaStage.PLENUM if idea.for_plenum else IdeaStage.COLLECTED


class ModerationPolicy(models.Model):
    """How an event's team moderates ideas from tables and the live channel. No row means
    pre-moderation, the default for anonymous input."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="moderation_policy", verbose_name=_("event")
    )
    mode = models.CharField(_("moderation"), max_length=4, choices=ModerationMode.choices, default=ModerationMode.PRE)
    changed_at = models.DateTimeField(verbose_name=_("changed at"))

    class Meta:
        verbose_name = _("moderation policy")
        verbose_name_plural = _("moderation policies")

    def __str__(self):
        return f"{self.event_id}: {self.mode}"

    @classmethod
    def mode_of(cls, event: Event) -> str:
        return cls.objects.filter(event=event).values_list("mode", flat=True).first() or ModerationMode.PRE


class PlenumVoting(models.Model):
    """How the plenum weighs its ideas with dots: so many per voter, while the organisers keep it
    open. No row, or 0 dots, means no voting."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="plenum_voting", verbose_name=_("event"))
    dots_per_voter = models.PositiveSmallIntegerField(_("dots per person"), default=0)
    is_open = models.BooleanField(_("voting open"), default=False)
    changed_at = models.DateTimeField(verbose_name=_("changed at"))

    class Meta:
        verbose_name = _("plenum voting")
        verbose_name_plural = _("plenum votings")

    def __str__(self):
        return f"{self.event_id}: {self.dots_per_voter}"


class Voter(models.Model):
    """One voter of one event's plenum: a registration (through its signed personal link) or a
    device (a signed cookie holding a random id, of which only the SHA-256 is kept).

    `dots_used` is the budget's counter: a dot is given only by a conditional
    `UPDATE … SET dots_used = dots_used + 1 WHERE dots_used < budget`, in the transaction that
    inserts the dot, so racing requests cannot spend more than the budget."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="plenum_voters", verbose_name=_("event"))
    # Set to NULL when the registration's personal data is erased; the dots stay, anonymous.
    registration = models.OneToOneField(
        Registration,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plenum_voter",
        verbose_name=_("registration"),
    )
    device_hash = models.CharField(max_length=64, null=True, blank=True, editable=False, verbose_name=_("device hash"))
    dots_used = models.PositiveSmallIntegerField(default=0, verbose_name=_("dots used"))
    created_at = models.DateTimeField(verbose_name=_("created at"))

    class Meta:
        verbose_name = _("plenum voter")
        verbose_name_plural = _("plenum voters")
        constraints = [
            models.UniqueConstraint(fields=["event", "device_hash"], name="one_voter_per_device_and_event"),
        ]

    def __str__(self):
        return f"voter #{self.pk}"


class Dot(models.Model):
    """One dot one voter gave one idea; a voter may give one idea several dots."""

    voter = models.ForeignKey(Voter, on_delete=models.CASCADE, related_name="dots", verbose_name=_("voter"))
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="dots", verbose_name=_("idea"))
    given_at = models.DateTimeField(verbose_name=_("given at"))

    class Meta:
        verbose_name = _("dot")
        verbose_name_plural = _("dots")
        indexes = [models.Index(fields=["voter", "idea"])]

    def __str__(self):
        return f"{self.voter_id} → {self.idea_id}"
