"""The organisers' reports: attendance per event and per period, and the survey after the event.

Guarded by the one organiser guard (events/access.py): the counts need `view_counts`, the CSV
with names `personal_data`, the survey `manage`; another team's event is a 404. Changes are
POSTs that call `reports.feedback.services` and redirect with a message; a refusal is shown
with the form again (HTTP 400/409) and changes nothing."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.charts import bar_chart, column_chart
from core.errors import DomainError
from events.access import Capability, member_page, organiser_page
from reports import attendance, exports
from reports.attendance import Report
from reports.feedback import results, services
from reports.feedback.services import DEFAULT_QUESTIONS
from reports.forms import PeriodForm, QuestionForm


def report_charts(report: Report) -> list:
    total = report.total
    buckets = {"day": _("Day"), "week": _("Week from"), "month": _("Month")}
    charts = [
        column_chart(
            "over-time",
            _("Registrations over time"),
            report.over_time,
            label_header=buckets[report.bucket],
            value_header=_("Registrations"),
        ),
        bar_chart(
            "channels",
            _("Channels of the registrations"),
            attendance.channel_rows(total),
            label_header=_("Channel"),
            value_header=_("Registrations"),
        ),
        bar_chart(
            "seat-types",
            _("Seat types (without cancellations)"),
            attendance.seat_rows(total),
            label_header=_("Seat type"),
            value_header=_("Registrations"),
        ),
    ]
    if total.over:
        charts.append(
            bar_chart(
                "shows",
                _("Confirmed: came or not"),
                [(_("came"), total.came), (_("did not come"), total.no_shows or 0)],
                label_header=_("Attendance"),
                value_header=_("People"),
            )
        )
    charts.append(
        bar_chart(
            "waiting-list",
            _("People on the waiting list"),
            [
                (_("moved up to a seat"), total.promoted),
                (_("still waiting"), total.still_waiting),
                (_("cancelled while waiting"), total.left_waiting_list),
            ],
            label_header=_("Outcome"),
            value_header=_("People"),
        )
    )
    return charts


@organiser_page(Capability.VIEW_COUNTS)
def event_report(request, event):
    report = attendance.event_report(event, now=timezone.now())
    return render(
        request,
        "reports/event_report.html",
        {
            "event": event,
            "section": "report",
            "heading": _("Attendance report"),
            "report": report,
            "figures": report.total,
            "charts": report_charts(report),
        },
    )


@organiser_page(Capability.PERSONAL_DATA)
def event_report_csv(request, event):
    report = attendance.event_report(event, now=timezone.now())
    stamp = timezone.localtime(timezone.now()).strftime("%Y-%m-%d-%H%M")
    return exports.event_csv(event, report, filename=f"anwesenheit-{event.slug}-{stamp}.csv")


@member_page
def period_report(request):
    form = PeriodForm(request.GET, today=timezone.localdate())
    if form.is_bound and not form.is_valid():
        return render(request, "reports/period_report.html", {"form": form}, status=400)
    start, end = form.period()
    report = attendance.period_report(attendance.managed_events_in(request.user, start, end), now=timezone.now())
    return render(
        request,
        "reports/period_report.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "report": report,
            "figures": report.total,
            "charts": report_charts(report),
            "query": request.GET.urlencode(),
        },
    )


@member_page
def period_report_csv(request):
    form = PeriodForm(request.GET, today=timezone.localdate())
    if form.is_bound and not form.is_valid():
        return render(request, "reports/period_report.html", {"form": form}, status=400)
    start, end = form.period()
    report = attendance.period_report(attendance.managed_events_in(request.user, start, end), now=timezone.now())
    return exports.period_csv(report, filename=f"anwesenheit-{start:%Y-%m-%d}-{end:%Y-%m-%d}.csv")


def render_survey(request, event, *, question_form: QuestionForm | None = None, status: int = 200):
    survey = services.survey_of(event)
    questions = list(survey.questions.all()) if survey else []
    sent = bool(survey and survey.invitations.exists())
    came, agreed = services.audience(event)
    return render(
        request,
        "reports/survey.html",
        {
            "event": event,
            "section": "survey",
            "heading": _("Feedback after the event"),
            "survey": survey,
            "questions": questions,
            "default_questions": [(kind, de, en) for kind, de, en, *_rest in DEFAULT_QUESTIONS],
            "sent": sent,
            "question_form": question_form or QuestionForm(),
            "came": came,
            "consented": agreed,
            "over": event.ends_at <= timezone.now(),
            "results": results.results_of(survey) if sent else None,
        },
        status=status,
    )


@organiser_page(Capability.MANAGE)
def survey_page(request, event):
    return render_survey(request, event)


@require_POST
@organiser_page(Capability.MANAGE)
def add_question(request, event):
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.add_question(event, form.question_data(), actor=request.user, now=timezone.now())
        except DomainError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The question was added."))
            return redirect("reports:survey", event.slug)
    return render_survey(request, event, question_form=form, status=422)


@require_POST
@organiser_page(Capability.MANAGE)
def remove_question(request, event, pk):
    try:
        services.remove_question(event, pk, actor=request.user, now=timezone.now())
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The question was removed."))
    return redirect("reports:survey", event.slug)


@require_POST
@organiser_page(Capability.MANAGE)
def send_survey(request, event):
    try:
        outcome = services.send_invitations(event, actor=request.user, now=timezone.now())
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, send_summary(outcome))
    return redirect("reports:survey", event.slug)


def send_summary(outcome: services.SendOutcome) -> str:
    sent = ngettext("%(count)s survey link sent.", "%(count)s survey links sent.", outcome.invited) % {
        "count": outcome.invited
    }
    return " ".join(
        [
            sent,
            _("Invited before: %(already)s. Came without agreeing to a feedback request: %(without)s.")
            % {"already": outcome.already_invited, "without": outcome.attended_without_consent},
        ]
    )


@organiser_page(Capability.MANAGE)
def survey_csv(request, event):
    survey = services.survey_of(event)
    if survey is None:
        messages.error(request, _("There are no answers yet."))
        return redirect("reports:survey", event.slug)
    return results.results_csv(survey, filename=f"rueckmeldungen-{event.slug}.csv")
