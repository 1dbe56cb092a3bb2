"""Table 三 (and, with the appeals app, table 四) from the ledger, by SQL aggregation (spec §2.7).

One query per table: conditional ``COUNT(*) FILTER (WHERE …)`` per row, grouped by the applicant
column — never a Python loop over cases. The row conditions are defined once (``row_condition``)
and used both for the counts and for the case list behind each cell, so a cell and its list
cannot disagree.

For report year Y (``start`` = 1 January, ``end`` = 31 December):

* 一 本年新收 (NEW): received in Y;
* 二 上年结转 (CARRY_IN): received before Y and not concluded before Y;
* outcome row r: concluded in Y with ``outcome_row = r`` (2019 layout: （六） folds O6_1–O6_3);
* 四 结转下年度 (CARRY_OUT): received by 31 December and not concluded by then.

Why the result balances by construction: a database constraint makes every concluded
application have exactly one outcome row, a receipt date, and ``concluded_on ≥ received_on``.
So every application in the year's population (received by ``end``, not concluded before
``start``) is exactly one of NEW/CARRY_IN and exactly one of "concluded in Y"/CARRY_OUT (A-03);
totals are sums of the parts (A-01, A-02); and CARRY_IN(Y) is literally CARRY_OUT(Y−1)'s
condition shifted by a year (Y-01).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from gongkai.core.models import Agency
from gongkai.ledger.requests.models import Application
from gongkai.statutory.formats import (
    APPLICANT_COLUMNS,
    Col,
    Layout,
    RowKey,
    RowKind,
    T4Cell,
    T4Group,
    layout_for_year,
)
from gongkai.statutory.report import AnnualReport, ProcessingFees, make_report

__all__ = [
    "LedgerTables",
    "Scope",
    "cell_queryset",
    "ledger_report",
    "processing_fees",
    "row_condition",
    "table3",
]

_O6_PARTS = ("O6_1", "O6_2", "O6_3")


@dataclass(frozen=True)
class Scope:
    """Whose ledger: one agency, or its whole region (the agency's subtree, summed)."""

    agency: Agency
    region: bool = False

    def q(self, field: str = "agency") -> Q:
        if self.region:
            return Q(**{f"{field}__path__startswith": self.agency.path})
        return Q(**{field: self.agency})

    @property
    def label(self) -> str:
        return f"{self.agency.name}（含所辖机关）" if self.region else self.agency.name


def _bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def population(year: int) -> Q:
    """Applications that appear in year ``year``'s table at all."""
    start, end = _bounds(year)
    return Q(received_on__lte=end) & (Q(concluded_on__isnull=True) | Q(concluded_on__gte=start))


def row_condition(row: RowKey | str, year: int) -> Q:
    """The condition of one table-三 row in ``year`` (within ``population(year)``)."""
    row = RowKey(row)
    start, end = _bounds(year)
    concluded = Q(concluded_on__gte=start, concluded_on__lte=end)
    if row is RowKey.NEW:
        return Q(received_on__gte=start, received_on__lte=end)
    if row is RowKey.CARRY_IN:
        return Q(received_on__lt=start) & (
            Q(concluded_on__isnull=True) | Q(concluded_on__gte=start)
        )
    if row is RowKey.CARRY_OUT:
        return Q(received_on__lte=end) & (Q(concluded_on__isnull=True) | Q(concluded_on__gt=end))
    if row is RowKey.OTOT:
        return concluded
    if row is RowKey.O6:
        return concluded & Q(outcome_row__in=_O6_PARTS)
    return concluded & Q(outcome_row=row.value)


def _data_rows(layout: Layout) -> list[RowKey]:
    return [r.key for r in layout.table3_rows if r.kind is not RowKind.OUTCOME_TOTAL]


def table3(queryset: QuerySet[Application], year: int) -> dict[RowKey, tuple[int, ...]]:
    """Table 三 for ``year`` from ``queryset`` (already restricted to the scope): one SQL query.

    Returns every row of the year's layout, 7 values each (six columns + 总计).
    """
    layout = layout_for_year(year)
    rows = _data_rows(layout)
    # COUNT(received_on) — never NULL in the population — keeps every referenced column in the
    # ``application_report`` index, so the database can answer from the index alone.
    annotations = {row.value: Count("received_on", filter=row_condition(row, year)) for row in rows}
    counts: dict[str, dict[str, int]] = {
        c.value: dict.fromkeys(annotations, 0) for c in APPLICANT_COLUMNS
    }
    result = queryset.filter(population(year)).order_by().values("category").annotate(**annotations)
    for item in result:
        counts[item["category"]] = {k: item[k] for k in annotations}
    table: dict[RowKey, tuple[int, ...]] = {}
    for row in rows:
        values = [counts[c.value][row.value] for c in APPLICANT_COLUMNS]
        table[row] = (*values, sum(values))
    outcome = [table[k] for k in layout.outcome_keys]
    table[RowKey.OTOT] = tuple(sum(col) for col in zip(*outcome, strict=True))
    return {k: table[k] for k in layout.table3_keys}


def processing_fees(queryset: QuerySet[Application], year: int) -> ProcessingFees:
    """Section 六's fee figures: notices served in the year, amount notified, amount collected."""
    start, end = _bounds(year)
    served = Q(fee_notice_served_on__gte=start, fee_notice_served_on__lte=end)
    paid = Q(fee_paid_on__gte=start, fee_paid_on__lte=end)
    agg = (
        queryset.filter(fee_notice_served_on__isnull=False)
        .order_by()
        .aggregate(
            notices=Count("pk", filter=served),
            notified=Sum("fee_amount", filter=served),
            collected=Sum("fee_amount", filter=paid),
        )
    )
    return ProcessingFees(
        notices=agg["notices"] or 0,
        amount_notified_yuan=Decimal(agg["notified"] or 0).quantize(Decimal("0.01")),
        amount_collected_yuan=Decimal(agg["collected"] or 0).quantize(Decimal("0.01")),
    )


def scoped(scope: Scope) -> QuerySet[Application]:
    return Application.objects.filter(scope.q())


def cell_queryset(
    queryset: QuerySet[Application], year: int, row: RowKey | str, col: Col | str
) -> QuerySet[Application]:
    """The applications counted in one cell of table 三 (the same conditions as ``table3``)."""
    qs = queryset.filter(population(year)).filter(row_condition(row, year))
    col = Col(col)
    if col is not Col.TOT:
        qs = qs.filter(category=col.value)
    return qs


@dataclass(frozen=True)
class LedgerTables:
    """Tables 三 and 四 of one scope and year, keyed by the ``formats`` keys."""

    scope: Scope
    year: int
    table3: dict[RowKey, tuple[int, ...]]
    table4: dict[T4Group, tuple[int, ...]]
    fees: ProcessingFees

    def cell(self, row: RowKey | str, col: Col | str) -> int:
        cols = [c for c in (*APPLICANT_COLUMNS, Col.TOT)]
        return self.table3[RowKey(row)][cols.index(Col(col))]

    def t4(self, group: T4Group | str, cell: T4Cell | str) -> int:
        return self.table4[T4Group(group)][list(T4Cell).index(T4Cell(cell))]

    def report(self, *, agency_name: str | None = None, **kwargs: Any) -> AnnualReport:
        """An ``AnnualReport`` with tables 三 and 四 (and the fee figures) filled; table 二 and
        the narrative are left to the annual-report app (zeros / empty)."""
        return make_report(
            agency=agency_name or self.scope.agency.name,
            year=self.year,
            table3=self.table3,
            table4=self.table4,
            processing_fees=self.fees,
            **kwargs,
        )


def ledger_report(scope: Scope, year: int) -> LedgerTables:
    """Tables 三 and 四 for ``scope`` in ``year``: two or three SQL aggregates in all."""
    from gongkai.ledger.appeals.aggregation import table4

    qs = scoped(scope)
    return LedgerTables(
        scope=scope,
        year=year,
        table3=table3(qs, year),
        table4=table4(scope, year),
        fees=processing_fees(qs, year),
    )
