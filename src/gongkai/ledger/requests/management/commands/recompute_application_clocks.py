"""Recompute the statutory clock of every open application.

Schedule: daily shortly after midnight (cron ``5 0 * * *`` or a systemd timer), and after the
working-day calendar changed. Idempotent; ``--dry-run`` reports without saving; a lock file
keeps two runs from overlapping; a failing application is reported and the others go on.
"""

from __future__ import annotations

import fcntl
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gongkai.core.models import Agency
from gongkai.ledger.requests.services.clock import application_recompute_open_clocks


class Command(BaseCommand):
    help = "重新计算在办申请的答复期限（每日由 cron 或 systemd 定时器运行；工作日历变更后也应运行）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="只报告，不保存")
        parser.add_argument("--agency", help="只处理该机关（网址标识）")

    def handle(self, *args: Any, **options: Any) -> None:
        lock_path = settings.DATA_DIR / "recompute_application_clocks.lock"
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        with open(lock_path, "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                raise CommandError("另一个重新计算任务正在运行。") from None
            ids = None
            if options["agency"]:
                agency = Agency.objects.filter(slug=options["agency"]).first()
                if agency is None:
                    raise CommandError(f"没有网址标识为 {options['agency']} 的机关。")
                ids = [agency.pk]
            checked, moved, problems = application_recompute_open_clocks(
                actor=None,
                reason="定时重新计算答复期限",
                agency_ids=ids,
                dry_run=options["dry_run"],
            )
        verb = "将变更" if options["dry_run"] else "已变更"
        self.stdout.write(f"检查在办申请 {checked} 件，答复期限{verb} {moved} 件。")
        for p in problems:
            self.stderr.write(p)
