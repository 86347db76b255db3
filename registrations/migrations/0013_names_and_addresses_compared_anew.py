"""Names and addresses compared in their new form (registrations/names.py, core/addresses.py).

Names lose their invisible characters; the compared forms are computed again. Where two active
registrations of one address would now be one person (registered before, as "Max Muster" and
"Max\u200bMuster"), the later one keeps its old compared name, so that the unique index holds
and nothing is cancelled behind anyone's back: organisers see them side by side in their list,
marked as sharing an address. Erased registrations (empty name and address) are left as they are.
"""

from django.db import migrations

from core.addresses import normalize_email
from registrations.names import clean_name, normalize_name


def compare_anew(apps, schema_editor):
    Registration = apps.get_model("registrations", "Registration")
    taken = set()
    changed = []
    rows = Registration.objects.exclude(email="", name="").order_by("pk").iterator(chunk_size=2000)
    for registration in rows:
        name = clean_name(registration.name) or registration.name
        email_normalized = normalize_email(registration.email)
        name_normalized = normalize_name(name)
        if registration.status != "cancelled" and email_normalized:
            candidates = (name_normalized, registration.name_normalized, f"{registration.name_normalized}#{registration.pk}")
            name_normalized = next(c for c in candidates if (registration.event_id, email_normalized, c) not in taken)
            taken.add((registration.event_id, email_normalized, name_normalized))
        if (name, email_normalized, name_normalized) != (
            registration.name,
            registration.email_normalized,
            registration.name_normalized,
        ):
            registration.name = name
            registration.email_normalized = email_normalized
            registration.name_normalized = name_normalized
            changed.append(registration)
    # Through a value nobody has, so that no row meets another's old value on the way (PostgreSQL
    # checks a unique index row by row within one UPDATE).
    final = {registration.pk: registration.name_normalized for registration in changed}
    for registration in changed:
        registration.name_normalized = f"#{registration.pk}#"
    Registration.objects.bulk_update(changed, ["name_normalized"], batch_size=1000)
    for registration in changed:
        registration.name_normalized = final[registration.pk]
    Registration.objects.bulk_update(changed, ["name", "email_normalized", "name_normalized"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("registrations", "0012_reconfirmation_and_walk_ins")]

    operations = [migrations.RunPython(compare_anew, migrations.RunPython.noop, elidable=True)]
