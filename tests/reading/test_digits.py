"""Splitting glued digit runs into cells."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.reading.digits import agreed, enumerate_splits, row_sum_ok, table4_sums_ok


def test_glued_row_splits_uniquely_by_the_row_total() -> None:
    """``713000074`` is 71|3|0|0|0|0|74 (the only split whose total is the sum)."""
    assert enumerate_splits(["713000074"], 7, accept=row_sum_ok) == [(71, 3, 0, 0, 0, 0, 74)]


def test_spaces_are_cell_boundaries_but_pieces_may_hold_several_cells() -> None:
    """``160 02 0 018`` = 16|0|0|2|0|0|18 (irregular spacing in an archived page)."""
    assert enumerate_splits(["160", "02", "0", "018"], 7, accept=row_sum_ok) == [
        (16, 0, 0, 2, 0, 0, 18)
    ]


def test_no_multi_digit_cell_starts_with_zero() -> None:
    assert enumerate_splits(["0011"], 3) == [(0, 0, 11)]
    assert enumerate_splits(["34089"], 3) == [(3, 40, 89), (3, 408, 9), (34, 0, 89), (340, 8, 9)]


def test_seventeen_digits_for_table_four_resolve_by_group_totals() -> None:
    splits = enumerate_splits(["21317000001324019"], 15)
    best = max(table4_sums_ok(s) for s in splits)
    winners = [s for s in splits if table4_sums_ok(s) == best]
    assert winners == [(2, 1, 3, 1, 7, 0, 0, 0, 0, 0, 13, 2, 4, 0, 19)]


def test_blank_markers_take_one_cell_each() -> None:
    assert enumerate_splits(["3", None, "0"], 3) == [(3, None, 0)]


def test_agreed_keeps_only_cells_all_candidates_share() -> None:
    assert agreed([(5, 1, 25), (5, 12, 5)]) == (5, None, None)


def test_too_few_digits_give_no_split() -> None:
    assert enumerate_splits(["000000"], 7) == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=999), min_size=7, max_size=7))
def test_any_printed_row_is_among_the_splits_of_its_glued_form(cells: list[int]) -> None:
    """Gluing a row's cells and splitting again always offers the original row."""
    row = (*cells[:6], sum(cells[:6]))
    glued = "".join(str(c) for c in row)
    splits = enumerate_splits([glued], 7, accept=row_sum_ok)
    assert row in splits
