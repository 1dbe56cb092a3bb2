"""Anonymise applications closed more than N years ago (``gongkai.ledger.requests.retention``),
appeals concluded and public messages replied to before the same cut-off
(``gongkai.ledger.appeals.retention``, ``gongkai.ledger.messages.retention``).

Schedule: nightly (cron ``30 1 * * *`` or a systemd timer). Idempotent — a second run finds
nothing to do; ``--dry-run`` only counts; a job lock keeps two runs from overlapping (the second
one says so and exits 0); a case that fails is reported and the others go on (exit status 1).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core.locks import run_locked
from gongkai.ledger.requests.retention import (
    RetentionResult,
    anonymise_closed_cases,
    retention_years,
)

JOB = "anonymise_closed_cases"


class Command(BaseCommand):
    help = (
        "匿名化办结满规定年限的依申请公开案件、审结满规定年限的行政复议和行政诉讼、"
        "答复满规定年限的网民留言中的个人信息（年度统计数据不变）。"
        "每日由 cron 或 systemd 定时器运行；--dry-run 只统计不修改。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--years",
            type=int,
            default=None,
            help="办结满多少年（默认为 GONGKAI_RETENTION_YEARS 的值，未设置时为 5）",
        )
        parser.add_argument("--dry-run", action="store_true", help="只统计，不修改")

    def handle(self, *args: Any, **options: Any) -> None:
        years = options["years"] if options["years"] is not None else retention_years()
        if years < 1:
            raise CommandError("保存期限至少为1年。")
        result = run_locked(
            JOB, lambda: anonymise_closed_cases(years=years, dry_run=options["dry_run"])
        )
        if result is None:  # another run holds the lock
            return
        self._report(result)
        if result.problems:
            for problem in result.problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(result.problems)} 件匿名化失败，其余已完成。")

    def _report(self, r: RetentionResult) -> None:
        head = f"保存期限 {r.years} 年：{r.cutoff.isoformat()} 以前办结的申请"
        if r.dry_run:
            self.stdout.write(
                f"{head}共 {r.due} 件待匿名化（文书 {r.letters} 份，附件 {r.attachments} 个，"
                f"操作记录 {r.audit_events} 条）。未作修改（--dry-run）。"
            )
        else:
            self.stdout.write(
                f"{head}已匿名化 {len(r.anonymised)} 件（文书 {r.letters} 份，附件 "
                f"{r.attachments} 个，操作记录 {r.audit_events} 条）。"
            )
        for agency, count in sorted(r.by_agency.items()):
            self.stdout.write(f"  {agency}：{count} 件")
        cutoff = r.cutoff.isoformat()
        if r.dry_run:
            kinds = "，".join(f"{kind} {n} 件" for kind, n in r.appeals_due.items())
            self.stdout.write(
                f"{cutoff} 以前审结的案件共 {sum(r.appeals_due.values())} 件待匿名化（{kinds}，"
                f"操作记录 {r.appeal_audit_events} 条）。"
            )
            self.stdout.write(
                f"{cutoff} 以前答复的网民留言共 {r.messages_due} 条待匿名化（操作记录 "
                f"{r.message_audit_events} 条）。"
            )
        else:
            kinds = "，".join(f"{kind} {len(ids)} 件" for kind, ids in r.appeals.items())
            self.stdout.write(
                f"{cutoff} 以前审结的案件已匿名化 {r.appeals_done} 件（{kinds}，操作记录 "
                f"{r.appeal_audit_events} 条）。"
            )
            self.stdout.write(
                f"{cutoff} 以前答复的网民留言已匿名化 {len(r.messages)} 条（操作记录 "
                f"{r.message_audit_events} 条）。"
            )
