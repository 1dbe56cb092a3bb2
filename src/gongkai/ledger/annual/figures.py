"""The year's figures for an agency (or a region): tables from the ledger, narrative figures.

The tables come from the ledger apps through provider functions registered here by dotted path,
so this module does not know how applications or publications are stored:

* ``TABLE_PROVIDERS``: ``provider(*, agency, region, year) -> dict`` returning any of
  ``{"table2": {T2Key: value}, "table3": {RowKey: [7]}, "table4": {T4Group: [5]},
  "processing_fees": ProcessingFees}``;
* ``FIGURE_PROVIDERS``: ``provider(*, agency, region, year) -> dict[str, object]`` of narrative
  figures named as in ``narrative.FIGURE_CATALOGUE``.

``agency`` is the reporting agency; with ``region=True`` the records of its whole subtree are
summed (a government's report of its region).
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from gongkai.statutory.formats import Col, OutcomeGroup, RowKey, T2Key, T4Cell, T4Group
from gongkai.statutory.report import (
    AnnualReport,
    ProcessingFees,
    StatisticsPeriod,
    make_report,
    sum_reports,
)

TABLE_PROVIDERS: list[str] = [
    "gongkai.ledger.publishing.annual.table2_for",
    "gongkai.ledger.requests.annual.tables_for",
]
FIGURE_PROVIDERS: list[str] = [
    "gongkai.ledger.publishing.annual.figures_for",
    "gongkai.ledger.messages.annual.figures_for",
    "gongkai.ledger.requests.annual.figures_for",
]


def _providers(paths: Iterable[str]) -> list[Callable[..., dict[str, Any]]]:
    found = []
    for dotted in paths:
        module_name, func_name = dotted.rsplit(".", 1)
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and module_name.startswith(exc.name):
                continue
            raise
        func = getattr(module, func_name, None)
        if func is not None:
            found.append(func)
    return found


def off_platform_reports(*, agency: Any, year: int) -> list[tuple[str, AnnualReport]]:
    """Reports of the region's bodies outside the platform, as the supervising office received
    and read them (``oversight``): their tables join the government's aggregate."""
    try:
        from gongkai.oversight.aggregate import region_figures
    except ImportError:  # the oversight app is not installed
        return []
    figures = region_figures(region=agency, year=year, with_previous=False)
    return [
        (c.body.name, c.report)
        for c in figures.contributors
        if c.body.agency_id is None and c.report is not None
    ]


def ledger_report(*, agency: Any, region: bool, year: int) -> AnnualReport:
    """The statutory tables of ``year`` computed from the records of ``agency``.

    With ``region=True`` (a government's report, 条例第四十九条): the government's own records and
    every agency under it on the platform, plus the parsed reports of the region's bodies that
    are not on the platform.
    """
    parts: dict[str, Any] = {}
    for provider in _providers(TABLE_PROVIDERS):
        parts.update(provider(agency=agency, region=region, year=year))
    report = make_report(
        agency=agency.name,
        year=year,
        table2=parts.get("table2"),
        table3=parts.get("table3"),
        table4=parts.get("table4"),
        period=StatisticsPeriod(start=dt.date(year, 1, 1), end=dt.date(year, 12, 31)),
        processing_fees=parts.get("processing_fees"),
    )
    report = report.with_computed_totals()
    if region:
        others = [r for _, r in off_platform_reports(agency=agency, year=year)]
        if others:
            summed = sum_reports([report, *others], agency=agency.name)
            report = AnnualReport.from_dict(
                {**summed.to_dict(), "period": report.to_dict()["period"]}
            )
    return report


def _t3_total(report: AnnualReport, row: RowKey) -> int:
    return report.cell_or_zero(row, Col.TOT)


def _group_total(report: AnnualReport, group: OutcomeGroup) -> int:
    return sum(_t3_total(report, key) for key in report.layout.group_keys(group))


def _t4_total(report: AnnualReport, group: T4Group) -> int:
    return report.table4_value(group, T4Cell.TOTAL) or 0


def fee_sentence(year: int, fees: ProcessingFees | None) -> str:
    notices = (fees.notices if fees else None) or 0
    collected = (fees.amount_collected_yuan if fees else None) or Decimal(0)
    if notices == 0 and collected == 0:
        return f"{year}年度未收取信息处理费。"
    amount = format(collected.normalize(), "f")
    return (
        f"依据《政府信息公开信息处理费管理办法》，{year}年度共发出信息处理费收费通知{notices}件，"
        f"实际收取信息处理费{amount}元。"
    )


def year_figures(*, report: AnnualReport, agency: Any, region: bool) -> dict[str, object]:
    """Every narrative figure: from the tables, then from the ledger providers."""
    year = report.year
    figures: dict[str, object] = {
        "年度": year,
        "机关": agency.name,
        "本年新收申请": _t3_total(report, RowKey.NEW),
        "上年结转申请": _t3_total(report, RowKey.CARRY_IN),
        "办结申请": _t3_total(report, RowKey.OTOT),
        "结转下年度": _t3_total(report, RowKey.CARRY_OUT),
        "予以公开": _t3_total(report, RowKey.O1),
        "部分公开": _t3_total(report, RowKey.O2),
        "不予公开": _group_total(report, OutcomeGroup.WITHHELD),
        "无法提供": _group_total(report, OutcomeGroup.UNABLE),
        "不予处理": _group_total(report, OutcomeGroup.NOT_PROCESSED),
        "其他处理": _group_total(report, OutcomeGroup.OTHER),
        "行政复议": _t4_total(report, T4Group.REV),
        "行政诉讼": _t4_total(report, T4Group.LIT_DIRECT)
        + _t4_total(report, T4Group.LIT_AFTER_REV),
        "制发规范性文件": report.table2_value(T2Key.NORMATIVE_ISSUED) or 0,
        "现行有效规范性文件": report.table2_value(T2Key.NORMATIVE_IN_FORCE) or 0,
        "收费通知件数": (report.processing_fees.notices if report.processing_fees else None) or 0,
        "实收信息处理费": (
            report.processing_fees.amount_collected_yuan if report.processing_fees else None
        )
        or Decimal(0),
        "信息处理费说明": fee_sentence(year, report.processing_fees),
        # Defaults for figures the ledger providers refine.
        "主动公开信息总数": 0,
        "各渠道发布情况": "无",
        "各类别发布情况": "无",
        "平台发布信息数": 0,
        "政务新媒体发布数": 0,
        "各渠道申请情况": "无",
        "网民留言数": 0,
        "留言人数": 0,
        "留言答复率": 100,
    }
    for provider in _providers(FIGURE_PROVIDERS):
        figures.update(provider(agency=agency, region=region, year=year))
    return figures
