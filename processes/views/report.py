"""The result of a process for everyone: the page "what became of your ideas" and the same as PDF."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from weasyprint import HTML

from processes.access import may_manage
from processes.models import Process, Result
from processes.report import print_css, published_accounts, report_of
from processes.views.public import visible_process


def visible_result(request, slug) -> tuple[Process, Result, bool]:
    """A published result of a published process; for the process's team also a draft (preview)."""
    process = visible_process(request, slug)
    result = get_object_or_404(Result, process=process)
    preview = not (process.published and result.published)
    if preview and not may_manage(request.user, process):
        raise Http404
    return process, result, preview


def result_page(request, slug):
    process, result, preview = visible_result(request, slug)
    response = render(request, "processes/report.html", {"report": report_of(process, result), "preview": preview})
    if preview:
        response["Cache-Control"] = "private, no-store"
    return response


def result_pdf(request, slug):
    process, result, preview = visible_result(request, slug)
    context = {"report": report_of(process, result), "preview": preview, "print_css": print_css()}
    html = render_to_string("processes/report_print.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{process.slug}-{get_language()}.pdf"'
    if preview:
        response["Cache-Control"] = "private, no-store"
    return response


def idea_result_steps(request, idea) -> str | None:
    """On an idea's page, the last steps of its way: each section of a published result that
    accounts for its backlog item, with the account. Nothing of a result not published."""
    item_id = idea.current.backlog_item_id
    accounts = published_accounts(item_id) if item_id else []
    if not accounts:
        return None
    return render_to_string("processes/_idea_result_steps.html", {"accounts": accounts}, request=request)
