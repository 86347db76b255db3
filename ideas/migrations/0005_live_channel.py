import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("ideas", "0004_idea_moderation"), ("events", "0014_event_live_code")]

    operations = [
        migrations.AlterField(
            model_name="idea",
            name="group",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="ideas",
                to="ideas.breakoutgroup",
            ),
        ),
        migrations.AlterField(
            model_name="idea",
            name="source",
            field=models.CharField(
                choices=[
                    ("moderator", "moderator"),
                    ("organiser", "organiser"),
                    ("participant", "participant at the table"),
                    ("live", "live channel"),
                ],
                max_length=11,
            ),
        ),
        migrations.AddField(
            model_name="idea",
            name="via",
            field=models.CharField(
                blank=True,
                choices=[("room", "Room"), ("zoom", "Zoom"), ("stream", "Livestream")],
                max_length=6,
                verbose_name="sent from",
            ),
        ),
        migrations.AddField(
            model_name="idea",
            name="sender_name",
            field=models.CharField(blank=True, max_length=80, verbose_name="name of the sender"),
        ),
        migrations.AddField(
            model_name="idea",
            name="show_name",
            field=models.BooleanField(default=False, verbose_name="show the name"),
        ),
        migrations.AddConstraint(
            model_name="idea",
            constraint=models.UniqueConstraint(
                condition=models.Q(("group__isnull", True)),
                fields=("event", "client_id"),
                name="one_live_idea_per_client_id",
            ),
        ),
        migrations.AddConstraint(
            model_name="idea",
            constraint=models.CheckConstraint(
                condition=models.Q(("group__isnull", False), ("source", "live"), _connector="OR"),
                name="only_live_ideas_without_group",
            ),
        ),
    ]
