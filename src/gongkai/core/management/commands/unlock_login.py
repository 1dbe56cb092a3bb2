from django.core.management.base import BaseCommand, CommandParser

from gongkai.core.security.lockout import login_unlock


class Command(BaseCommand):
    help = "解除某个用户名因多次登录失败而产生的锁定（操作写入操作记录）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="要解锁的用户名")

    def handle(self, *args: object, **options: object) -> None:
        removed = login_unlock(username=str(options["username"]))
        self.stdout.write(f"已解锁 {options['username']}（清除失败记录 {removed} 条）。")
