"""Bad input never crashes: one clear Chinese message (``ReadError``), exit status 2."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.reading import ReadError, ReadResult, read_report
from gongkai.reading.cli import main
from tests.reading.conftest import SEED, corpus_names, load_report_bytes


def _error(data: bytes, name: str | None = None) -> ReadError:
    with pytest.raises(ReadError) as info:
        read_report(data, name)
    assert info.value.message and any("\u4e00" <= ch <= "\u9fff" for ch in info.value.message)
    return info.value


def test_empty_file() -> None:
    assert _error(b"").code == "empty"
    assert _error(b"   \n\n").code == "empty"


def test_binary_junk() -> None:
    assert _error(os.urandom(4096), "x.txt").code == "binary"
    assert _error(b"\x00\x01\x02" * 1000).code == "binary"


def test_pdf_without_text_layer_suggests_ocr() -> None:
    pdfium = pytest.importorskip("pypdfium2")
    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    buf = io.BytesIO()
    pdf.save(buf)
    error = _error(buf.getvalue(), "scan.pdf")
    assert error.code == "scanned"
    assert "OCR" in error.message


def test_encrypted_pdf() -> None:
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret")
    buf = io.BytesIO()
    writer.write(buf)
    error = _error(buf.getvalue(), "locked.pdf")
    assert error.code == "encrypted"
    assert "加密" in error.message


def test_corrupt_pdf() -> None:
    assert _error(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF", "x.pdf").code == "corrupt"


def test_truncated_docx_and_other_zips() -> None:
    assert _error(b"PK\x03\x04" + b"\x00" * 100, "x.docx").code == "corrupt"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/workbook.xml", "<x/>")
    assert _error(buf.getvalue(), "x.xlsx").code == "unsupported"


def test_unrelated_document() -> None:
    text = "关于召开2024年度安全生产工作会议的通知\n各单位：定于3月5日召开会议，请准时参加。\n"
    assert _error(text.encode("utf-8"), "notice.txt").code == "not_a_report"


def test_report_without_statistics_tables() -> None:
    text = "某局2024年政府信息公开工作年度报告\n一、总体情况\n本年度认真做好政府信息公开工作。\n"
    assert _error(text.encode("utf-8"), "r.txt").code == "no_tables"


def test_size_cap_in_read_report() -> None:
    assert _error(b"x" * 2048, None).code != "too_large"
    with pytest.raises(ReadError) as info:
        read_report(b"x" * 2048, None, max_bytes=1024)
    assert info.value.code == "too_large"


def test_huge_file_is_refused_without_reading_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A 200 MB file (sparse, so the test is cheap): exit 2 and a size message."""
    big = tmp_path / "huge.pdf"
    with open(big, "wb") as fh:
        fh.truncate(200 * 1024 * 1024)
    assert main([str(big)]) == 2
    out = capsys.readouterr().out
    assert "文件太大" in out and "200 MB" in out


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        os.urandom(512),
        b"%PDF-1.4\n",
        b"PK\x03\x04junk",
        "<html><body>无关页面</body></html>".encode(),
    ],
)
def test_cli_exit_status_2_and_no_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], payload: bytes
) -> None:
    path = tmp_path / "input.bin"
    path.write_bytes(payload)
    assert main([str(path)]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert "无法读取" in captured.out


def _mutate(data: bytes, ops: list[tuple[int, int, int, bytes]]) -> bytes:
    out = bytearray(data)
    for kind, a, b, blob in ops:
        if not out:
            out.extend(blob)
            continue
        i, j = sorted((a % len(out), b % len(out)))
        if kind == 0:
            del out[i:j]
        elif kind == 1:
            out[i:i] = blob
        elif kind == 2:
            out[i : i + len(blob)] = blob
        elif kind == 3:
            out[i:i] = out[i:j]
        else:
            del out[j:]
    return bytes(out)


_SOURCES = [load_report_bytes(n) for n in corpus_names()[:8]] + [SEED.read_bytes()]

_ops = st.lists(
    st.tuples(
        st.integers(0, 4),
        st.integers(0, 1 << 20),
        st.integers(0, 1 << 20),
        st.binary(min_size=0, max_size=40)
        | st.sampled_from(["0", "1 2", "、", "（七）总计", "\u3000", "一、"]).map(
            lambda s: s.encode()
        ),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=st.sampled_from(_SOURCES), ops=_ops)
def test_fuzz_mutated_reports_raise_only_read_error(
    source: bytes, ops: list[tuple[int, int, int, bytes]]
) -> None:
    """Mutated real reports either read or raise the documented ``ReadError`` — nothing else."""
    data = _mutate(source, ops)
    try:
        result = read_report(data, "fuzz.txt")
    except ReadError as exc:
        assert exc.message
        return
    assert isinstance(result, ReadResult)
    assert len(result.report.table4) == 15


@pytest.fixture(scope="module")
def rendered_pdf() -> bytes:
    weasyprint = pytest.importorskip("weasyprint")
    from gongkai.statutory.report import report_from_truth
    from tests.reading.builders import report_html
    from tests.reading.conftest import load_truth

    report = report_from_truth(load_truth("001"), agency="某局")
    return bytes(weasyprint.HTML(string=report_html(report, chrome=False)).write_pdf())


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(ops=_ops)
def test_fuzz_mutated_pdf_raises_only_read_error(
    rendered_pdf: bytes, ops: list[tuple[int, int, int, bytes]]
) -> None:
    data = _mutate(rendered_pdf, ops)
    try:
        read_report(data, "fuzz.pdf")
    except ReadError as exc:
        assert exc.message
