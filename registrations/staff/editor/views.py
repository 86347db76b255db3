"""The event editor: a new draft with the least it needs, then one page per section, the check
and the button to publish, a copy of an event and a series of it on several dates.

Every page is the event team's (`@organiser_page(Capability.MANAGE)`; a new event: whoever may
create events, `access.organises_any_event`). Every change is a call of the events services,
which write the audit line; their refusals are shown at the field, with the entry kept."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from core.errors import DomainError
from events import copying, publishing, services
from events.access import Capability, Forbidden, member_page, organiser_page, organises_any_event
from events.models import Event, EventStatus
from registrations.staff.editor import forms as editor_forms
from registrations.staff.editor.series import CopyForm, SeriesForm
from registrations.staff.views import render_with_form


@dataclass(frozen=True)
class Section:
    key: str  # the name `events.publishing.Missing.section` uses
    slug: str
    title: str
    form: type[editor_forms.SectionForm] | None
    intro: str = ""
    # A section with a page of its own (no `form`): the name of its URL, which takes the slug.
    url_name: str = ""


SECTIONS = [
    Section("basics", "grunddaten", gettext_lazy("Titles and descriptions"), editor_forms.BasicsForm),
    Section("format", "format", gettext_lazy("Format"), editor_forms.FormatForm),
    Section("date", "termin", gettext_lazy("Date and time"), editor_forms.DateForm),
    Section(
        "venue",
        "ort",
        gettext_lazy("Venue and accessibility"),
        editor_forms.VenueForm,
        gettext_lazy("The accessibility belongs to the place: other events at this venue show it too."),
    ),
    Section("seats", "plaetze", gettext_lazy("Seats"), editor_forms.SeatsForm),
    Section("registration", "anmeldung", gettext_lazy("Registration and allocation"), editor_forms.RegistrationForm),
    Section("companions", "begleitung", gettext_lazy("Companions"), editor_forms.CompanionsForm),
    Section("questions", "fragen", gettext_lazy("Registration questions"), None, url_name="staff:questions"),
    Section(
        "consent",
        "einwilligung",
        gettext_lazy("Consent texts"),
        None,
        gettext_lazy(
            "What people agree to when they register. A change makes a new version; registrations keep the "
            "version they agreed to."
        ),
        url_name="staff:consent_terms",
    ),
    Section(
        "reconfirmation",
        "rueckbestaetigung",
        gettext_lazy("Reconfirmation"),
        editor_forms.ReconfirmationForm,
        gettext_lazy("Against empty seats: confirmed people are asked to confirm again before the event."),
    ),
    Section("reminders", "erinnerungen", gettext_lazy("Reminders and access data"), editor_forms.RemindersForm),
    Section(
        "zoom",
        "zoom",
        gettext_lazy("Zoom and interpretation"),
        editor_forms.ZoomForm,
        gettext_lazy("Interpretation languages, and the access data of the online part."),
    ),
    Section("livestream", "livestream", gettext_lazy("Livestream"), editor_forms.LivestreamForm),
    Section(
        "channels",
        "kanaele",
        gettext_lazy("E-mail and phone registration"),
        editor_forms.ChannelsForm,
        gettext_lazy("Citizens who register by e-mail write the keyword in the subject."),
    ),
    Section("retention", "aufbewahrung", gettext_lazy("Retention of personal data"), editor_forms.RetentionForm),
]
SECTION_BY_SLUG = {section.slug: section for section in SECTIONS}
SECTION_BY_KEY = {section.key: section for section in SECTIONS}


def section_url(event: Event, section: Section) -> str:
    if section.url_name:
        return reverse(section.url_name, args=[event.slug])
    return reverse("staff:edit_section", args=[event.slug, section.slug])


def section_links(event: Event) -> list[tuple[Section, str]]:
    return [(section, section_url(event, section)) for section in SECTIONS]


def missing_with_links(event: Event) -> list[tuple[publishing.Missing, str]]:
    missing = publishing.missing_for_publication(event, now=timezone.now())
    return [(item, section_url(event, SECTION_BY_KEY[item.section])) for item in missing]


@member_page
def new_event(request):
    if not organises_any_event(request.user):
        raise Forbidden("forbidden", _("Only organisers may create events."))
    form = editor_forms.NewEventForm(request.POST if request.method == "POST" else None, event=Event())
    if form.is_valid():
        changes = form.changes()
        now = timezone.now()
        fields = {**changes.fields, "registration_opens_at": now, "registration_closes_at": changes.fields["starts_at"]}
        try:
            event = services.create_event(fields, seats=changes.seats, venue=changes.venue, actor=request.user, now=now)
        except DomainError as refusal:
            form.add_refusal(refusal)
        else:
            messages.success(request, _("The draft is saved. Fill in the sections, then publish it."))
            return redirect("staff:edit", event.slug)
    return render_with_form(request, "registrations/staff/editor/new_event.html", {"form": form}, form)


def render_editor(request, event: Event, *, refusal: DomainError | None = None):
    context = {
        "event": event,
        "section": "edit",
        "sections": section_links(event),
        "missing": missing_with_links(event) if event.status == EventStatus.DRAFT else [],
        "refusal": refusal,
    }
    status = 422 if refusal is not None else 200
    return render(request, "registrations/staff/editor/editor.html", context, status=status)


@organiser_page(Capability.MANAGE)
def editor(request, event):
    return render_editor(request, event)


@organiser_page(Capability.MANAGE)
def edit_section(request, event, part):
    section = SECTION_BY_SLUG.get(part)
    if section is None or section.form is None:
        return redirect("staff:edit", event.slug)
    form = section.form(request.POST if request.method == "POST" else None, event=event)
    if form.is_valid():
        changes = form.changes()
        try:
            services.update_event(
                event,
                changes.fields,
                seats=changes.seats,
                venue=changes.venue,
                actor=request.user,
                now=timezone.now(),
            )
        except DomainError as refusal:
            form.add_refusal(refusal)
        else:
            messages.success(request, _("Saved: %(section)s.") % {"section": section.title})
            return redirect("staff:edit_section", event.slug, section.slug)
    # The Zoom mode is the deployment's (docs/zoom.md): with API credentials the meeting is made for us.
    zoom_api_mode = all((settings.ZOOM_ACCOUNT_ID, settings.ZOOM_CLIENT_ID, settings.ZOOM_CLIENT_SECRET))
    return render_section_page(
        request, event, section, form, "registrations/staff/editor/section.html", {"zoom_api_mode": zoom_api_mode}
    )


def render_section_page(request, event: Event, section: Section, form, template: str, extra: dict):
    """A section's page beside the editor's list of sections."""
    context = {
        "event": event,
        "section": "edit",
        "part": section,
        "sections": section_links(event),
        "next": next_section(event, section),
        "form": form,
        **extra,
    }
    return render_with_form(request, template, context, form)


def next_section(event: Event, section: Section) -> tuple[Section, str] | None:
    index = SECTIONS.index(section)
    return section_links(event)[index + 1] if index + 1 < len(SECTIONS) else None


@require_POST
@organiser_page(Capability.MANAGE)
def publish(request, event):
    try:
        publishing.publish_event(event, actor=request.user, now=timezone.now())
    except DomainError as refusal:
        return render_editor(request, event, refusal=refusal)
    messages.success(request, _("The event is published. Citizens can see it and register."))
    return redirect("staff:edit", event.slug)


@require_POST
@organiser_page(Capability.MANAGE)
def unpublish(request, event):
    try:
        publishing.unpublish_event(event, actor=request.user, now=timezone.now())
    except DomainError as refusal:
        return render_editor(request, event, refusal=refusal)
    messages.success(request, _("The event is a draft again; only its team sees it."))
    return redirect("staff:edit", event.slug)


@organiser_page(Capability.MANAGE)
def copy(request, event):
    form = CopyForm(request.POST if request.method == "POST" else None, event=event)
    if form.is_valid():
        try:
            made = copying.copy_event(
                event, starts_at=form.cleaned_data["starts_at"], actor=request.user, now=timezone.now()
            )
        except DomainError as refusal:
            form.add_refusal(refusal)
        else:
            messages.success(request, _("The copy is saved as a draft. Check it, then publish it."))
            return redirect("staff:edit", made.slug)
    context = {"event": event, "section": "edit", "form": form}
    return render_with_form(request, "registrations/staff/editor/copy.html", context, form)


@organiser_page(Capability.MANAGE)
def series(request, event):
    form = SeriesForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            made = copying.create_series(
                event, form.dates(), publish=form.publishes, actor=request.user, now=timezone.now()
            )
        except DomainError as refusal:
            form.add_refusal(refusal)
        else:
            count = len(made)
            text = (
                ngettext("%(count)s date published.", "%(count)s dates published.", count)
                if form.publishes
                else ngettext("%(count)s date saved as a draft.", "%(count)s dates saved as drafts.", count)
            )
            messages.success(request, text % {"count": count})
            return redirect("staff:dashboard")
    context = {"event": event, "section": "edit", "form": form}
    return render_with_form(request, "registrations/staff/editor/series.html", context, form)
