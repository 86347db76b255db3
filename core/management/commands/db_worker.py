"""django-tasks-db's `db_worker`, made to outlive a database restart.

The library's worker exits on the first database error that is not a locked SQLite file (a
PostgreSQL restart: "terminating connection due to administrator command"). This command (it
takes the library's name because `core` is listed before `django_tasks_db` in INSTALLED_APPS)
runs the library's worker and starts it again after such an error, with core/workers.py's
back-off. A task that was running when the connection broke stays marked as running, as after
a killed worker: the outbox and Zoom tasks are caught up by `send_outbox --loop` and
`sync_zoom --loop`."""

from django_tasks_db.management.commands import db_worker

from core.workers import surviving_database_errors


class Command(db_worker.Command):
    help = db_worker.Command.help + "; it keeps running through database restarts"

    def handle(self, *args, **options):
        if options["batch"]:
            return super().handle(*args, **options)
        return surviving_database_errors(lambda: super(Command, self).handle(*args, **options), worker="db_worker")
