"""One field template for the public and the staff forms: hints under a checkbox sit below it at
full width, each field shows its errors once in KERN's error markup, and the error summary links
to the fields."""

import re

import pytest

pytestmark = pytest.mark.django_db


def post_empty(client, event):
    return client.post(f"/veranstaltungen/{event.slug}/anmelden/", {"seat_type": "onsite", "language": "de"})


def test_a_checkbox_hint_sits_outside_the_checkbox_grid(client, make_event):
    event = make_event(format="onsite", onsite=5, broadcast=True)
    html = client.get(event.get_absolute_url()).text
    check = re.search(
        r'<div class="kern-form-check">\s*<input type="checkbox" name="feedback_consent".*?</div>', html, re.S
    )
    assert check and "kern-hint" not in check.group(0)
    assert 'class="kern-hint prewrap field-check__text" id="id_feedback_consent_helptext"' in html


def test_errors_use_kern_markup_once_per_field_and_the_summary_links_to_them(client, make_event):
    event = make_event(format="onsite", onsite=5, broadcast=True)
    html = post_empty(client, event).text
    assert html.count('id="id_accept_terms_error"') == 1
    assert (
        '<p class="kern-error" id="id_accept_terms_error"><span class="kern-icon kern-icon--danger kern-icon--small"'
        in html
    )
    assert 'href="#id_name"' in html and 'href="#id_accept_terms"' in html
    assert 'aria-describedby="id_name_error"' in html


def test_two_errors_on_one_field_share_one_id(client, make_event):
    from django import forms

    from core.forms import KernFormMixin

    class TwoErrors(KernFormMixin, forms.Form):
        name = forms.CharField()

    form = TwoErrors({"name": "x"})
    form.is_valid()
    form.add_error("name", "Eins.")
    form.add_error("name", "Zwei.")
    html = str(form["name"].as_field_group())
    assert html.count('id="id_name_error"') == 1 and "Eins. Zwei." in html


def test_the_summary_drops_the_full_stop_of_a_sentence_label(client, make_event):
    from django import forms
    from django.template.loader import render_to_string

    from core.forms import KernFormMixin

    class Sentence(KernFormMixin, forms.Form):
        move = forms.BooleanField(label="Mit auf die Warteliste gehen.")

    form = Sentence({})
    form.is_valid()
    html = render_to_string("django/forms/error_summary.html", {"form": form})
    assert "Mit auf die Warteliste gehen:" in html and ".:" not in html
