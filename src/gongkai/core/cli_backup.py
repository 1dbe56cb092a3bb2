"""`gongkai backup [-o FILE]` and `gongkai restore FILE`: see ``gongkai.core.backup``."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from gongkai.core.cli_server import _setup_django


def add_backup_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="备份文件名（.tar.gz）。默认：数据目录下 backups/gongkai-backup-日期-时间.tar.gz",
    )


def add_restore_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="gongkai backup 生成的备份文件")
    parser.add_argument(
        "--check", action="store_true", help="只检查备份文件是否完整、能否恢复，不改动任何数据"
    )
    parser.add_argument(
        "--yes", action="store_true", help="不再询问，直接恢复（现有数据库和上传文件将被替换）"
    )


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n / 2**10:.1f} KB"


def describe(manifest: dict[str, Any]) -> str:
    from gongkai.core.backup import VENDOR_NAMES

    database = manifest["database"]
    tables = database["tables"]
    media = manifest["media"]
    return "\n".join(
        [
            f"  创建时间：{manifest.get('created_at', '')[:19].replace('T', ' ')}",
            f"  gongkai 版本：{manifest.get('gongkai_version', '未知')}",
            f"  数据库：{VENDOR_NAMES[database['vendor']]} {database.get('server_version', '')}，"
            f"{len(tables)} 张表，共 {sum(tables.values())} 行（{_size(int(database['size']))}）",
            f"  上传文件：{len(media)} 个，{_size(sum(int(m['size']) for m in media))}",
        ]
    )


def run_backup(args: argparse.Namespace) -> int:
    if not _setup_django():
        return 2
    from gongkai.core.backup import BackupError, create_backup

    try:
        result = create_backup(args.output)
    except BackupError as exc:
        print(f"备份失败：{exc}", file=sys.stderr)
        return 1
    print(f"备份完成：{result.path}")
    print(describe(result.manifest))
    print("备份文件含有申请人个人信息，请妥善保管（建议复制到另一台机器或离线介质）。")
    return 0


def _confirmed(args: argparse.Namespace) -> bool:
    if args.yes:
        return True
    if not sys.stdin.isatty():
        print("恢复会替换现有数据库和上传文件。非交互运行时请加 --yes 确认。", file=sys.stderr)
        return False
    answer = input("恢复会替换现有数据库和全部上传文件。确认恢复请输入 yes：")
    return answer.strip().lower() == "yes"


def run_restore(args: argparse.Namespace) -> int:
    if not _setup_django():
        return 2
    from gongkai.core.backup import BackupError, read_manifest, restore_backup, verify_backup

    try:
        if args.check:
            manifest = verify_backup(args.file)
            print(f"备份文件完整：{args.file}")
            print(describe(manifest))
            return 0
        manifest = read_manifest(args.file)
        print(f"备份文件：{args.file}")
        print(describe(manifest))
        if not _confirmed(args):
            print("未恢复，现有数据未改动。", file=sys.stderr)
            return 1
        result = restore_backup(args.file)
    except BackupError as exc:
        print(f"恢复失败：{exc}", file=sys.stderr)
        return 1
    print("恢复完成：数据库和上传文件已替换为备份中的内容。")
    if result.pending_migrations:
        print(
            f"备份来自较旧的版本，还有 {len(result.pending_migrations)} 个数据库迁移未执行，"
            "请运行：gongkai manage migrate"
        )
    return 0
