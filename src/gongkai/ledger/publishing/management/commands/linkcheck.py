from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from gongkai.ledger.publishing.linkcheck import run_linkcheck


class Command(BaseCommand):
    help = (
        "检查所有已发布信息的正文链接和附件，列出失效项并保存检查结果。"
        "建议每天由 cron 或 systemd 定时器运行一次；失效时退出码为 1。"
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--agency", help="只检查该机关（网址标识）")
        parser.add_argument("--base-url", help="站内相对链接按此地址访问检查")
        parser.add_argument("--timeout", type=float, default=10.0)
        parser.add_argument("--workers", type=int, default=8)
        parser.add_argument("--no-store", action="store_true")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        summary = run_linkcheck(
            stdout=self.stdout,
            agency_slug=options["agency"],
            base_url=options["base_url"],
            timeout=options["timeout"],
            workers=options["workers"],
            store=not options["no_store"],
        )
        if summary.dead:
            raise CommandError(f"发现 {summary.dead} 个失效链接或附件", returncode=1)
