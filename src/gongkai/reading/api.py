"""``read_report``: bytes of a published annual report -> ``ReadResult``.

    result = read_report(data, "report.pdf")
    result.report          # AnnualReport (None in a cell = blank / unreadable)
    result.notes           # what the reader inferred or could not decide (Chinese)
    result.context         # CheckContext(notes=ParseNotes(...)) to pass to check_report

Every input that cannot be read raises ``ReadError`` (Chinese message, ``code``); nothing else
escapes for bad input.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from gongkai.reading.errors import ReadError, ReadErrorCode
from gongkai.reading.extract import SourceKind, detect_kind, extract, pdf_table_text
from gongkai.reading.locate import Located, locate
from gongkai.reading.normalise import normalise_text
from gongkai.reading.resolve import Note, Resolved, parse_notes, resolve
from gongkai.statutory.checks import AgencyKind, CheckContext, Origin
from gongkai.statutory.formats import (
    SECTIONS,
    FormatVersion,
    RowKey,
    T2Key,
    T4Group,
    get_layout,
    layout_for_year,
)
from gongkai.statutory.report import (
    AnnualReport,
    ProcessingFees,
    StatisticsPeriod,
    Table2Value,
    make_report,
)

__all__ = ["MAX_BYTES", "ReadResult", "read_report"]

MAX_BYTES = 50 * 1024 * 1024
"""Largest document accepted (50 MB): published reports are far smaller."""


@dataclass(frozen=True)
class ReadResult:
    """A report as read, with the reader's notes and the context for ``check_report``."""

    report: AnnualReport
    notes: tuple[Note, ...]
    context: CheckContext
    source_kind: SourceKind
    table2_version: FormatVersion | None
    """Layout of table 二 as printed (may differ from ``report.format_version``)."""
    table2_values: Mapping[T2Key, Table2Value]
    """Table 二 as read, keyed by the printed layout's keys (complete even when the report's
    own layout cannot hold them, e.g. a 2019-style table 二 in a 2021-format report)."""


def read_report(
    data: bytes, filename: str | None = None, *, max_bytes: int = MAX_BYTES
) -> ReadResult:
    """Read an annual report from the bytes of a PDF, DOCX, HTML, text or Markdown file."""
    if not data or not data.strip():
        raise ReadError(ReadErrorCode.EMPTY, "文件是空的，没有可读取的内容。")
    if len(data) > max_bytes:
        raise ReadError(
            ReadErrorCode.TOO_LARGE,
            f"文件太大（{len(data) / 1048576:.0f} MB，上限 {max_bytes / 1048576:.0f} MB），不像是年度报告。",
        )
    kind = detect_kind(data, filename)
    try:
        extracted = extract(data, kind)
        text = normalise_text(extracted.text)
        loc = locate(text)
        result = _build(loc, kind)
        if kind is SourceKind.PDF and _wants_tables(result):
            better = _retry_with_pdf_tables(data, kind)
            if better is not None and _quality(better) > _quality(result):
                first = result.report
                merged = replace(
                    better.report,
                    agency=better.report.agency or first.agency,
                    title=better.report.title or first.title,
                    period=better.report.period or first.period,
                    published_on=better.report.published_on or first.published_on,
                    sections=tuple(
                        b or a for a, b in zip(first.sections, better.report.sections, strict=True)
                    ),
                )
                result = replace(
                    better,
                    report=merged,
                    notes=(
                        Note(
                            "pdf-tables", "info", "文字层的表格数字有歧义，改用表格线定位单元格。"
                        ),
                        *better.notes,
                    ),
                )
        return result
    except ReadError:
        raise
    except (RecursionError, MemoryError) as exc:
        raise ReadError(
            ReadErrorCode.CORRUPT, "文件结构异常（嵌套过深或过大），无法读取。"
        ) from exc
    except Exception as exc:  # noqa: BLE001 - last line of defence: never a traceback for users
        raise ReadError(
            ReadErrorCode.CORRUPT, f"文件无法解析（{type(exc).__name__}），可能已损坏或格式不标准。"
        ) from exc


def _retry_with_pdf_tables(data: bytes, kind: SourceKind) -> ReadResult | None:
    try:
        text = normalise_text(pdf_table_text(data))
        return _build(locate(text), kind)
    except Exception:  # noqa: BLE001 - the text-layer result stands
        return None


def _unresolved(result: ReadResult) -> int:
    r = result.report
    return sum(v is None for row in r.table3 for v in row) + sum(v is None for v in r.table4)


def _wants_tables(result: ReadResult) -> bool:
    return _unresolved(result) > 0 or any(n.code == "ambiguous-split" for n in result.notes)


def _quality(result: ReadResult) -> tuple[int, int]:
    ambiguous = sum(
        n.code in ("ambiguous-split", "too-many-cells", "cell-count") for n in result.notes
    )
    return (-_unresolved(result), -ambiguous)


def _agency_kind(name: str) -> AgencyKind | None:
    if re.search(r"人民政府$", name):
        return AgencyKind.GOVERNMENT
    if re.search(r"(局|委员会|委|办公室|办|厅|部|署|院|中心|所|站|队)$", name):
        return AgencyKind.DEPARTMENT
    return None


def _sections(loc: Located) -> dict[int, str | None]:
    ordered = sorted(loc.headings.values(), key=lambda h: h.start)
    out: dict[int, str | None] = {}
    for i, h in enumerate(ordered):
        end = ordered[i + 1].start if i + 1 < len(ordered) else len(loc.text)
        out[h.number] = loc.text[h.end : end].strip()
    return out


def _build(loc: Located, kind: SourceKind) -> ReadResult:
    if loc.table3_version is None or loc.rows_found < 5:
        if loc.rows_found == 0 and "政府信息公开" not in re.sub(r"\s+", "", loc.text[:20000]):
            raise ReadError(
                ReadErrorCode.NOT_A_REPORT,
                "没有找到政府信息公开工作年度报告的内容（章节标题和统计表），"
                "这份文件看起来不是年度报告。",
            )
        raise ReadError(
            ReadErrorCode.NO_TABLES,
            "没有找到“收到和处理政府信息公开申请情况”统计表；"
            "请确认文件是完整的年度报告（表格没有做成图片）。",
        )
    year = loc.year or (loc.period[1].year if loc.period else None)
    notes: list[Note] = []
    if year is None:
        year = date.today().year - 1  # noqa: DTZ011 - only a fallback label, noted below
        notes.append(Note("year-unknown", "warning", f"没有找到报告年度，暂按{year}年处理。"))
    version = loc.table3_version
    res: Resolved = resolve(loc, version)
    notes.extend(res.notes)
    layout = get_layout(version)
    # table 二 in the report's own layout
    table2: dict[T2Key | str, Table2Value] = {}
    if res.table2_version is not None and res.table2_version is not version:
        notes.append(
            Note(
                "hybrid-format",
                "warning",
                f"表二按{res.table2_version.value}年版格式填写，表三按{version.value}年版格式填写；"
                "表二只保留两版含义相同的“处理决定数量”。",
                "table2",
            )
        )
        for key in layout.table2_keys:
            table2[key] = res.table2.get(key) if key.value.endswith("_decisions") else None
    else:
        for key in layout.table2_keys:
            table2[key] = res.table2.get(key)
    if version is not layout_for_year(year).version:
        notes.append(
            Note(
                "format-year",
                "info",
                f"{year}年度报告使用了{version.value}年版格式的表三。",
                "table3",
            )
        )
    t4 = res.table4
    period = None
    if loc.period_text:
        start, end = loc.period if loc.period else (None, None)
        period = StatisticsPeriod(start, end, loc.period_text)
    fees = None
    if res.fees is not None:
        from decimal import Decimal

        a, b, c = res.fees
        fees = ProcessingFees(
            a, None if b is None else Decimal(b), None if c is None else Decimal(c)
        )
    agency = loc.agency or ""
    if not agency:
        notes.append(Note("agency-unknown", "info", "没有从标题中读到发布机关名称。"))
    report = make_report(
        agency=agency,
        year=year,
        version=version,
        table2=table2,
        table3=dict(res.table3.items()),
        table4={g: t4[i * 5 : i * 5 + 5] for i, g in enumerate(T4Group)},
        sections={n: t for n, t in _sections(loc).items() if 1 <= n <= len(SECTIONS)},
        title=loc.title,
        period=period,
        published_on=loc.published_on,
        processing_fees=fees,
        fill=None,
    )
    for row_key, read in loc.table3.items():
        if not read.found:
            label = layout.table3_row(RowKey(row_key)).full_label
            notes.append(
                Note("row-missing", "warning", f"表三没有找到“{label}”一行。", "table3", row_key)
            )
    pn = parse_notes(loc, res, layout)
    context = CheckContext(origin=Origin.PARSED, agency_kind=_agency_kind(agency), notes=pn)
    return ReadResult(
        report=report,
        notes=tuple(notes),
        context=context,
        source_kind=kind,
        table2_version=res.table2_version,
        table2_values=dict(res.table2),
    )
