"""The field template marks optional fields itself, so a label that says so too reads
"(freiwillig) (optional)"."""

from django.utils import translation

from tests.core.test_date_inputs import project_forms


def test_no_label_says_optional_itself():
    with translation.override("de"):
        slips = [
            f"{form.__name__}.{name}: {field.label}"
            for form in project_forms()
            for name, field in form.base_fields.items()
            if field.label and any(word in str(field.label).lower() for word in ("(optional)", "(freiwillig)"))
        ]
    assert not slips
