"""core/rows.py leans on a few parts of Django that are not its documented API, for speed on the
hot paths. These tests pin them: after a Django upgrade that changes one, they fail here, by name,
instead of the rush or the intake going wrong somewhere else."""

import pytest
from django.utils import timezone

from core import rows
from core.rows import insert_all
from registrations.models import ConsentKind, ConsentRecord, Registration


@pytest.mark.django_db
def test_a_foreign_key_hands_out_the_related_object_assigned_before_it_was_saved(make_event):
    event = make_event()
    registration = Registration(event=event, seat_type="onsite", name="Ada", channel="web")
    consent = ConsentRecord(registration=registration, kind=ConsentKind.TERMS)
    field = ConsentRecord._meta.get_field("registration")

    assert field.get_cached_value(consent, default=None) is registration
    assert field.get_cached_value(ConsentRecord(kind=ConsentKind.TERMS), default=None) is None


@pytest.mark.django_db
def test_a_row_made_before_its_related_row_was_saved_gets_its_key(make_event):
    event = make_event()
    now = timezone.now()
    registration = Registration(
        event=event,
        seat_type="onsite",
        name="Ada",
        email="ada@example.org",
        channel="web",
        received_at=now,
        queued_at=now,
        entered_at=now,
        status_changed_at=now,
    )
    registration.fill_derived_fields()
    terms = event.current_terms()
    consent = ConsentRecord(
        registration=registration,
        kind=ConsentKind.TERMS,
        terms=terms,
        text="t",
        terms_version=1,
        channel="web",
        given_at=now,
    )
    insert_all([registration])

    insert_all([consent])

    assert ConsentRecord.objects.get(pk=consent.pk).registration_id == registration.pk


def test_an_unsaved_related_row_is_refused_by_name(make_event):
    registration = Registration(seat_type="onsite", name="Ada")
    consent = ConsentRecord(registration=registration, kind=ConsentKind.TERMS)

    with pytest.raises(ValueError, match="registration is not saved"):
        rows._related_key(ConsentRecord._meta.get_field("registration"), None, consent)
