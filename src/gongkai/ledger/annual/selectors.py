"""Read-side helpers for the annual report (dashboard reminder)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gongkai.core.models import Agency
from gongkai.ledger.annual.models import AnnualReportRecord
from gongkai.statutory.checks import AgencyKind, publication_deadline


@dataclass(frozen=True)
class Reminder:
    year: int
    deadline: dt.date
    days_left: int
    status: str
    record_id: int | None

    @property
    def overdue(self) -> bool:
        return self.days_left < 0 and self.status != "已发布"


def _record(agency: Agency, year: int) -> AnnualReportRecord | None:
    return AnnualReportRecord.objects.filter(
        agency=agency,
        year=year,
        scope=AnnualReportRecord.Scope.AGENCY,
        origin=AnnualReportRecord.Origin.GENERATED,
    ).first()


def annual_reminder(*, agency: Agency, today: dt.date) -> Reminder:
    """Countdown to the legal deadline of the report due next (31 Jan / 31 Mar, 条例第四十九条).

    Last year's report until it is published; after that, this year's (due next January).
    """
    kind = AgencyKind.GOVERNMENT if agency.is_government_level else AgencyKind.DEPARTMENT
    year = today.year - 1
    record = _record(agency, year)
    if record is not None and record.is_published:
        year = today.year
        record = _record(agency, year)
    deadline = publication_deadline(year, kind)
    return Reminder(
        year=year,
        deadline=deadline,
        days_left=(deadline - today).days,
        status=record.get_status_display() if record else "未生成",
        record_id=record.pk if record else None,
    )
