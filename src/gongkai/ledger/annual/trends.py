"""Several years side by side, from generated and imported reports alike, as simple SVG charts."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from gongkai.ledger.annual.models import AnnualReportRecord
from gongkai.statutory.formats import (
    OUTCOME_GROUP_LABELS,
    Col,
    OutcomeGroup,
    RowKey,
    T4Cell,
    T4Group,
)
from gongkai.statutory.report import AnnualReport

PALETTE = ("#b3261e", "#0b57a4", "#1e7b34", "#8a5a00", "#6b3fa0", "#00796b", "#555d6b")


@dataclass(frozen=True)
class Chart:
    title: str
    svg: str
    table: list[tuple[str, list[int]]]
    years: list[int]


def _reports(agency: Any) -> list[AnnualReport]:
    """One report per year: the published version if any, else the latest draft."""
    by_year: dict[int, AnnualReport] = {}
    rank = {AnnualReportRecord.Status.PUBLISHED: 0}
    rows = sorted(
        AnnualReportRecord.objects.filter(agency=agency, scope=AnnualReportRecord.Scope.AGENCY),
        key=lambda r: (r.year, rank.get(r.status, 1)),
    )
    for row in rows:
        if row.year in by_year:
            continue
        data = row.published_data or row.data
        if data:
            by_year[row.year] = AnnualReport.from_dict(data)
    return [by_year[y] for y in sorted(by_year)][-6:]


def bar_chart(title: str, years: list[int], series: list[tuple[str, list[int]]]) -> Chart:
    """Grouped bars: one group per year, one bar per series, with a legend and values."""
    width, height, pad, top = 640, 260, 40, 30
    peak = max([v for _, values in series for v in values] + [1])
    groups = max(len(years), 1)
    group_w = (width - 2 * pad) / groups
    bar_w = max(min(group_w / (len(series) + 1), 40), 4)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height + 60}" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f'<line x1="{pad}" y1="{height}" x2="{width - pad}" y2="{height}" stroke="#8a93a3"/>',
    ]
    for gi, year in enumerate(years):
        x0 = pad + gi * group_w + (group_w - bar_w * len(series)) / 2
        for si, (_, values) in enumerate(series):
            value = values[gi]
            h = (height - top) * value / peak
            x = x0 + si * bar_w
            parts.append(
                f'<rect x="{x:.1f}" y="{height - h:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[si % len(PALETTE)]}"><title>{year}年 {escape(series[si][0])}：'
                f"{value}</title></rect>"
            )
            parts.append(
                f'<text x="{x + bar_w / 2 - 1:.1f}" y="{height - h - 4:.1f}" font-size="11" '
                f'text-anchor="middle">{value}</text>'
            )
        parts.append(
            f'<text x="{pad + gi * group_w + group_w / 2:.1f}" y="{height + 18}" font-size="13" '
            f'text-anchor="middle">{year}年</text>'
        )
    for si, (name, _) in enumerate(series):
        x = pad + si * 120
        parts.append(
            f'<rect x="{x}" y="{height + 32}" width="12" height="12" '
            f'fill="{PALETTE[si % len(PALETTE)]}"/>'
        )
        parts.append(f'<text x="{x + 16}" y="{height + 43}" font-size="12">{escape(name)}</text>')
    parts.append("</svg>")
    return Chart(title=title, svg="".join(parts), table=series, years=years)


def trend_series(agency: Any) -> list[Chart]:
    reports = _reports(agency)
    if not reports:
        return []
    years = [r.year for r in reports]

    def total(report: AnnualReport, row: RowKey) -> int:
        return report.cell_or_zero(row, Col.TOT)

    intake = [
        ("本年新收", [total(r, RowKey.NEW) for r in reports]),
        ("上年结转", [total(r, RowKey.CARRY_IN) for r in reports]),
        ("结转下年度", [total(r, RowKey.CARRY_OUT) for r in reports]),
    ]
    outcomes = []
    for group in OutcomeGroup:
        label = OUTCOME_GROUP_LABELS.get(group, group.value)
        outcomes.append(
            (
                label,
                [sum(total(r, k) for k in r.layout.group_keys(group)) for r in reports],
            )
        )
    appeals = [
        ("行政复议", [r.table4_value(T4Group.REV, T4Cell.TOTAL) or 0 for r in reports]),
        (
            "行政诉讼",
            [
                (r.table4_value(T4Group.LIT_DIRECT, T4Cell.TOTAL) or 0)
                + (r.table4_value(T4Group.LIT_AFTER_REV, T4Cell.TOTAL) or 0)
                for r in reports
            ],
        ),
    ]
    return [
        bar_chart("依申请公开申请数量", years, intake),
        bar_chart("办理结果", years, outcomes),
        bar_chart("行政复议和行政诉讼", years, appeals),
    ]
