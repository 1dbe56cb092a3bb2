from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gongkai.core import clock
from gongkai.ledger.publishing.actions import PublishScheduledAction
from gongkai.ledger.publishing.errors import ActionRefused, StaleVersion
from gongkai.ledger.publishing.locking import command_lock
from gongkai.ledger.publishing.models import Publication


class Command(BaseCommand):
    help = (
        "发布已到定时发布时间的信息（已通过三审和保密审查）。由 cron 或 systemd 定时器每 5 分钟运行一次，"
        "例如：*/5 * * * * gongkai manage publish_scheduled。可重复运行：已发布的不会再发布；"
        "同时只有一个实例在运行。"
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--dry-run", action="store_true", help="只列出到期的信息，不发布")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        dry_run = options["dry_run"]
        with command_lock("publish_scheduled") as acquired:
            if not acquired:
                self.stdout.write("另一个 publish_scheduled 正在运行，本次跳过。")
                return
            now = clock.now()
            due = list(
                Publication.objects.filter(
                    status=Publication.Status.SCHEDULED, scheduled_at__lte=now
                )
                .select_related("agency")
                .order_by("scheduled_at", "pk")
            )
            published, failed = 0, []
            for publication in due:
                action = PublishScheduledAction(publication, actor=None, now=now)
                label = (
                    f"{publication.agency.name}《{publication.title}》"
                    f"（定时 {timezone.localtime(publication.scheduled_at):%Y-%m-%d %H:%M}）"
                )
                try:
                    action.check()
                    if dry_run:
                        self.stdout.write(f"将发布：{label}")
                        continue
                    action.execute()
                except (ActionRefused, StaleVersion) as exc:
                    failed.append(f"{label}：{exc}")
                    continue
                except Exception as exc:  # one bad item must not stop the others
                    failed.append(f"{label}：{type(exc).__name__}: {exc}")
                    continue
                published += 1
                self.stdout.write(f"已发布：{label}")
            verb = "到期" if dry_run else "发布"
            self.stdout.write(
                f"{verb} {len(due) if dry_run else published} 条，失败 {len(failed)} 条。"
            )
            for line in failed:
                self.stderr.write(f"未发布：{line}")
            if failed:
                raise CommandError(f"{len(failed)} 条定时信息未能发布", returncode=1)
