"""Benchmark of the batch audit (``gongkai audit DIR``): N reports on 1 and on 2 processes.

The reports are the real corpus, repeated: half as the stored text files, half as PDFs
rendered by ``gongkai.rendering.render_pdf`` from the corpus reports as read (tables and
narrative), so PDF extraction is part of the load. Every file is read, checked (statutory
rules + the audit's text rule), the cross-year pass runs for agencies with last year's report
in the folder, and the findings workbook is written — what ``gongkai audit DIR --xlsx`` does.
The goal is a speed-up of at least 1.8× on 2 cores.

Run: ``.venv/bin/python benchmarks/bench_audit.py [--reports 1000] [--repeat 1] [--no-write]``.
Results go to the "Batch audit" section of ``docs/benchmarks.md`` (other sections are kept).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from gongkai.oversight.bulk import audit_paths  # noqa: E402
from gongkai.oversight.export import findings_workbook  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "corpus" / "reports"
TITLE = "Batch audit of published reports (`gongkai audit`)"
PDF_SOURCES = 8  # distinct PDFs rendered (rendering is slow; copies are cheap)


def _make_files(folder: Path, n: int) -> tuple[int, int]:
    import logging

    from gongkai.reading import read_report
    from gongkai.rendering import render_pdf

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    texts = sorted(CORPUS.glob("*.txt"))
    pdfs = []
    for path in texts[:PDF_SOURCES]:
        report = read_report(path.read_bytes(), path.name).report
        pdfs.append((path.stem, render_pdf(report)))
    n_pdf = n // 2
    for i in range(n - n_pdf):
        src = texts[i % len(texts)]
        (folder / f"t{i:05d}-{src.name}").write_bytes(src.read_bytes())
    for i in range(n_pdf):
        stem, data = pdfs[i % len(pdfs)]
        (folder / f"p{i:05d}-{stem}.pdf").write_bytes(data)
    return n - n_pdf, n_pdf


def _run(files: list[str], jobs: int) -> tuple[float, float, int]:
    """Wall time and CPU time (this process and its workers) of one audit."""
    import resource

    def cpu() -> float:
        me = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime

    cpu0 = cpu()
    start = time.perf_counter()
    rows = audit_paths(files, jobs=jobs, year=2025)
    findings_workbook(rows)
    elapsed = time.perf_counter() - start
    assert len(rows) == len(files)
    return elapsed, cpu() - cpu0, len(rows)


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def _calibrate(rounds: int = 8, n: int = 3_000_000) -> float:
    """Speed-up the machine gives right now to two processes of pure Python arithmetic — the
    ceiling for any parallel job at that moment (2.0 on an idle 2-core machine)."""
    from concurrent.futures import ProcessPoolExecutor

    start = time.perf_counter()
    for _ in range(rounds):
        _spin(n)
    one = time.perf_counter() - start
    with ProcessPoolExecutor(2) as pool:
        start = time.perf_counter()
        list(pool.map(_spin, [n] * rounds))
        two = time.perf_counter() - start
    return one / two


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument(
        "--repeat", type=int, default=1, help="rounds of (1 process, 2 processes); best is kept"
    )
    parser.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-audit-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        n_text, n_pdf = _make_files(folder, args.reports)
        print(
            f"{args.reports} files ({n_text} text, {n_pdf} PDF) in {time.perf_counter() - t0:.1f} s"
        )
        files = sorted(str(p) for p in folder.iterdir())
        load = os.getloadavg()[0]
        best: dict[int, tuple[float, float]] = {}
        ceilings = [_calibrate()]
        for _ in range(args.repeat):  # interleaved, so a busy moment hurts both settings
            for jobs in (1, 2):
                elapsed, cpu, _ = _run(files, jobs)
                print(
                    f"{jobs} process(es): {elapsed:.2f} s wall, {cpu:.1f} s CPU, {len(files) / elapsed:.1f} reports/s"
                )
                if jobs not in best or elapsed < best[jobs][0]:
                    best[jobs] = (elapsed, cpu)
            ceilings.append(_calibrate())
        load = max(load, os.getloadavg()[0])
        ratio = best[1][0] / best[2][0]
        ceiling = sum(ceilings) / len(ceilings)
        print(
            f"speed-up on 2 processes: {ratio:.2f}x (goal >= 1.8x); the machine allowed "
            f"{ceiling:.2f}x for pure arithmetic (load average {load:.1f})"
        )
        if not args.no_write:
            _write(args.reports, n_text, n_pdf, best, ratio, load, ceiling)


def _write(
    n: int,
    n_text: int,
    n_pdf: int,
    best: dict[int, tuple[float, float]],
    ratio: float,
    load: float,
    ceiling: float,
) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from docs_section import write_section

    cpus = os.cpu_count() or 1
    body = f"""
`benchmarks/bench_audit.py` — audits {n:,} report files the way `gongkai audit DIR --xlsx`
does: read, check (statutory rules + the audit's text rule), cross-year pass for agencies whose
previous year is in the folder, findings workbook. The files are the real corpus repeated:
{n_text} stored text reports and {n_pdf} PDFs rendered by `gongkai.rendering.render_pdf` from
{PDF_SOURCES} corpus reports as read (tables and narrative). The PDFs dominate: their blank cells
make the reader fall back to pdfplumber's table lines (≈ 0.5 s per file against ≈ 5 ms for text).

```
.venv/bin/python benchmarks/bench_audit.py [--reports 1000] [--repeat 1]
```

Result (Python {platform.python_version()}, {platform.machine()}, {cpus} vCPU development
container shared with other jobs: load average up to {load:.1f} during the run):

| processes | wall time for {n:,} reports | rate | CPU time (all processes) |
|---|---|---|---|
| 1 | {best[1][0]:.1f} s | ≈ {n / best[1][0]:.1f} reports/s | {best[1][1]:.1f} s |
| 2 | {best[2][0]:.1f} s | ≈ {n / best[2][0]:.1f} reports/s | {best[2][1]:.1f} s |

Speed-up on 2 processes: **{ratio:.2f}×** (goal ≥ 1.8×). In the same run two processes of pure
Python arithmetic got {ceiling:.2f}× (the most the machine gave any parallel job at the time),
so the audit used {ratio / ceiling:.0%} of the available parallelism. The CPU time barely grows with the
second process (little coordination overhead): workers read the files themselves and return
compact rows; big files (PDF, DOCX) are handed out one by one, largest first, small text files
in chunks of up to 16, so no worker is left with a long tail; the cross-year re-check runs in
the workers too. On a machine whose other load takes CPU away the wall-clock ratio falls below
what the CPU times allow (ideal ≈ CPU(1) / (CPU(2) / 2)).
"""
    write_section(TITLE, body)
    print(f"docs/benchmarks.md: section “{TITLE}” updated")


if __name__ == "__main__":
    main()
