from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand

from gongkai.ledger.publishing.reference import sync_terms, sync_topics


class Command(BaseCommand):
    help = (
        "从 data/topics.json 和 data/terms.json 补充主题分类和错敏词库（可重复运行，不删除已有条目；"
        "默认不改动已在后台修改过的条目，加 --overwrite 则恢复为文件中的设置）"
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="把文件中列出的条目恢复为文件中的名称、上级、排序和设置",
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        topics = sync_topics(apps, overwrite=options["overwrite"])
        terms = sync_terms(apps, overwrite=options["overwrite"])
        action = "已恢复" if options["overwrite"] else "已核对"
        self.stdout.write(f"{action}主题分类 {topics} 个，平台错敏词 {terms} 条。")
