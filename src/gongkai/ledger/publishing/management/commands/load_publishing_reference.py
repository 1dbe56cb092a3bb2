from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand

from gongkai.ledger.publishing.reference import sync_terms, sync_topics


class Command(BaseCommand):
    help = "从 data/topics.json 和 data/terms.json 更新主题分类和错敏词库（可重复运行，不删除已有条目）"

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        topics = sync_topics(apps)
        terms = sync_terms(apps)
        self.stdout.write(f"主题分类 {topics} 个，平台错敏词 {terms} 条。")
