"""Who may change a process: its team and city admins. Creating one is "what spans events"
(`events.access.organises_any_event`). Anyone else is answered 404, as for events, so that a
draft process is not given away."""

from django.shortcuts import get_object_or_404

from events.access import is_city_admin, is_signed_in, not_found, organises_any_event
from processes.models import Process


def may_create_process(user) -> bool:
    return organises_any_event(user)


def may_manage(user, process: Process) -> bool:
    if not is_signed_in(user):
        return False
    return is_city_admin(user) or process.team.filter(pk=user.pk).exists()


def process_for(user, slug: str) -> Process:
    """The process of a staff URL, if the user may manage it; `NotFound` otherwise."""
    process = get_object_or_404(Process, slug=slug)
    if not may_manage(user, process):
        raise not_found()
    return process


def processes_of(user):
    processes = Process.objects.all()
    return processes if is_city_admin(user) else processes.filter(team=user)
