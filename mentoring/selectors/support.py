"""Reads of support (扶持): the scoped lists and their totals, the figures of a region, what a candidate's
page shows, and the support events of a person's timeline.

Every figure is built from `visible_to(user)`, so that a number and the list behind it agree.
"""

import datetime
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from candidates.person import PersonRecords
from candidates.timeline import TimelineEvent
from config.forms import field_label
from mentoring import permissions
from mentoring.choices import SupportKind
from mentoring.models import Policy, Support
from villages.codes import division_prefix

# What a list row shows, fetched with the row: the person, their village, township and county.
PERSON = "candidate__village__region__parent__parent"


def in_region(queryset: QuerySet, region) -> QuerySet:
    """Records about the people of `region` (a `villages.models.Region`; None: all of `queryset`),
    by the division code of the person's village."""
    if region is None:
        return queryset
    return queryset.filter(candidate__village__region__code__startswith=division_prefix(region.code))


def day_start(day: datetime.date) -> datetime.datetime:
    """The first moment of `day`: where a dated record sits on a timeline."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def line(label, value) -> str:
    """One line of a timeline event's particulars."""
    return _("%(label)s: %(value)s") % {"label": label, "value": value}


def number(value: Decimal) -> str:
    """A sum of yuan or mu as a clerk reads it: grouped, two decimals."""
    return formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)


# The lists -----------------------------------------------------------------------------------------


def support_list(*, user) -> QuerySet:
    """Support records the user may see, newest first, with what a row and the export show."""
    return Support.objects.visible_to(user).select_related(PERSON, "policy", "recorded_by")


def policy_list(*, user) -> QuerySet:
    """The policy catalogue (in force first), each policy with the support records citing it that the
    user may see: one query, whatever the number of policies."""
    cited = (
        Support.objects.visible_to(user)
        .filter(policy=OuterRef("pk"))
        .order_by()
        .values("policy")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Policy.objects.visible_to(user)
        .annotate(records=Coalesce(Subquery(cited, output_field=IntegerField()), Value(0)))
        .order_by("-active", "name")
    )


def support_totals(queryset: QuerySet) -> dict:
    """What the rows of `queryset` (support records) add up to, in one query: `records`; by kind
    `policy_records`, `loans`, `loans_yuan` (Decimal), `land_transfers`, `land_transfer_mu` (Decimal)
    and `projects`."""
    totals = queryset.order_by().aggregate(
        records=Count("pk"),
        policy_records=Count("pk", filter=Q(kind=SupportKind.POLICY)),
        loans=Count("pk", filter=Q(kind=SupportKind.LOAN)),
        loans_yuan=Sum("amount", filter=Q(kind=SupportKind.LOAN)),
        land_transfers=Count("pk", filter=Q(kind=SupportKind.LAND)),
        land_transfer_mu=Sum("area", filter=Q(kind=SupportKind.LAND)),
        projects=Count("pk", filter=Q(kind=SupportKind.PROJECT)),
    )
    totals["loans_yuan"] = totals["loans_yuan"] or Decimal(0)
    totals["land_transfer_mu"] = totals["land_transfer_mu"] or Decimal(0)
    return totals


# Figures of a region (DESIGN §1, §9 summary.json "support") -----------------------------------------


def support_figures(*, user, region=None) -> dict:
    """Support in a region the user may see, all time: `policies` (the catalogue's policies in force),
    `loans_yuan` (Decimal, the loans' amounts), `land_transfer_mu` (Decimal, the areas transferred) and
    `projects` (project support records). Two queries.

    `region` is a `villages.models.Region` (None: everything the user sees); a record belongs to the
    region of the candidate's village. Each figure but `policies` equals the totals of the support
    list filtered by the region.
    """
    totals = support_totals(in_region(Support.objects.visible_to(user), region))
    return {
        "policies": Policy.objects.visible_to(user).in_force().count(),
        "loans_yuan": totals["loans_yuan"],
        "land_transfer_mu": totals["land_transfer_mu"],
        "projects": totals["projects"],
    }


# A candidate's page ------------------------------------------------------------------------------------


def candidate_support(*, candidate, user, records=None) -> dict:
    """The support section of a candidate's page (templates/mentoring/includes/candidate_support.html):
    `candidate`, `records` (newest first), `rows` (each record with `what` was granted, in words),
    `totals` (`records`, `policies`: distinct policies, `loans_yuan`, `land_transfer_mu`, `projects`) and
    `can_record` (draw the "record" link). One query.

    `candidate` was fetched through `visible_to(user)`; the records are scoped again all the same.
    """
    person = records or PersonRecords(candidate=candidate, user=user)
    records = person.support

    def of(kind):
        return [r for r in records if r.kind == kind]

    return {
        "candidate": candidate,
        "records": records,
        "rows": [{"record": r, "what": support_what(r)} for r in records],
        "totals": {
            "records": len(records),
            "policies": len({r.policy_id for r in of(SupportKind.POLICY)}),
            "loans_yuan": sum((r.amount or 0 for r in of(SupportKind.LOAN)), Decimal(0)),
            "land_transfer_mu": sum((r.area or 0 for r in of(SupportKind.LAND)), Decimal(0)),
            "projects": len(of(SupportKind.PROJECT)),
        },
        "can_record": permissions.can_record_support(user, candidate),
    }


def support_what(support: Support) -> str:
    """What was granted, in a few words: the policy, the amount, the area or the project."""
    if support.kind == SupportKind.POLICY:
        return support.policy.name if support.policy_id else ""
    if support.kind == SupportKind.LOAN:
        return line(field_label(Support, "amount"), number(support.amount or 0))
    if support.kind == SupportKind.LAND:
        return line(field_label(Support, "area"), number(support.area or 0))
    return support.project


def support_events(*, candidate, records=None) -> list:
    """The support the person received, as `candidates.timeline.TimelineEvent`s (by date). One query.

    `candidate` was fetched through `visible_to(user)`: the timeline hangs off the person, as the rest
    of it does (candidates/timeline.py).
    """
    granted = (records or PersonRecords(candidate=candidate)).support
    url = reverse("mentoring:support_list") + "?" + urlencode({"q": candidate.name})
    return [
        TimelineEvent(
            when=day_start(support.date),
            who=support.recorded_by,
            kind="support",
            title=_("Support received: %(kind)s") % {"kind": support.get_kind_display()},
            details=[
                text
                for text in (
                    support_what(support),
                    line(field_label(Support, "granted_by"), support.granted_by),
                    support.note,
                )
                if text
            ],
            date_only=True,
            url=url,
        )
        for support in granted
    ]
