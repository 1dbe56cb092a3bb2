"""S-01…S-08: structure, version and labels."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date

from gongkai.statutory.checks.common import (
    _finding,
    _plain,
    _row_name,
    _Run,
    _t3_loc,
)
from gongkai.statutory.checks.model import (
    Finding,
    Location,
    Severity,
    TableId,
)
from gongkai.statutory.formats import (
    OUTCOME_BAND_LABEL,
    PERIOD_TEMPLATE,
    SECTIONS,
    TABLE3_COLUMNS,
    TABLE3_NOTE,
    TABLE4_CELL_LABELS,
    TABLE4_CELLS,
    TABLE4_GROUPS,
    TABLE4_LITIGATION_LABEL,
    TABLE4_ORDER,
    TABLE4_REVIEW_LABEL,
    Layout,
    layout_for_year,
    normalize_label,
)

# ---------------------------------------------------------------------------------------------
# S — structure and version
# ---------------------------------------------------------------------------------------------


def _s01_sections(run: _Run) -> Iterator[Finding]:
    seen = run.notes.headings_seen
    if seen:
        yield from _s01_from_headings(seen)
        return
    if not run.generated and not any(run.report.sections):
        return  # the reader recorded nothing about sections
    for spec in SECTIONS:
        if spec.number in (1, 5, 6) and not (run.report.section(spec.number) or "").strip():
            yield _finding(
                "S-01",
                f"缺少“{spec.heading}”部分的内容，请按格式补写。",
                location=Location(section=spec.number),
            )


def _s01_from_headings(seen: tuple[tuple[int, str], ...]) -> Iterator[Finding]:
    numbers = [n for n, _ in seen]
    for spec in SECTIONS:
        if spec.number not in numbers:
            yield _finding(
                "S-01",
                f"未找到第{spec.number}部分“{spec.heading}”，年度报告六个部分缺一不可，请补充。",
                location=Location(section=spec.number),
            )
    if numbers != sorted(numbers):
        yield _finding(
            "S-01",
            f"各部分顺序与格式不一致（实际顺序：{'、'.join(str(n) for n in numbers)}），请按一至六的顺序排列。",
        )
    by_number = {s.number: s for s in SECTIONS}
    for number, printed in seen:
        section = by_number.get(number)
        if section and normalize_label(printed) != normalize_label(section.heading):
            yield _finding(
                "S-01",
                f"第{number}部分标题“{printed}”不是格式规定的标题，应为“{section.heading}”。",
                severity=Severity.WARNING,
                location=Location(section=number),
            )


def _s02_version(run: _Run) -> Iterator[Finding]:
    required = layout_for_year(run.report.year).version
    if run.report.format_version is not required:
        yield _finding(
            "S-02",
            f"{run.report.year}年度报告应使用{required.value}年格式，实际使用的是"
            f"{run.report.format_version.value}年格式的表格，请改用{required.value}年格式重新填报。",
            numbers=(run.report.year,),
        )


def _s03_table2(run: _Run) -> Iterator[Finding]:
    notes = run.notes
    labels = {row.key: row.label for block in run.layout.table2 for row in block.rows}
    for key in notes.table2_rows_missing:
        label = labels.get(key, key)
        yield _finding(
            "S-03",
            f"表二缺少“{label}”一行，请按{run.layout.version.value}年格式补齐（没有数据填0）。",
            location=Location(section=2, table=TableId.T2, row=label, row_key=key),
        )
    for label in notes.table2_extra_rows:
        yield _finding(
            "S-03",
            f"表二有格式以外的行“{label}”（地方增加的行可以保留，汇总时不计入）。",
            severity=Severity.INFO,
            location=Location(section=2, table=TableId.T2, row=label),
        )


def _s04_table3(run: _Run) -> Iterator[Finding]:
    notes = run.notes
    for key in notes.table3_rows_missing:
        yield _finding(
            "S-04",
            f"表三缺少“{_row_name(run.layout, key)}”一行，请按格式补齐（没有数据填0）。",
            location=_t3_loc(run.layout, key),
        )
    for key, found in notes.table3_bad_rows:
        yield _finding(
            "S-04",
            f"表三“{_row_name(run.layout, key)}”行有{found}个数，应为{len(TABLE3_COLUMNS)}个"
            f"（{TABLE3_COLUMNS[0].label}至{TABLE3_COLUMNS[-1].label}）。",
            location=_t3_loc(run.layout, key),
            numbers=(found, len(TABLE3_COLUMNS)),
        )
    for label in notes.table3_extra_rows:
        yield _finding(
            "S-04",
            f"表三有格式以外的行“{label}”，请删除或并入格式规定的行。",
            location=Location(section=3, table=TableId.T3, row=label),
        )


def _s05_table4(run: _Run) -> Iterator[Finding]:
    found = run.notes.table4_values_found
    if found is not None and found != len(TABLE4_ORDER):
        yield _finding(
            "S-05",
            f"表四数据行有{found}个数，应为{len(TABLE4_ORDER)}个（{TABLE4_REVIEW_LABEL}{len(TABLE4_CELLS)}项、"
            f"两类{TABLE4_LITIGATION_LABEL}各{len(TABLE4_CELLS)}项）。",
            location=Location(section=4, table=TableId.T4),
            numbers=(found, len(TABLE4_ORDER)),
        )


def _s06_note(run: _Run) -> Iterator[Finding]:
    if run.notes.table3_note_present is False:
        yield _finding(
            "S-06",
            f"表三表头缺少勾稽关系说明，应印有“{TABLE3_NOTE}”。",
            location=Location(section=3, table=TableId.T3),
        )


_PERIOD = re.compile(r"(?P<y1>\d{4})年0?1月0?1日?(?:至|到|-|—|~)(?:(?P<y2>\d{4})年)?12月31日")
_TITLE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})年")


def _s07_period(run: _Run) -> Iterator[Finding]:
    report = run.report
    year = report.year
    expected = PERIOD_TEMPLATE.format(year=year)
    if report.title:
        m = _TITLE_YEAR.search(_plain(report.title))
        if m and int(m.group(1)) != year:
            yield _finding(
                "S-07",
                f"标题中的年度为{m.group(1)}年，与报告年度{year}年不一致，请改正。",
                numbers=(int(m.group(1)), year),
            )
    period = report.period
    if period is None or (period.start is None and period.end is None and not period.text):
        yield _finding(
            "S-07",
            f"未写明统计期限，应写明“本报告所列数据的统计期限为{expected}”。",
            severity=Severity.WARNING,
        )
        return
    wrong = _period_wrong(period.start, period.end, period.text, year)
    if wrong:
        yield _finding("S-07", f"统计期限“{wrong}”与报告年度不符，应为{expected}。")


def _period_wrong(start: date | None, end: date | None, text: str | None, year: int) -> str | None:
    if start is not None and start != date(year, 1, 1):
        return f"{start.isoformat()}起"
    if end is not None and end != date(year, 12, 31):
        return f"至{end.isoformat()}"
    if text and start is None and end is None:
        m = _PERIOD.search(_plain(text))
        if m is None:
            return text
        if int(m.group("y1")) != year or (m.group("y2") and int(m.group("y2")) != year):
            return m.group(0)
    return None


# ---------------------------------------------------------------------------------------------
# S-08 — generator side: rendered labels
# ---------------------------------------------------------------------------------------------


def expected_labels(layout: Layout) -> tuple[str, ...]:
    """Every label a rendering of ``layout`` must contain verbatim (S-08)."""
    labels: list[str] = [s.heading for s in layout.sections]
    for block in layout.table2:
        labels.extend((block.caption, *block.header, *(r.label for r in block.rows)))
    labels.append(TABLE3_NOTE)
    labels.extend(c.label for c in TABLE3_COLUMNS)
    labels.append(OUTCOME_BAND_LABEL)
    for row in layout.table3_rows:
        labels.append(row.label)
        if row.group_label:
            labels.append(row.group_label)
    labels.extend(g.label for g in TABLE4_GROUPS)
    labels.extend(g.parent_label for g in TABLE4_GROUPS if g.parent_label)
    labels.extend(TABLE4_CELL_LABELS.values())
    return tuple(dict.fromkeys(labels))


def check_rendered_labels(rendered: Iterable[str], layout: Layout) -> list[Finding]:
    """S-08: each statutory label of ``layout`` must appear byte-for-byte among the rendered
    strings (cell texts and headings of a generated report). A label present only in a
    normalised form (e.g. half-width brackets) is reported with what was found."""
    texts = [t.strip() for t in rendered]
    exact = set(texts)
    by_norm: dict[str, str] = {}
    for t in texts:
        by_norm.setdefault(normalize_label(t), t)
    out: list[Finding] = []
    for label in expected_labels(layout):
        if label in exact or any(label in t for t in texts):
            continue
        near = by_norm.get(normalize_label(label))
        detail = f"，实际为“{near}”（标点或字形不同）" if near else "，未找到"
        out.append(_finding("S-08", f"标签应为“{label}”{detail}。请使用格式规定的原文。"))
    return out
