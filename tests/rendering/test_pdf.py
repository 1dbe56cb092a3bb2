"""PDF (WeasyPrint): A4, CJK fonts embedded, every label and number readable as text."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from gongkai.rendering import fonts
from gongkai.rendering.document import build_document
from gongkai.rendering.grid import format_value

from .labels import collapse, squash, statutory_labels

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pdf_bytes(seed_report):
    try:
        from gongkai.rendering.pdf import render_pdf

        return render_pdf(seed_report)
    except OSError as exc:  # pragma: no cover - pango missing
        pytest.skip(f"WeasyPrint unavailable: {exc}")


@pytest.fixture(scope="module")
def pdf_file(pdf_bytes, output_dir):
    path = output_dir / "seed-report.pdf"
    path.write_bytes(pdf_bytes)
    return path


@pytest.fixture(scope="module")
def pages(pdf_bytes):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(pdf_bytes)
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def test_a4_pages(pdf_bytes):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(pdf_bytes)
    width, height = pdf[0].get_size()
    assert (round(width), round(height)) == (595, 842)
    assert 3 <= len(pdf) <= 8


def _pdftotext(path) -> str | None:
    if shutil.which("pdftotext") is None:
        return None
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return out.stdout


def test_every_statutory_label_is_in_the_text(pdf_file, pages, seed_report):
    # Neither extractor reads every merged cell in one piece: pypdfium2 joins text that shares
    # a baseline across cells ("商业 总计 / 企业" in table 三's header), pdftotext reads the
    # rowspan labels (三、本年度办理结果) line by line with the rows beside them. Each label
    # must come out whole from at least one of them.
    texts = [squash("".join(pages)), squash(_pdftotext(pdf_file) or "")]
    labels = statutory_labels(seed_report.layout)
    missing = [label for label in labels if not any(squash(label) in t for t in texts)]
    assert missing == []


def test_row_labels_are_in_the_pdfium_text(pages, seed_report):
    text = squash("".join(pages))
    for row in seed_report.layout.table3_rows:
        assert squash(row.label) in text
    for block in seed_report.layout.table2:
        assert all(squash(h) in text for h in block.header)


def test_pdf_metadata(pdf_bytes, seed_report):
    import pypdfium2 as pdfium

    meta = pdfium.PdfDocument(pdf_bytes).get_metadata_dict()
    assert meta["Title"] == build_document(seed_report).title
    assert meta["Author"] == seed_report.agency


def test_section_headings_appear_once(pages, seed_report):
    text = squash("".join(pages))
    for section in seed_report.layout.sections:
        assert text.count(squash(section.heading)) == 1, section.heading


def test_every_number_of_the_seed_is_in_the_text(pages, seed_report):
    text = collapse(" ".join(pages))
    doc = build_document(seed_report)
    for grid in doc.tables:
        for row in grid.rows():
            values = [c.text for c in row if c.kind == "value"]
            if values:
                assert " ".join(values) in text, (grid.key, values)
    t4 = " ".join(format_value(v) for v in seed_report.table4)
    assert t4 in text
    for number in re.findall(r"\d+(?:\.\d+)?", seed_report.narrative):
        assert number in text


def test_first_page_has_title_and_period(pages, seed_report):
    first = squash(pages[0])
    assert squash(build_document(seed_report).title) in first
    assert f"统计期限为{seed_report.year}年1月1日至{seed_report.year}年12月31日" in first


def test_cjk_fonts_are_embedded(pdf_file):
    if shutil.which("pdffonts") is None:
        pytest.skip("poppler-utils not installed")
    out = subprocess.run(["pdffonts", str(pdf_file)], capture_output=True, text=True, check=True)
    rows = [line.split() for line in out.stdout.splitlines()[2:] if line.strip()]
    names = {row[0].split("+", 1)[-1]: row for row in rows}
    assert any("Noto-Serif-CJK-SC" in n for n in names), names
    assert any("Noto-Sans-CJK-SC" in n for n in names), names
    for row in rows:
        # columns: name type... encoding emb sub uni object ID -> emb is the 5th from the end
        assert row[-5] == "yes", row


def test_no_missing_glyphs(seed_report):
    from gongkai.rendering.pdf import check_glyphs

    assert fonts.missing_fonts() == []
    assert check_glyphs(seed_report) == set()


def test_png_of_the_first_page_for_a_person_to_look_at(pdf_file, output_dir):
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils not installed")
    for page, name in ((1, "seed-report-page1"), (4, "seed-report-page4")):
        target = output_dir / name
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "80",
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(pdf_file),
                str(target),
            ],
            check=True,
        )
        png = target.with_suffix(".png")
        assert png.stat().st_size > 10_000
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
