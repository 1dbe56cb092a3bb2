"""Auditing one published report without Django: read it, check it, describe it in one row.

The same functions serve the CLI (``gongkai audit DIR``, no database) and the back office's
batch worker, so a file gets the same findings wherever it is checked:

* ``read_document(data, filename)`` -> ``ReadOutcome`` (the reader's result, or the Chinese
  ``ReadError`` message); the expensive step, run in worker processes.
* ``audit_findings(report, parse_notes, facts=..., previous=...)`` -> findings of
  ``statutory.checks.check_report`` with the body's facts as context; cheap, so it is re-run
  whenever the facts change (agency confirmed, publication date entered, last year's report
  arrives).
* JSON forms of findings and parse notes, so a database row can be re-checked without
  re-reading the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from gongkai.reading.api import MAX_BYTES, ReadResult, read_report
from gongkai.reading.errors import ReadError, ReadErrorCode
from gongkai.reading.resolve import Note
from gongkai.statutory.checks import (
    RULES,
    AgencyKind,
    AgencyLevel,
    CellRef,
    CheckContext,
    Finding,
    Location,
    Origin,
    ParseNotes,
    Rule,
    Severity,
    Subtotal,
    TableId,
    check_report,
    publication_deadline,
)
from gongkai.statutory.formats import RowKey
from gongkai.statutory.report import AnnualReport

__all__ = [
    "ALL_RULES",
    "CROSS_YEAR_RULES",
    "SEVERITY_ZH",
    "AuditRow",
    "BodyFacts",
    "ReadOutcome",
    "audit_findings",
    "deadline_for",
    "finding_from_dict",
    "finding_to_dict",
    "late_days",
    "location_label",
    "note_to_dict",
    "parse_notes_from_dict",
    "parse_notes_to_dict",
    "read_document",
    "rule_title",
]

ALL_RULES: dict[str, Rule] = {r.id: r for r in RULES}
"""Every rule a finding of an audit can carry: the statutory catalogue (the audit's own text
rule, T-01, is now M-13 there)."""

CROSS_YEAR_RULES = frozenset({"Y-01", "Y-02", "Y-03", "Y-04", "Y-05", "Y-06", "Y-07", "M-09"})
"""Rules whose result depends on last year's report."""

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
TABLE_ZH = {"table2": "表二", "table3": "表三", "table4": "表四"}


def rule_title(rule_id: str) -> str:
    rule = ALL_RULES.get(rule_id)
    return rule.title if rule else ""


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadOutcome:
    """A document as read, or why it could not be read (``error_message`` is Chinese)."""

    result: ReadResult | None
    error_code: str = ""
    error_message: str = ""

    @property
    def ok(self) -> bool:
        return self.result is not None


def read_document(data: bytes, filename: str, *, max_bytes: int = MAX_BYTES) -> ReadOutcome:
    """Read one report; never raises for bad input."""
    try:
        return ReadOutcome(read_report(data, filename, max_bytes=max_bytes))
    except ReadError as exc:
        return ReadOutcome(None, exc.code.value, exc.message)
    except Exception as exc:  # noqa: BLE001 - one bad file never stops a batch
        return ReadOutcome(
            None, ReadErrorCode.CORRUPT.value, f"读取时出错（{type(exc).__name__}），文件无法解析。"
        )


# ---------------------------------------------------------------------------------------------
# Checking
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BodyFacts:
    """What the register knows about the reporting body (beyond what the report says)."""

    kind: AgencyKind | None = None
    level: AgencyLevel | None = None
    rule_making_power: bool | None = None
    deadline: date | None = None
    """Publication deadline; None = the statutory one for ``kind`` (条例第四十九条)."""


def deadline_for(year: int, facts: BodyFacts) -> date:
    return facts.deadline or publication_deadline(year, facts.kind)


def late_days(report: AnnualReport, facts: BodyFacts) -> int | None:
    """Days after the deadline the report was published (0 = on time; None = date unknown)."""
    if report.published_on is None:
        return None
    return max(0, (report.published_on - deadline_for(report.year, facts)).days)


def audit_findings(
    report: AnnualReport,
    parse_notes: ParseNotes | None,
    *,
    facts: BodyFacts | None = None,
    previous: AnnualReport | None = None,
    origin: Origin = Origin.PARSED,
) -> list[Finding]:
    """Every statutory rule (``check_report``), with the body's facts as context."""
    facts = facts or BodyFacts()
    context = CheckContext(
        origin=origin,
        agency_kind=facts.kind,
        agency_level=facts.level,
        rule_making_power=facts.rule_making_power,
        deadline=facts.deadline,
        notes=parse_notes,
    )
    return check_report(report, previous=previous, context=context)


def with_published_on(report: AnnualReport, published_on: date | None) -> AnnualReport:
    """The report with the publication date the office entered (M-08 uses it)."""
    if published_on is None or published_on == report.published_on:
        return report
    return replace(report, published_on=published_on)


# ---------------------------------------------------------------------------------------------
# One row per report (CLI, XLSX export)
# ---------------------------------------------------------------------------------------------


@dataclass
class AuditRow:
    """One report of an audit: who, which year, readable or why not, and its findings."""

    file: str
    agency: str = ""
    """The reporting body (registered name, or the name read from the title)."""
    year: int | None = None
    format_version: str = ""
    source_kind: str = ""
    published_on: date | None = None
    deadline: date | None = None
    late_days: int | None = None
    error_code: str = ""
    error: str = ""
    """Why the file could not be read (Chinese); empty when it was read."""
    findings: list[Finding] = field(default_factory=list)
    previous: str = ""
    """The previous year's report the cross-year rules compared with ("" = none)."""
    notes: list[str] = field(default_factory=list)
    """Audit notes (e.g. another year than the audited one)."""

    @property
    def readable(self) -> bool:
        return not self.error

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def errors(self) -> int:
        return self.count("error")

    @property
    def warnings(self) -> int:
        return self.count("warning")

    @property
    def infos(self) -> int:
        return self.count("info")

    @property
    def rules(self) -> list[str]:
        seen: dict[str, None] = {}
        for f in self.findings:
            seen.setdefault(f.rule, None)
        return list(seen)


def location_label(location: Location) -> str:
    """``表三 （二）部分公开… / 商业企业`` or ``第二部分``."""
    parts = []
    if location.table is not None:
        parts.append(TABLE_ZH.get(str(location.table), str(location.table)))
    elif location.section:
        parts.append(f"第{location.section}部分")
    if location.row:
        parts.append(location.row)
    label = " ".join(parts)
    if location.column:
        label += f" / {location.column}"
    return label


# ---------------------------------------------------------------------------------------------
# JSON forms (database rows)
# ---------------------------------------------------------------------------------------------


def finding_to_dict(f: Finding) -> dict[str, Any]:
    return {**f.to_dict(), "where": location_label(f.location)}


def finding_from_dict(d: Mapping[str, Any]) -> Finding:
    from decimal import Decimal

    loc = d.get("location") or {}
    numbers: list[Any] = []
    for n in d.get("numbers") or ():
        numbers.append(Decimal(n) if isinstance(n, str) else n)
    return Finding(
        rule=d["rule"],
        severity=Severity(d["severity"]),
        message=d["message"],
        location=Location(
            section=loc.get("section"),
            table=None if loc.get("table") is None else TableId(loc["table"]),
            row=loc.get("row"),
            column=loc.get("column"),
            row_key=loc.get("row_key"),
            col_key=loc.get("col_key"),
        ),
        numbers=tuple(numbers),
    )


def note_to_dict(n: Note) -> dict[str, Any]:
    return {
        "code": n.code,
        "severity": n.severity,
        "message": n.message,
        "table": n.table,
        "row": None if n.row is None else str(n.row),
    }


def _cell_out(c: CellRef) -> list[str]:
    return [str(c.table), c.row, c.col]


def _cell_in(v: Sequence[str]) -> CellRef:
    return CellRef(TableId(v[0]), v[1], v[2] if len(v) > 2 else "")


def parse_notes_to_dict(pn: ParseNotes | None) -> dict[str, Any] | None:
    """``ParseNotes`` as JSON (so a stored report can be re-checked without re-reading)."""
    if pn is None:
        return None
    return {
        "headings_seen": [[n, h] for n, h in pn.headings_seen],
        "table3_note_present": pn.table3_note_present,
        "table2_rows_missing": list(pn.table2_rows_missing),
        "table2_extra_rows": list(pn.table2_extra_rows),
        "table3_rows_missing": [str(k) for k in pn.table3_rows_missing],
        "table3_extra_rows": list(pn.table3_extra_rows),
        "table3_bad_rows": [[str(k), n] for k, n in pn.table3_bad_rows],
        "table4_values_found": pn.table4_values_found,
        "placeholder_cells": [[_cell_out(c), t] for c, t in pn.placeholder_cells],
        "invalid_cells": [[_cell_out(c), t] for c, t in pn.invalid_cells],
        "fee_cell_text": pn.fee_cell_text,
        "subtotals": [
            {"label": s.label, "value": s.value, "parts": [_cell_out(c) for c in s.parts]}
            for s in pn.subtotals
        ],
    }


def parse_notes_from_dict(d: Mapping[str, Any] | None) -> ParseNotes | None:
    if d is None:
        return None
    return ParseNotes(
        headings_seen=tuple((int(n), str(h)) for n, h in d.get("headings_seen") or ()),
        table3_note_present=d.get("table3_note_present"),
        table2_rows_missing=tuple(d.get("table2_rows_missing") or ()),
        table2_extra_rows=tuple(d.get("table2_extra_rows") or ()),
        table3_rows_missing=tuple(RowKey(k) for k in d.get("table3_rows_missing") or ()),
        table3_extra_rows=tuple(d.get("table3_extra_rows") or ()),
        table3_bad_rows=tuple((RowKey(k), int(n)) for k, n in d.get("table3_bad_rows") or ()),
        table4_values_found=d.get("table4_values_found"),
        placeholder_cells=tuple((_cell_in(c), t) for c, t in d.get("placeholder_cells") or ()),
        invalid_cells=tuple((_cell_in(c), t) for c, t in d.get("invalid_cells") or ()),
        fee_cell_text=d.get("fee_cell_text"),
        subtotals=tuple(
            Subtotal(s["label"], s.get("value"), tuple(_cell_in(c) for c in s.get("parts") or ()))
            for s in d.get("subtotals") or ()
        ),
    )


def findings_counts(findings: Iterable[Finding]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        counts[str(f.severity)] = counts.get(str(f.severity), 0) + 1
    return counts
