"""Auditing a set of files in parallel processes, without a database (``gongkai audit DIR``).

Two passes: (1) every file is read and checked in worker processes (``read_report`` +
``check_report``; the files are read by the workers, so only small results
travel back); (2) reports whose agency also has a report of the year before in the same set
are re-checked with it (year-over-year rules), again in the workers. One file that cannot be
read becomes a row with the reader's Chinese message; it never stops the run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

from gongkai.oversight.engine import (
    AuditRow,
    BodyFacts,
    audit_findings,
    deadline_for,
    late_days,
)
from gongkai.oversight.registry import normalise_name
from gongkai.reading.api import MAX_BYTES
from gongkai.reading.cli import _read_path
from gongkai.reading.errors import ReadError, ReadErrorCode
from gongkai.statutory.checks import Finding, ParseNotes
from gongkai.statutory.report import AnnualReport

__all__ = ["Audited", "audit_paths"]


@dataclass
class Audited:
    """A row plus what the cross-year pass needs (None when the file was unreadable)."""

    row: AuditRow
    report: AnnualReport | None = None
    parse_notes: ParseNotes | None = None
    facts: BodyFacts | None = None


def _display(path: str, root_names: dict[str, str]) -> str:
    return root_names.get(path, os.path.basename(path))


def audit_one(path: str, max_bytes: int = MAX_BYTES, display: str | None = None) -> Audited:
    """Read and check one file (runs in a worker process)."""
    name = display or os.path.basename(path)
    try:
        result = _read_path(path, max_bytes)
    except ReadError as exc:
        return Audited(AuditRow(file=name, error_code=exc.code.value, error=exc.message))
    except Exception as exc:  # noqa: BLE001 - one file never stops the batch
        return Audited(
            AuditRow(
                file=name,
                error_code=ReadErrorCode.CORRUPT.value,
                error=f"读取时出错（{type(exc).__name__}），文件无法解析。",
            )
        )
    report = result.report
    facts = BodyFacts(kind=result.context.agency_kind)
    try:
        findings = audit_findings(report, result.context.notes, facts=facts)
        notes: list[str] = []
    except Exception as exc:  # noqa: BLE001 - a rule bug must not hide the reading result
        findings = []
        notes = [f"检查规则运行出错（{type(exc).__name__}），只有读取结果。"]
    row = AuditRow(
        file=name,
        agency=report.agency,
        year=report.year,
        format_version=report.format_version.value,
        source_kind=result.source_kind.value,
        published_on=report.published_on,
        deadline=deadline_for(report.year, facts),
        late_days=late_days(report, facts),
        findings=findings,
        notes=notes,
    )
    return Audited(row, report, result.context.notes, facts)


def _audit_chunk(paths: Sequence[tuple[str, str]], max_bytes: int) -> list[Audited]:
    return [audit_one(p, max_bytes, display) for p, display in paths]


def _recheck(
    report: AnnualReport, notes: ParseNotes | None, facts: BodyFacts, previous: AnnualReport
) -> list[Finding]:
    return audit_findings(report, notes, facts=facts, previous=previous)


def _recheck_chunk(
    items: Sequence[tuple[AnnualReport, ParseNotes | None, BodyFacts, AnnualReport]],
) -> list[list[Finding]]:
    return [_recheck(*item) for item in items]


def _chunks(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _run(
    pool: Executor | None,
    func: Callable[..., list[Any]],
    chunks: Sequence[Sequence[Any]],
    extra: tuple[Any, ...],
    step: Callable[[int], None],
) -> list[Any]:
    """Apply ``func`` to each chunk (in the pool when given), keeping the input order."""
    results: list[list[Any] | None] = [None] * len(chunks)
    if pool is None:
        for i, chunk in enumerate(chunks):
            results[i] = func(chunk, *extra)
            step(len(chunk))
    else:
        futures = {pool.submit(func, chunk, *extra): i for i, chunk in enumerate(chunks)}
        for fut in as_completed(futures):
            i = futures[fut]
            results[i] = fut.result()
            step(len(chunks[i]))
    return [item for chunk in results for item in (chunk or [])]


BIG_FILE = 64 * 1024
"""Files above this size (PDF, DOCX) are sent to a worker one by one; small ones in chunks."""


def _plan(work: Sequence[tuple[str, str]], jobs: int) -> list[list[int]]:
    """Tasks as lists of indexes into ``work``: big files alone and first (largest first, so
    no worker is left with a long file at the end), small files in chunks that amortise the
    inter-process overhead while leaving several chunks per worker."""
    sizes = []
    for path, _ in work:
        try:
            sizes.append(os.stat(path).st_size)
        except OSError:
            sizes.append(0)
    big = sorted((i for i, n in enumerate(sizes) if n > BIG_FILE), key=lambda i: -sizes[i])
    small = [i for i, n in enumerate(sizes) if n <= BIG_FILE]
    size = max(1, min(16, len(small) // (jobs * 8) or 1))
    return [[i] for i in big] + [small[i : i + size] for i in range(0, len(small), size)]


def audit_paths(
    paths: Sequence[str],
    *,
    year: int | None = None,
    jobs: int = 0,
    max_bytes: int = MAX_BYTES,
    progress: Callable[[int], None] | None = None,
    names: dict[str, str] | None = None,
) -> list[AuditRow]:
    """Audit the files at ``paths``; one row per file, in the order given.

    ``year``: the year under audit — reports of other years get a note, and reports of
    ``year - 1`` still serve as last year's report of their agency. ``jobs``: worker processes
    (0 = one per CPU; 1 = in this process). ``progress(n)`` is called as files are done.
    """
    step = progress or (lambda n: None)
    names = names or {}
    jobs = jobs or os.cpu_count() or 1
    jobs = max(1, min(jobs, len(paths) or 1))
    work = [(p, _display(p, names)) for p in paths]
    plan = _plan(work, jobs)
    pool: ProcessPoolExecutor | None = ProcessPoolExecutor(max_workers=jobs) if jobs > 1 else None
    try:
        chunks = [[work[i] for i in task] for task in plan]
        results = _run(pool, _audit_chunk, chunks, (max_bytes,), step)
        done: list[Audited] = [None] * len(work)  # type: ignore[list-item]
        for index, audited in zip((i for task in plan for i in task), results, strict=True):
            done[index] = audited
        _cross_year(done, pool, max(1, len(done) // (jobs * 8) or 1))
    finally:
        if pool is not None:
            pool.shutdown()
    rows = [a.row for a in done]
    if year is not None:
        for row in rows:
            if row.readable and row.year != year:
                row.notes.append(f"报告年度为{row.year}年，不是审查年度{year}年。")
    return rows


def _cross_year(done: list[Audited], pool: Executor | None, size: int) -> None:
    by_key: dict[tuple[str, int], Audited] = {}
    for a in done:
        if a.report is not None and a.report.agency:
            by_key.setdefault((normalise_name(a.report.agency), a.report.year), a)
    pairs: list[tuple[Audited, Audited]] = []
    for a in done:
        if a.report is None or not a.report.agency:
            continue
        prev = by_key.get((normalise_name(a.report.agency), a.report.year - 1))
        if prev is not None and prev.report is not None:
            pairs.append((a, prev))
    if not pairs:
        return
    work = [(a.report, a.parse_notes, a.facts or BodyFacts(), p.report) for a, p in pairs]
    findings = _run(pool, _recheck_chunk, _chunks(work, min(size, 16)), (), lambda n: None)
    for (a, prev), found in zip(pairs, findings, strict=True):
        a.row.findings = found
        a.row.previous = prev.row.file
