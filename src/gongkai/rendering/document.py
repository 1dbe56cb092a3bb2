"""The report as a renderer-neutral document: title, intro, six sections, three table grids.

Every renderer (HTML, DOCX, XLSX, Markdown, text) walks the same :class:`Document`, built here from
an :class:`~gongkai.statutory.report.AnnualReport` and the labels of
:mod:`gongkai.statutory.formats` (the one source of truth: no statutory label is typed in this
package).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from gongkai.rendering.grid import (
    Grid,
    Table2Block,
    Table3Row,
    table2_grid,
    table3_grid,
    table4_grid,
)
from gongkai.statutory import formats
from gongkai.statutory.report import AnnualReport

TITLE_SUFFIX = "年政府信息公开工作年度报告"

# which section carries which table (spec §1.3: 二, 三, 四 are the statutory tables)
TABLE_OF_SECTION: dict[int, str] = {2: "table2", 3: "table3", 4: "table4"}


@dataclass(frozen=True)
class Finding:
    """A check finding, reduced to what a reader of the report needs."""

    rule: str
    severity: str  # error | warning | info
    location: str
    message: str

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS.get(self.severity, self.severity)


SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass(frozen=True)
class Section:
    number: int
    heading: str
    paragraphs: tuple[str, ...]
    table: Grid | None


@dataclass(frozen=True)
class Document:
    title: str
    title_lines: tuple[str, ...]
    intro: str
    sections: tuple[Section, ...]
    signature: tuple[str, ...]  # agency, date — empty when the report has no publication date
    findings: tuple[Finding, ...] | None  # None: no check was run

    @property
    def tables(self) -> list[Grid]:
        return [s.table for s in self.sections if s.table is not None]

    def table(self, key: str) -> Grid:
        for grid in self.tables:
            if grid.key == key:
                return grid
        raise KeyError(key)


# --- building ---------------------------------------------------------------------------------


def report_title(report: AnnualReport) -> str:
    """``<agency><year>年政府信息公开工作年度报告`` unless the report carries its own title."""
    if report.title:
        return report.title.strip()
    return f"{report.agency}{report.year}{TITLE_SUFFIX}"


def _title_lines(title: str, report: AnnualReport) -> tuple[str, ...]:
    """Official reports print the agency on the first line, ``YYYY年…年度报告`` on the second."""
    suffix = f"{report.year}{TITLE_SUFFIX}"
    if title.endswith(suffix) and len(title) > len(suffix):
        return (title[: -len(suffix)], suffix)
    return (title,)


def cn_date(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def period_phrase(report: AnnualReport) -> str:
    """``2024年1月1日至2024年12月31日`` (from the report's period, else the calendar year)."""
    period = report.period
    if period is not None and period.start is not None and period.end is not None:
        return f"{cn_date(period.start)}至{cn_date(period.end)}"
    if period is not None and period.text:
        match = re.search(r"\d{4}年\d{1,2}月\d{1,2}日至(?:\d{4}年)?\d{1,2}月\d{1,2}日", period.text)
        if match:
            return match.group(0)
    return formats.PERIOD_TEMPLATE.format(year=report.year)


def intro_text(report: AnnualReport) -> str:
    return (
        "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定编制。"
        f"本报告所列数据的统计期限为{period_phrase(report)}。"
    )


_CJK = r"\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef\u2018-\u201d"
_CJK_SPACE = re.compile(
    rf"(?<=[{_CJK}])[ \t\u00a0\u3000]+(?=[{_CJK}0-9])|(?<=[{_CJK}0-9])[ \t\u00a0\u3000]+(?=[{_CJK}])"
)


def tidy_spaces(text: str) -> str:
    """Drop spaces between Chinese characters, full-width punctuation and digits.

    Text copied out of PDFs carries spaces such as "公开各类政府信息 757条"; in justified
    Chinese text they print as wide gaps. Spaces next to Latin letters are kept. Used by the
    printed formats (HTML, PDF, DOCX); the text and Markdown renderers keep the source as is.
    """
    return _CJK_SPACE.sub("", text)


def split_paragraphs(text: str | None) -> tuple[str, ...]:
    """One paragraph per non-empty line (the convention of a text area), whitespace trimmed."""
    if not text:
        return ()
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def build_table2(report: AnnualReport) -> Grid:
    layout = report.layout
    values = dict(zip(layout.table2_keys, report.table2, strict=True))
    blocks = [
        Table2Block(
            caption=block.caption,
            header=block.header,
            rows=tuple((row.label, tuple(values[c.key] for c in row.cells)) for row in block.rows),
            key=block.item,
        )
        for block in layout.table2
    ]
    return table2_grid(layout.sections[1].heading, blocks)


def build_table3(report: AnnualReport) -> Grid:
    layout = report.layout
    rows = [
        Table3Row(
            key=row.key.value,
            label=row.label,
            groups=tuple(g for g in (row.band, row.group_label) if g),
            values=tuple(values),
        )
        for row, values in zip(layout.table3_rows, report.table3, strict=True)
    ]
    return table3_grid(
        layout.sections[2].heading,
        note=formats.TABLE3_NOTE,
        header_top=formats.TABLE3_HEADER_TOP,
        columns=[c.label for c in formats.TABLE3_COLUMNS],
        column_group=formats.TABLE3_ORG_GROUP_LABEL,
        column_group_members=[c.label for c in formats.TABLE3_COLUMNS if c.in_org_group],
        rows=rows,
    )


def build_table4(report: AnnualReport) -> Grid:
    layout = report.layout
    groups = formats.TABLE4_GROUPS
    review = groups[0].label
    litigation = next(g.parent_label for g in groups if g.parent_label)
    assert litigation is not None
    return table4_grid(
        layout.sections[3].heading,
        review=review,
        litigation=litigation,
        litigation_groups=[g.label for g in groups if g.parent_label],
        results=[formats.TABLE4_CELL_LABELS[c] for c in formats.TABLE4_CELLS],
        values=report.table4,
    )


def build_document(report: AnnualReport, findings: Iterable[Any] | None = None) -> Document:
    builders = {"table2": build_table2, "table3": build_table3, "table4": build_table4}
    sections = []
    for spec, text in zip(report.layout.sections, report.sections, strict=True):
        table_key = TABLE_OF_SECTION.get(spec.number)
        sections.append(
            Section(
                number=spec.number,
                heading=spec.heading,
                paragraphs=split_paragraphs(text),
                table=builders[table_key](report) if table_key else None,
            )
        )
    title = report_title(report)
    signature: tuple[str, ...] = ()
    if report.published_on is not None:
        signature = (report.agency, cn_date(report.published_on))
    return Document(
        title=title,
        title_lines=_title_lines(title, report),
        intro=intro_text(report),
        sections=tuple(sections),
        signature=signature,
        findings=None if findings is None else tuple(to_finding(f) for f in findings),
    )


# --- findings: accept the objects of gongkai.statutory.checks, dicts, or tuples ---------------


def _pick(obj: Any, names: Sequence[str]) -> Any:
    for name in names:
        if isinstance(obj, Mapping) and name in obj:
            return obj[name]
        if hasattr(obj, name):
            return getattr(obj, name)
    return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    value = getattr(value, "value", value)  # enums
    if isinstance(value, (tuple, list)):
        return " ".join(_text(v) for v in value if v is not None)
    return str(value)


_TABLE_SECTION = {"table2": 2, "table3": 3, "table4": 4}


def location_text(location: Any) -> str:
    """A check ``Location`` (section, table, row, column) in words: heading · row · column."""
    if location is None:
        return ""
    if isinstance(location, str):
        return location
    section = _pick(location, ("section",))
    table = _text(_pick(location, ("table",)))
    number = section if isinstance(section, int) else _TABLE_SECTION.get(table)
    parts = []
    if isinstance(number, int) and 1 <= number <= len(formats.SECTIONS):
        parts.append(formats.SECTIONS[number - 1].heading)
    for name in ("row", "column"):
        value = _text(_pick(location, (name,)))
        if value:
            parts.append(value)
    if not parts:
        return _text(location) if not hasattr(location, "__dataclass_fields__") else ""
    return " · ".join(parts)


def to_finding(obj: Any) -> Finding:
    """Reduce a finding of ``gongkai.statutory.checks`` (or a dict / 4-tuple) to :class:`Finding`."""
    if isinstance(obj, Finding):
        return obj
    if isinstance(obj, tuple) and len(obj) == 4 and not hasattr(obj, "_fields"):
        return Finding(*(_text(v) for v in obj))
    return Finding(
        rule=_text(_pick(obj, ("rule", "rule_id", "code", "id"))),
        severity=_text(_pick(obj, ("severity", "level"))).lower(),
        location=location_text(_pick(obj, ("location", "where"))),
        message=_text(_pick(obj, ("message", "text", "detail"))),
    )


def run_checks(report: AnnualReport) -> list[Any] | None:
    """Findings of ``gongkai.statutory.checks`` for ``report``; None when that module is absent."""
    try:
        from gongkai.statutory.checks import check_report
    except ImportError:  # the checks are an optional part of the platform
        return None
    return list(check_report(report))
