"""The ideas tests' own factory (a plain module, so that it never clashes with another
directory's conftest); events, users, tokens and registrations come from tests/factories.py."""

from django.utils import timezone

from ideas import services


def add_idea(group, title: str, *, actor, now=None, **fields):
    idea, _created = services.add_idea(
        group, services.IdeaDraft(title=title, **fields), client_id=None, actor=actor, now=now or timezone.now()
    )
    return idea
