"""Who may audit which region, and every read of the oversight records.

Only the supervising office (政务公开办, ``audit_region``), the region's administrators (a
``manage_agency`` account on a 人民政府) and platform superusers audit. A region is a
government agency within what ``core.scoping.agencies_for_user`` lets the user see; every list
or fetch below goes through ``regions_for_user``, and "not yours" is the same 404 as "does not
exist".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from gongkai.core.models import Agency
from gongkai.core.scoping import agencies_for_user, staff_agency
from gongkai.ledger.annual.models import AnnualReportRecord
from gongkai.oversight.engine import ALL_RULES, SEVERITY_ZH, rule_title
from gongkai.oversight.models import AuditBatch, AuditItem, ReportingBody


def can_oversee(user: Any) -> bool:
    """The supervising office, the region's administrators and platform superusers."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    agency = staff_agency(user)
    if agency is None:
        return False
    if user.has_perm("core.audit_region"):
        return True
    return bool(user.has_perm("core.manage_agency") and agency.kind == Agency.Kind.GOVERNMENT)


def regions_for_user(user: Any) -> QuerySet[Agency]:
    """The governments whose region ``user`` audits (none for everybody else)."""
    if not can_oversee(user):
        return Agency.objects.none()
    visible = agencies_for_user(user)
    governments = visible.filter(kind=Agency.Kind.GOVERNMENT)
    if user.is_superuser or governments.exists():
        return governments
    agency = staff_agency(user)
    return visible.filter(pk=agency.pk) if agency is not None else Agency.objects.none()


def default_region(user: Any) -> Agency | None:
    regions = regions_for_user(user)
    agency = staff_agency(user)
    if agency is not None:
        own = regions.filter(pk=agency.pk).first()
        if own is not None:
            return own
    return regions.order_by("path").first()


def region_get_for_user(*, user: Any, region_id: int) -> Agency:
    try:
        return regions_for_user(user).get(pk=region_id)
    except (Agency.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该区域") from None


def batch_list_for_user(user: Any) -> QuerySet[AuditBatch]:
    return AuditBatch.objects.filter(region__in=regions_for_user(user)).select_related("region")


def batch_get_for_user(*, user: Any, batch_id: int) -> AuditBatch:
    try:
        return batch_list_for_user(user).get(pk=batch_id)
    except AuditBatch.DoesNotExist:
        raise Http404("未找到该审查批次") from None


def item_list_for_user(user: Any) -> QuerySet[AuditItem]:
    return AuditItem.objects.filter(batch__region__in=regions_for_user(user)).select_related(
        "batch", "batch__region", "body"
    )


def item_get_for_user(*, user: Any, item_id: int) -> AuditItem:
    try:
        return item_list_for_user(user).get(pk=item_id)
    except AuditItem.DoesNotExist:
        raise Http404("未找到该报告") from None


def body_list_for_user(user: Any, *, region: Agency | None = None) -> QuerySet[ReportingBody]:
    bodies = ReportingBody.objects.filter(region__in=regions_for_user(user)).select_related(
        "agency", "region"
    )
    return bodies.filter(region=region) if region is not None else bodies


def body_get_for_user(*, user: Any, body_id: int, region: Agency | None = None) -> ReportingBody:
    try:
        return body_list_for_user(user, region=region).get(pk=body_id)
    except (ReportingBody.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该报告主体") from None


# ---------------------------------------------------------------------------------------------
# Reads used by the services and the aggregate (no user: callers have checked access)
# ---------------------------------------------------------------------------------------------


def register_of(region: Agency) -> QuerySet[ReportingBody]:
    return ReportingBody.objects.filter(region=region)


def platform_record(agency: Agency, year: int) -> AnnualReportRecord | None:
    """The agency's own report of ``year`` on the platform: published first, then the draft."""
    records = list(
        AnnualReportRecord.objects.filter(
            agency=agency, year=year, scope=AnnualReportRecord.Scope.AGENCY
        )
    )
    if not records:
        return None

    def rank(r: AnnualReportRecord) -> tuple[int, int, int]:
        return (
            0 if r.status == AnnualReportRecord.Status.PUBLISHED else 1,
            0 if r.origin == AnnualReportRecord.Origin.GENERATED else 1,
            -r.pk,
        )

    return sorted(records, key=rank)[0]


def record_data(record: AnnualReportRecord) -> dict[str, Any] | None:
    return record.published_data or record.data or None


def latest_read_item(
    body: ReportingBody, year: int, *, exclude: int | None = None
) -> AuditItem | None:
    """The newest readable upload of ``body`` for ``year`` in any batch of its region."""
    items = AuditItem.objects.filter(
        body=body, year=year, status=AuditItem.Status.READ, batch__region_id=body.region_id
    ).order_by("-id")
    if exclude is not None:
        items = items.exclude(pk=exclude)
    return items.first()


# ---------------------------------------------------------------------------------------------
# The batch dashboard
# ---------------------------------------------------------------------------------------------


@dataclass
class RuleLine:
    rule: str
    title: str
    severity: str
    agencies: int = 0
    findings: int = 0
    names: list[str] = field(default_factory=list)


@dataclass
class Dashboard:
    batch: AuditBatch
    items: list[AuditItem]
    """Reports of the batch's year, by body name."""
    other_years: list[AuditItem]
    """Reports of other years in the batch (used as last year's reports)."""
    rules: list[RuleLine]
    missing: list[ReportingBody]
    total: int
    done: int
    unreadable: int
    late: int
    with_errors: int
    to_confirm: int

    @property
    def percent(self) -> int:
        return 100 if not self.total else self.done * 100 // self.total


def progress_of(batch: AuditBatch) -> dict[str, Any]:
    """Counts for the progress bar (one query)."""
    counts: dict[str, int] = defaultdict(int)
    for status in batch.items.values_list("status", flat=True):
        counts[status] += 1
    total = sum(counts.values())
    done = counts[AuditItem.Status.READ] + counts[AuditItem.Status.UNREADABLE]
    return {
        "status": batch.status,
        "status_label": batch.get_status_display(),
        "total": total,
        "done": done,
        "unreadable": counts[AuditItem.Status.UNREADABLE],
        "percent": 100 if not total else done * 100 // total,
        "finished": batch.status == AuditBatch.Status.DONE,
    }


def missing_bodies(region: Agency, year: int) -> list[ReportingBody]:
    """Active bodies of the register with no report of ``year``: neither on the platform nor
    uploaded in any batch of the region."""
    have_items = set(
        AuditItem.objects.filter(batch__region=region, year=year, body__isnull=False).values_list(
            "body_id", flat=True
        )
    )
    agencies_with_record = set(
        AnnualReportRecord.objects.filter(
            year=year, scope=AnnualReportRecord.Scope.AGENCY, agency__path__startswith=region.path
        ).values_list("agency_id", flat=True)
    )
    return [
        b
        for b in register_of(region).filter(is_active=True).order_by("kind", "name")
        if b.pk not in have_items and b.agency_id not in agencies_with_record
    ]


def batch_dashboard(batch: AuditBatch) -> Dashboard:
    items = list(batch.items.select_related("body").order_by("id"))
    current = [i for i in items if i.year == batch.year]
    current.sort(key=lambda i: (i.body.name if i.body else "\uffff" + i.filename, i.id))
    others = [i for i in items if i.year != batch.year]
    rules: dict[str, RuleLine] = {}
    for item in current:
        seen: set[str] = set()
        for f in item.findings or ():
            rule = f["rule"]
            spec = ALL_RULES.get(rule)
            line = rules.setdefault(
                rule,
                RuleLine(
                    rule, rule_title(rule), SEVERITY_ZH.get(str(spec.severity), "") if spec else ""
                ),
            )
            line.findings += 1
            if rule not in seen:
                seen.add(rule)
                line.agencies += 1
                line.names.append(str(item.body or item.name_hint or item.filename))
    order = {rule_id: i for i, rule_id in enumerate(ALL_RULES)}
    return Dashboard(
        batch=batch,
        items=current,
        other_years=others,
        rules=sorted(rules.values(), key=lambda r: (-r.agencies, order.get(r.rule, 999))),
        missing=missing_bodies(batch.region, batch.year),
        total=len(items),
        done=sum(1 for i in items if i.is_done),
        unreadable=sum(1 for i in current if i.status == AuditItem.Status.UNREADABLE),
        late=sum(1 for i in current if i.late_days),
        with_errors=sum(1 for i in current if i.errors),
        to_confirm=sum(1 for i in items if i.needs_confirmation),
    )
