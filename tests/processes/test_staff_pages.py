"""Organisers create and edit a process: its texts, phases, events and working groups; every
change with an audit line; bad input shown at the field with the entry kept; only the team."""

from django.utils import timezone

from events.models import AuditEntry, Role
from processes.models import Process
from tests.factories import make_user
from tests.processes.conftest import add_working_group
from tests.registrations.staff_helpers import client_of


def test_an_organiser_creates_a_process_and_lands_in_its_editor(organiser, events):
    response = client_of(organiser).post(
        "/organisation/prozesse/neu/", {"title_de": "Mobilität 2030", "slug": "mobilitaet", "licence": ""}
    )
    process = Process.objects.get(slug="mobilitaet")
    assert response.status_code == 302 and response["Location"] == "/organisation/prozesse/mobilitaet/"
    assert list(process.team.all()) == [organiser] and process.licence == "dl-de/by-2-0" and not process.published
    assert AuditEntry.objects.filter(action="process.created", target_id=process.pk).exists()


def test_a_taken_or_malformed_address_is_refused_at_the_field_with_the_entry_kept(organiser, process):
    client = client_of(organiser)
    taken = client.post("/organisation/prozesse/neu/", {"title_de": "Noch ein Prozess", "slug": "digitalstrategie"})
    assert taken.status_code == 422 and "Noch ein Prozess" in taken.content.decode()
    assert "bereits" in taken.content.decode() or "vergeben" in taken.content.decode()
    malformed = client.post("/organisation/prozesse/neu/", {"title_de": "X", "slug": "mit leerzeichen"})
    assert malformed.status_code == 422 and Process.objects.count() == 1


def test_a_phase_that_ends_before_it_starts_is_refused_and_the_entry_kept(organiser, process):
    response = client_of(organiser).post(
        "/organisation/prozesse/digitalstrategie/phasen/",
        {"title_de": "Entwurf", "starts_on": "2027-05-01", "ends_on": "2027-04-01"},
    )
    assert response.status_code == 422
    assert 'value="Entwurf"' in response.content.decode() and process.phases.count() == 3


def test_phases_are_added_and_removed(organiser, process):
    client = client_of(organiser)
    client.post(
        "/organisation/prozesse/digitalstrategie/phasen/",
        {"title_de": "Entwurf", "starts_on": "2027-05-01", "ends_on": "2027-06-01"},
    )
    phase = process.phases.get(title_de="Entwurf")
    client.post(f"/organisation/prozesse/digitalstrategie/phasen/{phase.pk}/entfernen/")
    assert not process.phases.filter(title_de="Entwurf").exists()
    assert AuditEntry.objects.filter(action__in=["process.phase_added", "process.phase_removed"]).count() == 2 + 3


def test_an_organiser_links_only_events_they_organise(organiser, process, events):
    client = client_of(organiser)
    foreign = events["coming"].__class__.objects.create(
        slug="fremd",
        title_de="Fremde Veranstaltung",
        format="online",
        starts_at=timezone.now(),
        ends_at=timezone.now(),
        registration_opens_at=timezone.now(),
        registration_closes_at=timezone.now(),
        status="published",
    )
    refused = client.post("/organisation/prozesse/digitalstrategie/veranstaltungen/", {"event": foreign.pk})
    assert refused.status_code == 422 and not process.events.exists()
    client.post("/organisation/prozesse/digitalstrategie/veranstaltungen/", {"event": events["coming"].pk})
    assert list(process.events.all()) == [events["coming"]]
    client.post(f"/organisation/prozesse/digitalstrategie/veranstaltungen/{events['coming'].slug}/entfernen/")
    assert not process.events.exists()


def test_working_groups_are_linked_and_unlinked(organiser, process):
    group = add_working_group("verkehr")
    client = client_of(organiser)
    client.post("/organisation/prozesse/digitalstrategie/arbeitsgruppen/", {"working_group": "verkehr"})
    assert list(process.working_groups.all()) == [group]
    client.post("/organisation/prozesse/digitalstrategie/arbeitsgruppen/verkehr/entfernen/")
    assert not process.working_groups.exists()


def test_publishing_and_renaming_through_the_editor(organiser, process):
    response = client_of(organiser).post(
        "/organisation/prozesse/digitalstrategie/",
        {
            "title_de": "Digitalstrategie",
            "title_en": "Digital strategy",
            "slug": "digital",
            "published": "on",
            "licence": "CC-BY-4.0",
        },
    )
    process.refresh_from_db()
    assert response.status_code == 302 and (process.slug, process.licence, process.published) == (
        "digital",
        "CC-BY-4.0",
        True,
    )


def test_someone_outside_the_team_gets_404_and_changes_nothing(process):
    stranger = make_user("fremd")
    response = client_of(stranger).post(
        "/organisation/prozesse/digitalstrategie/", {"title_de": "Gekapert", "slug": "x"}
    )
    assert response.status_code == 404
    process.refresh_from_db()
    assert process.title_de.startswith("CAS.digital")


def test_anonymous_visitors_are_sent_to_the_login(process):
    response = client_of(None).get("/organisation/prozesse/digitalstrategie/")
    assert response.status_code == 302 and response["Location"].startswith("/organisation/anmelden/")


def test_check_in_staff_may_not_create_processes(process, events):
    door = make_user("tuer")
    events["coming"].team.add(door, through_defaults={"role": Role.CHECK_IN})
    assert client_of(door).post("/organisation/prozesse/neu/", {"title_de": "X", "slug": "x"}).status_code == 403
    assert "Neuer Prozess" not in client_of(door).get("/organisation/prozesse/").content.decode()


def test_the_staff_list_shows_only_the_teams_processes(organiser, process):
    assert "CAS.digital" in client_of(organiser).get("/organisation/prozesse/").content.decode()
    assert "CAS.digital" not in client_of(make_user("andere")).get("/organisation/prozesse/").content.decode()
