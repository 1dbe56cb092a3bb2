"""Reading PDF, DOCX, HTML and Markdown sources; type detection from content."""

from __future__ import annotations

import pytest

from gongkai.reading import ReadError, read_report
from gongkai.reading.extract import SourceKind, detect_kind
from gongkai.statutory.report import AnnualReport, report_from_truth
from tests.reading.builders import report_docx, report_html
from tests.reading.conftest import load_truth


@pytest.fixture(scope="module")
def sample() -> AnnualReport:
    """The 沭阳 2025 report (big numbers, all rows non-trivial) as a value object."""
    report = report_from_truth(load_truth("012"), agency="沭阳县人民政府")
    for n in range(1, 7):
        report = report.with_section(n, "正文。")
    return report


def _same_tables(got: AnnualReport, want: AnnualReport) -> None:
    assert got.format_version == want.format_version
    assert got.table3 == want.table3
    assert got.table4 == want.table4
    assert got.table2 == want.table2


def test_html_page_with_chrome_and_rowspans(sample: AnnualReport) -> None:
    """A portal page: the report is found by its headings; merged cells are written once."""
    result = read_report(report_html(sample).encode("utf-8"), "page.html")
    assert result.source_kind is SourceKind.HTML
    _same_tables(result.report, sample)
    assert result.report.year == 2025
    assert result.report.agency == "沭阳县人民政府"


def test_html_detected_without_extension(sample: AnnualReport) -> None:
    data = report_html(sample).encode("utf-8")
    assert detect_kind(data, None) is SourceKind.HTML
    assert detect_kind(data, "report.txt") is SourceKind.HTML


def test_gbk_html_is_decoded(sample: AnnualReport) -> None:
    markup = report_html(sample).replace("charset='utf-8'", "charset='gbk'")
    result = read_report(markup.encode("gbk", errors="replace"), "page.htm")
    _same_tables(result.report, sample)


def test_docx_with_merged_cells(sample: AnnualReport) -> None:
    """Word repeats merged cells in ``row.cells``; the reader writes each cell once."""
    data = report_docx(sample)
    assert detect_kind(data, "report.bin") is SourceKind.DOCX
    result = read_report(data, "report.docx")
    _same_tables(result.report, sample)


def test_docx_without_tables_is_a_clear_error(sample: AnnualReport) -> None:
    with pytest.raises(ReadError) as info:
        read_report(report_docx(sample, with_tables=False), "report.docx")
    assert info.value.code == "no_tables"
    assert "统计表" in info.value.message


def test_pdf_made_from_the_html(sample: AnnualReport) -> None:
    """A real PDF text layer (WeasyPrint): labels and numbers come out in reading order."""
    weasyprint = pytest.importorskip("weasyprint")
    pdf = weasyprint.HTML(string=report_html(sample, chrome=False)).write_pdf()
    assert detect_kind(pdf, None) is SourceKind.PDF
    result = read_report(pdf, "report.pdf")
    _same_tables(result.report, sample)


def test_traditional_characters_are_converted(sample: AnnualReport) -> None:
    from gongkai.reading.normalise import looks_traditional

    opencc = pytest.importorskip("opencc")
    markup = opencc.OpenCC("s2t").convert(report_html(sample))
    assert looks_traditional(markup)
    result = read_report(markup.encode("utf-8"), "page.html")
    _same_tables(result.report, sample)


def test_markdown_tables_split_per_row_group() -> None:
    """The 012 layout: one Markdown table per row group, generic headers 数据1…6."""
    from tests.reading.conftest import load_report_bytes

    result = read_report(load_report_bytes("012"), "012.md")
    assert result.report.row("O6_2") == (7, 0, 0, 0, 0, 0, 7)
    assert result.report.table4_group("REV") == (27, 10, 9, 15, 61)


def test_full_width_digits_and_item_markers() -> None:
    """``１．`` / ``1、`` and full-width digits normalise like ``1.`` and ASCII digits."""
    from tests.reading.conftest import SEED

    text = SEED.read_text(encoding="utf-8")
    text = text.replace("1.属于国家秘密", "１、属于国家秘密").replace(
        "3.其他 2 0 0 0 0 0 2", "３．其他 ２ ０ ０ ０ ０ ０ ２"
    )
    report = read_report(text.encode("utf-8"), "seed.txt").report
    assert report.row("O6_3") == (2, 0, 0, 0, 0, 0, 2)
    assert report.row("O3_1") == (0,) * 7


def test_pdf_blank_cells_use_table_geometry(sample: AnnualReport) -> None:
    """Blank cells vanish from a PDF text layer; the reader then reads the table grid
    (pdfplumber) and keeps them blank (None) instead of splitting numbers apart."""
    weasyprint = pytest.importorskip("weasyprint")
    report = sample.with_cell("O1", "RES", None).with_cell("O1", "NPO", None)
    report = report.with_table4("REV", "OTHER", None)
    pdf = weasyprint.HTML(string=report_html(report, chrome=False)).write_pdf()
    result = read_report(pdf, "blank.pdf")
    _same_tables(result.report, report)
    assert any(n.code == "pdf-tables" for n in result.notes)
    assert result.report.agency == "沭阳县人民政府"


def test_spaced_row_with_missing_cells_is_not_split_apart() -> None:
    """``290 1 3 0 294`` (two blank cells lost) must not become 2|9|0|1|3|0|294."""
    from tests.reading.conftest import SEED

    text = SEED.read_text(encoding="utf-8").replace(
        "（一）予以公开 1 0 0 0 0 0 1", "（一）予以公开 290 1 3 0 294"
    )
    result = read_report(text.encode("utf-8"), "seed.txt")
    assert result.report.row("O1") == (None,) * 7
    assert ("O1", 5) in [(k.value, n) for k, n in result.context.notes.table3_bad_rows]


def test_introduction_listing_numbered_sections_is_skipped() -> None:
    """An intro "本报告包括：一、总体情况；二、…；六、其他需要报告的事项" is not the report."""
    from tests.reading.conftest import SEED

    text = SEED.read_text(encoding="utf-8")
    intro = (
        "本报告包括：一、总体情况；二、主动公开政府信息情况；三、收到和处理政府信息公开申请情况；"
        "四、政府信息公开行政复议、行政诉讼情况；五、存在的主要问题及改进情况；六、其他需要报告的事项。\n"
    )
    head, _, rest = text.partition("一、总体情况")
    report = read_report((head + intro + "一、总体情况" + rest).encode("utf-8"), "r.txt").report
    assert report.row("NEW") == (6, 0, 0, 0, 0, 0, 6)
    assert report.table4 == (0, 0, 1, 0, 1) + (0,) * 10
