"""Table 四 from the reconsideration and litigation ledger, by SQL aggregation.

For year Y (spec §2.7, the recommended reading — the format does not say):
cases concluded in Y are counted by result (维持 / 纠正 / 其他); cases filed by 31 December and
not concluded by then are 尚未审结; 总计 is the sum. One aggregate per model.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from gongkai.ledger.appeals.models import Litigation, Reconsideration, Result
from gongkai.statutory.formats import T4Cell, T4Group

if TYPE_CHECKING:
    from gongkai.ledger.requests.aggregation import Scope

__all__ = ["cell_condition", "population", "table4"]

_RESULT_OF_CELL = {
    T4Cell.MAINTAIN: Result.UPHELD,
    T4Cell.CORRECT: Result.CORRECTED,
    T4Cell.OTHER: Result.OTHER,
}


def population(year: int) -> Q:
    start, end = date(year, 1, 1), date(year, 12, 31)
    return Q(filed_on__lte=end) & (Q(concluded_on__isnull=True) | Q(concluded_on__gte=start))


def cell_condition(cell: T4Cell | str, year: int) -> Q:
    """The condition of one table-四 cell in ``year`` (within ``population(year)``)."""
    cell = T4Cell(cell)
    start, end = date(year, 1, 1), date(year, 12, 31)
    if cell is T4Cell.PENDING:
        return Q(filed_on__lte=end) & (Q(concluded_on__isnull=True) | Q(concluded_on__gt=end))
    if cell is T4Cell.TOTAL:
        return Q()
    return Q(concluded_on__gte=start, concluded_on__lte=end, result=_RESULT_OF_CELL[cell].value)


_PARTS = (T4Cell.MAINTAIN, T4Cell.CORRECT, T4Cell.OTHER, T4Cell.PENDING)


def _counts(qs: QuerySet, year: int, group_by: str | None) -> dict[str | None, tuple[int, ...]]:
    annotations = {c.value: Count("pk", filter=cell_condition(c, year)) for c in _PARTS}
    qs = qs.filter(population(year)).order_by()
    out: dict[str | None, tuple[int, ...]] = {}
    if group_by is None:
        agg = qs.aggregate(**annotations)
        rows = [(None, agg)]
    else:
        rows = [(item[group_by], item) for item in qs.values(group_by).annotate(**annotations)]
    for key, item in rows:
        parts = tuple(item[c.value] or 0 for c in _PARTS)
        out[key] = (*parts, sum(parts))
    return out


def table4(scope: Scope, year: int) -> dict[T4Group, tuple[int, ...]]:
    """The 15 cells of table 四 as ``{T4Group: (维持, 纠正, 其他, 尚未审结, 总计)}``."""
    zero = (0, 0, 0, 0, 0)
    rev = _counts(Reconsideration.objects.filter(scope.q()), year, None)
    lit = _counts(Litigation.objects.filter(scope.q()), year, "route")
    return {
        T4Group.REV: rev.get(None, zero),
        T4Group.LIT_DIRECT: lit.get(Litigation.Route.DIRECT.value, zero),
        T4Group.LIT_AFTER_REV: lit.get(Litigation.Route.AFTER_RECONSIDERATION.value, zero),
    }
