"""KERN classes follow the widget a field renders with, even one swapped in after the form was
built, and a field with an error gets the error variant."""

from django import forms

from core.forms import KernForm


class SwappingForm(KernForm):
    choice = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    name = forms.CharField(widget=forms.TextInput(attrs={"class": "kern-form-input__input--width-4"}))
    agree = forms.BooleanField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].widget = forms.HiddenInput()
        self.fields["agree"].widget = forms.CheckboxInput()


def test_a_widget_swapped_after_init_survives_validation_and_renders():
    form = SwappingForm({"choice": "c", "name": ""})
    assert not form.is_valid()
    assert 'type="hidden" name="choice"' in str(form["choice"])
    name = str(form["name"])
    assert 'class="kern-form-input__input kern-form-input__input--width-4 kern-form-input__input--error"' in name
    assert 'aria-invalid="true"' in name and 'aria-describedby="id_name_error"' in name
    assert 'class="kern-form-check__checkbox kern-form-check__checkbox--error"' in str(form["agree"])


def test_a_field_without_errors_gets_the_plain_class():
    form = SwappingForm({"choice": "a", "name": "Anna", "agree": "on"})
    assert form.is_valid()
    assert 'class="kern-form-input__input kern-form-input__input--width-4"' in str(form["name"])
