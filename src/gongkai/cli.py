"""The `gongkai` command line.

Sub-commands live next to the code they drive; each module named in ``COMMANDS`` provides
``add_arguments(parser)`` and ``run(args) -> int``. Commands that need no database (check,
render, audit, deadline, fee) never import Django, so they work without settings.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# name -> (module, one-line help in Chinese)
COMMANDS: dict[str, tuple[str, str]] = {
    "serve": ("gongkai.core.cli_server", "启动 Web 服务（开发服务器或 gunicorn）"),
    "demo": ("gongkai.core.cli_server", "初始化数据库并载入演示数据，然后启动服务"),
    "manage": ("gongkai.core.cli_server", "调用 Django 管理命令（migrate、createsuperuser 等）"),
    "check": ("gongkai.reading.cli", "读取并检查已发布的年度报告（PDF、DOCX、HTML、TXT）"),
    "render": ("gongkai.rendering.cli", "把年度报告 JSON 输出为 PDF、DOCX、HTML、XLSX 或 Markdown"),
    "deadline": ("gongkai.statutory.cli", "按工作日计算依申请公开的各项期限并给出说明"),
    "fee": ("gongkai.statutory.cli", "计算信息处理费"),
    "audit": ("gongkai.oversight.cli", "批量检查一个目录中的年度报告并导出问题清单"),
    "backup": ("gongkai.core.cli_backup", "备份数据库和上传文件"),
    "restore": ("gongkai.core.cli_backup", "从备份恢复数据库和上传文件"),
    "linkcheck": ("gongkai.ledger.publishing.cli", "检查已发布信息中的链接和附件，列出失效链接"),
}


def _load(name: str):  # type: ignore[no-untyped-def]
    module_name, _ = COMMANDS[name]
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:  # a command whose issue is not built yet
        if exc.name and exc.name.startswith("gongkai"):
            return None
        raise


def build_parser(available: Sequence[str] | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gongkai", description="gongkai（公开）政府信息公开工作平台命令行工具"
    )
    sub = parser.add_subparsers(dest="command", metavar="命令")
    for name in available if available is not None else COMMANDS:
        module = _load(name)
        if module is None:
            continue
        help_text = COMMANDS[name][1]
        sp = sub.add_parser(name, help=help_text, description=help_text)
        adder = getattr(module, f"add_{name}_arguments", None) or module.add_arguments
        adder(sp)
        sp.set_defaults(_module=module, _name=name)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Only import the module of the command asked for: `gongkai check` must not pay for Django.
    wanted = [argv[0]] if argv and argv[0] in COMMANDS else None
    if argv and argv[0] == "manage":
        from gongkai.core.cli_server import run_manage

        return run_manage(argv[1:])
    parser = build_parser(wanted)
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 0
    runner = getattr(args._module, f"run_{args._name}", None) or args._module.run
    try:
        return int(runner(args) or 0)
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
