"""Names that only look alike are one person (reliability M7): one address cannot take seat after
seat with invisible characters or look-alike letters in the same name."""

import importlib

import pytest
from django.apps import apps
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from core.errors import DomainError
from registrations import services
from registrations.models import Registration
from registrations.names import _is_ignorable, clean_name, normalize_name
from tests.factories import register

pytestmark = pytest.mark.django_db

LOOK_ALIKES = [
    "Max\u200bMuster",
    "Max\u200cMuster",
    "Max\u200dMuster",
    "M\u0430x Muster",  # Cyrillic а
    "Max Muster\u2060",
    "\u202eMax Muster",
    "Max Muster\u00ad",
    "Max  Muster",
    "ＭＡＸ Muster",  # full-width letters: NFKC
    "Max Muster\ufe0f",
    "MAX MUSTER",
]


@pytest.mark.parametrize("name", LOOK_ALIKES)
def test_a_name_that_only_looks_like_a_registered_one_is_the_same_person(make_event, person, now, name):
    event = make_event(format="onsite", onsite=10)
    register(event, person(name="Max Muster", email="max@example.org"), now)
    with pytest.raises(services.AlreadyRegistered):
        register(event, person(name=name, email="MAX@example.org"), now)
    assert Registration.objects.count() == 1


def test_a_household_still_registers_one_person_per_name(make_event, person, now):
    event = make_event(format="onsite", onsite=10)
    names = ["Max Muster", "Maxi Muster", "Мария Мустер", "Marija Muster"]
    for name in names:
        register(event, person(name=name, email="familie@example.org"), now)
    assert Registration.objects.count() == 4


def test_two_names_of_one_other_script_stay_two_people():
    assert normalize_name("Анна Петрова") != normalize_name("Анна Петров")
    assert normalize_name("Αλέξανδρος") != normalize_name("Αλεξάνδρα")


def test_invisible_characters_are_not_stored(make_event, person, now):
    registration = register(make_event(format="onsite"), person(name="\u202eMax\u200b Muster\u00ad\u2060"), now)
    registration.refresh_from_db()
    assert registration.name == "Max Muster"


def test_a_name_of_nothing_but_invisible_characters_is_no_name(make_event, person, now):
    with pytest.raises(DomainError) as refusal:
        register(make_event(format="onsite"), person(name="\u200b\u200d\u00ad"), now)
    assert refusal.value.code == "name_required"


def test_clean_name_keeps_letters_of_every_script_and_joins_spaces():
    assert clean_name("  Ngũgĩ\twa  Thiong’o ") == "Ngũgĩ wa Thiong’o"
    assert clean_name("محمد\u200fعلي") == "محمدعلي"


def test_the_migration_computes_the_compared_forms_again_and_keeps_earlier_look_alikes_apart(make_event, person, now):
    event = make_event(format="onsite", onsite=10)
    first = register(event, person(name="Max Muster", email="Max@Example.org"), now)
    second = register(event, person(name="Maria Muster", email="max@example.org"), now)
    # As the old rules stored them: case-folded address, names with their invisible characters.
    Registration.objects.filter(pk=first.pk).update(email_normalized="max@example.org", name_normalized="max muster")
    Registration.objects.filter(pk=second.pk).update(name="Max\u200bMuster", name_normalized="max\u200bmuster")
    migration = importlib.import_module("registrations.migrations.0013_names_and_addresses_compared_anew")
    migration.compare_anew(apps, None)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.email_normalized, first.name_normalized) == ("max@example.org", "maxmuster")
    assert second.name == "MaxMuster"
    assert second.name_normalized == "max\u200bmuster"  # kept apart: the unique index holds


def looked_at_character_by_character(name: str) -> str:
    return " ".join("".join(c for c in " ".join(name.split()) if not _is_ignorable(c)).split())


@given(st.text(max_size=40))
@hypothesis_settings(max_examples=500, deadline=None)
def test_the_quick_look_at_a_name_drops_exactly_what_the_careful_one_does(name):
    """`clean_name` skips the look at each character for names with nothing invisible in them;
    the outcome is the same as looking at every character."""
    for whole in (name, f"Anna {name} Müller"):
        assert clean_name(whole) == looked_at_character_by_character(whole)
