"""The public notice page (公示) and objections (异议): filed by anyone, recorded by officials, ruled on by
the county."""

import datetime
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from candidates import permissions, services
from candidates.choices import ObjectionStatus
from candidates.forms.notices import (
    NoticeSearchForm,
    ObjectionRecordForm,
    ObjectionRulingForm,
    PublicObjectionForm,
)
from candidates.models import Certification, Objection, PublicNotice
from config.network import client_address

# From a notice to the county of the candidate's village: all a public row shows, in one query.
VILLAGE = "certification__candidate__village__region"
COUNTY = f"{VILLAGE}__parent__parent"

RATE_WINDOW_SECONDS = 60 * 60


@dataclass(frozen=True)
class PublicNoticeRow:
    """What the public may read of a notice. Nothing else leaves the view, so no template can print
    an ID number, a phone or a birth date by mistake."""

    pk: int
    name: str
    gender: str
    village: str
    township: str
    county: str
    track: str
    start_date: datetime.date
    end_date: datetime.date
    working_days: int
    ends_today: bool

    @classmethod
    def of(cls, notice: PublicNotice) -> "PublicNoticeRow":
        certification = notice.certification
        candidate = certification.candidate
        village = candidate.village.region
        township = village.parent
        county = township.parent if township else None
        return cls(
            pk=notice.pk,
            name=candidate.name,
            gender=candidate.get_gender_display(),
            village=village.name,
            township=township.name if township else "",
            county=county.name if county else "",
            track=certification.get_track_display(),
            start_date=notice.start_date,
            end_date=notice.end_date,
            working_days=notice.working_days,
            ends_today=notice.end_date == timezone.localdate(),
        )


def _in_force(query: str = ""):
    notices = PublicNotice.objects.in_force().select_related(COUNTY)
    if query:
        notices = notices.filter(
            Q(certification__candidate__name__icontains=query)
            | Q(**{f"{VILLAGE}__name__icontains": query})
            | Q(**{f"{VILLAGE}__parent__name__icontains": query})
            | Q(**{f"{COUNTY}__name__icontains": query})
        )
    # By division code, so the notices of one county and township stand together.
    return notices.order_by(f"{VILLAGE}__code", "certification__candidate__name", "pk")


@require_http_methods(["GET"])
def notice_list(request):
    """Every notice in force, anywhere: the public's page, the same for everyone, logged in or not."""
    form = NoticeSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(_in_force(query), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [PublicNoticeRow.of(notice) for notice in page.object_list]
    return render(request, "notices/notice_list.html", {"form": form, "page": page, "rows": rows})


# Rate limit of the public objection form ----------------------------------------------------------
# The cache keeps, per client address, the times of the objections accepted in the last hour. A
# sliding window, so the page can say exactly when the next objection will be accepted. Reading and
# writing the list is not atomic: two posts at the same instant may both pass at the limit, which is
# harmless against flooding.


def _rate_key(address: str) -> str:
    return f"objections-filed:{address}"


def _recent_filings(address: str) -> list[float]:
    since = time.time() - RATE_WINDOW_SECONDS
    return sorted(t for t in cache.get(_rate_key(address), []) if t > since)


def _retry_at(address: str) -> datetime.datetime | None:
    """When `address` may file again, or None if it may now."""
    recent = _recent_filings(address)
    excess = len(recent) - settings.OBJECTIONS_PER_HOUR
    if excess < 0:
        return None
    return datetime.datetime.fromtimestamp(recent[excess] + RATE_WINDOW_SECONDS, tz=datetime.UTC)


def _count_filing(address: str) -> None:
    cache.set(_rate_key(address), [*_recent_filings(address), time.time()], RATE_WINDOW_SECONDS)


@require_http_methods(["GET", "POST"])
def objection_submit(request, pk):
    """Anyone may object to a notice in force; name and contact are optional."""
    notice = get_object_or_404(PublicNotice.objects.in_force().select_related(COUNTY), pk=pk)
    row = PublicNoticeRow.of(notice)
    form = PublicObjectionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        address = client_address(request)
        retry_at = _retry_at(address)
        if retry_at is not None:
            return _rate_limited(request, retry_at)
        if form.is_from_a_robot():
            # The same answer as a real success, so a program learns nothing from it.
            return render(request, "notices/thanks.html", {"notice": row})
        if form.is_valid():
            try:
                services.objection_file(notice=notice, objection=form.objection())
            except services.WorkflowError as error:
                form.add_error(None, error.message)
            else:
                _count_filing(address)
                return render(request, "notices/thanks.html", {"notice": row})
    return render(request, "notices/objection_form.html", {"notice": row, "form": form})


def _rate_limited(request, retry_at: datetime.datetime):
    response = render(
        request,
        "notices/rate_limited.html",
        {"retry_at": retry_at, "limit": settings.OBJECTIONS_PER_HOUR},
        status=429,
    )
    response["Retry-After"] = str(max(1, math.ceil(retry_at.timestamp() - time.time())))
    return response


# Officials ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def objection_record(request, pk):
    """An official enters an objection received by phone, letter or in person."""
    certification = get_object_or_404(
        Certification.objects.visible_to(request.user).select_related("candidate__village__region__parent"),
        pk=pk,
    )
    if not permissions.can_record_objection(request.user, certification):
        raise PermissionDenied
    notice = get_object_or_404(PublicNotice, certification=certification)
    form = ObjectionRecordForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.objection_file(notice=notice, objection=form.objection(), by=request.user)
        except services.WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The objection is recorded. The county will rule on it."))
            return redirect("candidates:certification_detail", pk=certification.pk)
    return render(
        request,
        "candidates/objection_record.html",
        {"certification": certification, "notice": notice, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def objection_rule(request, pk):
    """The county reviewer upholds or dismisses an objection, with reasoning; once ruled, it shows how."""
    objection = get_object_or_404(
        Objection.objects.visible_to(request.user).select_related(
            "notice__certification__candidate__village__region__parent", "recorded_by", "ruled_by"
        ),
        pk=pk,
    )
    if not permissions.can_rule_on_objection(request.user, objection):
        raise PermissionDenied
    certification = objection.notice.certification
    form = None
    if objection.status == ObjectionStatus.OPEN:
        form = ObjectionRulingForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            try:
                services.objection_rule(
                    objection=objection,
                    by=request.user,
                    upheld=form.upheld,
                    ruling=form.cleaned_data["ruling"],
                )
            except services.AlreadyDecided as error:
                messages.warning(request, error.message)
                return redirect("candidates:objection_rule", pk=objection.pk)
            except services.WorkflowError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _ruled_message(form.upheld))
                return redirect("candidates:certification_detail", pk=certification.pk)
    elif request.method == "POST":
        messages.warning(
            request,
            _("This objection was already ruled on by %(user)s.") % {"user": objection.ruled_by or "—"},
        )
    return render(
        request,
        "candidates/objection_rule.html",
        {"objection": objection, "notice": objection.notice, "certification": certification, "form": form},
    )


def _ruled_message(upheld: bool) -> str:
    if upheld:
        return _("The objection is upheld and the application rejected.")
    return _("The objection is dismissed; the certification continues.")
