import hashlib
import re
import secrets
import uuid
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.rows import select_rows

# How long the personal data of registrants is kept after an event ends (see docs/privacy.md).
DEFAULT_RETENTION_DAYS = 90
# The most companions an event may allow per registration: a household, not a group booking.
MAX_COMPANIONS = 10
# How many people may register under one e-mail address (docs/allocation.md): a household whose
# members register under their own names, not one address holding a room's seats.
DEFAULT_REGISTRATIONS_PER_ADDRESS = 4
MAX_REGISTRATIONS_PER_ADDRESS = 100
# The times an event may have. Far enough from year 1 and 9999 that every sum the app makes with
# them (reminders, reconfirmation, retention, the hour to Berlin time) stays a valid date; an
# organiser who types a year of 9999 is refused (`date_out_of_range`). A row outside them that
# reached the database another way is shown and computed without failing (`shifted`).
EARLIEST_EVENT_TIME = datetime(2000, 1, 1, tzinfo=UTC)
LATEST_EVENT_TIME = datetime(3000, 1, 1, tzinfo=UTC)
EVENT_TIME_FIELDS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")
QUOTE_CHARACTERS = "\"'„“”‚‘’«»‹›`´"
KEYWORD_NOISE = re.compile(r"[\s.]+")
QUOTES_TO_SPACES = str.maketrans(dict.fromkeys(QUOTE_CHARACTERS, " "))


def normalize_keyword(text: str) -> str:
    """The form a keyword is compared in: case, quotes, dots and spacing do not count.

    "Digitalisierung 20.08.", „digitalisierung  20.08“ and 'DIGITALISIERUNG 2008' are one keyword.
    """
    without_quotes = text.translate(QUOTES_TO_SPACES)
    return KEYWORD_NOISE.sub("", without_quotes.casefold())


# The live channel's short code (/mit/<code>/): no letters that look alike (0/O, 1/l/I), so that
# it can be read aloud in the room and typed from a slide.
LIVE_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
LIVE_CODE_LENGTH = 6


def new_live_code() -> str:
    return "".join(secrets.choice(LIVE_CODE_ALPHABET) for _ in range(LIVE_CODE_LENGTH))


def within_event_time_bounds(moment: datetime | None) -> bool:
    return moment is None or EARLIEST_EVENT_TIME <= moment < LATEST_EVENT_TIME


def shifted(moment: datetime, by: timedelta) -> datetime:
    """`moment + by`, held at the first or last representable moment instead of failing: only an
    event outside the time bounds gets there, and it must not break a page or a worker."""
    try:
        return moment + by
    except OverflowError:
        edge = datetime.max if by > timedelta(0) else datetime.min
        return edge.replace(tzinfo=UTC)


class Format(models.TextChoices):
    ONSITE = "onsite", _("on site")
    ONLINE = "online", _("online")
    HYBRID = "hybrid", _("hybrid (on site and online)")


class SeatType(models.TextChoices):
    ONSITE = "onsite", _("on-site seat")
    ONLINE = "online", _("online seat")


class Allocation(models.TextChoices):
    FIRST_COME = "first_come", _("first come, first served")
    AT_DEADLINE = "at_deadline", _("in order of receipt after the deadline")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    CANCELLED = "cancelled", pgettext_lazy("event status", "cancelled")
    POSTPONED = "postponed", _("postponed")


SEAT_TYPES_BY_FORMAT = {
    Format.ONSITE: {SeatType.ONSITE},
    Format.ONLINE: {SeatType.ONLINE},
    Format.HYBRID: {SeatType.ONSITE, SeatType.ONLINE},
}


class Venue(models.Model):
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    step_free = models.BooleanField(_("step-free access"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    accessibility_notes = models.TextField(_("accessibility notes (German)"), blank=True)
    accessibility_notes_en = models.TextField(_("accessibility notes (English)"), blank=True)

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.address}"

    @property
    def accessibility_text(self) -> str:
        """The notes on accessibility in the active language (German where no English is given)."""
        return localized(self.accessibility_notes, self.accessibility_notes_en)


# The languages an event can be interpreted into; the Zoom layer maps them to Zoom's names.
INTERPRETATION_LANGUAGES = [
    ("ar", _("Arabic")),
    ("de", _("German")),
    ("el", _("Greek")),
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fa", _("Persian")),
    ("fr", _("French")),
    ("it", _("Italian")),
    ("pl", _("Polish")),
    ("ru", _("Russian")),
    ("tr", _("Turkish")),
    ("uk", _("Ukrainian")),
]


class Role(models.TextChoices):
    """What a member of an event's team may do; `events.access.CAPABILITIES` says it in detail."""

    ORGANISER = "organiser", pgettext_lazy("role in an event's team", "organiser")
    CHECK_IN = "check_in", _("check-in staff")
    MODERATOR = "moderator", _("moderator")
    VIEWER = "viewer", _("viewer")


# Holders (a Django group of the city's central office, or superusers) manage every team's events.
CITY_ADMIN_PERMISSION = "events.manage_all_events"


class EventQuerySet(models.QuerySet):
    def public(self):
        return self.exclude(status=EventStatus.DRAFT)

    def where_role(self, user, roles) -> "EventQuerySet":
        """The events in which the user holds one of `roles`; every event for a city admin.
        `events.access` maps capabilities to roles; call it rather than naming roles in views."""
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        if user.has_perm(CITY_ADMIN_PERMISSION):
            return self
        return self.filter(pk__in=EventMember.objects.filter(user=user, role__in=list(roles)).values("event_id"))

    def with_public_details(self):
        return self.select_related("venue").prefetch_related("seat_pools", "consent_terms")

    def for_lists(self):
        """What the lists of events show: the venue and the seats left, not the terms."""
        return self.select_related("venue").prefetch_related("seat_pools")


class Event(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public ID"))
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    # The short public link where anyone sends an idea to the event (ideas/live); a unique index,
    # so a code that happens to repeat fails loudly instead of mixing two events' ideas.
    live_code = models.CharField(
        _("live channel code"), max_length=12, unique=True, default=new_live_code, editable=False
    )
    title_de = models.CharField(_("title (German)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_de = models.TextField(_("description (German)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    keyword = models.CharField(
        _("registration keyword"),
        max_length=100,
        blank=True,
        help_text=_("Citizens write this in the subject of their registration e-mail, e.g. “Digitalisierung 20.08.”."),
    )
    keyword_normalized = models.CharField(
        max_length=100, blank=True, db_index=True, editable=False, verbose_name=_("keyword (normalised)")
    )
    registration_email = models.EmailField(_("registration e-mail address"), blank=True)
    registration_phone = models.CharField(_("registration phone number"), max_length=40, blank=True)
    registration_opens_at = models.DateTimeField(_("registration opens at"))
    registration_closes_at = models.DateTimeField(_("registration closes at"))
    allocation = models.CharField(
        _("allocation"), max_length=12, choices=Allocation.choices, default=Allocation.FIRST_COME
    )
    max_companions = models.PositiveSmallIntegerField(
        _("companions per registration"),
        default=0,
        validators=[MaxValueValidator(MAX_COMPANIONS)],
        help_text=_("How many people one registration may bring (a household); they take seats of the same type."),
    )
    max_registrations_per_address = models.PositiveSmallIntegerField(
        _("registrations per e-mail address"),
        default=DEFAULT_REGISTRATIONS_PER_ADDRESS,
        validators=[MaxValueValidator(MAX_REGISTRATIONS_PER_ADDRESS)],
        help_text=_(
            "How many people may register with one e-mail address on the web or by e-mail (a household, each "
            "under their own name); 0: no limit. Registrations entered by organisers do not count against it."
        ),
    )
    livestream_url = models.URLField(_("public livestream URL"), blank=True)
    interpretation_languages = models.JSONField(
        _("interpretation languages"),
        default=list,
        blank=True,
        help_text=_('Language codes interpreted at the event, e.g. ["de", "el"].'),
    )
    status = models.CharField(_("status"), max_length=10, choices=EventStatus.choices, default=EventStatus.DRAFT)
    # Access data of the online part. Filled by organisers (or the Zoom layer above); only ever
    # sent to confirmed online registrants and never part of a public page, feed or API answer.
    online_join_url = models.URLField(_("join link"), max_length=500, blank=True)
    online_meeting_id = models.CharField(_("meeting ID"), max_length=60, blank=True)
    online_passcode = models.CharField(_("passcode"), max_length=60, blank=True)
    access_data_hours_before = models.PositiveSmallIntegerField(
        _("send access data this many hours before the start"),
        null=True,
        blank=True,
        help_text=_("Empty: right away, as soon as a seat is confirmed."),
    )
    reminder_hours_before = models.PositiveSmallIntegerField(
        _("send a reminder this many hours before the start"),
        null=True,
        blank=True,
        default=24,
        help_text=_("Empty: no reminder."),
    )
    # Reconfirmation against no-shows (registrations/reconfirmation.py): confirmed people are asked
    # to confirm again; seats not reconfirmed in time go to the waiting list as time-limited offers.
    reconfirm_days_before = models.PositiveSmallIntegerField(
        _("ask confirmed people to reconfirm this many days before the start"),
        null=True,
        blank=True,
        help_text=_("Empty: no reconfirmation."),
    )
    reconfirm_answer_hours = models.PositiveSmallIntegerField(
        _("hours to reconfirm"),
        default=48,
        help_text=_("Seats not reconfirmed within this time after the request are given to the waiting list."),
    )
    offer_valid_hours = models.PositiveSmallIntegerField(
        _("hours to accept an offered seat"),
        default=24,
        help_text=_("While reconfirmation runs, a seat that becomes free is offered to the next person waiting."),
    )
    retention_days = models.PositiveSmallIntegerField(
        _("keep personal data for this many days after the event"),
        default=DEFAULT_RETENTION_DAYS,
        help_text=_("Then names, addresses and mails of the registrants are erased; anonymous counts stay."),
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="EventMember",
        verbose_name=_("organiser team"),
        related_name="organised_events",
        blank=True,
    )
    # Kept by events/questions.py: an event that asks nothing costs no query per batch of
    # registrations (the rush path reads the event row anyway).
    asks_questions = models.BooleanField(default=False, editable=False, verbose_name=_("asks questions"))
    # SEQUENCE of the event's calendar entries (events/calendar.py), raised by every change that
    # calendars must take over: the public files and each registrant's mailed entry count it.
    calendar_sequence = models.PositiveIntegerField(default=0, editable=False, verbose_name=_("calendar sequence"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        permissions = [("manage_all_events", _("Can manage the events of all teams (city admin)"))]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.keyword_normalized = normalize_keyword(self.keyword)
        super().save(*args, **kwargs)

    @property
    def title(self) -> str:
        return localized(self.title_de, self.title_en)

    @property
    def description(self) -> str:
        return localized(self.description_de, self.description_en)

    @property
    def seat_types(self) -> set[str]:
        return {str(seat_type) for seat_type in SEAT_TYPES_BY_FORMAT[Format(self.format)]}

    @property
    def has_venue(self) -> bool:
        return self.format in (Format.ONSITE, Format.HYBRID)

    @property
    def has_online_access(self) -> bool:
        return bool(self.online_join_url or self.online_meeting_id)

    def has_bounded_times(self) -> bool:
        """All its times lie between EARLIEST_EVENT_TIME and LATEST_EVENT_TIME."""
        return all(within_event_time_bounds(getattr(self, name)) for name in EVENT_TIME_FIELDS)

    def retention_ends_at(self) -> datetime:
        """From when the personal data of this event's registrants is erased."""
        return shifted(self.ends_at, timedelta(days=self.retention_days))

    def access_data_due_at(self) -> "datetime | None":
        """From when confirmed online registrants get the access data; None means right away."""
        if self.access_data_hours_before is None:
            return None
        return shifted(self.starts_at, -timedelta(hours=self.access_data_hours_before))

    def reminder_due_at(self) -> "datetime | None":
        if self.reminder_hours_before is None:
            return None
        return shifted(self.starts_at, -timedelta(hours=self.reminder_hours_before))

    def reconfirm_asked_at(self) -> "datetime | None":
        """When confirmed people are asked to reconfirm; None when this event does not ask."""
        if self.reconfirm_days_before is None:
            return None
        return shifted(self.starts_at, -timedelta(days=self.reconfirm_days_before))

    def reconfirm_deadline(self) -> "datetime | None":
        asked_at = self.reconfirm_asked_at()
        return None if asked_at is None else shifted(asked_at, timedelta(hours=self.reconfirm_answer_hours))

    def seat_pool(self, seat_type: str) -> "SeatPool | None":
        return next((pool for pool in self.seat_pools.all() if pool.seat_type == seat_type), None)

    def still_takes_registrations(self, now: datetime) -> bool:
        """Registration is open or yet to open: the public pages then show seats left and the
        ways to register. A cancelled event, or one past its deadline, shows neither (a "0 seats
        left – waiting list" on a running event would invite people who can no longer come)."""
        return self.status == EventStatus.PUBLISHED and now <= self.registration_closes_at

    def current_terms(self) -> "ConsentTerms | None":
        """The newest terms version; looked up once per instance (a registration asks often)."""
        if "_current_terms" not in self.__dict__:
            terms = list(self.consent_terms.all())
            self.__dict__["_current_terms"] = max(terms, key=lambda t: t.version) if terms else None
        return self.__dict__["_current_terms"]

    def registration_questions(self) -> list["Question"]:
        """The questions asked at registration, in order; looked up once per instance, and not
        at all for an event that asks none."""
        if not self.asks_questions:
            return []
        if "_questions" not in self.__dict__:
            self.__dict__["_questions"] = list(self.questions.all())
        return self.__dict__["_questions"]

    @classmethod
    def public_with_terms(cls, pk: int) -> "Event | None":
        """The event if it is public (the rule of `EventQuerySet.public()`), with its newest
        terms, read with two plain statements: a rush reads it for every batch of registrations,
        and building the ORM's queries cost three times what reading does."""
        found = select_rows(cls, "id = %s AND status <> %s", [pk, EventStatus.DRAFT])
        if not found:
            return None
        event = found[0]
        terms = select_rows(ConsentTerms, "event_id = %s ORDER BY version DESC LIMIT 1", [pk])
        event.__dict__["_current_terms"] = terms[0] if terms else None
        return event

    def forget_terms(self) -> None:
        self.__dict__.pop("_current_terms", None)
        getattr(self, "_prefetched_objects_cache", {}).pop("consent_terms", None)

    def get_absolute_url(self):
        return reverse("events:detail", args=[self.slug])


class EventMember(models.Model):
    """A place in an event's team, with a role. `event.team.add(user)` makes an organiser."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("event"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_memberships", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.ORGANISER)
    added_at = models.DateTimeField(_("member since"), auto_now_add=True)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["event", "user__username"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="one_membership_per_user")]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}"


def localized(german: str, english: str) -> str:
    if translation.get_language() == "en" and english:
        return english
    return german


class SeatPool(models.Model):
    """The seats of one seat type at one event.

    The counters are owned here and kept by `registrations.services` under a row lock on this
    row; they make the public seat figures one cheap query (see docs/allocation.md).
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="seat_pools", verbose_name=_("event"))
    seat_type = models.CharField(_("seat type"), max_length=10, choices=SeatType.choices)
    capacity = models.PositiveIntegerField(_("capacity"))
    reserved = models.PositiveIntegerField(
        _("reserved seats"), default=0, help_text=_("Seats held back, e.g. for guests; released by organisers.")
    )
    confirmed = models.PositiveIntegerField(default=0, editable=False, verbose_name=_("confirmed"))
    waitlisted = models.PositiveIntegerField(default=0, editable=False, verbose_name=_("waitlisted"))
    pending = models.PositiveIntegerField(default=0, editable=False, verbose_name=_("pending"))

    class Meta:
        verbose_name = _("seat pool")
        verbose_name_plural = _("seat pools")
        constraints = [
            models.UniqueConstraint(fields=["event", "seat_type"], name="one_pool_per_seat_type"),
            models.CheckConstraint(
                condition=models.Q(reserved__lte=models.F("capacity")), name="reserved_within_capacity"
            ),
        ]
        ordering = ["seat_type"]

    def __str__(self):
        return f"{self.get_seat_type_display()}: {self.capacity}"

    @property
    def active(self) -> int:
        """Registrations of this seat type that are not cancelled."""
        return self.confirmed + self.waitlisted + self.pending

    @property
    def available(self) -> int:
        return max(0, self.capacity - self.reserved - self.confirmed)


class QuestionKind(models.TextChoices):
    TEXT = "text", _("text")
    CHOICE = "choice", _("single choice")
    YES_NO = "yes_no", _("yes or no")


class Question(models.Model):
    """A question the organisers ask everyone who registers (answers: registrations.Answer).

    A choice is stored in an answer by its German text, the city's working language; English
    choices, where given, are its translations in the same order."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions", verbose_name=_("event"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=8, choices=QuestionKind.choices)
    label_de = models.CharField(_("question (German)"), max_length=300)
    label_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    choices_de = models.TextField(_("choices (German)"), blank=True, help_text=_("One choice per line."))
    choices_en = models.TextField(
        _("choices (English)"), blank=True, help_text=_("One per line, in the same order; empty: the German ones.")
    )
    required = models.BooleanField(_("answer required"), default=False)

    class Meta:
        verbose_name = _("registration question")
        verbose_name_plural = _("registration questions")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.label_de

    @property
    def label(self) -> str:
        return localized(self.label_de, self.label_en)

    @property
    def choice_values(self) -> list[str]:
        return [line.strip() for line in self.choices_de.splitlines() if line.strip()]

    @property
    def choices(self) -> list[tuple[str, str]]:
        """(stored value, label in the active language) of each choice."""
        german = self.choice_values
        english = [line.strip() for line in self.choices_en.splitlines() if line.strip()]
        if len(english) != len(german):
            english = german
        return [(value, localized(value, label)) for value, label in zip(german, english, strict=True)]

    def choice_for(self, given: str) -> str | None:
        """The stored value of a choice given in German or English (case and spaces do not count)."""
        wanted = " ".join(given.split()).casefold()
        english = [line.strip() for line in self.choices_en.splitlines() if line.strip()]
        for index, value in enumerate(self.choice_values):
            names = [value] + ([english[index]] if index < len(english) else [])
            if any(" ".join(name.split()).casefold() == wanted for name in names):
                return value
        return None


class ConsentTerms(models.Model):
    """One version of the terms citizens agree to when they register. Versions are never
    edited once people agreed to them; a change is a new version."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="consent_terms", verbose_name=_("event"))
    version = models.PositiveIntegerField(verbose_name=_("version"))
    text_de = models.TextField(_("terms (German)"))
    text_en = models.TextField(_("terms (English)"), blank=True)
    broadcast_consent_required = models.BooleanField(
        _("on-site participants must agree to appear in the broadcast"), default=False
    )
    broadcast_text_de = models.TextField(_("broadcast consent (German)"), blank=True)
    broadcast_text_en = models.TextField(_("broadcast consent (English)"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("consent terms")
        verbose_name_plural = _("consent terms")
        constraints = [models.UniqueConstraint(fields=["event", "version"], name="one_terms_per_version")]
        ordering = ["-version"]

    def __str__(self):
        return f"{self.event} – v{self.version}"

    @property
    def text(self) -> str:
        return localized(self.text_de, self.text_en)

    @property
    def broadcast_text(self) -> str:
        return localized(self.broadcast_text_de, self.broadcast_text_en)


class OrganiserToken(models.Model):
    """An API token of an organiser. Only its SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    key_hash = models.CharField(max_length=64, unique=True, verbose_name=_("key hash"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.user} ({self.created_at:%Y-%m-%d})"

    @staticmethod
    def hash(raw_token: str) -> str:
        return hashlib.sha256(raw_token.encode()).hexdigest()


class AuditEntry(models.Model):
    """Who changed what, when. Every service that changes state writes one."""

    at = models.DateTimeField(db_index=True, verbose_name=_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("actor")
    )
    actor_label = models.CharField(max_length=200, blank=True, verbose_name=_("actor label"))
    action = models.CharField(max_length=60, verbose_name=_("action"))
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.CASCADE, related_name="audit_entries", verbose_name=_("event")
    )
    target_type = models.CharField(max_length=60, blank=True, verbose_name=_("target type"))
    target_id = models.BigIntegerField(null=True, blank=True, verbose_name=_("target ID"))
    data = models.JSONField(default=dict, blank=True, verbose_name=_("data"))

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"


class LegalPageKind(models.TextChoices):
    PRIVACY = "privacy", _("privacy notice")
    IMPRINT = "imprint", _("imprint")
    ACCESSIBILITY = "accessibility", _("accessibility statement")
    # BITV 2.0 § 4: the home page explains the site in Leichte Sprache and in German Sign Language.
    EASY_LANGUAGE = "easy_language", _("explanation in Leichte Sprache (easy read)")
    SIGN_LANGUAGE = "sign_language", _("explanation in German Sign Language (DGS)")


class LegalPage(models.Model):
    """The text of the privacy notice, the imprint, the accessibility statement or one of the two
    explanations the home page links (Leichte Sprache, sign language), as the city sets it in the
    admin. Until a page is saved, the default text of events/legal.py shows."""

    kind = models.CharField(_("page"), max_length=13, choices=LegalPageKind.choices, unique=True)
    title_de = models.CharField(_("title (German)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body_de = models.TextField(
        _("text (German)"),
        help_text=_(
            "Plain text; an empty line starts a new paragraph. On the easy-read page every line stays a line, "
            "a line starting with “# ” is a heading and lines starting with “- ” make a list."
        ),
    )
    body_en = models.TextField(_("text (English)"), blank=True)
    video_url = models.URLField(
        _("sign-language video"),
        max_length=500,
        blank=True,
        help_text=_(
            "Only for the sign-language page: the address of the video the city provides. A video file (.mp4, "
            ".webm) on this site plays in the page; any other address is shown as a link. The text above is the "
            "video's text alternative."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("legal page")
        verbose_name_plural = _("legal pages")
        ordering = ["kind"]

    def __str__(self):
        return self.get_kind_display()

    @property
    def title(self) -> str:
        return localized(self.title_de, self.title_en)

    @property
    def body(self) -> str:
        return localized(self.body_de, self.body_en)

    def clean(self):
        if self.video_url and self.kind != LegalPageKind.SIGN_LANGUAGE:
            raise ValidationError({"video_url": _("Only the sign-language page has a video.")})
