"""The documented backup and restore (docs/operations.md) run against PostgreSQL and give back
the same data."""

import subprocess
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from events.models import Event

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
OPS = Path(__file__).resolve().parent.parent / "ops"


@pytest.fixture
def target_database():
    name = "stadtdialog_restore_test"
    admin_url = "postgresql://postgres@127.0.0.1:5432/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_an_empty_database_with_all_data(tmp_path, target_database, django_user_model):
    from django.core.management import call_command

    call_command("load_demo", allow_production=True, verbosity=0)
    db = connection.settings_dict
    source = f"postgresql://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    dump = subprocess.run(
        [OPS / "backup.sh", source, tmp_path], check=True, capture_output=True, text=True
    ).stdout.strip()
    assert Path(dump).exists() and not list(tmp_path.glob("*.partial"))
    subprocess.run([OPS / "restore.sh", dump, target_database], check=True, capture_output=True)
    with psycopg.connect(target_database) as restored:
        titles = {row[0] for row in restored.execute("SELECT title_de FROM events_event")}
    assert titles == set(Event.objects.values_list("title_de", flat=True))
    assert len(titles) == Event.objects.count() > 3

    again = subprocess.run([OPS / "restore.sh", dump, target_database], capture_output=True, text=True)
    assert again.returncode != 0
    assert "not empty" in again.stderr
