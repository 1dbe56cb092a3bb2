"""``gongkai audit DIR --year 2025 --xlsx findings.xlsx`` — audit a folder of published reports.

Every report file under the folders (PDF, DOCX, HTML, TXT, MD) is read and checked in
parallel processes, with a progress bar on stderr; reports of the same agency for the year
before, when present, add the year-over-year rules. Output: one line per report on stdout
(or one JSON document per line with ``--json``) and, with ``--xlsx``, the findings workbook
for the circular (sheets 审查汇总, 问题清单, 按规则统计).

Exit status: 0 = no error findings, 1 = error findings, 2 = a file could not be read.
No Django, no database.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from gongkai.oversight.bulk import audit_paths
from gongkai.oversight.engine import AuditRow, finding_to_dict
from gongkai.oversight.export import findings_workbook, rule_counts
from gongkai.reading.api import MAX_BYTES
from gongkai.reading.cli import _expand, _Progress

__all__ = ["add_arguments", "run"]

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``gongkai audit``."""
    parser.add_argument("paths", nargs="+", metavar="目录", help="年度报告所在目录（或文件）")
    parser.add_argument("--year", type=int, metavar="年度", help="审查的报告年度，例如 2025")
    parser.add_argument("--xlsx", metavar="文件", help="把问题清单写入 Excel 文件（用于通报）")
    parser.add_argument("--json", action="store_true", help="每份报告输出一行 JSON")
    parser.add_argument(
        "--jobs", type=int, default=0, metavar="N", help="并行进程数（默认按 CPU 数）"
    )
    parser.add_argument(
        "--max-size",
        type=float,
        default=MAX_BYTES / 1048576,
        metavar="MB",
        help=f"单个文件大小上限（默认 {MAX_BYTES // 1048576} MB）",
    )
    parser.add_argument("--quiet", action="store_true", help="不显示进度条")


def _names(paths: list[str], roots: list[str]) -> dict[str, str]:
    """Display names: the path relative to the folder given."""
    out = {}
    for p in paths:
        for root in roots:
            if os.path.isdir(root):
                try:
                    rel = os.path.relpath(p, root)
                except ValueError:
                    continue
                if not rel.startswith(".."):
                    out[p] = rel
                    break
    return out


def _line(row: AuditRow) -> str:
    if not row.readable:
        return f"{row.file}\t无法读取：{row.error}"
    late = (
        f"逾期{row.late_days}天"
        if row.late_days
        else ("按时" if row.late_days == 0 else "发布日期不明")
    )
    rules = "、".join(row.rules) or "未发现问题"
    extra = f"\t{'；'.join(row.notes)}" if row.notes else ""
    return (
        f"{row.file}\t{row.agency or '（未识别机关）'}\t{row.year}年\t"
        f"错误{row.errors} 警告{row.warnings} 提示{row.infos}\t{late}\t{rules}{extra}"
    )


def _document(row: AuditRow) -> dict[str, Any]:
    return {
        "file": row.file,
        "status": "read" if row.readable else "unreadable",
        "error": {"code": row.error_code, "message": row.error} if not row.readable else None,
        "agency": row.agency,
        "year": row.year,
        "format_version": row.format_version or None,
        "source_kind": row.source_kind or None,
        "published_on": row.published_on.isoformat() if row.published_on else None,
        "deadline": row.deadline.isoformat() if row.deadline else None,
        "late_days": row.late_days,
        "counts": {"error": row.errors, "warning": row.warnings, "info": row.infos},
        "findings": [finding_to_dict(f) for f in row.findings],
        "previous": row.previous or None,
        "notes": row.notes,
    }


def run(args: argparse.Namespace) -> int:
    """Run ``gongkai audit``; returns the exit status."""
    files, _ = _expand(args.paths)
    if not files:
        print("没有找到可检查的报告文件（支持 PDF、DOCX、HTML、TXT、MD）。", file=sys.stderr)
        return EXIT_UNREADABLE
    bar = None if args.quiet else _Progress(len(files), sys.stderr)

    def progress(n: int) -> None:
        for _ in range(n):
            if bar is not None:
                bar.step()

    rows = audit_paths(
        files,
        year=args.year,
        jobs=args.jobs,
        max_bytes=int(args.max_size * 1048576),
        progress=progress,
        names=_names(files, args.paths),
    )
    for row in rows:
        if args.json:
            sys.stdout.write(json.dumps(_document(row), ensure_ascii=False) + "\n")
        else:
            sys.stdout.write(_line(row) + "\n")
    if args.xlsx:
        title = (
            f"{args.year}年度政府信息公开工作年度报告审查结果" if args.year else "年度报告审查结果"
        )
        Path(args.xlsx).write_bytes(findings_workbook(rows, title=title))
    unreadable = sum(1 for r in rows if not r.readable)
    with_errors = sum(1 for r in rows if r.errors)
    late = sum(1 for r in rows if r.late_days)
    print(
        f"共审查 {len(rows)} 份报告：{with_errors} 份有错误，{late} 份逾期发布，{unreadable} 份无法读取。",
        file=sys.stderr,
    )
    top = sorted(rule_counts(rows), key=lambda t: -t[1])[:5]
    if top:
        print(
            "问题最多的规则：" + "，".join(f"{rule}（{n}份）" for rule, n, _, _ in top),
            file=sys.stderr,
        )
    if args.xlsx:
        print(f"问题清单已写入 {args.xlsx}", file=sys.stderr)
    if unreadable:
        return EXIT_UNREADABLE
    return EXIT_ERRORS if with_errors else EXIT_OK
