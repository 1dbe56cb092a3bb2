from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core.security.totp import totp_disable


class Command(BaseCommand):
    help = (
        "关闭某个工作人员的两步验证（验证器丢失时使用；操作写入操作记录），本人登录后可重新设置。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="工作人员的用户名")
        parser.add_argument("--reason", default="管理员重置", help="原因（写入操作记录）")

    def handle(self, *args: object, **options: object) -> None:
        model = get_user_model()
        user = model.objects.filter(**{model.USERNAME_FIELD: options["username"]}).first()
        if user is None:
            raise CommandError(f"没有用户名为 {options['username']} 的账户。")
        if totp_disable(user=user, actor=None, reason=str(options["reason"])):
            self.stdout.write(f"已关闭 {options['username']} 的两步验证。")
        else:
            self.stdout.write(f"{options['username']} 没有启用两步验证。")
