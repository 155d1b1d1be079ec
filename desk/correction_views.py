"""Readers' correction reports in the reviewers' queue (issue: follow and share).

Each open report is shown with the published record it is about and answered here:
accepted with the corrected values (applied through the states services, so the
changelog shows the correction with the answer as its reason) or rejected with a
reason. The Django admin keeps the same answer form for superusers.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from desk.views import REVIEW_PERMISSION, _require
from follow import selectors, services
from follow.forms import CorrectionAnswerForm
from follow.models import CorrectionReport

REPORTS_SHOWN = 50
ANSWERED_SHOWN = 20


def _page(request, bound=None):
    """The queue; `bound` is the one form just refused, kept as typed."""
    reports = list(selectors.open_correction_reports()[:REPORTS_SHOWN])
    forms = [
        bound
        if bound is not None and bound.instance.pk == report.pk
        else CorrectionAnswerForm(instance=report, prefix=f"report-{report.pk}")
        for report in reports
    ]
    return render(
        request,
        "desk/corrections.html",
        {
            "open_reports": list(zip(reports, forms, strict=True)),
            "answered": selectors.answered_correction_reports()[:ANSWERED_SHOWN],
        },
        status=200 if bound is None else 400,
    )


@login_required
def corrections(request):
    _require(request.user, REVIEW_PERMISSION, "Correction reports are for reviewers.")
    return _page(request)


@login_required
@require_POST
def correction_answer(request, pk):
    _require(request.user, REVIEW_PERMISSION, "Answering reports is for reviewers.")
    report = get_object_or_404(CorrectionReport, pk=pk)
    form = CorrectionAnswerForm(
        request.POST, instance=report, prefix=f"report-{report.pk}"
    )
    if not form.is_valid():
        return _page(request, bound=form)
    try:
        services.correction_answer(
            report=report,
            user=request.user,
            decision=form.cleaned_data["decision"],
            answer=form.cleaned_data["answer"],
            changes=form.changes(),
        )
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return _page(request, bound=form)
    messages.success(request, f"Report {report.pk} answered.")
    return redirect("desk:corrections")
