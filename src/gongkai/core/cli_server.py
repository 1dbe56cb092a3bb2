"""`gongkai serve`, `gongkai demo` and `gongkai manage …`: the Django side of the CLI."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence


def _setup_django() -> bool:
    """Configure Django; on a configuration error print one line and return False."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
    except ImproperlyConfigured as exc:
        print(f"gongkai 配置错误：{exc}", file=sys.stderr)
        return False
    return True


def run_manage(argv: Sequence[str]) -> int:
    if not _setup_django():
        return 2
    from django.core.management import execute_from_command_line

    execute_from_command_line(["gongkai manage", *argv])
    return 0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    parser.add_argument(
        "--gunicorn", action="store_true", help="用 gunicorn 运行（生产方式），否则用开发服务器"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn 进程数")


def add_demo_arguments(parser: argparse.ArgumentParser) -> None:
    add_arguments(parser)
    parser.add_argument(
        "--no-serve", action="store_true", help="只准备数据库和演示数据，不启动服务"
    )


def _serve(args: argparse.Namespace) -> int:
    from django.core.management import call_command

    if args.gunicorn:
        os.execvp(
            sys.executable,
            [
                sys.executable,
                "-m",
                "gunicorn",
                "gongkai.config.wsgi",
                "--bind",
                f"{args.host}:{args.port}",
                "--workers",
                str(args.workers),
            ],
        )
    call_command("runserver", f"{args.host}:{args.port}", use_reloader=False)
    return 0


def run_serve(args: argparse.Namespace) -> int:
    if not _setup_django():
        return 2
    return _serve(args)


def run_demo(args: argparse.Namespace) -> int:
    if not _setup_django():
        return 2
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo")
    if args.no_serve:
        return 0
    print(f"\n演示系统地址：http://{args.host}:{args.port}/  （后台：/backoffice/）\n")
    return _serve(args)


run = run_serve
