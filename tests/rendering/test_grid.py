"""The renderer-neutral grids carry the official merged cells (spec §1.4–§1.6)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gongkai.rendering.document import build_document
from gongkai.rendering.grid import Grid, format_value
from gongkai.statutory import formats
from gongkai.statutory.report import empty_report


def spans(grid: Grid) -> dict[str, tuple[int, int]]:
    return {c.text: (c.rowspan, c.colspan) for c in grid.merged()}


def test_table3_header_cells_have_the_official_spans(seed_report):
    grid = build_document(seed_report).table("table3")
    s = spans(grid)
    assert s[formats.TABLE3_NOTE] == (3, 3)
    assert s[formats.TABLE3_HEADER_TOP] == (1, 7)
    assert s[formats.TABLE3_ORG_GROUP_LABEL] == (1, 5)
    np_label, tot_label = formats.TABLE3_COLUMNS[0].label, formats.TABLE3_COLUMNS[-1].label
    head = [c for c in grid.cells if c.row < grid.head_rows]
    assert next(c for c in head if c.text == np_label).rowspan == 2
    assert next(c for c in head if c.text == tot_label).rowspan == 2
    assert grid.head_rows == 3 and grid.n_cols == 10


def test_table3_group_labels_span_their_rows_2021(seed_report):
    grid = build_document(seed_report).table("table3")
    s = spans(grid)
    labels = formats.OUTCOME_GROUP_LABELS
    assert s[formats.OUTCOME_BAND_LABEL] == (22, 1)
    assert s[labels[formats.OutcomeGroup.WITHHELD]] == (8, 1)
    assert s[labels[formats.OutcomeGroup.UNABLE]] == (3, 1)
    assert s[labels[formats.OutcomeGroup.NOT_PROCESSED]] == (5, 1)
    assert s[labels[formats.OutcomeGroup.OTHER]] == (3, 1)
    # rows without a group span the three label columns, （一）（二）（七） span two
    layout = seed_report.layout
    assert s[layout.table3_row(formats.RowKey.NEW).label] == (1, 3)
    assert s[layout.table3_row(formats.RowKey.CARRY_OUT).label] == (1, 3)
    assert s[layout.table3_row(formats.RowKey.O1).label] == (1, 2)
    assert s[layout.table3_row(formats.RowKey.OTOT).label] == (1, 2)
    assert grid.n_rows == 3 + 25


def test_table3_2019_has_a_single_other_row():
    grid = build_document(empty_report("某局", 2019)).table("table3")
    s = spans(grid)
    assert s[formats.OUTCOME_BAND_LABEL] == (20, 1)
    assert s[formats.OUTCOME_GROUP_LABELS[formats.OutcomeGroup.OTHER]] == (1, 2)
    assert grid.n_rows == 3 + 23


def test_table4_header(seed_report):
    grid = build_document(seed_report).table("table4")
    head = {(c.text, c.row): (c.rowspan, c.colspan) for c in grid.cells if c.row < 3}
    assert head[(formats.TABLE4_REVIEW_LABEL, 0)] == (1, 5)
    assert head[(formats.TABLE4_LITIGATION_LABEL, 0)] == (1, 10)
    for g in formats.TABLE4_GROUPS[1:]:
        assert head[(g.label, 1)] == (1, 5)
    for label in formats.TABLE4_CELL_LABELS.values():
        assert head[(label, 1)] == (2, 1)  # under 行政复议
        assert head[(label, 2)] == (1, 1)  # under each litigation group
    assert [c.text for c in grid.values()] == [str(v) for v in seed_report.table4]


def test_table2_blocks_stretch_their_value_cells(seed_report):
    grid = build_document(seed_report).table("table2")
    assert grid.n_cols == 4 and grid.head_rows == 0
    blocks = [c for c in grid.cells if c.kind == "block"]
    assert [b.text for b in blocks] == [b.caption for b in seed_report.layout.table2]
    assert all(b.colspan == 4 for b in blocks)
    single = [c for c in grid.values() if c.colspan == 3]
    assert len(single) == 4  # 行政许可, 行政处罚, 行政强制, 行政事业性收费


def test_table2_2019_layout_fits_the_grid():
    grid = build_document(empty_report("某局", 2019)).table("table2")
    grid.validate()
    assert len(grid.row_groups) == len(formats.TABLE2_2019)


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), (0, "0"), (12, "12"), (Decimal("0.50"), "0.50"), (Decimal("1E+1"), "10")],
)
def test_format_value(value, text):
    assert format_value(value) == text


def test_blank_cells_stay_blank(seed_report):
    report = seed_report.with_cell("NEW", "BIZ", None)
    grid = build_document(report).table("table3")
    cell = next(c for c in grid.values() if c.key == "NEW/1")
    assert cell.text == ""
