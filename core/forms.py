"""Form styling shared by every app: KERN UX classes on widgets, errors tied to their fields."""

from django import forms
from django.forms.boundfield import BoundField

from core.errors import Busy, DomainError, ValidationFailed

# KERN UX's class for each kind of widget; the first match wins (CheckboxInput is an Input,
# CheckboxSelectMultiple a RadioSelect, SelectMultiple a Select).
KERN_WIDGET_CLASSES = (
    (forms.CheckboxInput, "kern-form-check__checkbox"),
    (forms.CheckboxSelectMultiple, "kern-form-check__checkbox"),
    (forms.RadioSelect, "kern-form-check__radio"),
    (forms.Select, "kern-form-input__select"),
    (forms.Widget, "kern-form-input__input"),
)


def kern_class(widget: forms.Widget) -> str:
    return next(css for kind, css in KERN_WIDGET_CLASSES if isinstance(widget, kind))


class KernBoundField(BoundField):
    """Decides the classes when the widget is rendered, not when the form is built: a form may
    swap a field's widget after `__init__` (a seat type offered alone becomes a hidden input),
    and the classes must follow the widget it ends up with. Django itself adds `aria-invalid`
    and `aria-describedby="<id>_helptext <id>_error"`, which the field templates render."""

    def build_widget_attrs(self, attrs, widget=None):
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        if widget.is_hidden:
            return attrs
        css = kern_class(widget)
        classes = [css, *widget.attrs.get("class", "").split(), *attrs.get("class", "").split()]
        if self.errors:
            classes.append(f"{css}--error")
        attrs["class"] = " ".join(dict.fromkeys(classes))
        return attrs


class KernFormMixin:
    """Renders every field of the form through `KernBoundField`; the markup around the widget
    comes from templates/django/forms/field.html (`{{ field.as_field_group }}`), the list of
    errors above the form from templates/django/forms/error_summary.html. For forms that must
    extend another Django form (the login); every other form extends `KernForm`."""

    bound_field_class = KernBoundField


class KernForm(KernFormMixin, forms.Form):
    """The base of every form of the site: KERN UX's classes on the widgets, and refusals of the
    services (`core.errors.DomainError`) shown at the fields they are about."""

    # A service's name for a field, or the field a refusal is best shown at, where they differ.
    service_fields: dict[str, str] = {}
    busy = False

    def add_service_error(self, error: DomainError) -> None:
        """Show a refusal of a service at the field it is about, or above the form."""
        if isinstance(error, Busy):
            self.busy = True
        field = self.service_fields.get(error.code) or self.service_fields.get(error.field or "", error.field)
        self.add_error(field if field in self.fields else None, error.message)

    def add_refusal(self, refusal: DomainError) -> None:
        """Every problem of a refusal (a `ValidationFailed` has several) at its field."""
        if isinstance(refusal, ValidationFailed):
            for problems in refusal.errors.values():
                for problem in problems:
                    self.add_service_error(problem)
        else:
            self.add_service_error(refusal)


class DayInput(forms.DateInput):
    """`<input type="date">`. Browsers take only ISO days (2026-12-07) as its value, whatever the
    page's language; a localised "07.12.2026" leaves the field empty."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class MomentInput(forms.DateTimeInput):
    """`<input type="datetime-local">`, whose value must be ISO without seconds (2026-12-07T18:00)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")
