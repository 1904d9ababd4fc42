"""The certification page: what each step recorded, and the current step's form and decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from candidates import permissions, selectors, services
from candidates.forms.certification import SAVE, NoticeForm, step_form
from config.breadcrumbs import crumbs


@login_required
def certification_detail(request, pk):
    """GET: the certification and, for whoever works on its step, the step's form. POST: save or decide."""
    certification = get_object_or_404(selectors.certification_queryset(user=request.user), pk=pk)
    form = step_form(certification, request.user, request.POST or None)
    if request.method == "POST":
        if not permissions.can_decide_certification(request.user, certification):
            raise PermissionDenied
        if form.is_valid():
            decision = form.cleaned_data["decision"]
            try:
                if decision == SAVE:
                    services.certification_record(
                        certification=certification,
                        by=request.user,
                        data=form.step_data(),
                        expected_step=form.cleaned_data["expected_step"],
                    )
                    messages.success(request, _("Saved."))
                else:
                    services.certification_advance(
                        certification=certification,
                        by=request.user,
                        decision=decision,
                        opinion=form.cleaned_data["opinion"],
                        expected_step=form.cleaned_data["expected_step"],
                        data=form.step_data(),
                    )
                    messages.success(request, _("Decision recorded."))
                return redirect(certification)
            except services.AlreadyDecided as taken:
                messages.error(request, taken.message)
                return redirect(certification)
            except services.WorkflowError as error:
                form.add_error(None, error.message)
    return render(
        request,
        "candidates/certification_detail.html",
        selectors.certification_page(certification=certification, user=request.user, form=form)
        | {"notice_form": NoticeForm(), "breadcrumbs": _breadcrumbs(certification)},
    )


def _breadcrumbs(certification) -> list[dict]:
    candidate = certification.candidate
    return crumbs(
        (_("Candidates"), "candidates:candidate_list"), (candidate.name, candidate), _("Certification")
    )


@login_required
@require_POST
def notice_publish(request, pk):
    """Publish the public notice (公示) from the first day given, at the step that publishes it."""
    certification = get_object_or_404(selectors.certification_queryset(user=request.user), pk=pk)
    if not permissions.can_publish_notice(request.user, certification):
        raise PermissionDenied
    form = NoticeForm(request.POST)
    if form.is_valid():
        try:
            notice = services.notice_publish(
                certification=certification, by=request.user, start_date=form.cleaned_data["start_date"]
            )
            messages.success(
                request,
                _("The public notice runs from %(start)s to %(end)s.")
                % {"start": notice.start_date, "end": notice.end_date},
            )
        except services.WorkflowError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(certification)
