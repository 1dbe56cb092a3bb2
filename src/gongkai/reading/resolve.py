"""Turn the located number runs into table values, choosing splits by the statutory sums.

Table 三: each row's run gives candidate 7-cell splits (row total = sum of the six applicant
columns when any split satisfies it). Rows left with several candidates are chosen jointly so
that as many column identities as possible hold (（七）总计 = sum of the outcome rows; the
勾稽 identity 一+二 = 三+四). A source whose own arithmetic is wrong still gives the split
that fits best; where several fit equally, the disagreeing cells become None with a note that
lists the candidates.

Table 四: 15 cells, chosen by the three group totals. Table 二: no sums exist; narrative
figures (``制发…规范性文件88件``) pick among the splits, and for the 2019 ``本年增/减`` column a
split with ``0`` is preferred when it is the only one (noted as an inference).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from gongkai.reading.digits import (
    Piece,
    Split,
    agreed,
    enumerate_splits,
    format_candidates,
    row_sum_ok,
    table4_sums_ok,
)
from gongkai.reading.locate import Located, RowRead, Token
from gongkai.reading.normalise import BLANK_CELL
from gongkai.statutory.checks import CellRef, ParseNotes, Subtotal, TableId
from gongkai.statutory.formats import (
    TABLE3_COLUMNS,
    TABLE4_ORDER,
    FormatVersion,
    Layout,
    RowKey,
    RowKind,
    T2Key,
    Table2Row,
    ValueKind,
    get_layout,
    t4_key,
)
from gongkai.statutory.report import Table2Value

__all__ = ["Note", "Resolved", "resolve"]

N = len(TABLE3_COLUMNS)


@dataclass(frozen=True)
class Note:
    """A reading note: something the reader inferred, could not decide, or found unusual."""

    code: str
    severity: str
    """``info``, ``warning`` or ``error``."""
    message: str
    table: str | None = None
    row: str | None = None


@dataclass
class Resolved:
    """Table values and what the reader saw."""

    table2_version: FormatVersion | None
    table2: dict[T2Key, Table2Value]
    table3: dict[RowKey, tuple[int | None, ...]]
    table4: tuple[int | None, ...]
    notes: list[Note] = field(default_factory=list)
    placeholders: list[tuple[CellRef, str]] = field(default_factory=list)
    invalid: list[tuple[CellRef, str]] = field(default_factory=list)
    bad_rows: list[tuple[RowKey, int]] = field(default_factory=list)
    subtotals: list[Subtotal] = field(default_factory=list)
    table4_found: int | None = None
    fee_text: str | None = None
    fees: tuple[int | None, int | None, int | None] | None = None


def _pieces(tokens: Sequence[Token]) -> list[Piece]:
    out: list[Piece] = []
    for t in tokens:
        if t.kind == "blank":
            out.append(None)
        else:
            out.append(t.text.replace(",", ""))
    return out


def _trim_blanks(tokens: list[Token], n: int) -> list[Token]:
    """Drop surplus blank markers at the ends of a run (empty layout cells around a row)."""
    while len(tokens) > n and tokens and tokens[-1].kind == "blank":
        tokens = tokens[:-1]
    while len(tokens) > n and tokens and tokens[0].kind == "blank":
        tokens = tokens[1:]
    return tokens


def _is_int_piece(p: Piece) -> bool:
    return p is None or p.isdigit()


# ---------------------------------------------------------------------------------------------
# Table 三
# ---------------------------------------------------------------------------------------------


def _row_candidates(
    key: RowKey, read: RowRead, res: Resolved, label: str
) -> list[tuple[int | None, ...]]:
    tokens = _trim_blanks(list(read.tokens), N)
    pieces = _pieces(tokens)
    for tok, piece in zip(tokens, pieces, strict=True):
        if piece is not None and not _is_int_piece(piece):
            res.invalid.append((CellRef(TableId.T3, key.value), tok.text))
    if any(p is not None and not _is_int_piece(p) for p in pieces):
        res.bad_rows.append((key, len(pieces)))
        return []
    if not pieces:
        res.notes.append(
            Note("row-empty", "warning", f"“{label}”一行没有读到数字。", "table3", key)
        )
        res.bad_rows.append((key, 0))
        return []
    ints: list[Split] = enumerate_splits(pieces, N, accept=row_sum_ok)
    if not ints:
        ints = enumerate_splits(pieces, N)
        if len(ints) > 1 and len(pieces) > 2:
            # Spaced cells whose sums fit no split: cells are missing (blank cells lost in a
            # PDF text layer), not glued. Splitting numbers apart would invent values.
            res.bad_rows.append((key, len(pieces)))
            res.notes.append(
                Note(
                    "cell-count",
                    "error",
                    f"“{label}”一行读到{len(pieces)}个数字（{' '.join(p or '空' for p in pieces)}），"
                    "应为7个且合计不符，可能有空白格；无法对应到各列。",
                    "table3",
                    key,
                )
            )
            return []
    if ints:
        return [tuple(int(v) if v is not None else None for v in s) for s in ints]
    max_cells = sum(1 if p is None else len(p) for p in pieces)
    if max_cells < N:
        res.bad_rows.append((key, max_cells))
        return _complete_short_row(key, pieces, max_cells, res, label)
    return _long_row(key, pieces, res, label)


def _complete_short_row(
    key: RowKey, pieces: list[Piece], found: int, res: Resolved, label: str
) -> list[tuple[int | None, ...]]:
    """A row printed with one cell too few: the missing cell follows from the row total."""
    cells: list[int | None] = []
    for p in pieces:
        if p is None:
            cells.append(None)
        else:
            cells.extend(int(d) for d in p)
    if N - found != 1:
        res.notes.append(
            Note(
                "too-few-cells",
                "error",
                f"“{label}”一行只有{found}个数字（应为7个），无法补全。",
                "table3",
                key,
            )
        )
        return []
    out: set[tuple[int | None, ...]] = set()
    for pos in range(N):
        row: list[int | None] = [*cells[:pos], None, *cells[pos:]]
        if pos == N - 1:
            row[pos] = sum(v or 0 for v in row[: N - 1])
        else:
            rest = sum(v or 0 for i, v in enumerate(row[: N - 1]) if i != pos)
            value = (row[N - 1] or 0) - rest
            if value < 0:
                continue
            row[pos] = value
        out.add(tuple(row))
    res.notes.append(
        Note(
            "too-few-cells",
            "warning",
            f"“{label}”一行只有{found}个数字（应为7个）；缺少的一格按行合计推算。",
            "table3",
            key,
        )
    )
    return sorted(out, key=lambda r: tuple(-1 if v is None else v for v in r))


def _long_row(
    key: RowKey, pieces: list[Piece], res: Resolved, label: str
) -> list[tuple[int | None, ...]]:
    """Eight values: a 法人或其他组织 subtotal column printed by a local template."""
    if len(pieces) == N + 1 and all(p is not None and p.isdigit() for p in pieces):
        vals = [int(p or 0) for p in pieces]
        for j in (1, 6):  # subtotal before or after the five organisation columns
            org = vals[2:7] if j == 1 else vals[1:6]
            if vals[j] == sum(org):
                rest = vals[:j] + vals[j + 1 :]
                parts = tuple(
                    CellRef(TableId.T3, key.value, c.key.value) for c in TABLE3_COLUMNS[1:6]
                )
                res.subtotals.append(Subtotal(f"{label} 法人或其他组织小计", vals[j], parts))
                return [tuple(rest)]
    res.bad_rows.append((key, len(pieces)))
    res.notes.append(
        Note(
            "too-many-cells",
            "error",
            f"“{label}”一行有{len(pieces)}个数字（应为7个），无法对应到各列。",
            "table3",
            key,
        )
    )
    return []


def _column_score(layout: Layout, rows: dict[RowKey, tuple[int | None, ...]]) -> int:
    """How many column identities hold (A-02 and A-03, blanks as 0)."""

    def v(key: RowKey, c: int) -> int:
        return int(rows[key][c] or 0)

    score = 0
    outcome = [k for k in layout.outcome_keys if k in rows]
    complete_outcomes = len(outcome) == len(layout.outcome_keys)
    for c in range(N):
        if RowKey.OTOT in rows and complete_outcomes:
            score += sum(v(k, c) for k in outcome) == v(RowKey.OTOT, c)
        if all(k in rows for k in (RowKey.NEW, RowKey.CARRY_IN, RowKey.OTOT, RowKey.CARRY_OUT)):
            score += v(RowKey.NEW, c) + v(RowKey.CARRY_IN, c) == v(RowKey.OTOT, c) + v(
                RowKey.CARRY_OUT, c
            )
    return score


def _solve_table3(
    layout: Layout, loc: Located, res: Resolved
) -> dict[RowKey, tuple[int | None, ...]]:
    labels = {r.key: r.full_label for r in layout.table3_rows}
    cands: dict[RowKey, list[tuple[int | None, ...]]] = {}
    for row in layout.table3_rows:
        read = loc.table3.get(row.key.value)
        if read is None or not read.found:
            continue
        cs = _row_candidates(row.key, read, res, labels[row.key])
        if cs:
            cands[row.key] = cs[:200]
    fixed = {k: c[0] for k, c in cands.items() if len(c) == 1}
    open_keys = [k for k, c in cands.items() if len(c) > 1]
    chosen: dict[RowKey, list[tuple[int | None, ...]]] = {k: [v] for k, v in fixed.items()}
    if open_keys:
        combos = 1
        for k in open_keys:
            combos *= len(cands[k])
        if combos <= 4096:
            best = -1
            winners: list[tuple[tuple[int | None, ...], ...]] = []
            for combo in itertools.product(*(cands[k] for k in open_keys)):
                rows = dict(fixed)
                rows.update(zip(open_keys, combo, strict=True))
                score = _column_score(layout, rows)
                if score > best:
                    best, winners = score, [combo]
                elif score == best:
                    winners.append(combo)
            for i, k in enumerate(open_keys):
                chosen[k] = list(dict.fromkeys(w[i] for w in winners))
        else:
            for k in open_keys:
                scores = []
                for c in cands[k]:
                    rows = dict(fixed)
                    rows[k] = c
                    scores.append(_column_score(layout, rows))
                top = max(scores)
                chosen[k] = [c for c, s in zip(cands[k], scores, strict=True) if s == top]
    out: dict[RowKey, tuple[int | None, ...]] = {}
    for row in layout.table3_rows:
        options = chosen.get(row.key)
        if not options:
            out[row.key] = (None,) * N
            continue
        value = options[0] if len(options) == 1 else agreed(options)
        out[row.key] = tuple(None if v is None else int(v) for v in value)
        if len(options) > 1:
            res.notes.append(
                Note(
                    "ambiguous-split",
                    "warning",
                    f"“{labels[row.key]}”一行的数字连在一起，按合计关系仍有多种拆分："
                    f"{format_candidates(options)}；无法确定的格留空。",
                    "table3",
                    row.key,
                )
            )
        # placeholders: blank cells that came from a printed marker
        read = loc.table3[row.key.value]
        markers = [t.text for t in _trim_blanks(list(read.tokens), N) if t.kind == "blank"]
        if BLANK_CELL in markers:  # an empty cell is a blank (None), not a printed placeholder
            continue
        blanks = [i for i, v in enumerate(options[0]) if v is None]
        if len(options) == 1 and len(markers) == len(blanks):
            for i, text in zip(blanks, markers, strict=True):
                ref = CellRef(TableId.T3, row.key.value, TABLE3_COLUMNS[i].key.value)
                res.placeholders.append((ref, text))
    return out


# ---------------------------------------------------------------------------------------------
# Table 四
# ---------------------------------------------------------------------------------------------


def _table4_fit(tokens: list[Token]) -> int:
    pieces = [p for p in _pieces(_trim_blanks(tokens, 15)) if p is None or p.isdigit()]
    splits = enumerate_splits(pieces, 15, limit=2000)
    return max((table4_sums_ok(s) for s in splits), default=-1)


def _solve_table4(loc: Located, res: Resolved) -> tuple[int | None, ...]:
    tokens = list(loc.table4_tokens)
    lenient = list(loc.table4_lenient)
    if [t.text for t in lenient] != [t.text for t in tokens] and _table4_fit(lenient) > _table4_fit(
        tokens
    ):
        tokens = lenient
    tokens = _trim_blanks(tokens, 15)
    pieces = _pieces(tokens)
    if not pieces:
        res.table4_found = 0
        return (None,) * 15
    if any(p is not None and not p.isdigit() for p in pieces):
        for t in tokens:
            if t.kind == "num" and not t.text.isdigit():
                res.invalid.append((CellRef(TableId.T4, "", ""), t.text))
        pieces = [p for p in pieces if p is None or p.isdigit()]
    splits = enumerate_splits(pieces, 15)
    if not splits:
        found = sum(1 if p is None else len(p) for p in pieces)
        res.table4_found = found if found < 15 else len(pieces)
        res.notes.append(
            Note(
                "table4-count",
                "error",
                f"表四应有15个数字，读到{res.table4_found}个，无法对应到各格。",
                "table4",
            )
        )
        return (None,) * 15
    res.table4_found = 15
    truncated = len(splits) >= 20_000
    scores = [table4_sums_ok(s) for s in splits]
    top = max(scores)
    best = [s for s, sc in zip(splits, scores, strict=True) if sc == top]
    if truncated:
        best = splits
    if len(best) == 1:
        value = best[0]
    else:
        value = agreed(best)
        res.notes.append(
            Note(
                "ambiguous-split",
                "warning",
                f"表四的数字连在一起，按合计关系仍有多种拆分：{format_candidates(best)}；"
                "无法确定的格留空。",
                "table4",
            )
        )
    markers = [t.text for t in tokens if t.kind == "blank"]
    blanks = [i for i, v in enumerate(value) if v is None]
    if len(best) == 1 and len(markers) == len(blanks) and BLANK_CELL not in markers:
        for i, text in zip(blanks, markers, strict=True):
            g, c = TABLE4_ORDER[i]
            res.placeholders.append((CellRef(TableId.T4, g.value, c.value), text))
    return tuple(None if v is None else int(v) for v in value)


# ---------------------------------------------------------------------------------------------
# Table 二
# ---------------------------------------------------------------------------------------------

_CLAUSE = re.compile(r"[^。；;，,\n]+")
_SENTENCE = re.compile(r"[^。；;\n]+")
_COUNT = re.compile(r"(\d+)\s*(?:件|份|个|部|条)")


def _anchors(text: str, subject: str, layout: Layout) -> dict[int, set[int]]:
    """Figures the narrative states for a table-二 row, by cell index."""
    keys: list[tuple[int, tuple[str, ...], bool]]
    if layout.version is FormatVersion.V2021:
        keys = [
            (0, ("制发", "制定", "印发", "出台", "新制"), False),
            (1, ("废止", "失效", "清理"), False),
            (2, ("现行有效", "有效"), False),
        ]
    else:
        keys = [(0, ("新制作", "制作", "制发", "制定"), False), (1, ("公开",), True)]
    out: dict[int, set[int]] = {}
    if subject not in text:
        return out
    for sentence in _SENTENCE.finditer(text):
        s = sentence.group()
        if subject not in s:
            continue
        for clause in _CLAUSE.finditer(s):
            c = clause.group()
            if subject not in c:
                continue
            numbers = [int(x) for x in _COUNT.findall(c[c.find(subject) :])]
            if not numbers:
                continue
            for index, words, sentence_level in keys:
                scope = s if sentence_level else c
                if any(w in scope for w in words):
                    out.setdefault(index, set()).update(numbers)
                    break
    return out


def _plausible_item1(splits: list[Split]) -> tuple[list[Split], str]:
    """Among (制发, 废止, 现行有效) splits left after the narrative fixed part of the run, keep
    those where 现行有效 ≥ 本年制发 (this year's documents are mostly still in force) and whose
    longest cell is shortest (the cells of one row are of similar size). Only used after a
    narrative anchor; the result is reported as an inference."""
    sane = [s for s in splits if int(s[2] or 0) >= int(s[0] or 0)]
    if not sane:
        return splits, ""
    width = min(max(len(str(v)) for v in s) for s in sane)
    best = [s for s in sane if max(len(str(v)) for v in s) == width]
    if len(best) == 1 and len(splits) > 1:
        return best, "及“现行有效不少于本年制发、各栏位数相近”"
    return splits, ""


def _t2_value(text: str, kind: ValueKind) -> Table2Value:
    if kind.is_decimal:
        return Decimal(text)
    return int(text)


def _solve_row2(
    row: Table2Row, read: RowRead, layout: Layout, loc: Located, res: Resolved
) -> list[Table2Value]:
    n = len(row.cells)
    tokens = _trim_blanks(list(read.tokens), n)
    if row.key == "admin_fee" and tokens:
        res.fee_text = " ".join(t.text + t.unit for t in tokens)
    for t in tokens:
        if t.unit and row.key != "procurement" and row.key != "admin_fee":
            res.invalid.append((CellRef(TableId.T2, row.cells[0].key.value), t.text + t.unit))
    pieces = _pieces(tokens)
    if not pieces:
        res.notes.append(
            Note("row-empty", "warning", f"表二“{row.label}”一行没有读到数字。", "table2", row.key)
        )
        return [None] * n
    splits = enumerate_splits(pieces, n)
    if not splits:
        res.notes.append(
            Note(
                "cell-count",
                "warning",
                f"表二“{row.label}”一行读到的数字（{' '.join(t.text for t in tokens)}）"
                f"与{n}个栏目对应不上，留空。",
                "table2",
                row.key,
            )
        )
        return [None] * n
    chosen = splits
    inferred = ""
    if len(chosen) > 1:
        subject = (
            "规章" if row.key == "regulation" else "规范性文件" if row.key == "normative" else ""
        )
        if subject:
            anchors = _anchors(loc.text, subject, layout)
            filtered = [
                s for s in chosen if all(int(s[i] or 0) in vals for i, vals in anchors.items())
            ]
            if not filtered and anchors:
                # use the anchors one at a time (a narrative figure may be wrong)
                for i, vals in anchors.items():
                    subset = [s for s in chosen if int(s[i] or 0) in vals]
                    if subset:
                        filtered = subset
                        break
            if filtered and len(filtered) < len(chosen):
                chosen = filtered
                inferred = "正文所述数字"
                if len(chosen) > 1 and layout.version is FormatVersion.V2021:
                    chosen, more = _plausible_item1(chosen)
                    inferred += more
    if len(chosen) > 1:
        change = [i for i, c in enumerate(row.cells) if c.kind is ValueKind.SIGNED_COUNT]
        if change:
            zero = [s for s in chosen if s[change[0]] == 0]
            if len(zero) == 1:
                chosen = zero
                inferred = "“本年增/减”为0的唯一拆分"
    if len(chosen) == 1:
        values: Split = chosen[0]
        if inferred and len(splits) > 1:
            res.notes.append(
                Note(
                    "inferred-split",
                    "info",
                    f"表二“{row.label}”的数字连在一起（{''.join(p or '' for p in pieces)}），"
                    f"按{inferred}拆为 {format_candidates(chosen)}（其他拆分：{format_candidates([s for s in splits if s != chosen[0]])}）。",
                    "table2",
                    row.key,
                )
            )
    else:
        values = agreed(chosen)
        res.notes.append(
            Note(
                "ambiguous-split",
                "warning",
                f"表二“{row.label}”的数字连在一起（{''.join(p or '' for p in pieces)}），"
                f"可拆为 {format_candidates(chosen)}；无法确定的栏目留空。",
                "table2",
                row.key,
            )
        )
    out: list[Table2Value] = []
    for cell, value in zip(row.cells, values, strict=True):
        if value is None:
            out.append(None)
        elif isinstance(value, Decimal) and not cell.kind.is_decimal:
            res.invalid.append((CellRef(TableId.T2, cell.key.value), str(value)))
            out.append(None)
        else:
            out.append(_t2_value(str(value), cell.kind))
    markers = [t.text for t in tokens if t.kind == "blank"]
    if len(chosen) == 1 and markers and BLANK_CELL not in markers:
        blanks = [i for i, v in enumerate(values) if v is None]
        for i, text in zip(blanks, markers, strict=False):
            res.placeholders.append((CellRef(TableId.T2, row.cells[i].key.value), text))
    return out


def _solve_table2(
    loc: Located, res: Resolved
) -> tuple[FormatVersion | None, dict[T2Key, Table2Value]]:
    version = loc.table2_version
    if version is None:
        return None, {}
    layout = get_layout(version)
    values: dict[T2Key, Table2Value] = {}
    for block in layout.table2:
        for row in block.rows:
            read = loc.table2.get(row.key)
            if read is None or not read.found:
                for cell in row.cells:
                    values[cell.key] = None
                continue
            for cell, v in zip(row.cells, _solve_row2(row, read, layout, loc, res), strict=True):
                values[cell.key] = v
    return version, values


def _solve_fees(loc: Located, res: Resolved) -> None:
    pieces = [p for p in _pieces(loc.fee_tokens) if p is None or p.replace(".", "").isdigit()]
    if not pieces:
        return
    splits = enumerate_splits(pieces, 3)
    if len(splits) == 1:
        a, b, c = (None if v is None else int(v) for v in splits[0])
        res.fees = (a, b, c)


def resolve(loc: Located, version: FormatVersion) -> Resolved:
    """Values of the three tables for a report of ``version`` (the table-三 layout)."""
    res = Resolved(None, {}, {}, (None,) * 15)
    layout = get_layout(version)
    res.table2_version, res.table2 = _solve_table2(loc, res)
    res.table3 = _solve_table3(layout, loc, res) if loc.table3 else {}
    res.table4 = _solve_table4(loc, res)
    _solve_fees(loc, res)
    return res


def parse_notes(loc: Located, res: Resolved, layout: Layout) -> ParseNotes:
    """The ``ParseNotes`` the checks need."""
    headings = tuple(
        (h.number, h.printed) for h in sorted(loc.headings.values(), key=lambda h: h.start)
    )
    t2_missing: tuple[str, ...] = ()
    if res.table2_version is not None:
        t2_layout = get_layout(res.table2_version)
        t2_missing = tuple(
            row.key
            for block in t2_layout.table2
            for row in block.rows
            if not (loc.table2.get(row.key) and loc.table2[row.key].found)
        )
    else:
        t2_missing = tuple(row.key for block in layout.table2 for row in block.rows)
    t3_missing = tuple(
        r.key
        for r in layout.table3_rows
        if not (loc.table3.get(r.key.value) and loc.table3[r.key.value].found)
    )
    return ParseNotes(
        headings_seen=headings,
        table3_note_present=loc.table3_note_present,
        table2_rows_missing=t2_missing,
        table3_rows_missing=t3_missing,
        table3_bad_rows=tuple(dict.fromkeys(res.bad_rows)),
        table4_values_found=res.table4_found,
        placeholder_cells=tuple(res.placeholders),
        invalid_cells=tuple(res.invalid),
        fee_cell_text=res.fee_text,
        subtotals=tuple(res.subtotals),
    )


def is_outcome(layout: Layout, key: RowKey) -> bool:
    """True for rows summed into （七）总计."""
    return layout.table3_row(key).kind is RowKind.OUTCOME


__all__ += ["is_outcome", "parse_notes", "t4_key"]
