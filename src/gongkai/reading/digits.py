"""Splitting number runs into table cells when the source lost the cell boundaries.

Archived web pages often concatenate a row's cells: ``713000074`` is 71|3|0|0|0|0|74. A run
is given as *pieces*: the whitespace-separated strings of the source. A cell never spans two
pieces, a piece holds one or more cells, and a multi-digit cell never starts with 0. Among
the splits that satisfy that, the statutory sums choose (row total = sum of the six applicant
columns; table-四 总计 = sum of its four results). When the sums leave more than one split,
the caller keeps the cells on which all remaining splits agree and reports the rest as
ambiguous, listing the candidates.

Pieces can also be a blank marker (``None``: an empty cell, ``—``, ``-``, ``/``, ``无``), which
takes exactly one cell, or a decimal (``9116.36``), which is one cell.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal, InvalidOperation

__all__ = [
    "Piece",
    "Split",
    "agreed",
    "enumerate_splits",
    "format_candidates",
    "row_sum_ok",
    "table4_sums_ok",
]

Piece = str | None
"""A digit string (possibly with sign or decimals), or None for a blank cell."""

Value = int | Decimal | None
Split = tuple[Value, ...]

MAX_SPLITS = 20_000
"""Stop enumerating after this many splits (a run this ambiguous is reported as such)."""


def _parts(digits: str, k: int) -> Iterator[list[str]]:
    """All ways to cut ``digits`` into ``k`` non-empty parts without leading zeros."""
    if k == 1:
        if len(digits) == 1 or digits[0] != "0":
            yield [digits]
        return
    if digits[0] == "0":
        # a part starting with 0 is exactly "0"
        if len(digits) - 1 >= k - 1:
            for rest in _parts(digits[1:], k - 1):
                yield ["0", *rest]
        return
    for cut in range(1, len(digits) - (k - 1) + 1):
        for rest in _parts(digits[cut:], k - 1):
            yield [digits[:cut], *rest]


def _value(text: str) -> Value:
    if "." in text:
        try:
            return Decimal(text)
        except InvalidOperation:
            return None
    return int(text)


def _cell_range(piece: Piece) -> tuple[int, int]:
    """Minimum and maximum number of cells a piece can hold."""
    if piece is None or not piece.lstrip("-").isdigit():
        return 1, 1
    digits = piece.lstrip("-")
    if piece.startswith("-"):
        return 1, 1
    return 1, len(digits)


def _one_cell_per_unit(pieces: Sequence[Piece], n: int) -> Split | None:
    """The only split when every piece is one cell, or every digit is one cell."""
    if len(pieces) == n and all(
        p is None or len(p) == 1 or (p[0] not in "0-" and p.isdigit()) for p in pieces
    ):
        return tuple(None if p is None else int(p) for p in pieces)
    if (
        all(p is None or p.isdigit() for p in pieces)
        and sum(1 if p is None else len(p) for p in pieces) == n
    ):
        return tuple(None if p is None else int(d) for p in pieces for d in (p or "0"))
    return None


def enumerate_splits(
    pieces: Sequence[Piece],
    n: int,
    *,
    accept: Callable[[Split], bool] | None = None,
    limit: int = MAX_SPLITS,
) -> list[Split]:
    """All ways to read ``pieces`` as exactly ``n`` cells (optionally filtered by ``accept``).

    Returns at most ``limit`` splits. A signed or decimal piece is one cell; a blank (None)
    is one cell with value None.
    """
    fast = _one_cell_per_unit(pieces, n)
    if fast is not None:
        return [fast] if accept is None or accept(fast) else []
    ranges = [_cell_range(p) for p in pieces]
    min_after = [0] * (len(pieces) + 1)
    max_after = [0] * (len(pieces) + 1)
    for i in range(len(pieces) - 1, -1, -1):
        min_after[i] = min_after[i + 1] + ranges[i][0]
        max_after[i] = max_after[i + 1] + ranges[i][1]
    if not min_after[0] <= n <= max_after[0]:
        return []
    out: list[Split] = []

    def walk(i: int, remaining: int, acc: list[Value]) -> bool:
        if len(out) >= limit:
            return False
        if i == len(pieces):
            if remaining == 0:
                split = tuple(acc)
                if accept is None or accept(split):
                    out.append(split)
            return True
        piece = pieces[i]
        lo = max(ranges[i][0], remaining - max_after[i + 1])
        hi = min(ranges[i][1], remaining - min_after[i + 1])
        if piece is None:
            if lo <= 1 <= hi:
                return walk(i + 1, remaining - 1, [*acc, None])
            return True
        if ranges[i][1] == 1:
            if lo <= 1 <= hi:
                return walk(i + 1, remaining - 1, [*acc, _value(piece)])
            return True
        for k in range(lo, hi + 1):
            for parts in _parts(piece, k):
                if not walk(i + 1, remaining - k, acc + [int(p) for p in parts]):
                    return False
        return True

    walk(0, n, [])
    return out


def row_sum_ok(split: Split) -> bool:
    """A-01 for a 7-cell table-三 row: 总计 = sum of the six applicant columns (blank = 0)."""
    *parts, total = split
    return sum(int(v or 0) for v in parts) == int(total or 0)


def table4_sums_ok(split: Split) -> int:
    """How many of the three table-四 groups satisfy 总计 = 维持+纠正+其他+尚未审结."""
    good = 0
    for g in range(0, len(split) - 4, 5):
        *parts, total = split[g : g + 5]
        if sum(int(v or 0) for v in parts) == int(total or 0):
            good += 1
    return good


def agreed(splits: Sequence[Split]) -> Split:
    """Cell by cell: the value all splits agree on, else None."""
    if not splits:
        return ()
    first = splits[0]
    return tuple(v if all(s[i] == v for s in splits[1:]) else None for i, v in enumerate(first))


def format_candidates(splits: Sequence[Split], limit: int = 6) -> str:
    """``71|3|0 或 7|13|0 …`` for messages."""
    shown = ["|".join("" if v is None else str(v) for v in s) for s in splits[:limit]]
    more = f" 等{len(splits)}种" if len(splits) > limit else ""
    return " 或 ".join(shown) + more
