from django.core.management.base import BaseCommand

from gongkai.core.demo import load_demo


class Command(BaseCommand):
    help = "载入演示数据（示范县平台、各角色账号）。可重复运行。"

    def handle(self, *args: object, **options: object) -> None:
        load_demo(self.stdout)
