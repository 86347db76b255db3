"""Form styling shared by every app: KERN UX classes on widgets, errors tied to their fields."""

from django import forms
from django.forms.boundfield import BoundField

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
    comes from templates/django/forms/field.html."""

    bound_field_class = KernBoundField


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
