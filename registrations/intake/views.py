"""The organisers' view of the registration inbox: what came in, what became of it, and the
mails that named no event, which an organiser can assign by hand."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.forms import KernForm
from events.access import Capability, Forbidden, events_where, is_city_admin, member_page, organises_any_event
from events.models import Event
from registrations.intake.models import IntakeMail, Outcome
from registrations.intake.services import assign_to_event

UNASSIGNED = (Outcome.NO_KEYWORD, Outcome.IGNORED)


def visible_mails(user):
    """Mails of the events whose registrants' data the user may see, and the mails that belong
    to no event yet."""
    mails = IntakeMail.objects.select_related("event", "registration")
    if is_city_admin(user):
        return mails
    return mails.filter(Q(event__in=events_where(user, Capability.PERSONAL_DATA)) | Q(event__isnull=True))


class AssignForm(KernForm):
    event = forms.ModelChoiceField(label=gettext_lazy("Register the writer for"), queryset=Event.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events_where(user, Capability.MANAGE).filter(ends_at__gte=timezone.now())


def staff_required(view):
    """The inbox holds mails of every event yet to be assigned: organisers of some event only."""

    @member_page
    def wrapped(request, *args, **kwargs):
        if not organises_any_event(request.user):
            raise Forbidden("forbidden", _("Only organisers may open the registration inbox."))
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    return wrapped


@staff_required
def inbox(request):
    outcome = request.GET.get("outcome", "")
    mails = visible_mails(request.user)
    if outcome in Outcome.values:
        mails = mails.filter(outcome=outcome)
    page = Paginator(mails, 50).get_page(request.GET.get("page"))
    context = {"page": page, "outcomes": Outcome.choices, "selected": outcome, "unassigned": UNASSIGNED}
    return render(request, "registrations/intake/inbox.html", context)


@staff_required
def mail_detail(request, pk):
    mail = get_object_or_404(visible_mails(request.user), pk=pk)
    form = AssignForm(user=request.user) if mail.outcome in UNASSIGNED else None
    return render(request, "registrations/intake/mail.html", {"mail": mail, "form": form})


@staff_required
@require_POST
def assign(request, pk):
    mail = get_object_or_404(visible_mails(request.user).filter(event__isnull=True), pk=pk)
    form = AssignForm(request.POST, user=request.user)
    if not form.is_valid():
        return render(request, "registrations/intake/mail.html", {"mail": mail, "form": form}, status=422)
    try:
        mail = assign_to_event(mail, form.cleaned_data["event"], actor=request.user, now=timezone.now())
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Assigned: %(outcome)s.") % {"outcome": mail.get_outcome_display()})
    return redirect("intake:mail", pk=mail.pk)
