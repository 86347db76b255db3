from django.db import migrations, models

import events.models


def give_codes(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    taken = set()
    for event in Event.objects.filter(live_code__isnull=True).only("pk"):
        code = events.models.new_live_code()
        while code in taken:
            code = events.models.new_live_code()
        taken.add(code)
        Event.objects.filter(pk=event.pk).update(live_code=code)


class Migration(migrations.Migration):
    dependencies = [("events", "0013_merge_venue_accessibility")]

    operations = [
        migrations.AddField(
            model_name="event",
            name="live_code",
            field=models.CharField(editable=False, max_length=12, null=True, verbose_name="live channel code"),
        ),
        migrations.RunPython(give_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="event",
            name="live_code",
            field=models.CharField(
                default=events.models.new_live_code,
                editable=False,
                max_length=12,
                unique=True,
                verbose_name="live channel code",
            ),
        ),
    ]
