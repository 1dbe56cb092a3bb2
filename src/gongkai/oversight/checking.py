"""Checking a stored item: the body's facts, last year's report, the findings.

Reading (slow) happens once in the background; checking (milliseconds) is redone here whenever
something it depends on changes: the body is confirmed, the publication date is entered, or
last year's report of the same body arrives.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from gongkai.core import clock
from gongkai.core.models import Agency
from gongkai.oversight import selectors
from gongkai.oversight.engine import (
    BodyFacts,
    audit_findings,
    deadline_for,
    finding_to_dict,
    findings_counts,
    late_days,
    parse_notes_from_dict,
    with_published_on,
)
from gongkai.oversight.models import AuditBatch, AuditItem, ReportingBody
from gongkai.reading.api import _agency_kind
from gongkai.statutory.checks import (
    AgencyKind,
    AgencyLevel,
    Finding,
    Location,
    Origin,
    Severity,
)
from gongkai.statutory.report import AnnualReport

logger = logging.getLogger(__name__)

LEVELS = {
    Agency.Level.NATIONAL: AgencyLevel.NATIONAL,
    Agency.Level.PROVINCE: AgencyLevel.PROVINCIAL,
    Agency.Level.CITY: AgencyLevel.CITY,
    Agency.Level.COUNTY: AgencyLevel.COUNTY,
    Agency.Level.TOWNSHIP: AgencyLevel.TOWNSHIP,
}


def facts_for_body(
    body: ReportingBody | None, batch: AuditBatch, *, year: int, name: str = ""
) -> BodyFacts:
    """Kind, level, rule-making power and deadline of the body for a report of ``year``.

    The batch's configured deadlines apply to reports of the batch's year. Townships are
    人民政府 (M-04 applies) but publish with the departments, by 31 January, as provinces
    require in practice (the batch can set another date).
    """
    if body is None:
        return BodyFacts(kind=_agency_kind(name) if name else None)
    K = ReportingBody.Kind
    kind = (
        AgencyKind.GOVERNMENT if body.kind in (K.GOVERNMENT, K.TOWNSHIP) else AgencyKind.DEPARTMENT
    )
    configured = (
        batch.government_deadline if body.kind == K.GOVERNMENT else batch.department_deadline
    )
    deadline = configured if year == batch.year else None
    if deadline is None and body.kind == K.TOWNSHIP:
        deadline = dt.date(year + 1, 1, 31)
    return BodyFacts(
        kind=kind,
        level=LEVELS.get(body.level),
        rule_making_power=body.has_rulemaking_power,
        deadline=deadline,
    )


@dataclass(frozen=True)
class Previous:
    report: AnnualReport
    label: str


def previous_for(item: AuditItem) -> Previous | None:
    """Last year's report of the item's body: on the platform, else the newest upload."""
    body = item.body
    if body is None:
        return None
    year = item.year - 1
    if body.agency_id is not None:
        record = selectors.platform_record(body.agency, year)
        data = selectors.record_data(record) if record is not None else None
        if data:
            return Previous(
                AnnualReport.from_dict(data),
                f"平台上的{year}年度报告（{record.get_status_display()}）",
            )
    found = selectors.latest_read_item(body, year, exclude=item.pk)
    if found is not None and found.report:
        return Previous(
            AnnualReport.from_dict(found.report), f"{found.filename}（{found.batch.title}）"
        )
    return None


def _unpublished_late(report: AnnualReport, facts: BodyFacts, today: dt.date) -> Finding | None:
    deadline = deadline_for(report.year, facts)
    if report.published_on is not None or today <= deadline:
        return None
    days = (today - deadline).days
    return Finding(
        "M-08",
        Severity.WARNING,
        f"截至{today.isoformat()}尚未发布，已超过{deadline.isoformat()}的发布期限（逾期{days}天）。",
        Location(),
        (days,),
    )


def item_check(item: AuditItem, *, today: dt.date | None = None) -> list[str]:
    """Recompute the item's findings (item must have been read); returns the fields changed."""
    if not item.report:
        return []
    today = today or clock.today()
    report = with_published_on(AnnualReport.from_dict(item.report), item.published_on)
    facts = facts_for_body(item.body, item.batch, year=report.year, name=report.agency)
    previous = previous_for(item)
    platform = item.origin == AuditItem.Origin.PLATFORM
    findings = audit_findings(
        report,
        parse_notes_from_dict(item.parse_notes),
        facts=facts,
        previous=previous.report if previous else None,
        origin=Origin.GENERATED if platform else Origin.PARSED,
    )
    days = late_days(report, facts)
    if platform and report.published_on is None:
        overdue = _unpublished_late(report, facts, today)
        if overdue is not None:
            findings.append(overdue)
            days = int(overdue.numbers[0])
    counts = findings_counts(findings)
    item.findings = [finding_to_dict(f) for f in findings]
    item.errors, item.warnings, item.infos = counts["error"], counts["warning"], counts["info"]
    item.late_days = days
    item.previous_label = previous.label[:200] if previous else ""
    return ["findings", "errors", "warnings", "infos", "late_days", "previous_label"]


def recheck_items(items: Any, *, today: dt.date | None = None) -> int:
    """Recompute the findings of read items (e.g. a whole batch); returns how many."""
    n = 0
    for item in items:
        if item.status != AuditItem.Status.READ:
            continue
        try:
            fields = item_check(item, today=today)
        except Exception:  # a rule bug must not stop the rest
            logger.exception("oversight: re-checking item %s failed", item.pk)
            continue
        if fields:
            item.save(update_fields=fields)
            n += 1
    return n


def dependants(item: AuditItem) -> Any:
    """Read items of the same body one year later (their cross-year checks used this one)."""
    if item.body_id is None:
        return AuditItem.objects.none()
    return AuditItem.objects.filter(
        body_id=item.body_id, year=item.year + 1, status=AuditItem.Status.READ
    ).select_related("batch", "body", "body__agency")
