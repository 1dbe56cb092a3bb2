"""``gongkai check FILE…`` — read published annual reports and check them.

Per file: the detected format, the three tables as read, findings grouped by severity (in
Chinese; coloured on a terminal) and the reader's notes. ``--json`` prints one JSON document
per file and line (``docs/check-json.md``). ``--prev FILE`` adds the year-over-year rules.
A directory argument checks every report file in it, in parallel processes, with a progress
bar on stderr.

Exit status: 0 = no error findings, 1 = error findings, 2 = a file could not be read.
No Django, no database.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from gongkai.reading.api import MAX_BYTES, ReadResult, read_report
from gongkai.reading.errors import ReadError, ReadErrorCode
from gongkai.statutory.formats import (
    TABLE3_COLUMNS,
    TABLE4_CELL_LABELS,
    TABLE4_GROUPS,
    TABLE4_ORDER,
    get_layout,
)

__all__ = [
    "REPORT_SUFFIXES",
    "add_arguments",
    "add_check_arguments",
    "check_file",
    "run",
    "run_check",
]

REPORT_SUFFIXES = frozenset({".pdf", ".docx", ".html", ".htm", ".txt", ".md", ".markdown", ".text"})
"""Files picked up when a directory is given."""

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_UNREADABLE = 2

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
_SEVERITY_ORDER = ("error", "warning", "info")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``gongkai check``."""
    parser.add_argument(
        "files", nargs="+", metavar="文件", help="年度报告文件或目录（PDF、DOCX、HTML、TXT、MD）"
    )
    parser.add_argument(
        "--json", action="store_true", help="每个文件输出一行 JSON（格式见 docs/check-json.md）"
    )
    parser.add_argument("--prev", metavar="文件", help="上一年度的报告，用于跨年度规则（Y-01 等）")
    parser.add_argument(
        "--jobs", type=int, default=0, metavar="N", help="检查目录时的并行进程数（默认按 CPU 数）"
    )
    parser.add_argument(
        "--max-size",
        type=float,
        default=MAX_BYTES / 1048576,
        metavar="MB",
        help=f"单个文件大小上限（默认 {MAX_BYTES // 1048576} MB）",
    )
    parser.add_argument("--no-color", action="store_true", help="不使用彩色输出")


add_check_arguments = add_arguments


# ---------------------------------------------------------------------------------------------
# One file -> a JSON-ready document (runs in worker processes)
# ---------------------------------------------------------------------------------------------


def _checks() -> tuple[Callable[..., list[Any]] | None, str | None]:
    """``check_report`` when the checks module is importable (it may still be in progress)."""
    try:
        from gongkai.statutory.checks import check_report
    except ImportError as exc:  # pragma: no cover - depends on the colleague's module
        return None, f"检查规则模块暂不可用（{exc}），只输出读取结果。"
    return check_report, None


def _read_path(path: str, max_bytes: int) -> ReadResult:
    try:
        size = os.stat(path).st_size
    except OSError as exc:
        raise ReadError(ReadErrorCode.IO, f"无法打开文件：{exc.strerror or exc}。") from exc
    if size > max_bytes:
        raise ReadError(
            ReadErrorCode.TOO_LARGE,
            f"文件太大（{size / 1048576:.0f} MB，上限 {max_bytes / 1048576:.0f} MB），不像是年度报告；"
            "未读取。",
        )
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise ReadError(ReadErrorCode.IO, f"无法读取文件：{exc.strerror or exc}。") from exc
    return read_report(data, os.path.basename(path), max_bytes=max_bytes)


def _num(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    return value


def _finding_doc(f: Any) -> dict[str, Any]:
    return f.to_dict()  # type: ignore[no-any-return]


def result_document(path: str, result: ReadResult, findings: Sequence[Any]) -> dict[str, Any]:
    """The ``--json`` document of a readable file (docs/check-json.md)."""
    report = result.report
    layout = report.layout
    t2_version = result.table2_version
    t2_layout = get_layout(t2_version) if t2_version is not None else layout
    table2 = [
        {
            "key": cell.key.value,
            "block": block.caption,
            "row": row.label,
            "column": cell.header,
            "value": _num(result.table2_values.get(cell.key)),
        }
        for block in t2_layout.table2
        for row in block.rows
        for cell in row.cells
    ]
    table3 = [
        {"key": row.key.value, "label": row.full_label, "values": list(report.row(row.key))}
        for row in layout.table3_rows
    ]
    groups = {g.key: g for g in TABLE4_GROUPS}
    table4_labels = [
        " ".join(
            part
            for part in (groups[g].parent_label, groups[g].label, TABLE4_CELL_LABELS[c])
            if part
        )
        for g, c in TABLE4_ORDER
    ]
    period = report.period
    return {
        "file": path,
        "status": "read",
        "source_kind": result.source_kind.value,
        "format_version": report.format_version.value,
        "table2_format_version": None if t2_version is None else t2_version.value,
        "year": report.year,
        "agency": report.agency,
        "title": report.title,
        "period": None
        if period is None
        else {
            "start": None if period.start is None else period.start.isoformat(),
            "end": None if period.end is None else period.end.isoformat(),
            "text": period.text,
        },
        "published_on": None if report.published_on is None else report.published_on.isoformat(),
        "report": {
            "table2": table2,
            "table3_columns": [c.label for c in TABLE3_COLUMNS],
            "table3": table3,
            "table4": list(report.table4),
            "table4_labels": table4_labels,
            "processing_fees": None
            if report.processing_fees is None
            else {
                "notices": report.processing_fees.notices,
                "amount_notified_yuan": _num(report.processing_fees.amount_notified_yuan),
                "amount_collected_yuan": _num(report.processing_fees.amount_collected_yuan),
            },
        },
        "findings": [_finding_doc(f) for f in findings],
        "notes": [
            {
                "code": n.code,
                "severity": n.severity,
                "message": n.message,
                "table": n.table,
                "row": None if n.row is None else str(n.row),
            }
            for n in result.notes
        ],
        "annual_report": report.to_dict(),
    }


def error_document(path: str, error: ReadError) -> dict[str, Any]:
    """The ``--json`` document of a file that could not be read."""
    return {
        "file": path,
        "status": "unreadable",
        "error": {"code": error.code.value, "message": error.message},
        "findings": [],
        "notes": [],
    }


def check_file(path: str, prev: str | None = None, max_bytes: int = MAX_BYTES) -> dict[str, Any]:
    """Read and check one file; never raises for bad input (returns an error document)."""
    try:
        result = _read_path(path, max_bytes)
    except ReadError as exc:
        return error_document(path, exc)
    previous = None
    extra: list[dict[str, Any]] = []
    if prev:
        try:
            previous = _read_path(prev, max_bytes).report
        except ReadError as exc:
            extra.append(
                {
                    "code": "prev-unreadable",
                    "severity": "warning",
                    "message": f"上一年度报告无法读取（{exc.message}），跳过跨年度规则。",
                    "table": None,
                    "row": None,
                }
            )
    check, problem = _checks()
    findings: list[Any] = []
    if check is not None:
        try:
            findings = list(check(result.report, previous=previous, context=result.context))
        except Exception as exc:  # noqa: BLE001 - a rule bug must not hide the reading result
            extra.append(
                {
                    "code": "checks-failed",
                    "severity": "warning",
                    "message": f"检查规则运行出错（{type(exc).__name__}: {exc}），只输出读取结果。",
                    "table": None,
                    "row": None,
                }
            )
    elif problem:
        extra.append(
            {
                "code": "checks-missing",
                "severity": "info",
                "message": problem,
                "table": None,
                "row": None,
            }
        )
    doc = result_document(path, result, findings)
    doc["notes"].extend(extra)
    return doc


def exit_status(doc: dict[str, Any]) -> int:
    """0 clean, 1 error findings (or reading errors), 2 unreadable."""
    if doc["status"] != "read":
        return EXIT_UNREADABLE
    if any(f["severity"] == "error" for f in doc["findings"]) or any(
        n["severity"] == "error" for n in doc["notes"]
    ):
        return EXIT_ERRORS
    return EXIT_OK


# ---------------------------------------------------------------------------------------------
# Text output
# ---------------------------------------------------------------------------------------------


class _Style:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.enabled else text


_SEV_COLOUR = {"error": "1;31", "warning": "33", "info": "36"}


def _cell(value: Any) -> str:
    return "空" if value is None else str(value)


def render_text(doc: dict[str, Any], out: TextIO, style: _Style) -> None:
    """Human-readable output of one document."""
    out.write(style(f"== {doc['file']}", "1") + "\n")
    if doc["status"] != "read":
        out.write(style("无法读取：", "1;31") + doc["error"]["message"] + "\n\n")
        return
    kind = {"pdf": "PDF", "docx": "DOCX", "html": "HTML", "text": "文本"}.get(
        doc["source_kind"], doc["source_kind"]
    )
    t2v = doc["table2_format_version"]
    fmt = f"{doc['format_version']}年版格式"
    if t2v and t2v != doc["format_version"]:
        fmt += f"（表二为{t2v}年版）"
    out.write(
        f"文件类型：{kind}    格式：{fmt}    报告年度：{doc['year']}    发布机关：{doc['agency'] or '未识别'}\n"
    )
    if doc["period"]:
        out.write(f"统计期限：{doc['period']['text']}\n")
    if doc["published_on"]:
        out.write(f"落款/发布日期：{doc['published_on']}\n")
    rep = doc["report"]
    out.write(style("\n表二 主动公开政府信息情况", "1") + "\n")
    last = None
    for item in rep["table2"]:
        if item["block"] != last:
            out.write(f"  {item['block']}\n")
            last = item["block"]
        out.write(f"    {item['row']} / {item['column']}：{_cell(item['value'])}\n")
    out.write(style("\n表三 收到和处理政府信息公开申请情况", "1") + "\n")
    out.write("    " + " ".join(f"{c:>6}" for c in rep["table3_columns"]) + "\n")
    for row in rep["table3"]:
        out.write(
            f"  {row['label']}\n    " + " ".join(f"{_cell(v):>6}" for v in row["values"]) + "\n"
        )
    out.write(style("\n表四 政府信息公开行政复议、行政诉讼情况", "1") + "\n")
    values = rep["table4"]
    for gi, name in enumerate(
        ("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）")
    ):
        cells = values[gi * 5 : gi * 5 + 5]
        out.write(
            f"  {name}：维持 {_cell(cells[0])}，纠正 {_cell(cells[1])}，其他 {_cell(cells[2])}，"
            f"尚未审结 {_cell(cells[3])}，总计 {_cell(cells[4])}\n"
        )
    out.write("\n")
    findings = doc["findings"]
    if findings:
        for sev in _SEVERITY_ORDER:
            group = [f for f in findings if f["severity"] == sev]
            if not group:
                continue
            out.write(style(f"{SEVERITY_ZH[sev]}（{len(group)}）", _SEV_COLOUR[sev]) + "\n")
            for f in group:
                out.write(f"  [{f['rule']}] {f['message']}\n")
    else:
        out.write(style("检查结果：未发现问题。", "32") + "\n")
    if doc["notes"]:
        out.write(style("读取说明", "1") + "\n")
        for n in doc["notes"]:
            out.write(
                f"  {style(SEVERITY_ZH.get(n['severity'], n['severity']), _SEV_COLOUR.get(n['severity'], '0'))} {n['message']}\n"
            )
    out.write("\n")


# ---------------------------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------------------------


def _expand(paths: Iterable[str]) -> tuple[list[str], bool]:
    files: list[str] = []
    had_dir = False
    for p in paths:
        if os.path.isdir(p):
            had_dir = True
            found = sorted(
                str(f)
                for f in Path(p).rglob("*")
                if f.is_file() and f.suffix.lower() in REPORT_SUFFIXES
            )
            files.extend(found)
        else:
            files.append(p)
    return files, had_dir


class _Progress:
    def __init__(self, total: int, stream: TextIO) -> None:
        self.total = total
        self.done = 0
        self.stream = stream
        self.tty = stream.isatty()
        self.last_pct = -1

    def step(self) -> None:
        self.done += 1
        pct = self.done * 100 // max(self.total, 1)
        width = 30
        filled = width * self.done // max(self.total, 1)
        bar = "#" * filled + "." * (width - filled)
        if self.tty:
            self.stream.write(f"\r检查中 [{bar}] {self.done}/{self.total}")
            if self.done == self.total:
                self.stream.write("\n")
        elif pct // 10 != self.last_pct // 10 or self.done == self.total:
            self.stream.write(f"检查中 [{bar}] {self.done}/{self.total}\n")
        self.last_pct = pct
        self.stream.flush()


def run(args: argparse.Namespace) -> int:
    """Run ``gongkai check``; returns the exit status."""
    files, had_dir = _expand(args.files)
    max_bytes = int(args.max_size * 1048576)
    colour = (
        not args.json and not args.no_color and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    )
    style = _Style(colour)
    if not files:
        print("没有找到可检查的报告文件（支持 PDF、DOCX、HTML、TXT、MD）。", file=sys.stderr)
        return EXIT_UNREADABLE
    docs: dict[str, dict[str, Any]] = {}
    if had_dir and len(files) > 1:
        progress = _Progress(len(files), sys.stderr)
        jobs = args.jobs or min(len(files), os.cpu_count() or 1)
        if jobs > 1:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                futures = {pool.submit(check_file, f, args.prev, max_bytes): f for f in files}
                for fut in as_completed(futures):
                    path = futures[fut]
                    try:
                        docs[path] = fut.result()
                    except Exception as exc:  # noqa: BLE001 - a crashed worker
                        docs[path] = error_document(
                            path,
                            ReadError(
                                ReadErrorCode.CORRUPT, f"读取时出错（{type(exc).__name__}）。"
                            ),
                        )
                    progress.step()
        else:
            for f in files:
                docs[f] = check_file(f, args.prev, max_bytes)
                progress.step()
    else:
        for f in files:
            docs[f] = check_file(f, args.prev, max_bytes)
    status = EXIT_OK
    for f in files:
        doc = docs[f]
        if args.json:
            sys.stdout.write(json.dumps(doc, ensure_ascii=False) + "\n")
        else:
            render_text(doc, sys.stdout, style)
        status = max(status, exit_status(doc))
    if had_dir and not args.json:
        unreadable = sum(1 for d in docs.values() if d["status"] != "read")
        with_errors = sum(1 for d in docs.values() if exit_status(d) == EXIT_ERRORS)
        print(
            f"共检查 {len(files)} 个文件：{with_errors} 个有错误，{unreadable} 个无法读取。",
            file=sys.stderr,
        )
    return status


run_check = run


def main(argv: Sequence[str] | None = None) -> int:
    """Stand-alone entry (``python -m gongkai.reading.cli``)."""
    parser = argparse.ArgumentParser(prog="gongkai check", description="读取并检查已发布的年度报告")
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
