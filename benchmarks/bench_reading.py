"""Benchmark of the report reader (``gongkai.reading``).

* Text: reports per second on one core, reading the 21 real corpus reports in a loop
  (goal ≥ 500/s), with and without the checks.
* PDF: time of ``read_report`` + ``check_report`` divided by the time of a bare pypdfium2
  text extraction of the same file (goal ≤ 1.5×). The PDFs are rendered from the corpus
  truth files by ``gongkai.rendering`` (skipped when rendering is not available).

Run: ``.venv/bin/python benchmarks/bench_reading.py [--seconds 3] [--no-write]``. Results go
to the "Reading" section of ``docs/benchmarks.md`` (other sections are kept).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from gongkai.reading import read_report  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "corpus"
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Reading published reports (`gongkai check`)"


def _rate(fn: Callable[[], int], seconds: float) -> float:
    """Items per second of the fastest batch within the time budget (robust to other load
    on a shared machine; one batch = one pass over all files)."""
    fn()  # warm up (imports, caches)
    best = float("inf")
    items = 1
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        t = time.perf_counter()
        items = fn()
        best = min(best, time.perf_counter() - t)
    return items / best


def _checker() -> Callable[..., object] | None:
    try:
        from gongkai.statutory.checks import check_report
    except ImportError:
        return None
    return check_report


def bench_text(seconds: float) -> dict[str, float]:
    files = [p.read_bytes() for p in sorted((CORPUS / "reports").glob("*.txt"))]
    check = _checker()

    def parse() -> int:
        for data in files:
            read_report(data, "r.txt")
        return len(files)

    def parse_check() -> int:
        for data in files:
            result = read_report(data, "r.txt")
            if check is not None:
                check(result.report, context=result.context)
        return len(files)

    return {
        "files": len(files),
        "parse_per_s": _rate(parse, seconds),
        "parse_check_per_s": _rate(parse_check, seconds),
    }


def _pdfs() -> list[bytes]:
    try:
        from gongkai.rendering import render_pdf
    except ImportError:
        return []
    from gongkai.statutory.report import report_from_truth

    out = []
    for path in sorted((CORPUS / "truth").glob("*.json"))[:6]:
        report = report_from_truth(json.loads(path.read_text(encoding="utf-8")), agency="某某局")
        out.append(render_pdf(report))
    return out


def _bare_pdfium(data: bytes) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    parts = []
    for i in range(len(pdf)):
        page = pdf[i]
        tp = page.get_textpage()
        parts.append(tp.get_text_range())
        tp.close()
        page.close()
    pdf.close()
    return "\n".join(parts)


def bench_pdf(seconds: float) -> dict[str, float] | None:
    pdfs = _pdfs()
    if not pdfs:
        return None
    check = _checker()

    def bare() -> int:
        for data in pdfs:
            _bare_pdfium(data)
        return len(pdfs)

    def full() -> int:
        for data in pdfs:
            result = read_report(data, "r.pdf")
            if check is not None:
                check(result.report, context=result.context)
        return len(pdfs)

    def parse() -> int:
        for data in pdfs:
            read_report(data, "r.pdf")
        return len(pdfs)

    bare_rate = _rate(bare, seconds)
    parse_rate = _rate(parse, seconds)
    full_rate = _rate(full, seconds)
    return {
        "files": len(pdfs),
        "bare_per_s": bare_rate,
        "full_per_s": full_rate,
        "parse_ratio": bare_rate / parse_rate,
        "ratio": bare_rate / full_rate,
    }


def write_section(text: dict[str, float], pdf: dict[str, float] | None) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from docs_section import write_section as write_doc_section

    lines = [
        "`benchmarks/bench_reading.py` — reads the 21 real corpus reports (archived web text,",
        "Markdown, PDF text) in a loop; and PDFs rendered by `gongkai.rendering` from six corpus",
        "truth files, against a bare pypdfium2 text extraction of the same files measured in the",
        "same run. Rates are the fastest pass within the time budget (the machine is shared).",
        "",
        "```",
        ".venv/bin/python benchmarks/bench_reading.py [--seconds 3]",
        "```",
        "",
        f"Result ({datetime.now():%Y-%m-%d}, Python {platform.python_version()}, "
        f"{platform.machine()}, one process):",
        "",
        "| measurement | result | goal |",
        "|---|---|---|",
        f"| text reports read per second (parse only) | {text['parse_per_s']:.0f}/s | ≥ 500/s |",
        f"| text reports read and checked per second | {text['parse_check_per_s']:.0f}/s | — |",
    ]
    if pdf is None:
        lines.append(
            "| PDF: (parse + check) ÷ bare pypdfium2 extraction | not measured (no renderer) | ≤ 1.5× |"
        )
    else:
        lines += [
            f"| PDF: parse ÷ bare pypdfium2 text extraction | {pdf['parse_ratio']:.2f}× | — |",
            f"| PDF: (parse + check) ÷ bare pypdfium2 text extraction | {pdf['ratio']:.2f}× "
            f"({pdf['full_per_s']:.0f}/s vs {pdf['bare_per_s']:.0f}/s) | ≤ 1.5× |",
        ]
    lines += [
        "",
        "Reading cost is dominated by tokenising the table regions and enumerating digit splits",
        "(a run whose pieces are one cell each, or one digit per cell, takes a fast path).",
        "Traditional→simplified conversion (opencc, ~4 ms per 10 kB) runs only when a text",
        "contains traditional characters. PDFs fall back to pdfplumber table geometry only when",
        "the text layer leaves a table-三/四 cell unresolved, so a clean PDF pays for one text",
        "extraction plus ~2 ms of parsing; the rest of the (parse + check) ratio is the checks.",
    ]
    write_doc_section(SECTION.removeprefix("## "), "\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    text = bench_text(args.seconds)
    print(
        f"text: {text['parse_per_s']:.0f} reports/s (parse), {text['parse_check_per_s']:.0f}/s (parse+check)"
    )
    pdf = bench_pdf(args.seconds)
    if pdf:
        print(
            f"pdf: ratio {pdf['ratio']:.2f}x  ({pdf['full_per_s']:.1f}/s vs bare {pdf['bare_per_s']:.1f}/s)"
        )
    if not args.no_write:
        write_section(text, pdf)
        print(f"written to {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
