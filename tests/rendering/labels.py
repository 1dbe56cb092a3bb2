"""Every statutory label of a layout, read from gongkai.statutory.formats (never typed here)."""

from __future__ import annotations

import re

from gongkai.statutory import formats
from gongkai.statutory.formats import Layout


def statutory_labels(layout: Layout) -> list[str]:
    labels: list[str] = [s.heading for s in layout.sections]
    for block in layout.table2:
        labels.append(block.caption)
        labels.extend(block.header)
        labels.extend(row.label for row in block.rows)
    labels += [formats.TABLE3_NOTE, formats.TABLE3_HEADER_TOP, formats.TABLE3_ORG_GROUP_LABEL]
    labels += [c.label for c in formats.TABLE3_COLUMNS]
    for row in layout.table3_rows:
        labels.append(row.label)
        labels.extend(g for g in (row.band, row.group_label) if g)
    labels += [g.label for g in formats.TABLE4_GROUPS]
    labels += [g.parent_label for g in formats.TABLE4_GROUPS if g.parent_label]
    labels += list(formats.TABLE4_CELL_LABELS.values())
    return list(dict.fromkeys(labels))


_WS = re.compile(r"\s+")


def squash(text: str) -> str:
    """Remove all whitespace (PDF text breaks labels inside table cells)."""
    return _WS.sub("", text)


def collapse(text: str) -> str:
    """Collapse runs of whitespace to one space."""
    return _WS.sub(" ", text).strip()
