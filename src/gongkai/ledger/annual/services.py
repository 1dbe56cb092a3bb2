"""The annual report's life: assemble → edit narrative → fix findings → review → sign → publish.

Every function is one transaction and writes an audit event. Errors found by the statutory
checks block signing; warnings must be acknowledged with a reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from gongkai.core import audit, clock
from gongkai.core.models import Agency
from gongkai.ledger.annual import figures as year_figures_mod
from gongkai.ledger.annual.models import (
    AnnualReportRecord,
    FindingAcknowledgement,
    YearCorrection,
)
from gongkai.ledger.annual.narrative import DEFAULT_TEMPLATES, fill
from gongkai.statutory.checks import (
    AgencyKind,
    AgencyLevel,
    CheckContext,
    Finding,
    Origin,
    Severity,
    check_report,
)
from gongkai.statutory.report import AnnualReport

Status = AnnualReportRecord.Status
Scope = AnnualReportRecord.Scope


class StaleEdit(ValidationError):
    """Somebody else changed the report since the page was loaded."""


def _perm(user: Any, codename: str) -> None:
    if not (user.is_superuser or user.has_perm(f"core.{codename}")):
        raise PermissionDenied("您没有执行此操作的权限。")


def report_of(record: AnnualReportRecord) -> AnnualReport:
    return AnnualReport.from_dict(record.data)


def _narrative_state(record: AnnualReportRecord) -> dict[str, dict[str, Any]]:
    state = dict(record.narrative or {})
    for number, template in DEFAULT_TEMPLATES.items():
        state.setdefault(str(number), {"template": template, "frozen": False, "text": ""})
    return state


def _apply_narrative(
    report: AnnualReport, state: dict[str, dict[str, Any]], figures: dict[str, object]
) -> tuple[AnnualReport, dict[str, dict[str, Any]]]:
    for key, section in state.items():
        if section.get("frozen"):
            text = section.get("text", "")
        else:
            filled = fill(section.get("template", ""), figures)
            text = filled.text
            section["text"] = text
            section["unknown"] = list(filled.unknown)
        report = report.with_section(int(key), text)
    return report, state


def _cell_changes(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    changes = []
    for table in ("table2", "table3", "table4"):
        before, after = old.get(table) or {}, new.get(table) or {}
        for key in after:
            if before.get(key) != after.get(key):
                changes.append(
                    {"table": table, "key": key, "before": before.get(key), "after": after.get(key)}
                )
    return changes


def _agency_context(agency: Agency, scope: str, origin: Origin) -> CheckContext:
    kind = (
        AgencyKind.GOVERNMENT
        if (scope == Scope.REGION or agency.is_government_level)
        else AgencyKind.DEPARTMENT
    )
    level = {
        Agency.Level.NATIONAL: AgencyLevel.NATIONAL,
        Agency.Level.PROVINCE: AgencyLevel.PROVINCIAL,
        Agency.Level.CITY: AgencyLevel.CITY,
        Agency.Level.COUNTY: AgencyLevel.COUNTY,
        Agency.Level.TOWNSHIP: AgencyLevel.TOWNSHIP,
    }.get(agency.level)
    return CheckContext(
        origin=origin,
        agency_kind=kind,
        agency_level=level,
        rule_making_power=agency.has_rulemaking_power,
    )


def previous_report(record: AnnualReportRecord) -> AnnualReport | None:
    """Last year's report of the same agency: published if any, generated or imported."""
    rows = AnnualReportRecord.objects.filter(
        agency=record.agency, year=record.year - 1, scope=record.scope
    ).order_by("-status")
    for row in rows:
        data = row.published_data or row.data
        if data:
            return AnnualReport.from_dict(data)
    return None


def finding_key(finding: Finding) -> str:
    loc = finding.location
    return "|".join(
        str(x or "") for x in (finding.rule, loc.section, loc.table, loc.row_key, loc.col_key)
    )


def record_findings(record: AnnualReportRecord) -> list[Finding]:
    origin = Origin.GENERATED if record.origin == record.Origin.GENERATED else Origin.PARSED
    return check_report(
        report_of(record),
        previous=previous_report(record),
        context=_agency_context(record.agency, record.scope, origin),
    )


@dataclass(frozen=True)
class SignOffState:
    errors: list[Finding]
    unacknowledged: list[Finding]

    @property
    def can_sign(self) -> bool:
        return not self.errors and not self.unacknowledged


def sign_off_state(record: AnnualReportRecord) -> SignOffState:
    findings = record_findings(record)
    acknowledged = set(record.acknowledgements.values_list("finding_key", flat=True))
    return SignOffState(
        errors=[f for f in findings if f.severity == Severity.ERROR],
        unacknowledged=[
            f
            for f in findings
            if f.severity == Severity.WARNING and finding_key(f) not in acknowledged
        ],
    )


def _bump(record: AnnualReportRecord, expected_version: int | None, fields: list[str]) -> None:
    """Save ``fields`` only if nobody saved the record since ``expected_version``."""
    if expected_version is None:
        expected_version = record.version
    values = {name: getattr(record, name) for name in fields}
    updated = AnnualReportRecord.objects.filter(pk=record.pk, version=expected_version).update(
        version=F("version") + 1, **values
    )
    if not updated:
        raise StaleEdit("该报告已被他人修改，请刷新页面后再操作，您的修改没有保存。")
    record.version = expected_version + 1


@transaction.atomic
def annual_report_assemble(
    *, actor: Any, agency: Agency, year: int, scope: str = Scope.AGENCY
) -> AnnualReportRecord:
    """Build (or rebuild) the year's report from the ledger; records what changed."""
    _perm(actor, "edit_annual_report")
    if scope == Scope.REGION and not agency.is_government_level:
        raise ValidationError("只有人民政府可以编制汇总本区域的年度报告。")
    record, created = AnnualReportRecord.objects.select_for_update().get_or_create(
        agency=agency,
        year=year,
        scope=scope,
        origin=AnnualReportRecord.Origin.GENERATED,
    )
    if record.status != Status.DRAFT:
        raise ValidationError("报告已进入审核或已发布，需先退回草稿才能重新生成。")
    region = scope == Scope.REGION
    report = year_figures_mod.ledger_report(agency=agency, region=region, year=year)
    figures = year_figures_mod.year_figures(report=report, agency=agency, region=region)
    report, state = _apply_narrative(report, _narrative_state(record), figures)
    new_data = report.to_dict()
    record.changes = [] if created else _cell_changes(record.data or {}, new_data)
    record.data = new_data
    record.narrative = state
    record.assembled_at = clock.now()
    _bump(record, record.version, ["data", "narrative", "changes", "assembled_at"])
    audit.record(
        actor=actor,
        action="annual.assembled",
        subject=record,
        after={"year": year, "scope": scope, "changed_cells": len(record.changes)},
    )
    return record


def live_figures(record: AnnualReportRecord) -> dict[str, object]:
    return year_figures_mod.year_figures(
        report=report_of(record), agency=record.agency, region=record.scope == Scope.REGION
    )


@transaction.atomic
def annual_report_update_section(
    *,
    actor: Any,
    record: AnnualReportRecord,
    number: int,
    template: str,
    frozen: bool,
    expected_version: int,
) -> AnnualReportRecord:
    """Change a section's template (with placeholders) or freeze its text."""
    _perm(actor, "edit_annual_report")
    if not record.is_editable:
        raise ValidationError("只有草稿状态的报告可以修改正文。")
    if not 1 <= number <= 6:
        raise ValidationError("没有这一部分。")
    state = _narrative_state(record)
    before = dict(state[str(number)])
    section = state[str(number)]
    section["template"] = template
    if frozen:
        section["text"] = fill(template, live_figures(record)).text
    section["frozen"] = frozen
    report, state = _apply_narrative(report_of(record), state, live_figures(record))
    record.narrative = state
    record.data = report.to_dict()
    _bump(record, expected_version, ["narrative", "data"])
    audit.record(
        actor=actor,
        action="annual.section.updated",
        subject=record,
        before={
            "section": number,
            "template": before.get("template"),
            "frozen": before.get("frozen"),
        },
        after={"section": number, "template": template, "frozen": frozen},
    )
    return record


@transaction.atomic
def finding_acknowledge(
    *, actor: Any, record: AnnualReportRecord, key: str, rule: str, reason: str
) -> FindingAcknowledgement:
    """Keep a warning, with the reason (needed before signing)."""
    _perm(actor, "edit_annual_report")
    if not reason.strip():
        raise ValidationError("请说明保留该提示的理由。")
    ack, _ = FindingAcknowledgement.objects.update_or_create(
        report=record,
        finding_key=key,
        defaults={
            "rule": rule,
            "reason": reason.strip(),
            "acknowledged_by": actor,
            "acknowledged_at": clock.now(),
        },
    )
    audit.record(
        actor=actor,
        action="annual.finding.acknowledged",
        subject=record,
        after={"rule": rule, "reason": reason.strip()},
    )
    return ack


def _transition(
    record: AnnualReportRecord,
    *,
    actor: Any,
    expected: str,
    to: str,
    action: str,
    fields: dict[str, Any],
    expected_version: int | None,
) -> None:
    if record.status != expected:
        raise ValidationError(f"当前状态为“{record.get_status_display()}”，不能执行此操作。")
    before = record.status
    record.status = to
    for name, value in fields.items():
        setattr(record, name, value)
    _bump(record, expected_version, ["status", *fields])
    audit.record(
        actor=actor, action=action, subject=record, before={"status": before}, after={"status": to}
    )


@transaction.atomic
def annual_report_review(
    *, actor: Any, record: AnnualReportRecord, expected_version: int | None = None
) -> AnnualReportRecord:
    _perm(actor, "edit_annual_report")
    state = sign_off_state(record)
    if state.errors:
        raise ValidationError(f"还有 {len(state.errors)} 个错误未改正，不能提交审核。")
    _transition(
        record,
        actor=actor,
        expected=Status.DRAFT,
        to=Status.REVIEWED,
        action="annual.reviewed",
        fields={"reviewed_by": actor, "reviewed_at": clock.now()},
        expected_version=expected_version,
    )
    return record


@transaction.atomic
def annual_report_sign(
    *, actor: Any, record: AnnualReportRecord, expected_version: int | None = None
) -> AnnualReportRecord:
    """The head signs: no error may remain and every warning must be acknowledged."""
    _perm(actor, "sign_annual_report")
    state = sign_off_state(record)
    if state.errors:
        raise ValidationError(f"还有 {len(state.errors)} 个错误未改正，不能签发。")
    if state.unacknowledged:
        raise ValidationError(f"还有 {len(state.unacknowledged)} 个提示未确认理由，不能签发。")
    _transition(
        record,
        actor=actor,
        expected=Status.REVIEWED,
        to=Status.SIGNED,
        action="annual.signed",
        fields={"signed_by": actor, "signed_at": clock.now()},
        expected_version=expected_version,
    )
    return record


@transaction.atomic
def annual_report_publish(
    *, actor: Any, record: AnnualReportRecord, expected_version: int | None = None
) -> AnnualReportRecord:
    """Publish on the portal; the published version and the year's figures are frozen."""
    _perm(actor, "sign_annual_report")
    today = clock.today()
    report = report_of(record)
    published = AnnualReport.from_dict({**report.to_dict(), "published_on": today.isoformat()})
    _transition(
        record,
        actor=actor,
        expected=Status.SIGNED,
        to=Status.PUBLISHED,
        action="annual.published",
        fields={
            "published_at": clock.now(),
            "published_on": today,
            "published_data": published.to_dict(),
            "data": published.to_dict(),
        },
        expected_version=expected_version,
    )
    return record


@transaction.atomic
def annual_report_return_to_draft(
    *, actor: Any, record: AnnualReportRecord, reason: str, expected_version: int | None = None
) -> AnnualReportRecord:
    _perm(actor, "sign_annual_report")
    if record.status not in (Status.REVIEWED, Status.SIGNED):
        raise ValidationError("只有已审核或已签发、尚未发布的报告可以退回。")
    if not reason.strip():
        raise ValidationError("请填写退回理由。")
    before = record.status
    record.status = Status.DRAFT
    _bump(record, expected_version, ["status"])
    audit.record(
        actor=actor,
        action="annual.returned",
        subject=record,
        before={"status": before},
        after={"status": Status.DRAFT},
        note=reason.strip(),
    )
    return record


def year_is_locked(*, agency: Agency, year: int) -> bool:
    """True when the agency's (or its region's) report of ``year`` is published."""
    return AnnualReportRecord.objects.filter(
        agency=agency,
        year=year,
        scope=Scope.AGENCY,
        status=Status.PUBLISHED,
        origin=AnnualReportRecord.Origin.GENERATED,
    ).exists()


@transaction.atomic
def year_correction_record(
    *, actor: Any, agency: Agency, year: int, subject: str, note: str
) -> YearCorrection:
    """Required before changing a case of a locked (published) year."""
    if not note.strip():
        raise ValidationError("该年度报告已发布，修改该年度的案件须填写更正说明。")
    correction = YearCorrection.objects.create(
        agency=agency,
        year=year,
        subject=subject[:200],
        note=note.strip(),
        created_by=actor,
        created_at=clock.now(),
    )
    audit.record(
        actor=actor,
        action="annual.year.corrected",
        subject=correction,
        agency=agency,
        after={"year": year, "subject": subject, "note": note.strip()},
    )
    return correction


def ledger_drift(record: AnnualReportRecord) -> list[dict[str, Any]]:
    """How the ledger moved since publication: cells whose live value differs from the report."""
    if not record.is_published or record.origin != AnnualReportRecord.Origin.GENERATED:
        return []
    live = year_figures_mod.ledger_report(
        agency=record.agency, region=record.scope == Scope.REGION, year=record.year
    )
    return _cell_changes(record.published_data or {}, live.to_dict())


def deadline_for(record: AnnualReportRecord) -> dt.date:
    """31 January for departments, 31 March for a government-level report (条例第四十九条)."""
    from gongkai.statutory.checks import publication_deadline

    kind = (
        AgencyKind.GOVERNMENT
        if (record.scope == Scope.REGION or record.agency.is_government_level)
        else AgencyKind.DEPARTMENT
    )
    return publication_deadline(record.year, kind)


@transaction.atomic
def annual_report_import(
    *,
    actor: Any,
    agency: Agency,
    year: int,
    data: bytes,
    filename: str,
    published_on: dt.date | None = None,
) -> AnnualReportRecord:
    """Import a published report (PDF, DOCX, HTML, text) of an earlier year, e.g. as the
    previous year for the cross-year checks. Unreadable files raise a ValidationError."""
    from django.core.files.base import ContentFile

    from gongkai.reading.api import read_report
    from gongkai.reading.errors import ReadError

    _perm(actor, "edit_annual_report")
    try:
        result = read_report(data, filename)
    except ReadError as exc:
        raise ValidationError(str(exc)) from None
    report = result.report
    if report.year != year:
        raise ValidationError(f"文件是{report.year}年度的报告，与所选年度{year}不一致。")
    if published_on is not None:
        report = AnnualReport.from_dict(
            {**report.to_dict(), "published_on": published_on.isoformat()}
        )
    record, _ = AnnualReportRecord.objects.update_or_create(
        agency=agency,
        year=year,
        scope=Scope.AGENCY,
        origin=AnnualReportRecord.Origin.IMPORTED,
        defaults={
            "status": Status.PUBLISHED,
            "data": report.to_dict(),
            "published_data": report.to_dict(),
            "published_on": report.published_on,
            "assembled_at": clock.now(),
        },
    )
    record.source_file.save(filename, ContentFile(data), save=True)
    audit.record(
        actor=actor,
        action="annual.imported",
        subject=record,
        after={"year": year, "filename": filename},
    )
    return record
