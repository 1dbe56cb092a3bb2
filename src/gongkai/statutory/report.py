"""The annual report as an immutable value object, with lossless JSON in and out.

An ``AnnualReport`` is what the ledger generates and what the reader parses, so both are checked
by the same code (``statutory.checks``). Table cells are ``int`` (money cells ``Decimal``) or
``None`` — *blank in the source*, which is not the same as 0. The structure (which rows, which
cells, in which order) comes from ``statutory.formats``: a report stores its tables as tuples
aligned with its layout and offers accessors by key.

JSON: ``to_dict``/``from_dict`` and ``to_json``/``from_json``; decimals travel as strings so
``Decimal("0.50")`` comes back as ``Decimal("0.50")``. Schema: ``docs/annual-report.schema.json``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from gongkai.statutory.formats import (
    APPLICANT_COLUMNS,
    SECTIONS,
    TABLE3_COLUMNS,
    TABLE4_CELLS,
    TABLE4_GROUPS,
    Col,
    FormatVersion,
    Layout,
    RowKey,
    T2Key,
    T4Cell,
    T4Group,
    get_layout,
    layout_for_year,
)

__all__ = [
    "SCHEMA_ID",
    "AnnualReport",
    "Cell",
    "ProcessingFees",
    "StatisticsPeriod",
    "Table2Value",
    "empty_report",
    "make_report",
    "report_from_truth",
    "sum_reports",
]

SCHEMA_ID = "gongkai.annual-report/1"
"""Value of the ``schema`` key in the JSON form."""

Cell = int | None
"""A table-三/四 cell: an integer, or None when the source left it blank."""

Table2Value = int | Decimal | None
"""A table-二 value: int for counts, Decimal for money (万元 in 2021), None when blank."""

N_COLS = len(TABLE3_COLUMNS)
N_T4 = len(TABLE4_GROUPS) * len(TABLE4_CELLS)
_COL_INDEX: dict[Col, int] = {c.key: i for i, c in enumerate(TABLE3_COLUMNS)}
_T4_INDEX: dict[tuple[T4Group, T4Cell], int] = {
    (g.key, c): gi * len(TABLE4_CELLS) + ci
    for gi, g in enumerate(TABLE4_GROUPS)
    for ci, c in enumerate(TABLE4_CELLS)
}


@dataclass(frozen=True)
class StatisticsPeriod:
    """The statistics period stated in the report (usually 1 Jan – 31 Dec of the year)."""

    start: date | None = None
    end: date | None = None
    text: str | None = None
    """The sentence or phrase as printed, when parsed."""


@dataclass(frozen=True)
class ProcessingFees:
    """信息处理费 figures reported in section 六 (amounts in 元)."""

    notices: int | None = None
    """Number of fee notices (收费通知) issued in the year."""
    amount_notified_yuan: Decimal | None = None
    amount_collected_yuan: Decimal | None = None


@dataclass(frozen=True)
class AnnualReport:
    """One agency's 政府信息公开工作年度报告 for one year.

    Prefer ``make_report`` / ``empty_report`` over calling the constructor: the table tuples
    must be aligned with ``layout`` (``layout.table2_keys``, ``layout.table3_keys`` × 7 columns,
    15 table-四 cells in ``formats.TABLE4_ORDER``; sections 1–6).
    """

    agency: str
    year: int
    format_version: FormatVersion
    table2: tuple[Table2Value, ...]
    table3: tuple[tuple[Cell, ...], ...]
    table4: tuple[Cell, ...]
    sections: tuple[str | None, ...] = field(default=(None,) * len(SECTIONS))
    title: str | None = None
    period: StatisticsPeriod | None = None
    published_on: date | None = None
    processing_fees: ProcessingFees | None = None

    def __post_init__(self) -> None:
        layout = self.layout
        if len(self.table2) != len(layout.table2_keys):
            raise ValueError(f"table2 needs {len(layout.table2_keys)} values")
        if len(self.table3) != len(layout.table3_keys) or any(
            len(r) != N_COLS for r in self.table3
        ):
            raise ValueError(f"table3 needs {len(layout.table3_keys)} rows of {N_COLS} values")
        if len(self.table4) != N_T4:
            raise ValueError(f"table4 needs {N_T4} values")
        if len(self.sections) != len(SECTIONS):
            raise ValueError(f"sections needs {len(SECTIONS)} entries")

    # -- structure ------------------------------------------------------------------------

    @property
    def layout(self) -> Layout:
        """The layout this report's tables follow (``format_version``, not necessarily the
        layout its year requires — see rule S-02)."""
        return get_layout(self.format_version)

    # -- accessors ------------------------------------------------------------------------

    def table2_value(self, key: T2Key | str) -> Table2Value:
        """A table-二 value by key; KeyError if this layout has no such cell."""
        return self.table2[self._t2_index(key)]

    def row(self, key: RowKey | str) -> tuple[Cell, ...]:
        """The 7 values of a table-三 row (columns in ``formats.TABLE3_COLUMNS`` order)."""
        return self.table3[self._row_index(key)]

    def cell(self, row: RowKey | str, col: Col | str) -> Cell:
        """A table-三 cell by row key and column key."""
        return self.row(row)[_COL_INDEX[Col(col)]]

    def cell_or_zero(self, row: RowKey | str, col: Col | str) -> int:
        """A table-三 cell with blank read as 0 (arithmetic convention, spec §1.7)."""
        value = self.cell(row, col)
        return 0 if value is None else value

    def table4_value(self, group: T4Group | str, cell: T4Cell | str) -> Cell:
        """A table-四 value by group and cell key."""
        return self.table4[_T4_INDEX[(T4Group(group), T4Cell(cell))]]

    def table4_group(self, group: T4Group | str) -> tuple[Cell, ...]:
        """The 5 values of a table-四 group (维持, 纠正, 其他, 尚未审结, 总计)."""
        start = _T4_INDEX[(T4Group(group), TABLE4_CELLS[0])]
        return self.table4[start : start + len(TABLE4_CELLS)]

    def section(self, number: int) -> str | None:
        """Narrative text of section ``number`` (1–6), None when absent."""
        if not 1 <= number <= len(SECTIONS):
            raise KeyError(number)
        return self.sections[number - 1]

    @property
    def narrative(self) -> str:
        """All section texts joined by blank lines."""
        return "\n\n".join(t for t in self.sections if t)

    # -- functional updates ---------------------------------------------------------------

    def with_table2(self, key: T2Key | str, value: Table2Value) -> AnnualReport:
        """A copy with one table-二 value replaced."""
        values = list(self.table2)
        values[self._t2_index(key)] = value
        return replace(self, table2=tuple(values))

    def with_row(self, key: RowKey | str, values: Sequence[Cell]) -> AnnualReport:
        """A copy with one table-三 row replaced (7 values)."""
        if len(values) != N_COLS:
            raise ValueError(f"a table-三 row has {N_COLS} values")
        rows = list(self.table3)
        rows[self._row_index(key)] = tuple(values)
        return replace(self, table3=tuple(rows))

    def with_cell(self, row: RowKey | str, col: Col | str, value: Cell) -> AnnualReport:
        """A copy with one table-三 cell replaced."""
        values = list(self.row(row))
        values[_COL_INDEX[Col(col)]] = value
        return self.with_row(row, values)

    def with_table4(self, group: T4Group | str, cell: T4Cell | str, value: Cell) -> AnnualReport:
        """A copy with one table-四 cell replaced."""
        values = list(self.table4)
        values[_T4_INDEX[(T4Group(group), T4Cell(cell))]] = value
        return replace(self, table4=tuple(values))

    def with_section(self, number: int, text: str | None) -> AnnualReport:
        """A copy with the text of section ``number`` (1–6) replaced."""
        self.section(number)
        texts = list(self.sections)
        texts[number - 1] = text
        return replace(self, sections=tuple(texts))

    def with_computed_totals(self) -> AnnualReport:
        """A copy whose 总计 column, （七）总计 row and table-四 总计 cells are recomputed from
        their parts (blanks count as 0). Use when generating a report from the ledger."""
        layout = self.layout
        rows: dict[RowKey, list[int]] = {}
        for key in layout.table3_keys:
            values = [self.cell_or_zero(key, c) for c in APPLICANT_COLUMNS]
            rows[key] = [*values, sum(values)]
        rows[RowKey.OTOT] = [sum(rows[k][i] for k in layout.outcome_keys) for i in range(N_COLS)]
        table3 = tuple(tuple(rows[k]) for k in layout.table3_keys)
        table4 = list(self.table4)
        for g in TABLE4_GROUPS:
            parts = [self.table4_value(g.key, c) or 0 for c in TABLE4_CELLS[:-1]]
            table4[_T4_INDEX[(g.key, T4Cell.TOTAL)]] = sum(parts)
        return replace(self, table3=table3, table4=tuple(table4))

    # -- JSON -----------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict form (see ``docs/annual-report.schema.json``)."""
        layout = self.layout
        return {
            "schema": SCHEMA_ID,
            "agency": self.agency,
            "year": self.year,
            "format_version": self.format_version.value,
            "title": self.title,
            "published_on": _date_out(self.published_on),
            "period": _period_out(self.period),
            "table2": {
                k.value: _num_out(v) for k, v in zip(layout.table2_keys, self.table2, strict=True)
            },
            "table3": {
                k.value: list(r) for k, r in zip(layout.table3_keys, self.table3, strict=True)
            },
            "table4": {g.key.value: list(self.table4_group(g.key)) for g in TABLE4_GROUPS},
            "sections": {str(i + 1): t for i, t in enumerate(self.sections)},
            "processing_fees": _fees_out(self.processing_fees),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AnnualReport:
        """Inverse of ``to_dict``. Missing table keys read as blank (None); unknown keys and
        malformed values raise ``ValueError``."""
        unknown = set(data) - _TOP_KEYS
        if unknown:
            raise ValueError(f"unknown keys: {sorted(unknown)}")
        version = FormatVersion(str(data["format_version"]))
        sections = data.get("sections") or {}
        return make_report(
            agency=str(data["agency"]),
            year=_int(data["year"]),
            version=version,
            title=data.get("title"),
            published_on=_date_in(data.get("published_on")),
            period=_period_in(data.get("period")),
            table2={k: _num_in(v) for k, v in (data.get("table2") or {}).items()},
            table3={k: [_cell_in(x) for x in v] for k, v in (data.get("table3") or {}).items()},
            table4={k: [_cell_in(x) for x in v] for k, v in (data.get("table4") or {}).items()},
            sections={int(k): v for k, v in sections.items()},
            processing_fees=_fees_in(data.get("processing_fees")),
            fill=None,
        )

    def to_json(self, *, indent: int | None = 1) -> str:
        """Serialise to a JSON string (UTF-8 text, Chinese kept as is)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_json(cls, text: str | bytes) -> AnnualReport:
        """Parse the output of ``to_json``."""
        return cls.from_dict(json.loads(text))

    # -- internals ------------------------------------------------------------------------

    def _t2_index(self, key: T2Key | str) -> int:
        try:
            return self.layout.table2_keys.index(T2Key(key))
        except ValueError:
            raise KeyError(f"{key} is not in the {self.format_version} layout") from None

    def _row_index(self, key: RowKey | str) -> int:
        try:
            return self.layout.table3_keys.index(RowKey(key))
        except ValueError:
            raise KeyError(f"{key} is not in the {self.format_version} layout") from None


_TOP_KEYS = frozenset(
    {
        "schema",
        "agency",
        "year",
        "format_version",
        "title",
        "published_on",
        "period",
        "table2",
        "table3",
        "table4",
        "sections",
        "processing_fees",
    }
)


# ---------------------------------------------------------------------------------------------
# Construction
# ---------------------------------------------------------------------------------------------


def make_report(
    *,
    agency: str,
    year: int,
    version: FormatVersion | str | None = None,
    table2: Mapping[T2Key | str, Table2Value] | None = None,
    table3: Mapping[RowKey | str, Sequence[Cell]] | None = None,
    table4: Mapping[T4Group | str, Sequence[Cell]] | None = None,
    sections: Mapping[int, str | None] | None = None,
    title: str | None = None,
    period: StatisticsPeriod | None = None,
    published_on: date | None = None,
    processing_fees: ProcessingFees | None = None,
    fill: int | None = 0,
) -> AnnualReport:
    """Build a report from mappings keyed by the ``formats`` keys.

    ``version`` defaults to the layout of ``year``. Cells not given get ``fill`` (0, or None for
    "blank"); money cells get ``Decimal(fill)``. Keys that the layout lacks raise ``KeyError``.
    """
    layout = get_layout(version) if version is not None else layout_for_year(year)
    t2 = _table2_values(layout, table2 or {}, fill)
    t3 = _table3_values(layout, table3 or {}, fill)
    t4 = _table4_values(table4 or {}, fill)
    texts: list[str | None] = [None] * len(SECTIONS)
    for number, text in (sections or {}).items():
        if not 1 <= number <= len(SECTIONS):
            raise KeyError(f"section {number}")
        texts[number - 1] = text
    return AnnualReport(
        agency=agency,
        year=year,
        format_version=layout.version,
        table2=t2,
        table3=t3,
        table4=t4,
        sections=tuple(texts),
        title=title,
        period=period,
        published_on=published_on,
        processing_fees=processing_fees,
    )


def empty_report(
    agency: str, year: int, *, version: FormatVersion | str | None = None, fill: int | None = 0
) -> AnnualReport:
    """A report with every cell set to ``fill`` (0 = an all-zero report; None = all blank)."""
    return make_report(agency=agency, year=year, version=version, fill=fill)


def _table2_values(
    layout: Layout, given: Mapping[T2Key | str, Table2Value], fill: int | None
) -> tuple[Table2Value, ...]:
    values = {T2Key(k): v for k, v in given.items()}
    extra = set(values) - set(layout.table2_keys)
    if extra:
        raise KeyError(f"not in the {layout.version} layout: {sorted(extra)}")
    out: list[Table2Value] = []
    for cell in layout.table2_cells:
        if cell.key in values:
            value = values[cell.key]
            if cell.kind.is_decimal and isinstance(value, int):
                value = Decimal(value)
            out.append(value)
        elif fill is None:
            out.append(None)
        else:
            out.append(Decimal(fill) if cell.kind.is_decimal else fill)
    return tuple(out)


def _table3_values(
    layout: Layout, given: Mapping[RowKey | str, Sequence[Cell]], fill: int | None
) -> tuple[tuple[Cell, ...], ...]:
    rows = {RowKey(k): tuple(v) for k, v in given.items()}
    extra = set(rows) - set(layout.table3_keys)
    if extra:
        raise KeyError(f"not in the {layout.version} layout: {sorted(extra)}")
    for key, values in rows.items():
        if len(values) != N_COLS:
            raise ValueError(f"row {key} needs {N_COLS} values")
    return tuple(rows.get(k, (fill,) * N_COLS) for k in layout.table3_keys)


def _table4_values(
    given: Mapping[T4Group | str, Sequence[Cell]], fill: int | None
) -> tuple[Cell, ...]:
    groups = {T4Group(k): tuple(v) for k, v in given.items()}
    out: list[Cell] = []
    for g in TABLE4_GROUPS:
        values = groups.get(g.key, (fill,) * len(TABLE4_CELLS))
        if len(values) != len(TABLE4_CELLS):
            raise ValueError(f"table-四 group {g.key} needs {len(TABLE4_CELLS)} values")
        out.extend(values)
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# Aggregation
# ---------------------------------------------------------------------------------------------


def _add(a: Any, b: Any) -> Any:
    if a is None:
        return b
    if b is None:
        return a
    return a + b


def sum_reports(
    reports: Iterable[AnnualReport],
    *,
    agency: str,
    title: str | None = None,
    published_on: date | None = None,
) -> AnnualReport:
    """Cell-wise sum of several reports of the same year and format (regional aggregation).

    A cell is blank in the sum only when it is blank in every report. Sections are left empty
    (a region's narrative is written, not summed); the period is kept when all reports agree.
    """
    items = list(reports)
    if not items:
        raise ValueError("nothing to sum")
    first = items[0]
    if any(r.year != first.year or r.format_version != first.format_version for r in items):
        raise ValueError("reports of different years or formats cannot be summed")
    t2 = list(first.table2)
    t3 = [list(r) for r in first.table3]
    t4 = list(first.table4)
    for r in items[1:]:
        t2 = [_add(a, b) for a, b in zip(t2, r.table2, strict=True)]
        t3 = [
            [_add(a, b) for a, b in zip(x, y, strict=True)]
            for x, y in zip(t3, r.table3, strict=True)
        ]
        t4 = [_add(a, b) for a, b in zip(t4, r.table4, strict=True)]
    periods = {r.period for r in items}
    return AnnualReport(
        agency=agency,
        year=first.year,
        format_version=first.format_version,
        table2=tuple(t2),
        table3=tuple(tuple(r) for r in t3),
        table4=tuple(t4),
        title=title,
        period=periods.pop() if len(periods) == 1 else None,
        published_on=published_on,
        processing_fees=_sum_fees(r.processing_fees for r in items),
    )


def _sum_fees(fees: Iterable[ProcessingFees | None]) -> ProcessingFees | None:
    total: ProcessingFees | None = None
    for f in fees:
        if f is None:
            continue
        if total is None:
            total = f
            continue
        total = ProcessingFees(
            _add(total.notices, f.notices),
            _add(total.amount_notified_yuan, f.amount_notified_yuan),
            _add(total.amount_collected_yuan, f.amount_collected_yuan),
        )
    return total


# ---------------------------------------------------------------------------------------------
# Corpus truth JSON
# ---------------------------------------------------------------------------------------------


def report_from_truth(truth: Mapping[str, Any], *, agency: str | None = None) -> AnnualReport:
    """Build a report from a corpus truth JSON object (``tests/data/corpus/README.md``).

    Uses the truth key names recorded in ``formats`` (``Table2Cell.truth_path``,
    ``Table3Row.truth_key``, ``Table4Group.truth_key``). ``null`` values become blank cells.
    """
    layout = get_layout(str(truth["format_version"]))
    section2 = truth.get("section2") or {}
    table2: dict[T2Key | str, Table2Value] = {}
    for cell in layout.table2_cells:
        node: Any = section2
        for part in cell.truth_path:
            node = node.get(part) if isinstance(node, Mapping) else None
        table2[cell.key] = _num_in(node) if not isinstance(node, float) else Decimal(str(node))
    rows = (truth.get("section3") or {}).get("rows") or {}
    table3: dict[RowKey | str, Sequence[Cell]] = {
        r.key: list(rows[r.truth_key]) for r in layout.table3_rows if r.truth_key in rows
    }
    section4 = truth.get("section4") or {}
    table4: dict[T4Group | str, Sequence[Cell]] = {
        g.key: list(section4[g.truth_key]) for g in TABLE4_GROUPS if g.truth_key in section4
    }
    return make_report(
        agency=agency if agency is not None else str(truth.get("issuing_body", "")),
        year=int(truth["report_year"]),
        version=layout.version,
        table2=table2,
        table3=table3,
        table4=table4,
        fill=None,
    )


# ---------------------------------------------------------------------------------------------
# JSON helpers
# ---------------------------------------------------------------------------------------------


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected an integer, got {value!r}")
    return value


def _cell_in(value: Any) -> Cell:
    return None if value is None else _int(value)


def _num_out(value: Table2Value) -> int | str | None:
    return str(value) if isinstance(value, Decimal) else value


def _num_in(value: Any) -> Table2Value:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            raise ValueError(f"not a decimal: {value!r}") from None
    return _int(value)


def _dec_in(value: Any) -> Decimal | None:
    number = _num_in(value)
    return None if number is None else Decimal(number)


def _date_out(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _date_in(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


def _period_out(period: StatisticsPeriod | None) -> dict[str, str | None] | None:
    if period is None:
        return None
    return {"start": _date_out(period.start), "end": _date_out(period.end), "text": period.text}


def _period_in(data: Any) -> StatisticsPeriod | None:
    if data is None:
        return None
    return StatisticsPeriod(
        _date_in(data.get("start")), _date_in(data.get("end")), data.get("text")
    )


def _fees_out(fees: ProcessingFees | None) -> dict[str, int | str | None] | None:
    if fees is None:
        return None
    return {
        "notices": fees.notices,
        "amount_notified_yuan": _num_out(fees.amount_notified_yuan),
        "amount_collected_yuan": _num_out(fees.amount_collected_yuan),
    }


def _fees_in(data: Any) -> ProcessingFees | None:
    if data is None:
        return None
    return ProcessingFees(
        _cell_in(data.get("notices")),
        _dec_in(data.get("amount_notified_yuan")),
        _dec_in(data.get("amount_collected_yuan")),
    )
