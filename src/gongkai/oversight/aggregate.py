"""The region's tables (汇总): the sum of its reporting bodies' tables, checked like any report.

For each active body of the register, in this order of preference:

1. a body on the platform: its own report of the year (published version first, else the
   draft) — the generated tables;
2. otherwise: the newest readable upload of that body and year, in any batch of the region —
   the parsed tables;
3. otherwise it is listed as missing (or unreadable) and contributes nothing.

Reports on the other format version (a 2021 report on the 2019 template) are converted to the
year's layout first: table 三/四 keep every cell (（六）其他处理 goes to / comes from "3.其他"),
table 二 keeps only the 处理决定数量 cells both layouts share; the contributor says so.

The annual workspace gets the figures of a government-level report from::

    from gongkai.oversight.aggregate import region_figures
    figures = region_figures(region=agency, year=2025)
    figures.report            # AnnualReport (tables summed; no narrative), or None
    figures.as_table_parts()  # {"table2": …, "table3": …, "table4": …, "processing_fees": …}
    figures.contributors      # who contributed what (and who is missing)
    figures.findings          # the table rules run on the sum
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gongkai.core.models import Agency
from gongkai.oversight import selectors
from gongkai.oversight.checking import LEVELS
from gongkai.oversight.models import AuditItem, ReportingBody
from gongkai.statutory.checks import AgencyKind, CheckContext, Finding, Origin, check_report
from gongkai.statutory.formats import FormatVersion, RowKey, T4Group, get_layout, layout_for_year
from gongkai.statutory.report import AnnualReport, make_report, sum_reports

__all__ = ["AGGREGATE_RULES", "Contributor", "RegionFigures", "conform", "region_figures"]

AGGREGATE_RULE_PREFIXES = (
    "V-",
    "A-",
    "Y-01",
    "Y-02",
    "Y-03",
    "Y-04",
    "Y-05",
    "Y-07",
    "M-01",
    "M-09",
)
AGGREGATE_RULES = AGGREGATE_RULE_PREFIXES
"""Rules run on the sum: the table rules. Structure and narrative rules (S-, M-03…M-08, Y-06)
concern the written report, which the office drafts on top of these figures."""

_SHARED_T2 = ("licensing_decisions", "penalty_decisions", "coercion_decisions")


@dataclass(frozen=True)
class Contributor:
    """One body of the register and what it contributes to the region's tables."""

    body: ReportingBody
    source: str
    """``generated`` (platform), ``parsed`` (upload), ``unreadable`` or ``missing``."""
    label: str
    report: AnnualReport | None = None
    record_id: int | None = None
    item_id: int | None = None
    note: str = ""
    errors: int = 0

    @property
    def included(self) -> bool:
        return self.report is not None

    @property
    def applications(self) -> int | None:
        if self.report is None:
            return None
        return self.report.cell_or_zero(RowKey.NEW, "TOT")


@dataclass(frozen=True)
class RegionFigures:
    """The region's summed tables for one year, with who contributed and the checks."""

    region: Agency
    year: int
    report: AnnualReport | None
    contributors: tuple[Contributor, ...]
    findings: tuple[Finding, ...] = field(default_factory=tuple)
    previous_note: str = ""
    """Why the year-over-year rules were (not) run on the sum."""

    @property
    def included(self) -> list[Contributor]:
        return [c for c in self.contributors if c.included]

    @property
    def missing(self) -> list[Contributor]:
        return [c for c in self.contributors if not c.included]

    def as_table_parts(self) -> dict[str, Any]:
        """The tables in the shape ``ledger.annual.figures`` providers return."""
        if self.report is None:
            return {}
        r = self.report
        layout = r.layout
        return {
            "table2": dict(zip(layout.table2_keys, r.table2, strict=True)),
            "table3": {k: list(v) for k, v in zip(layout.table3_keys, r.table3, strict=True)},
            "table4": {g: list(r.table4_group(g)) for g in T4Group},
            "processing_fees": r.processing_fees,
        }


def conform(report: AnnualReport, version: FormatVersion) -> tuple[AnnualReport, str]:
    """``report`` in the layout ``version`` (unchanged when it already is); the note says what
    the conversion did."""
    if report.format_version == version:
        return report, ""
    target = get_layout(version)
    source_keys = set(report.layout.table3_keys)
    table3: dict[RowKey, list[int | None]] = {}
    for key in target.table3_keys:
        if key in source_keys:
            table3[key] = list(report.row(key))
        elif key == RowKey.O6_3:  # 2019 -> 2021: the single 其他处理 row becomes "3.其他"
            table3[key] = list(report.row(RowKey.O6))
        elif key in (RowKey.O6_1, RowKey.O6_2):
            table3[key] = [0] * 7
        elif key == RowKey.O6:  # 2021 -> 2019: the three 其他处理 rows are summed
            rows = [report.row(k) for k in (RowKey.O6_1, RowKey.O6_2, RowKey.O6_3)]
            table3[key] = [
                None if all(v is None for v in col) else sum(v or 0 for v in col)
                for col in zip(*rows, strict=True)
            ]
    table2 = {
        key: report.table2_value(key) if key.value in _SHARED_T2 else None
        for key in target.table2_keys
    }
    converted = make_report(
        agency=report.agency,
        year=report.year,
        version=version,
        table2=table2,
        table3=table3,
        table4={g: list(report.table4_group(g)) for g in T4Group},
        title=report.title,
        period=report.period,
        published_on=report.published_on,
        processing_fees=report.processing_fees,
        fill=None,
    )
    return converted, (
        f"按{version.value}年版格式折算（原为{report.format_version.value}年版）："
        "表二只计入处理决定数量，（六）其他处理按“其他”计。"
    )


def _contribution(body: ReportingBody, year: int) -> Contributor:
    if body.agency_id is not None:
        record = selectors.platform_record(body.agency, year)
        data = selectors.record_data(record) if record is not None else None
        if record is not None and data:
            return Contributor(
                body,
                "generated",
                f"{record.get_origin_display()}（{record.get_status_display()}）",
                AnnualReport.from_dict(data),
                record_id=record.pk,
            )
    item = selectors.latest_read_item(body, year)
    if item is not None and item.report:
        return Contributor(
            body,
            "parsed",
            "上传文件解析",
            AnnualReport.from_dict(item.report),
            item_id=item.pk,
            errors=item.errors,
            note=f"{item.filename}" + (f"，有{item.errors}个错误" if item.errors else ""),
        )
    failed = (
        AuditItem.objects.filter(body=body, year=year, status=AuditItem.Status.UNREADABLE)
        .order_by("-id")
        .first()
    )
    if failed is not None:
        return Contributor(
            body, "unreadable", "无法读取", item_id=failed.pk, note=failed.error_message
        )
    return Contributor(body, "missing", "未报送")


def region_figures(*, region: Agency, year: int, with_previous: bool = True) -> RegionFigures:
    """The region's tables for ``year`` summed from its reporting bodies (see module doc).

    The caller is responsible for access (views go through ``selectors.regions_for_user``).
    """
    version = layout_for_year(year).version
    contributors: list[Contributor] = []
    bodies = selectors.register_of(region).filter(is_active=True).select_related("agency")
    for body in bodies.order_by("kind", "name"):
        c = _contribution(body, year)
        if c.report is not None and (c.report.format_version != version or c.report.year != year):
            converted, note = conform(c.report, version)
            if converted.year != year:
                c = Contributor(body, "missing", "年度不符", note=f"报告年度为{converted.year}年")
            else:
                c = Contributor(
                    c.body,
                    c.source,
                    c.label,
                    converted,
                    c.record_id,
                    c.item_id,
                    "；".join(n for n in (c.note, note) if n),
                    c.errors,
                )
        contributors.append(c)
    reports = [c.report for c in contributors if c.report is not None]
    if not reports:
        return RegionFigures(region, year, None, tuple(contributors))
    total = sum_reports(
        reports,
        agency=region.name,
        title=f"{region.name}{year}年政府信息公开工作年度报告（汇总）",
    )
    previous, previous_note = (
        _previous_sum(region, year, contributors) if with_previous else (None, "")
    )
    findings = check_report(
        total,
        previous=previous,
        context=CheckContext(
            origin=Origin.GENERATED,
            agency_kind=AgencyKind.GOVERNMENT,
            agency_level=LEVELS.get(region.level),
            rule_making_power=region.has_rulemaking_power,
        ),
    )
    kept = tuple(f for f in findings if f.rule.startswith(AGGREGATE_RULE_PREFIXES))
    return RegionFigures(region, year, total, tuple(contributors), kept, previous_note)


def _previous_sum(
    region: Agency, year: int, contributors: list[Contributor]
) -> tuple[AnnualReport | None, str]:
    """Last year's sum over the same bodies — only when every body summed this year has a
    report of last year too (otherwise 上年结转 ≠ 上年结转下年度 would only measure coverage)."""
    current = {c.body.pk for c in contributors if c.report is not None}
    before = region_figures(region=region, year=year - 1, with_previous=False)
    reports = {c.body.pk: c.report for c in before.contributors if c.report is not None}
    lacking = current - set(reports)
    if lacking:
        return None, (
            f"有{len(lacking)}个机关缺少{year - 1}年度报告，未与上年汇总数据比对（Y-01 等）。"
        )
    picked = [reports[pk] for pk in sorted(current) if reports[pk] is not None]
    if not picked:
        return None, ""
    return sum_reports(picked, agency=region.name), f"已与同一批机关的{year - 1}年度汇总数据比对。"
