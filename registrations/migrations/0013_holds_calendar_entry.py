from django.db import migrations, models


def mark_entries_sent_so_far(apps, schema_editor):
    """Until now every registration with an address got a REQUEST when it arrived (waiting and
    pending ones too), and only a cancellation removed it."""
    Registration = apps.get_model("registrations", "Registration")
    Registration.objects.exclude(status="cancelled").exclude(email="").update(holds_calendar_entry=True)


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0012_reconfirmation_and_walk_ins"),
    ]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="holds_calendar_entry",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(mark_entries_sent_so_far, migrations.RunPython.noop),
    ]
