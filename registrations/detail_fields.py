"""The fields of an event's questions and of the structured needs, shared by the web form, the
phone form of the organisers and the registrant's page for changing them.

Fields are named `question_<id>` and `need_<name>`; a refusal of the service names `answers.<id>`
or `accessibility.<name>`, which `form_field()` maps back, so the error shows at its field."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events.models import Event, QuestionKind
from registrations.answers import (
    MAX_ANSWER_CHARS,
    MAX_CHILDREN,
    NO,
    YES,
    Details,
    NeedsData,
    details_of,
    unanswered_required,
)

NEED_PREFIX, QUESTION_PREFIX = "need_", "question_"


def need_fields(event: Event) -> dict[str, forms.Field]:
    """Online-only events ask only for sign-language interpretation; the rest needs a room."""
    fields = {
        "sign_language": forms.BooleanField(label=_("I need sign-language interpretation (DGS)."), required=False),
    }
    if event.has_venue:
        fields = {
            "wheelchair": forms.BooleanField(label=_("I need a wheelchair place."), required=False),
            **fields,
            "hearing_loop": forms.BooleanField(label=_("I need a hearing loop (induction loop)."), required=False),
            "children": forms.IntegerField(
                label=_("Children for the childcare"),
                help_text=_("How many children come with you and need childcare during the event."),
                required=False,
                min_value=0,
                max_value=MAX_CHILDREN,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            ),
            "children_ages": forms.CharField(
                label=_("Ages of the children"), help_text=_("For example: 3 and 7"), required=False, max_length=100
            ),
            "dietary": forms.CharField(
                label=_("Dietary requirements"),
                help_text=_("For example vegetarian, vegan, allergies."),
                required=False,
                max_length=300,
            ),
        }
    return fields


def question_field(question) -> forms.Field:
    common = {"label": question.label, "required": question.required}
    if question.kind == QuestionKind.TEXT:
        return forms.CharField(max_length=MAX_ANSWER_CHARS, widget=forms.Textarea(attrs={"rows": 2}), **common)
    if question.kind == QuestionKind.YES_NO:
        return forms.ChoiceField(choices=[(YES, _("Yes")), (NO, _("No"))], widget=forms.RadioSelect, **common)
    return forms.ChoiceField(choices=question.choices, widget=forms.RadioSelect, **common)


def add_detail_fields(form: forms.Form, event: Event, *, before: str | None = None, initial: Details | None = None):
    """Add the question and need fields to `form` (before the field `before`, or at the end)."""
    added = {f"{QUESTION_PREFIX}{q.pk}": question_field(q) for q in event.registration_questions()}
    added |= {f"{NEED_PREFIX}{name}": field for name, field in need_fields(event).items()}
    names = list(form.fields)
    at = names.index(before) if before in names else len(names)
    ordered = {name: form.fields[name] for name in names[:at]} | added
    ordered |= {name: form.fields[name] for name in names[at:]}
    form.fields = ordered
    if initial is not None:
        for question_id, value in initial.answers.items():
            form.initial[f"{QUESTION_PREFIX}{question_id}"] = value
        for name in need_fields(event):
            form.initial[f"{NEED_PREFIX}{name}"] = getattr(initial.needs, name) or None


def answers_given(form: forms.Form) -> dict[int, str]:
    return {
        int(name.removeprefix(QUESTION_PREFIX)): value
        for name, value in form.cleaned_data.items()
        if name.startswith(QUESTION_PREFIX) and value
    }


def needs_given(form: forms.Form) -> NeedsData:
    data = form.cleaned_data
    return NeedsData(
        wheelchair=bool(data.get("need_wheelchair")),
        sign_language=bool(data.get("need_sign_language")),
        hearing_loop=bool(data.get("need_hearing_loop")),
        children=data.get("need_children") or 0,
        children_ages=data.get("need_children_ages") or "",
        dietary=data.get("need_dietary") or "",
    )


def form_field(form: forms.Form, service_field: str | None) -> str | None:
    """The form's field for a field named by the service, or None (above the form)."""
    if service_field and service_field.startswith("answers."):
        service_field = QUESTION_PREFIX + service_field.removeprefix("answers.")
    elif service_field and service_field.startswith("accessibility."):
        service_field = NEED_PREFIX + service_field.removeprefix("accessibility.")
    return service_field if service_field in form.fields else None


def question_fields(form: forms.Form) -> list:
    return [form[name] for name in form.fields if name.startswith(QUESTION_PREFIX)]


def need_bound_fields(form: forms.Form) -> list:
    return [form[name] for name in form.fields if name.startswith(NEED_PREFIX)]


def sections(form: forms.Form, *, free_text: str = "needs", last: tuple[str, ...] = ()) -> list[dict]:
    """The visible fields in groups for the template: the person's own fields, the organisers'
    questions and the needs each in a fieldset with a legend, then the fields named in `last`
    (the consents)."""
    visible = [field for field in form.visible_fields()]
    questions = [f for f in visible if f.name.startswith(QUESTION_PREFIX)]
    needs = [f for f in visible if f.name.startswith(NEED_PREFIX) or f.name == free_text]
    closing = [f for f in visible if f.name in last]
    grouped = {f.name for f in questions + needs + closing}
    groups = [{"legend": None, "fields": [f for f in visible if f.name not in grouped]}]
    if questions:
        groups.append({"legend": _("Questions from the organisers"), "fields": questions})
    if needs:
        groups.append(
            {
                "legend": _("Accessibility and other needs"),
                "hint": _("So that we can prepare the room, interpreters and childcare. Only the organisers see this."),
                "fields": needs,
            }
        )
    groups.append({"legend": None, "fields": closing})
    return groups


def answers_for_display(questions, answers: dict[int, str]) -> list[tuple[str, str]]:
    """(question, answer) in the order of the questions, in the active language; "–" for none."""
    shown = []
    for question in questions:
        value = answers.get(question.pk, "")
        if question.kind == QuestionKind.YES_NO and value:
            value = str(_("Yes") if value == YES else _("No"))
        elif question.kind == QuestionKind.CHOICE and value:
            value = dict(question.choices).get(value, value)
        shown.append((question.label, value or "–"))
    return shown


def needs_for_display(needs: NeedsData) -> list[str]:
    shown = []
    if needs.wheelchair:
        shown.append(str(_("Wheelchair place")))
    if needs.sign_language:
        shown.append(str(_("Sign-language interpretation (DGS)")))
    if needs.hearing_loop:
        shown.append(str(_("Hearing loop")))
    if needs.children:
        ages = _(" (ages: %(ages)s)") % {"ages": needs.children_ages} if needs.children_ages else ""
        count = needs.children
        childcare = ngettext("Childcare for %(count)s child", "Childcare for %(count)s children", count)
        shown.append(childcare % {"count": count} + str(ages))
    if needs.dietary:
        shown.append(str(_("Dietary requirements: %(text)s")) % {"text": needs.dietary})
    return shown


def shown_details(registration) -> dict:
    """The answers and needs of a registration as its pages show them."""
    given = details_of(registration)
    return {
        "answers_shown": answers_for_display(registration.event.registration_questions(), given.answers),
        "needs_shown": needs_for_display(given.needs),
        "unanswered": unanswered_required(registration),
    }
