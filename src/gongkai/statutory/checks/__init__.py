"""Consistency rules for an annual report (spec §2.1–§2.5).

``check_report(report, previous=..., context=...)`` runs every rule that can be decided from one
report, or from two consecutive years of the same agency, and returns ``Finding`` objects with a
rule ID, a severity, a location and a Chinese message a clerk can act on. The same code checks a
report generated from the ledger (``Origin.GENERATED``) and one read from a published document
(``Origin.PARSED``, with ``ParseNotes`` saying what the reader saw); a few severities differ.

The rule catalogue is data (``RULES``); ``docs/checks.md`` is generated from it by
``rules_markdown()``. Labels in messages come from ``formats``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from gongkai.statutory.checks.arithmetic import (
    _a01_row_totals,
    _a02_outcome_total,
    _a03_reconciliation,
    _a04_table4,
    _a05_subtotals,
    _a06_carry_out,
)
from gongkai.statutory.checks.catalogue import (
    RULES,
    Rule,
    rules_markdown,
)
from gongkai.statutory.checks.common import (
    _Run,
)
from gongkai.statutory.checks.model import (
    AgencyKind,
    AgencyLevel,
    CellRef,
    CheckContext,
    Finding,
    Location,
    Number,
    Origin,
    ParseNotes,
    Severity,
    Subtotal,
    TableId,
    publication_deadline,
)
from gongkai.statutory.checks.semantic import (
    _m01_regulations,
    _m02_fee_notices,
    _m03_fee_statement,
    _m04_accountability,
    _m05_narrative,
    _m08_timeliness,
    _m09_litigation_after_review,
    _m11_breakdowns,
    _m12_stale_year,
    _m13_subheadings,
)
from gongkai.statutory.checks.structure import (
    _s01_sections,
    _s02_version,
    _s03_table2,
    _s04_table3,
    _s05_table4,
    _s06_note,
    _s07_period,
    check_rendered_labels,
    expected_labels,
)
from gongkai.statutory.checks.values import (
    _v01_nonnegative,
    _v02_blanks,
    _v03_table2,
    _v04_fee,
)
from gongkai.statutory.checks.yearly import (
    _y01_carry_in,
    _y02_to_y04_register,
    _y05_items_2019,
    _y06_similarity,
    _y07_identical,
    text_similarity,
)
from gongkai.statutory.report import AnnualReport

__all__ = [
    "RULES",
    "AgencyKind",
    "AgencyLevel",
    "CellRef",
    "CheckContext",
    "Finding",
    "Location",
    "Number",
    "Origin",
    "ParseNotes",
    "Rule",
    "Severity",
    "Subtotal",
    "TableId",
    "check_rendered_labels",
    "check_report",
    "expected_labels",
    "findings_by_rule",
    "publication_deadline",
    "rules_markdown",
    "text_similarity",
]

_RULE_FUNCS: tuple[Callable[[_Run], Iterator[Finding]], ...] = (
    _s01_sections,
    _s02_version,
    _s03_table2,
    _s04_table3,
    _s05_table4,
    _s06_note,
    _s07_period,
    _v01_nonnegative,
    _v02_blanks,
    _v03_table2,
    _v04_fee,
    _a01_row_totals,
    _a02_outcome_total,
    _a03_reconciliation,
    _a04_table4,
    _a05_subtotals,
    _a06_carry_out,
    _y01_carry_in,
    _y02_to_y04_register,
    _y05_items_2019,
    _y06_similarity,
    _y07_identical,
    _m01_regulations,
    _m02_fee_notices,
    _m03_fee_statement,
    _m04_accountability,
    _m05_narrative,
    _m11_breakdowns,
    _m12_stale_year,
    _m13_subheadings,
    _m08_timeliness,
    _m09_litigation_after_review,
)

# ---------------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------------


def check_report(
    report: AnnualReport,
    *,
    previous: AnnualReport | None = None,
    context: CheckContext | None = None,
) -> list[Finding]:
    """Run every rule on ``report``; the year-over-year rules (Y-, M-09) also use ``previous``,
    the same agency's report for the year before (ignored unless its year is ``report.year − 1``).

    Findings come in catalogue order (S-, V-, A-, Y-, M-).
    """
    ctx = context or CheckContext()
    prev = previous if previous is not None and previous.year == report.year - 1 else None
    run = _Run(report, prev, ctx)
    out: list[Finding] = []
    for rule in _RULE_FUNCS:
        out.extend(rule(run))
    return out


def findings_by_rule(findings: Sequence[Finding]) -> dict[str, list[Finding]]:
    """Group findings by rule ID."""
    out: dict[str, list[Finding]] = {}
    for f in findings:
        out.setdefault(f.rule, []).append(f)
    return out
