"""`gongkai linkcheck`: check every published link and attachment and list the dead ones."""

from __future__ import annotations

import argparse
import sys

from gongkai.core.cli_server import _setup_django


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--agency", metavar="标识", help="只检查该机关（网址标识，如 shifanxian-sfj）"
    )
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="站内相对链接按此地址访问检查（如 https://gk.example.gov.cn/）；不填则按本站路由检查",
    )
    parser.add_argument("--timeout", type=float, default=10.0, help="每个链接的超时秒数（默认 10）")
    parser.add_argument("--workers", type=int, default=8, help="同时检查的链接数（默认 8）")
    parser.add_argument("--no-store", action="store_true", help="只输出，不保存检查结果")


def run(args: argparse.Namespace) -> int:
    """Exit status 0 when every link works, 1 when some are dead, 2 on configuration errors."""
    if not _setup_django():
        return 2
    from gongkai.ledger.publishing.linkcheck import run_linkcheck

    summary = run_linkcheck(
        stdout=sys.stdout,
        agency_slug=args.agency,
        base_url=args.base_url,
        timeout=args.timeout,
        workers=args.workers,
        store=not args.no_store,
    )
    return 1 if summary.dead else 0
