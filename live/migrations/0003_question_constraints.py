# The constraints on the rows 0002 completed, in a migration (a transaction) of their own:
# PostgreSQL refuses to alter a table in the transaction that has just updated its rows.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("live", "0002_questions_through_the_channel"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='question',
            constraint=models.UniqueConstraint(fields=('event', 'client_id'), name='one_live_question_per_client_id'),
        ),
        migrations.AddConstraint(
            model_name='question',
            constraint=models.CheckConstraint(condition=models.Q(('submitter_email', ''), ('updates_consent_at__isnull', False), _connector='OR'), name='question_email_only_with_consent'),
        ),
        migrations.AddConstraint(
            model_name='question',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('state', 'hidden'), _negated=True), models.Q(('hidden_reason', ''), _negated=True), _connector='OR'), name='hidden_question_has_a_reason'),
        ),
    ]
