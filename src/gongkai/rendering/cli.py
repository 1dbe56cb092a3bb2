"""``gongkai render report.json --to pdf|docx|html|xlsx|md|json|txt -o FILE``.

The format is taken from ``--to`` or else from the suffix of ``-o``. Without ``-o`` text formats
go to standard output and binary formats are refused. Bad input gives one Chinese error line on
standard error and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from gongkai.rendering import FORMATS, SUFFIXES, render

EXIT_BAD_INPUT = 2
EXIT_FAILED = 1
_BINARY = {"pdf", "docx", "xlsx"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "report", metavar="REPORT.json", help="年度报告 JSON 文件（- 表示标准输入）"
    )
    parser.add_argument(
        "--to",
        "-t",
        dest="fmt",
        choices=FORMATS,
        help="输出格式；省略时按 -o 文件的扩展名判断",
    )
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="输出文件；省略时文本格式写到标准输出"
    )
    parser.add_argument(
        "--check",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="附上检查结果（默认只有 XLSX 附“检查结果”工作表；JSON 从不包含）",
    )
    parser.add_argument(
        "--docx-fonts",
        choices=("official", "free"),
        default="official",
        help="DOCX 字体：official＝仿宋/黑体等正式字体名（默认），free＝本机安装的免费字体",
    )
    parser.add_argument(
        "--fragment", action="store_true", help="HTML 只输出可嵌入网页的片段（不含 <html>）"
    )


add_render_arguments = add_arguments


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> int:
    print(f"错误：{message}", file=sys.stderr)
    return code


def _load(path: str) -> Any:
    from gongkai.statutory.report import AnnualReport

    if path == "-":
        raw = sys.stdin.buffer.read()
        name = "标准输入"
    else:
        p = Path(path)
        name = str(p)
        if not p.exists():
            raise _BadInput(f"找不到文件 {name}")
        if p.is_dir():
            raise _BadInput(f"{name} 是目录，不是 JSON 文件")
        try:
            raw = p.read_bytes()
        except OSError as exc:
            raise _BadInput(f"无法读取 {name}（{exc.strerror or exc}）") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise _BadInput(f"{name} 不是 UTF-8 编码的文本") from None
    except json.JSONDecodeError as exc:
        raise _BadInput(
            f"{name} 不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）"
        ) from None
    if not isinstance(data, dict):
        raise _BadInput(f"{name} 的内容应是一个 JSON 对象（年度报告）")
    for key in ("agency", "year", "format_version"):
        if key not in data:
            raise _BadInput(f"{name} 不符合年度报告格式：缺少字段 {key}")
    if str(data["format_version"]) not in _VERSIONS:
        raise _BadInput(
            f"{name} 不符合年度报告格式：format_version 应为 {' 或 '.join(_VERSIONS)}，"
            f"而不是 {data['format_version']!r}"
        )
    if isinstance(data["year"], bool) or not isinstance(data["year"], int):
        raise _BadInput(f"{name} 不符合年度报告格式：year 应为整数年份")
    try:
        return AnnualReport.from_dict(data)
    except KeyError as exc:
        raise _BadInput(f"{name} 不符合年度报告格式：无法识别的键 {exc}") from None
    except (ValueError, TypeError, AttributeError) as exc:
        raise _BadInput(f"{name} 不符合年度报告格式（{exc}）") from None


class _BadInput(Exception):
    pass


def _versions() -> tuple[str, ...]:
    from gongkai.statutory.formats import FormatVersion

    return tuple(v.value for v in FormatVersion)


_VERSIONS = _versions()


def _format(args: argparse.Namespace) -> str:
    if args.fmt:
        return str(args.fmt)
    if args.output:
        suffix = Path(args.output).suffix.lower()
        if suffix in SUFFIXES:
            return SUFFIXES[suffix]
        raise _BadInput(
            f"无法从文件名 {args.output} 判断输出格式，请用 --to 指定（{'、'.join(FORMATS)}）"
        )
    raise _BadInput(f"请用 --to 指定输出格式（{'、'.join(FORMATS)}）或用 -o 给出输出文件")


def run(args: argparse.Namespace) -> int:
    try:
        fmt = _format(args)
        if args.output is None and fmt in _BINARY:
            raise _BadInput(f"{fmt.upper()} 是二进制格式，请用 -o 指定输出文件")
        report = _load(args.report)
    except _BadInput as exc:
        return _fail(str(exc))

    findings = None
    check = args.check if args.check is not None else fmt == "xlsx"
    if check and fmt != "json":
        from gongkai.rendering.document import run_checks

        try:
            findings = run_checks(report)
        except Exception as exc:  # a failing rule must not stop the export
            print(f"警告：检查未能完成（{exc}），输出不含检查结果。", file=sys.stderr)

    options: dict[str, Any] = {}
    if fmt == "docx":
        options["font_profile"] = args.docx_fonts
    if fmt == "html" and args.fragment:
        options["fragment"] = True
    try:
        data = render(report, fmt, findings, **options)
    except Exception as exc:  # e.g. WeasyPrint missing its system libraries
        return _fail(f"生成 {fmt.upper()} 失败：{exc}", EXIT_FAILED)

    if args.output is None or args.output == "-":
        sys.stdout.write(data.decode("utf-8"))
        sys.stdout.flush()
        return 0
    out = Path(args.output)
    try:
        out.write_bytes(data)
    except OSError as exc:
        return _fail(f"无法写入 {out}（{exc.strerror or exc}）", EXIT_FAILED)
    print(f"已生成 {out}（{fmt.upper()}，{len(data):,} 字节）", file=sys.stderr)
    return 0


run_render = run
