"""The survey after an event, its invitations and its anonymous answers.

An invitation belongs to a registration and holds only the SHA-256 of its single-use token and
whether it was used; an answer belongs to a response, and a response to the survey, with the day
it came in and nothing else. No column leads from an answer to an invitation or a person, and an
invitation keeps no time of use that could be matched against the answers (docs/reports.md)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import Event, localized
from registrations.models import Registration


class Survey(models.Model):
    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="survey", verbose_name=_("event"))
    created_at = models.DateTimeField(verbose_name=_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )

    class Meta:
        verbose_name = _("feedback survey")
        verbose_name_plural = _("feedback surveys")

    def __str__(self):
        return str(self.event)


class QuestionKind(models.TextChoices):
    RATING = "rating", _("rating from 1 to 5")
    CHOICE = "choice", _("one choice of several")
    TEXT = "text", _("free text")


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey"))
    position = models.PositiveSmallIntegerField(verbose_name=_("position"))
    kind = models.CharField(_("kind"), max_length=6, choices=QuestionKind.choices)
    text_de = models.CharField(_("question (German)"), max_length=300)
    text_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    # One option a line; the English line at the same place translates the German one.
    choices_de = models.TextField(_("options (German)"), blank=True)
    choices_en = models.TextField(_("options (English)"), blank=True)
    required = models.BooleanField(_("an answer is required"), default=False)

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["survey", "position", "pk"]

    def __str__(self):
        return self.text_de

    @property
    def text(self) -> str:
        return localized(self.text_de, self.text_en)

    def options(self) -> list[tuple[str, str]]:
        """(stored value, label in the current language): the German option is what is stored."""
        german = [line.strip() for line in self.choices_de.splitlines() if line.strip()]
        english = [line.strip() for line in self.choices_en.splitlines() if line.strip()]
        if len(english) != len(german):
            english = []
        return [(value, localized(value, english[index] if english else "")) for index, value in enumerate(german)]


class Invitation(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("survey"))
    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="feedback_invitation", verbose_name=_("registration")
    )
    token_digest = models.CharField(max_length=64, unique=True, verbose_name=_("token digest"))
    sent_at = models.DateTimeField(verbose_name=_("sent at"))
    used = models.BooleanField(default=False, verbose_name=_("used"))

    class Meta:
        verbose_name = _("feedback invitation")
        verbose_name_plural = _("feedback invitations")

    def __str__(self):
        return f"{self.survey} – {self.registration_id}"


class Response(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("survey"))
    submitted_on = models.DateField(verbose_name=_("submitted on"))

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self):
        return f"{self.survey} {self.submitted_on}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response"))
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question"))
    rating = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name=_("rating"))
    choice = models.CharField(max_length=200, blank=True, verbose_name=_("choice"))
    text = models.TextField(blank=True, verbose_name=_("text"))

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="rating_from_1_to_5",
            )
        ]

    def __str__(self):
        return f"{self.question_id}: {self.rating or self.choice or self.text[:40]}"
