"""Every date or time picker of our forms renders a value the browser accepts: ISO, whatever the
page's language (a German "08.09.2026" leaves `<input type="date">` empty). Plain text inputs (the
admin's) may show the localised form, which people type."""

import contextlib
import importlib
from datetime import date, datetime

import pytest
from django import forms
from django.apps import apps
from django.utils import translation

PROJECT_APPS = ("core", "events", "registrations", "reports", "streaming", "ideas")


def project_forms() -> list[type[forms.BaseForm]]:
    for app in PROJECT_APPS:
        for module in ("forms", "staff.forms", "outbox.forms", "privacy.forms", "checkin.forms", "views.organiser"):
            with contextlib.suppress(ModuleNotFoundError):
                importlib.import_module(f"{app}.{module}")
    found, queue = [], [forms.BaseForm]
    while queue:
        for cls in queue.pop().__subclasses__():
            queue.append(cls)
            if cls.__module__.split(".")[0] in PROJECT_APPS:
                found.append(cls)
    return found


def date_fields():
    assert apps.ready
    return [
        (form, name, field)
        for form in project_forms()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.DateField | forms.DateTimeField)
    ]


def test_the_forms_have_date_fields_to_check():
    pickers = {
        form.__name__ for form, name, field in date_fields() if 'type="text"' not in field.widget.render(name, None)
    }
    assert pickers >= {"PeriodForm", "PhoneRegistrationForm", "MoveEventForm"}


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_date_field_renders_an_iso_value(language):
    moment = datetime(2026, 9, 8, 18, 30)
    with translation.override(language):
        for form, name, field in date_fields():
            value = (
                moment.date()
                if isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField)
                else moment
            )
            html = field.widget.render(name, value)
            if 'type="text"' in html:
                continue
            expected = (
                "2026-09-08" if isinstance(value, date) and not isinstance(value, datetime) else "2026-09-08T18:30"
            )
            assert f'value="{expected}"' in html, (form.__name__, name, html)
