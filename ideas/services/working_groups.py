"""Thematic working groups ("Themen-Labore"): organisers found them; the founding team names
their leads."""

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.errors import DomainError, PermissionDenied
from events.services import record_audit
from ideas.access import can_name_leads, ensure_organises_any_event
from ideas.models import WorkingGroup
from ideas.services.texts import clean_line, clean_text

TITLE_MAX = 120
DESCRIPTION_MAX = 5000


def create_working_group(
    title: str, description: str = "", *, leads: Iterable[AbstractBaseUser] = (), actor, now: datetime
) -> WorkingGroup:
    """Organisers found working groups; the founder leads it, together with the leads named."""
    ensure_organises_any_event(actor)
    title = clean_line(title, limit=TITLE_MAX, field="title", missing=_("Please give the working group a title."))
    description = clean_text(description, limit=DESCRIPTION_MAX, field="description")
    exists = DomainError(
        "working_group_exists",
        _("A working group called “%(title)s” already exists.") % {"title": title},
        status=409,
        field="title",
    )
    if WorkingGroup.objects.filter(title__iexact=title).exists():
        raise exists
    leads = {actor, *leads}
    try:
        with transaction.atomic():
            group = WorkingGroup.objects.create(
                slug=_unique_slug(title), title=title, description=description, founded_by=actor, created_at=now
            )
            group.leads.add(*leads)
            data = {"working_group": group.slug, "leads": sorted(user.pk for user in leads)}
            record_audit("working_group.created", actor=actor, now=now, target=group, data=data)
    except IntegrityError:
        raise exists from None
    return group


def _unique_slug(title: str) -> str:
    base = slugify(title)[:70] or "arbeitsgruppe"
    slug, counter = base, 2
    while WorkingGroup.objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def set_leads(working_group: WorkingGroup, leads: Iterable[AbstractBaseUser], *, actor, now: datetime) -> WorkingGroup:
    """Name who leads the group from now on. Its founding team (the founder and the leads in
    office) and city admins may do this; a group without a lead would have nobody to keep its
    backlog, so one is needed."""
    if not can_name_leads(actor, working_group):
        raise PermissionDenied(
            "not_working_group_lead", _("Only the founder and the leads of this working group may name its leads.")
        )
    leads = {user for user in leads if user.is_active}
    if not leads:
        raise DomainError("leads_required", _("A working group needs at least one lead."), status=422, field="leads")
    with transaction.atomic():
        working_group.leads.set(leads)
        data = {"working_group": working_group.slug, "leads": sorted(user.pk for user in leads)}
        record_audit("working_group.leads_changed", actor=actor, now=now, target=working_group, data=data)
    return working_group
