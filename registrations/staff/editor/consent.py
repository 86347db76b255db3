"""The consent texts of an event in the editor: the terms and the broadcast clause.

A change makes a new version (`events.services.change_terms`); registrations keep the version
they agreed to, and the page shows how many and which registrations hold each version."""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from core.forms import KernForm
from events import services
from events.access import Capability, organiser_page
from events.models import ConsentTerms, Event
from registrations.models import ConsentKind, ConsentRecord
from registrations.staff.editor.views import SECTION_BY_KEY, render_section_page

# Names shown per version; the rest are counted (the registration list finds everyone).
NAMES_SHOWN = 50


class ConsentTermsForm(KernForm):
    text_de = forms.CharField(
        label=gettext_lazy("Terms (German)"), widget=forms.Textarea(attrs={"rows": 5, "lang": "de"})
    )
    text_en = forms.CharField(
        label=gettext_lazy("Terms (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "lang": "en"}),
        help_text=gettext_lazy("Empty: English readers see the German terms."),
    )
    broadcast_consent_required = forms.BooleanField(
        label=gettext_lazy("Ask on-site participants whether they agree to appear in the broadcast"),
        required=False,
        help_text=gettext_lazy("The seat never depends on it."),
    )
    broadcast_text_de = forms.CharField(
        label=gettext_lazy("Broadcast consent (German)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "lang": "de"}),
    )
    broadcast_text_en = forms.CharField(
        label=gettext_lazy("Broadcast consent (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "lang": "en"}),
        help_text=gettext_lazy("Empty: English readers see the German text."),
    )

    def __init__(self, *args, terms: ConsentTerms | None, **kwargs):
        initial = vars(services.terms_of(terms)) if terms is not None else {}
        super().__init__(*args, initial=initial, **kwargs)

    def terms_data(self) -> services.TermsData:
        return services.TermsData(**self.cleaned_data)


@dataclass
class VersionHeld:
    terms: ConsentTerms
    registrations: int
    broadcast: int
    names: list[tuple[int, str]]

    @property
    def more(self) -> int:
        return self.registrations - len(self.names)


def versions_held(event: Event) -> list[VersionHeld]:
    """Every version, newest first, with the registrations that agreed to it (active or not: the
    record is the evidence). One query for the counts, one per version for the first names."""
    counts = {
        (row["terms_id"], row["kind"]): row["count"]
        for row in ConsentRecord.objects.filter(registration__event=event)
        .values("terms_id", "kind")
        .annotate(count=Count("registration", distinct=True))
    }
    held = []
    for terms in event.consent_terms.order_by("-version"):
        registrations = counts.get((terms.pk, ConsentKind.TERMS), 0)
        names = []
        if registrations:
            names = list(
                ConsentRecord.objects.filter(terms=terms, kind=ConsentKind.TERMS)
                .order_by("registration__received_at", "registration_id")
                .values_list("registration_id", "registration__name")[:NAMES_SHOWN]
            )
        held.append(VersionHeld(terms, registrations, counts.get((terms.pk, ConsentKind.BROADCAST), 0), names))
    return held


@organiser_page(Capability.MANAGE)
def consent_terms(request, event):
    current = event.current_terms()
    form = ConsentTermsForm(request.POST if request.method == "POST" else None, terms=current)
    if form.is_valid():
        try:
            made = services.change_terms(event, form.terms_data(), actor=request.user, now=timezone.now())
        except DomainError as refusal:
            form.add_refusal(refusal)
        else:
            if current is not None and made.pk == current.pk:
                messages.info(request, _("The texts are unchanged; no new version was made."))
            else:
                messages.success(
                    request,
                    _(
                        "Version %(version)s of the consent texts is saved. Everyone who registers from now on "
                        "agrees to it; earlier registrations keep the version they agreed to."
                    )
                    % {"version": made.version},
                )
            return redirect("staff:consent_terms", event.slug)
    extra = {"current": current, "versions": versions_held(event)}
    response = render_section_page(
        request, event, SECTION_BY_KEY["consent"], form, "registrations/staff/editor/consent.html", extra
    )
    if form.errors:
        response.status_code = 422
    return response
