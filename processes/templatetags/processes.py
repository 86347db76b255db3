from django import template

register = template.Library()


@register.filter
def phase_state(phase, day) -> str:
    return phase.state_on(day)


@register.filter
def current_phase(process, day):
    """The phase running on that day (the process's phases prefetched: no query per process)."""
    return next((phase for phase in process.phases.all() if phase.state_on(day) == "current"), None)
