"""The organisers' view of what was sent: every mail's state, failed ones with the reason and a
button to send them again, messages to all registrants with a progress bar, and the call list."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import DomainError
from events.access import Capability, organiser_page
from registrations.models import BulkMessage, MailKind, MailState, OutboxMail, Status
from registrations.outbox import bulk
from registrations.outbox.forms import BulkMessageForm

PAGE_SIZE = 50


@organiser_page(Capability.MANAGE)
@require_GET
def outbox(request, event):
    mails = event.outbox_mails.select_related("registration").defer("rendered").order_by("-created_at", "-pk")
    state = request.GET.get("state", "")
    if state in MailState.values:
        mails = mails.filter(state=state)
    page = Paginator(mails, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "event": event,
        "page": page,
        "state": state,
        "states": MailState.choices,
        "failed": event.outbox_mails.filter(state=MailState.FAILED).count(),
        "bulk_messages": event.bulk_messages.all()[:10],
    }
    return render(request, "registrations/outbox/outbox.html", context)


@organiser_page(Capability.MANAGE)
@require_GET
def mail_source(request, event, mail_id):
    """The mail exactly as it went out (or will), for organisers who need to check what was said."""
    mail = get_object_or_404(OutboxMail, pk=mail_id, event=event)
    if mail.rendered is None:
        return HttpResponse(_("This mail is rendered when it is first sent."), content_type="text/plain; charset=utf-8")
    response = HttpResponse(bytes(mail.rendered), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="mail-{mail.pk}.eml"'
    return response


@organiser_page(Capability.MANAGE)
@require_POST
def resend(request, event, mail_id):
    mail = get_object_or_404(OutboxMail.objects.select_related("registration", "event"), pk=mail_id, event=event)
    try:
        bulk.resend(mail, actor=request.user, now=timezone.now())
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The mail to %(to)s is being sent again.") % {"to": mail.to})
    return redirect("outbox:list", event.slug)


@organiser_page(Capability.MANAGE)
@require_http_methods(["GET", "POST"])
def write_message(request, event):
    form = BulkMessageForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            message = bulk.send_bulk_message(event, actor=request.user, now=timezone.now(), **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect("outbox:message", event.slug, message.pk)
    counts = {key: bulk.audience_of(event, key).count() for key in bulk.AUDIENCES}
    counts["english"] = bulk.audience_of(event, "all").filter(language="en").count()
    status = 422 if form.errors else 200
    return render(
        request, "registrations/outbox/write.html", {"event": event, "form": form, "counts": counts}, status=status
    )


@organiser_page(Capability.MANAGE)
@require_GET
def message_progress(request, event, message_id):
    message = get_object_or_404(BulkMessage, pk=message_id, event=event)
    language, subject, body = message.in_language(translation.get_language())
    context = {
        "event": event,
        "message": message,
        "progress": bulk.progress(message),
        "text": {"language": language, "subject": subject, "body": body},
    }
    if request.headers.get("HX-Request"):
        return render(request, "registrations/outbox/_progress.html", context)
    return render(request, "registrations/outbox/message.html", context)


@organiser_page(Capability.MANAGE)
@require_GET
def call_list(request, event):
    """Registrants without an e-mail address: they must be phoned when the event changes."""
    people = event.registrations.filter(email="").exclude(status=Status.CANCELLED).in_queue_order()
    latest_change = event.audit_entries.filter(action="event.registrants_told").first()
    context = {
        "event": event,
        "people": people,
        "latest_change": latest_change,
        "latest_change_label": MailKind(latest_change.data["kind"]).label if latest_change else "",
    }
    return render(request, "registrations/outbox/call_list.html", context)
