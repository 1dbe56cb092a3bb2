"""Types shared by every rule: severities, locations, findings, the check context."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from gongkai.statutory.formats import (
    RowKey,
)

Number = int | Decimal | float


class Severity(StrEnum):
    """How serious a finding is (spec §2)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Origin(StrEnum):
    """Where the report came from; some severities differ (spec §2.1–§2.5)."""

    GENERATED = "generated"
    """Produced by our ledger: statutory/arithmetic problems block publication."""
    PARSED = "parsed"
    """Read from a published document."""


class AgencyKind(StrEnum):
    """Who publishes the report."""

    GOVERNMENT = "government"
    """A 人民政府's own report (county level and above: deadline 3月31日; M-04 applies)."""
    DEPARTMENT = "department"
    """A 政府部门 or other body reporting to a government (deadline 1月31日)."""


class AgencyLevel(StrEnum):
    """Administrative level of the agency."""

    NATIONAL = "national"
    PROVINCIAL = "provincial"
    CITY = "city"
    """设区的市、自治州."""
    COUNTY = "county"
    TOWNSHIP = "township"


class TableId(StrEnum):
    """The three statutory tables."""

    T2 = "table2"
    T3 = "table3"
    T4 = "table4"


@dataclass(frozen=True)
class CellRef:
    """A cell of a statutory table, by keys.

    table 二: ``row`` = ``T2Key`` value, ``col`` = "". table 三: ``row`` = ``RowKey`` value, ``col``
    = ``Col`` value. table 四: ``row`` = ``T4Group`` value, ``col`` = ``T4Cell`` value.
    """

    table: TableId
    row: str
    col: str = ""


@dataclass(frozen=True)
class Subtotal:
    """An extra subtotal printed in a parsed report (a 法人或其他组织 小计 column, or a subtotal row
    for （三）–（六）); A-05 checks ``value`` against the sum of ``parts``."""

    label: str
    value: int | None
    parts: tuple[CellRef, ...]


@dataclass(frozen=True)
class ParseNotes:
    """What the reader saw in a published report, beyond the values in ``AnnualReport``.

    Leave a field at its default when the reader did not look; the rules that need it then stay
    quiet. ``CheckContext.notes is None`` means "not parsed" (generated report).
    """

    headings_seen: tuple[tuple[int, str], ...] = ()
    """(section number 1–6, heading as printed) in document order; S-01. Empty = not recorded."""
    table3_note_present: bool | None = None
    """Whether the 勾稽 note was found in table 三's header; S-06."""
    table2_rows_missing: tuple[str, ...] = ()
    """``Table2Row.key`` of required table-二 rows not found (e.g. ``"normative"``); S-03."""
    table2_extra_rows: tuple[str, ...] = ()
    """Labels of extra (local) table-二 rows found; S-03 info."""
    table3_rows_missing: tuple[RowKey, ...] = ()
    """Table-三 rows of the report's layout not found; S-04."""
    table3_extra_rows: tuple[str, ...] = ()
    """Labels of table-三 rows that match no row of the layout; S-04."""
    table3_bad_rows: tuple[tuple[RowKey, int], ...] = ()
    """Rows found with a number of values other than 7: (row, values found); S-04."""
    table4_values_found: int | None = None
    """How many numbers the table-四 data row had (15 expected); S-05."""
    placeholder_cells: tuple[tuple[CellRef, str], ...] = ()
    """Cells printed as a placeholder (``—``, ``-``, ``/``, ``无``), with the text; V-02."""
    invalid_cells: tuple[tuple[CellRef, str], ...] = ()
    """Cells whose text is not a valid number for the cell (e.g. ``1.5`` in table 三), with the
    text; the report holds None there; V-01/V-03."""
    fee_cell_text: str | None = None
    """The 行政事业性收费 cell as printed (to spot ``元`` written instead of ``万元``); V-04."""
    subtotals: tuple[Subtotal, ...] = ()
    """Extra subtotals printed in the report; A-05."""


@dataclass(frozen=True)
class CheckContext:
    """Facts about the report that the report itself does not carry."""

    origin: Origin = Origin.PARSED
    agency_kind: AgencyKind | None = None
    agency_level: AgencyLevel | None = None
    rule_making_power: bool | None = None
    """Whether the agency may make 规章 (M-01); None = infer from kind and level."""
    deadline: date | None = None
    """Publication deadline; None = the statutory one for ``agency_kind`` (M-08)."""
    fee_max_10k_yuan: Decimal = Decimal(100000)
    """Above this, a 行政事业性收费 amount looks like it was entered in 元 (V-04)."""
    similarity_threshold: float = 0.9
    """Narrative similarity to the previous year that triggers Y-06."""
    notes: ParseNotes | None = None


@dataclass(frozen=True)
class Location:
    """Where a finding is, in words a clerk recognises (labels from ``formats``)."""

    section: int | None = None
    table: TableId | None = None
    row: str | None = None
    """Row label as printed (e.g. ``（二）部分公开…``)."""
    column: str | None = None
    """Column label as printed (e.g. ``总计``)."""
    row_key: str | None = None
    col_key: str | None = None


@dataclass(frozen=True)
class Finding:
    """One problem found by a rule."""

    rule: str
    """Rule ID, e.g. ``A-01``."""
    severity: Severity
    message: str
    """Chinese, saying what is wrong and how to fix it."""
    location: Location = field(default_factory=Location)
    numbers: tuple[Number, ...] = ()
    """The numbers involved (operands, then the printed result where relevant)."""

    def to_dict(self) -> dict[str, Any]:
        """The finding as JSON-ready data (``gongkai check --json``, oversight exports)."""
        loc = self.location
        return {
            "rule": self.rule,
            "severity": str(self.severity),
            "message": self.message,
            "location": {
                "section": loc.section,
                "table": None if loc.table is None else str(loc.table),
                "row": loc.row,
                "column": loc.column,
                "row_key": loc.row_key,
                "col_key": loc.col_key,
            },
            "numbers": [str(n) if isinstance(n, Decimal) else n for n in self.numbers],
        }


def publication_deadline(year: int, kind: AgencyKind | None) -> date:
    """Statutory publication deadline of the report for ``year`` (条例第四十九条).

    Departments: 1月31日 of the next year; governments (and unknown kinds, to stay
    conservative): 3月31日.
    """
    if kind is AgencyKind.DEPARTMENT:
        return date(year + 1, 1, 31)
    return date(year + 1, 3, 31)
