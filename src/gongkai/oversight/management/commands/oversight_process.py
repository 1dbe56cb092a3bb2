"""Work the queue of oversight batches (reading and checking uploaded annual reports).

Scheduling: with ``GONGKAI_OVERSIGHT_RUNNER=command`` run it as a service
(``gongkai manage oversight_process --loop --jobs 2``) or from cron every minute (without
``--loop``). With the default ``thread`` runner it is only needed to pick up batches whose web
process was restarted mid-way — the progress page also does that. Idempotent: items are claimed
one by one, so overlapping runs share the work instead of repeating it.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from gongkai.oversight import tasks


class Command(BaseCommand):
    help = "检查排队中的年度报告审查批次（读取上传的报告并运行检查规则）"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--jobs", type=int, default=1, help="读取文件的并行进程数")
        parser.add_argument("--loop", action="store_true", help="持续运行，定时查看新的批次")
        parser.add_argument("--idle", type=float, default=5.0, help="无任务时的等待秒数")
        parser.add_argument("--dry-run", action="store_true", help="只列出待检查的批次")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if options["dry_run"]:
            pending = tasks.pending_batches()
            self.stdout.write(f"待检查的批次：{', '.join(map(str, pending)) or '无'}")
            return
        done = tasks.run_worker(
            jobs=max(1, options["jobs"]), once=not options["loop"], idle=options["idle"]
        )
        self.stdout.write(f"已检查 {done} 份报告。")
