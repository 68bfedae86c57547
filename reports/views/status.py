"""Status report pages: the list, writing a report (with the suggested RAG and its figures),
one report with its review, and a project's reports with its S-curve, reporting schedule and
closure survey."""

import datetime
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_filters.views import FilterView

from pmo_portal import permissions
from pmo_portal.errors import StaleVersionError
from pmo_portal.service_forms import add_service_error
from projects.history import KIND_LABELS, FieldChange, HistoryEntry
from projects.models import Project
from projects.views.register import get_project_for_user

from .. import evm
from ..figures import s_curve, schedule_of
from ..filters import StatusReportFilter
from ..forms import ClosureSurveyForm, ReviewForm, ScheduleForm, StatusReportForm, SubmitForm
from ..models import ClosureSurvey, ReportingPeriod, StatusReport
from ..services import status as services

FORM_TEMPLATE = "reports/status/report_form.html"
DETAIL_TEMPLATE = "reports/status/report_detail.html"
HISTORY_FIELDS = [
    "state", "overall_rag", "suggested_rag", "override_reason", "percent_complete",
    "schedule_rag", "cost_rag", "scope_rag", "quality_rag", "risk_rag", "review_comments",
]  # fmt: skip


def reports_visible_to(user):
    permissions.ensure(permissions.can_view_reports(user))
    return StatusReport.objects.visible_to(user)


def get_report_for_user(user, pk) -> StatusReport:
    """A report the user may read (404 otherwise), with what its pages show."""
    return get_object_or_404(
        reports_visible_to(user).select_related(
            "project", "project__department", "project__manager", "period", "author",
            "reviewed_by",
        ),
        pk=pk,
    )  # fmt: skip


class StatusReportListView(FilterView):
    """Every report the user may read, newest period first, filtered by what the dashboard's
    figures link to (RAG, month, latest only, CPI/SPI, department, manager, portfolio)."""

    filterset_class = StatusReportFilter
    template_name = "reports/status/report_list.html"
    paginate_by = 25

    def get_queryset(self):
        return reports_visible_to(self.request.user).for_list().order_by("-month", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_review"] = permissions.can_review_status_reports(self.request.user)
        return context


# --- writing a report ------------------------------------------------------------------------


def _figure_rows(source) -> list[tuple[str, object, str]]:
    """(name, value, kind) of the earned-value figures of a report or of evm.EarnedValue."""
    names = [("BAC", "bac"), ("PV", "pv"), ("EV", "ev"), ("AC", "ac"), ("CV", "cv"),
             ("SV", "sv"), ("CPI", "cpi"), ("SPI", "spi"), ("EAC", "eac"), ("ETC", "etc"),
             ("VAC", "vac"), ("TCPI", "tcpi")]  # fmt: skip
    rows = []
    for label, name in names:
        value = getattr(source, name, None)
        if value is None and isinstance(getattr(source, "figures", None), dict):
            raw = source.figures.get(name)
            value = None if raw is None else Decimal(raw)
        kind = "index" if name in ("cpi", "spi", "tcpi") else "money"
        rows.append((label, value, kind))
    return rows


def _default_period(project: Project, frequency: str, today: datetime.date):
    """The latest started period of the project's frequency without a report yet."""
    return (
        ReportingPeriod.objects.filter(frequency=frequency, start__lte=today)
        .exclude(reports__project=project)
        .order_by("-end")
        .first()
    )


def _period_from(data, frequency: str):
    try:
        pk = int(data.get("period", ""))
    except ValueError:
        return None
    return ReportingPeriod.objects.filter(pk=pk, frequency=frequency).first()


def _typed_percent(request) -> Decimal | None:
    """The percent complete sent with the form, when it is one: the RAG suggested beside the
    form, and that the overall RAG is judged against, is the one for this figure."""
    if request.method != "POST":
        return None
    try:
        value = Decimal(request.POST.get("percent_complete", "").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() and 0 <= value <= 100 else None


def report_create(request, pk):
    """A project manager writes a report for one of their projects and one period, starting
    from the RAG and figures the data suggest."""
    project = get_project_for_user(request.user, pk)
    permissions.ensure(permissions.can_write_status_report(request.user, project))
    today = timezone.localdate()
    frequency = services.frequency_of(project)
    data = request.POST if request.method == "POST" else request.GET
    period = _period_from(data, frequency) or _default_period(project, frequency, today)
    suggestion = services.suggested_report(
        project,
        period or ReportingPeriod(start=today, end=today, due_on=today),
        by=request.user,
        percent_complete=_typed_percent(request),
    )
    initial = {
        name: getattr(suggestion, name)
        for name in ["percent_complete", "overall_rag", "schedule_rag", "cost_rag", "risk_rag"]
    }
    if period is not None:
        initial["period"] = period.pk
    form = StatusReportForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        project=project,
        suggested=suggestion.suggested_rag,
        frequency=frequency,
        today=today,
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(
                project=project,
                period=form.cleaned_data["period"],
                by=request.user,
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Draft saved. Submit it to the PMO when it is complete."))
            return redirect(report)
    return render(
        request,
        FORM_TEMPLATE,
        {
            "project": project,
            "form": form,
            "suggestion": suggestion,
            "figure_rows": _figure_rows(suggestion),
            "eac_formula": evm.EAC_METHODS[evm.DEFAULT_EAC_METHOD],
            "no_period": period is None,
        },
    )


def report_update(request, pk):
    """Change a draft; its figures and suggested RAG are worked out again."""
    report = get_report_for_user(request.user, pk)
    permissions.ensure(permissions.can_write_status_report(request.user, report.project))
    if not report.is_draft:
        messages.warning(request, _("This report was submitted already and can no longer change."))
        return redirect(report)
    typed = _typed_percent(request)
    suggestion = (
        report
        if typed is None
        else services.suggested_report(
            report.project, report.period, by=request.user, percent_complete=typed
        )
    )
    form = StatusReportForm(
        request.POST if request.method == "POST" else None,
        instance=report,
        project=report.project,
        suggested=suggestion.suggested_rag,
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_update(
                report=report,
                by=request.user,
                version=form.cleaned_data.get("version"),
                **form.service_fields(),
            )
        except StaleVersionError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Draft saved."))
            return redirect(report)
    return render(
        request,
        FORM_TEMPLATE,
        {
            "project": report.project,
            "report": report,
            "form": form,
            "suggestion": suggestion,
            "figure_rows": _figure_rows(suggestion),
            "eac_formula": evm.EAC_METHODS[evm.DEFAULT_EAC_METHOD],
        },
    )


# --- one report --------------------------------------------------------------------------


def _shown(name: str, value) -> str:
    if value is None or value == "":
        return "—"
    model_field = StatusReport._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, Decimal):
        return number_format(value, decimal_pos=1, use_l10n=True)
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def report_history(report: StatusReport) -> list[HistoryEntry]:
    """Who wrote, submitted and reviewed the report and what changed, oldest first."""
    records = report.history.select_related("history_user").order_by("history_date", "history_id")
    entries, older = [], None
    for record in records:
        entry = HistoryEntry(
            when=record.history_date,
            who=record.history_user,
            kind=str(KIND_LABELS.get(record.history_type, record.history_type)),
        )
        if older is not None:
            for name in HISTORY_FIELDS:
                old, new = getattr(older, name), getattr(record, name)
                if old != new:
                    entry.changes.append(
                        FieldChange(
                            label=str(StatusReport._meta.get_field(name).verbose_name),
                            old=_shown(name, old),
                            new=_shown(name, new),
                        )
                    )
        older = record
        if record.history_type != "~" or entry.changes:
            entries.append(entry)
    return entries


def detail_context(user, report: StatusReport, *, review_form=None, submit_error=None) -> dict:
    can_write = permissions.can_write_status_report(user, report.project)
    can_review = permissions.can_review_status_reports(user)
    return {
        "report": report,
        "project": report.project,
        "figure_rows": _figure_rows(report),
        "eac_formula": evm.EAC_METHODS.get(
            report.figures.get("eac_method", evm.DEFAULT_EAC_METHOD), ""
        ),
        "reasons": report.figures.get("suggestion_reasons", []),
        "history": report_history(report),
        "can_edit": can_write and report.is_draft,
        "can_submit": can_write and report.is_draft,
        "can_review": can_review and report.state == StatusReport.State.SUBMITTED,
        "review_form": review_form or ReviewForm(),
        "submit_error": submit_error,
    }


def report_detail(request, pk):
    report = get_report_for_user(request.user, pk)
    return render(request, DETAIL_TEMPLATE, detail_context(request.user, report))


@require_POST
def report_submit(request, pk):
    """Freeze the report's figures and hand it to the PMO."""
    report = get_report_for_user(request.user, pk)
    permissions.ensure(permissions.can_write_status_report(request.user, report.project))
    form = SubmitForm(request.POST)
    version = form.cleaned_data.get("version") if form.is_valid() else None
    try:
        services.report_submit(report=report, by=request.user, version=version)
    except StaleVersionError as error:
        messages.error(request, str(error))
        return redirect(report)
    except ValidationError as error:
        report.refresh_from_db()
        return render(
            request,
            DETAIL_TEMPLATE,
            detail_context(request.user, report, submit_error=" ".join(error.messages)),
            status=200,
        )
    messages.success(request, _("Report submitted to the PMO."))
    return redirect(report)


@require_POST
def report_review(request, pk):
    """The PMO's review of a submitted report, with comments for its author."""
    report = get_report_for_user(request.user, pk)
    permissions.ensure(permissions.can_review_status_reports(request.user))
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.report_review(
                report=report, by=request.user, comments=form.cleaned_data["comments"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Report reviewed. Its author has been told."))
            return redirect(report)
    return render(request, DETAIL_TEMPLATE, detail_context(request.user, report, review_form=form))


# --- a project's reports ---------------------------------------------------------------------


PROJECT_REPORTS_SHOWN = 26


def project_reports(request, pk, *, schedule_form=None, survey_form=None):
    """A project's S-curve, its reports (newest first), how often it reports, and its closure
    survey once closed."""
    permissions.ensure(permissions.can_view_reports(request.user))
    project = get_project_for_user(request.user, pk)
    user = request.user
    reports = (
        StatusReport.objects.visible_to(user)
        .filter(project=project)
        .select_related("period", "author")
        .order_by("-period__end")
    )
    schedule = schedule_of(project)
    survey = ClosureSurvey.objects.filter(project=project).first()
    can_schedule = permissions.can_change_project(user, project)
    can_survey = project.status == Project.Status.CLOSED and permissions.can_record_closure_survey(
        user, project
    )
    context = {
        "project": project,
        "reports": reports[:PROJECT_REPORTS_SHOWN],
        "report_count": reports.count(),
        "chart": s_curve(project),
        "schedule": schedule,
        "survey": survey,
        "can_write": permissions.can_write_status_report(user, project),
        "can_schedule": can_schedule,
        "schedule_form": schedule_form
        or (ScheduleForm(instance=schedule) if can_schedule else None),
        "can_survey": can_survey,
        "survey_form": survey_form or (ClosureSurveyForm(instance=survey) if can_survey else None),
    }
    return render(request, "reports/status/project_reports.html", context)


@require_POST
def schedule_update(request, pk):
    project = get_project_for_user(request.user, pk, permissions.CHANGE)
    form = ScheduleForm(request.POST, instance=schedule_of(project))
    if form.is_valid():
        try:
            services.schedule_set(project=project, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Reporting schedule saved."))
            return redirect("reports:project_reports", pk=project.pk)
    return project_reports(request, pk, schedule_form=form)


@require_POST
def closure_survey_record(request, pk):
    project = get_project_for_user(request.user, pk)
    permissions.ensure(permissions.can_record_closure_survey(request.user, project))
    form = ClosureSurveyForm(request.POST)
    if form.is_valid():
        try:
            services.closure_survey_record(project=project, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Closure survey recorded."))
            return redirect("reports:project_reports", pk=project.pk)
    return project_reports(request, pk, survey_form=form)
