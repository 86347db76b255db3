"""Form styling shared by every app: KERN UX classes on widgets, errors tied to their fields."""

from django import forms

WIDGET_CLASSES = {
    forms.CheckboxInput: "kern-form-check__checkbox",
    forms.RadioSelect: "kern-form-check__radio",
    forms.Select: "kern-form-input__select",
}


class KernFormMixin:
    """Adds KERN classes, and ties each error to its field for screen readers; the markup around
    the widget comes from templates/django/forms/field.html."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = next((c for kind, c in WIDGET_CLASSES.items() if isinstance(widget, kind)), "kern-form-input__input")
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] += f" {widget.attrs['class'].split()[-1]}--error"
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}_error"
