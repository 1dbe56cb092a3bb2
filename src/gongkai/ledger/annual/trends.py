"""Several years side by side, from generated and imported reports alike, as simple SVG charts."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from gongkai.ledger.annual.models import AnnualReportRecord
from gongkai.statutory.formats import (
    APPLICANT_COLUMNS,
    OUTCOME_GROUP_LABELS,
    TABLE3_COLUMNS,
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
    columns: list[str]


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


def bar_chart(
    title: str,
    years: list[int],
    series: list[tuple[str, list[int]]],
    *,
    group_label: str = "{}年",
) -> Chart:
    """Grouped bars: one group per year (or month), one bar per series, with legend and values."""
    width, height, pad, top = 640, 260, 40, 30
    peak = max([v for _, values in series for v in values] + [1])
    groups = max(len(years), 1)
    group_w = (width - 2 * pad) / groups
    bar_w = max(min(group_w / (len(series) + 1), 40), 4)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height + 50 + 18 * ((len(series) + 3) // 4)}" '
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
                f'fill="{PALETTE[si % len(PALETTE)]}"><title>{group_label.format(year)} {escape(series[si][0])}：'
                f"{value}</title></rect>"
            )
            parts.append(
                f'<text x="{x + bar_w / 2 - 1:.1f}" y="{height - h - 4:.1f}" font-size="11" '
                f'text-anchor="middle">{value}</text>'
            )
        parts.append(
            f'<text x="{pad + gi * group_w + group_w / 2:.1f}" y="{height + 18}" font-size="13" '
            f'text-anchor="middle">{group_label.format(year)}</text>'
        )
    for si, (name, _) in enumerate(series):  # legend, four entries per line
        x = pad + (si % 4) * 145
        y = height + 32 + (si // 4) * 18
        parts.append(
            f'<rect x="{x}" y="{y}" width="12" height="12" fill="{PALETTE[si % len(PALETTE)]}"/>'
        )
        parts.append(f'<text x="{x + 16}" y="{y + 11}" font-size="12">{escape(name)}</text>')
    parts.append("</svg>")
    return Chart(
        title=title,
        svg="".join(parts),
        table=series,
        years=years,
        columns=[group_label.format(y) for y in years],
    )


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
    labels = {c.key: c.label for c in TABLE3_COLUMNS}
    categories = [
        (labels[col], [r.cell_or_zero(RowKey.NEW, col) for r in reports])
        for col in APPLICANT_COLUMNS
    ]
    charts = [
        bar_chart("依申请公开申请数量", years, intake),
        bar_chart("申请人类别（本年新收）", years, categories),
        bar_chart("办理结果", years, outcomes),
        bar_chart("行政复议和行政诉讼", years, appeals),
    ]
    charts.extend(_ledger_charts(agency, years))
    return charts


def _ledger_charts(agency: Any, years: list[int]) -> list[Chart]:
    """Figures only the ledger has (not printed in the report): applications by month and
    proactive items by channel, for the same years."""
    charts: list[Chart] = []
    try:
        from django.db.models import Count
        from django.db.models.functions import ExtractMonth

        from gongkai.ledger.requests.models import Application
    except ImportError:
        return charts
    per_month: dict[int, list[int]] = {}
    for year in years:
        months = dict(
            Application.objects.filter(agency=agency, received_on__year=year)
            .annotate(m=ExtractMonth("received_on"))
            .values_list("m")
            .annotate(n=Count("pk"))
        )
        per_month[year] = [months.get(m, 0) for m in range(1, 13)]
    if any(sum(v) for v in per_month.values()):
        charts.append(
            bar_chart(
                "每月新收申请",
                [*range(1, 13)],
                [(f"{y}年", per_month[y]) for y in years if sum(per_month[y])],
                group_label="{}月",
            )
        )
    try:
        from gongkai.ledger.publishing.selectors import channel_figures
    except ImportError:
        return charts
    by_year = {y: channel_figures(agency=agency, year=y).by_channel for y in years}
    channels = list(dict.fromkeys(label for counts in by_year.values() for label in counts))
    if channels:
        charts.append(
            bar_chart(
                "主动公开信息（按发布渠道）",
                years,
                [(label, [by_year[y].get(label, 0) for y in years]) for label in channels],
            )
        )
    return charts
