"""`manage.py load_demo` brings the city's process with its phases and the demo's events, once."""

from io import StringIO

from django.core.management import call_command

from processes.models import Process


def test_the_demo_has_the_digital_strategy_process_once(db, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    process = Process.objects.get(slug="cas-digital")
    assert process.published and process.phases.count() == 4
    assert process.events.count() >= 6 and process.working_groups.exists()
    call_command("load_demo", stdout=StringIO())
    assert Process.objects.count() == 1 and process.phases.count() == 4
