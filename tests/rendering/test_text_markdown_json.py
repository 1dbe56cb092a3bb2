"""Plain text (PDF-extraction style), Markdown pipe tables and JSON."""

from __future__ import annotations

from gongkai.rendering import FORMATS, render
from gongkai.rendering.markdown import render_markdown
from gongkai.rendering.text import BLANK, render_text
from gongkai.statutory import formats
from gongkai.statutory.report import AnnualReport

from .labels import statutory_labels


def test_text_has_labels_and_numbers_on_one_line(seed_report):
    text = render_text(seed_report)
    lines = text.splitlines()
    layout = seed_report.layout
    for row, values in zip(layout.table3_rows, seed_report.table3, strict=True):
        assert f"{row.label} {' '.join(str(v) for v in values)}" in lines
    for block in layout.table2:
        assert block.caption in lines
        assert " ".join(block.header) in lines
    assert " ".join(str(v) for v in seed_report.table4) in lines
    for label in statutory_labels(layout):
        assert label in text
    # group labels stand on their own line before their first row
    group = formats.OUTCOME_GROUP_LABELS[formats.OutcomeGroup.WITHHELD]
    first = layout.table3_row(formats.RowKey.O3_1).label
    assert lines[lines.index(group) + 1].startswith(first)


def test_text_sections_in_order(seed_report):
    lines = render_text(seed_report).splitlines()
    positions = [lines.index(s.heading) for s in formats.SECTIONS]
    assert positions == sorted(positions)
    for number in range(1, 7):
        for paragraph in (seed_report.section(number) or "").splitlines():
            if paragraph.strip():
                assert paragraph.strip() in lines


def test_text_blank_placeholder(seed_report):
    report = seed_report.with_cell("NEW", "BIZ", None)
    label = report.layout.table3_row(formats.RowKey.NEW).label
    assert f"{label} 6 {BLANK} 0 0 0 0 6" in render_text(report).splitlines()
    assert f"{label} 6 x 0 0 0 0 6" in render_text(report, blank="x").splitlines()


def test_markdown_one_pipe_table_per_table(seed_report):
    md = render_markdown(seed_report)
    tables = [b for b in md.split("\n\n") if b.startswith("|")]
    assert len(tables) == 3
    assert all(line.startswith("|") for t in tables for line in t.splitlines())
    t3 = tables[1].splitlines()
    assert len(t3) == 2 + 25
    assert t3[0].startswith(f"| {formats.TABLE3_NOTE} |")
    new = seed_report.layout.table3_row(formats.RowKey.NEW).label
    assert f"| {new} | 6 | 0 | 0 | 0 | 0 | 0 | 6 |" in t3
    o31 = seed_report.layout.table3_row(formats.RowKey.O3_1)
    assert any(
        line.startswith(f"| {formats.OUTCOME_BAND_LABEL}") and o31.label in line for line in t3
    )
    for label in statutory_labels(seed_report.layout):
        assert label in md
    assert md.startswith("# ")


def test_json_delegates_to_the_report(seed_report):
    data = render(seed_report, "json")
    assert AnnualReport.from_json(data) == seed_report


def test_render_every_format(seed_report):
    for fmt in FORMATS:
        if fmt == "pdf":
            continue  # test_pdf.py
        assert render(seed_report, fmt)


def test_filename(seed_report):
    from gongkai.rendering import filename

    assert filename(seed_report, "pdf").endswith("年度报告.pdf")
    assert filename(seed_report, "html").endswith(".html")
    assert filename(seed_report, "md").endswith(".md")


def test_rendering_never_imports_django():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import gongkai.rendering.cli, gongkai.rendering.html, gongkai.rendering.docx\n"
        "import gongkai.rendering.xlsx, gongkai.rendering.pdf, gongkai.rendering.markdown\n"
        "import gongkai.rendering.text\n"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
