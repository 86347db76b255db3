"""The team writes the result of a process: its texts, its sections, and for each section the
working-group items it takes up, with the city's account of each (docs/processes.md)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from events.access import member_page
from processes import results
from processes.access import process_for
from processes.forms import ItemAccountForm, ResultForm, SectionForm
from processes.models import Result, ResultSection, SectionItem
from processes.views.staff import form_status, refuse


def item_form(process, section, data=None):
    return ItemAccountForm(data, process=process, prefix=f"section-{section.pk}")


def render_result_editor(request, process, *, form=None, section_form=None, failed_item=None):
    result = Result.objects.filter(process=process).first()
    if form is None:
        fields = ("title_de", "title_en", "summary_de", "summary_en", "adopted_on", "published")
        form = ResultForm(initial={name: getattr(result, name) for name in fields} if result else {})
    sections = list(result.sections.prefetch_related("items__item__working_group")) if result else []
    for section in sections:
        failed = failed_item if failed_item and failed_item[0] == section.pk else None
        section.item_form = failed[1] if failed else item_form(process, section)
    section_form = section_form or SectionForm()
    forms = [form, section_form, *(section.item_form for section in sections)]
    context = {"process": process, "result": result, "form": form, "section_form": section_form, "sections": sections}
    return render(request, "processes/staff/result.html", context, status=form_status(*forms))


@member_page
def edit_result(request, slug):
    process = process_for(request.user, slug)
    if request.method != "POST":
        return render_result_editor(request, process)
    form = ResultForm(request.POST)
    if form.is_valid():
        results.save_result(process, results.ResultData(**form.cleaned_data), actor=request.user, now=timezone.now())
        messages.success(request, _("The result is saved."))
        return redirect("processes:result_editor", process.slug)
    return render_result_editor(request, process, form=form)


@require_POST
@member_page
def add_section(request, slug):
    process = process_for(request.user, slug)
    result = get_object_or_404(Result, process=process)
    form = SectionForm(request.POST)
    if form.is_valid():
        results.add_section(result, results.SectionData(**form.cleaned_data), actor=request.user, now=timezone.now())
        messages.success(request, _("The section is added."))
        return redirect("processes:result_editor", process.slug)
    return render_result_editor(request, process, section_form=form)


@require_POST
@member_page
def remove_section(request, slug, section_id):
    process = process_for(request.user, slug)
    section = get_object_or_404(ResultSection, result__process=process, pk=section_id)
    results.remove_section(section, actor=request.user, now=timezone.now())
    messages.success(request, _("The section is removed."))
    return redirect("processes:result_editor", process.slug)


@require_POST
@member_page
def account_for_item(request, slug, section_id):
    process = process_for(request.user, slug)
    section = get_object_or_404(
        ResultSection.objects.select_related("result__process"), result__process=process, pk=section_id
    )
    form = item_form(process, section, request.POST)
    if form.is_valid():
        account = results.ItemAccount(**form.cleaned_data)
        try:
            results.account_for_item(section, account, actor=request.user, now=timezone.now())
        except DomainError as refusal:
            refuse(form, refusal)
        else:
            messages.success(request, _("The item is in the section."))
            return redirect("processes:result_editor", process.slug)
    return render_result_editor(request, process, failed_item=(section.pk, form))


@require_POST
@member_page
def unlink_item(request, slug, linked_id):
    process = process_for(request.user, slug)
    linked = get_object_or_404(
        SectionItem.objects.select_related("section__result__process"), section__result__process=process, pk=linked_id
    )
    results.unlink_item(linked, actor=request.user, now=timezone.now())
    messages.success(request, _("The item is taken out of the section."))
    return redirect("processes:result_editor", process.slug)
