"""Issue an API token for a staff account, from the server (operators; docs/api.md).

The token is printed once. Refused for an inactive account, an account without back-office
access or agency, and an account that is locked out after failed sign-ins. Audited
(``api.token.created``, actor 系统).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.api import tokens
from gongkai.api.models import ApiToken


class Command(BaseCommand):
    help = "为工作人员生成数据接口令牌（只显示一次）。例：gongkai manage create_api_token sfj_clerk --name 档案系统"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="工作人员用户名")
        parser.add_argument("--name", required=True, help="用途，例如“档案系统对接”")
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"有效期天数（1–{tokens.MAX_DAYS}，默认 GONGKAI_API_TOKEN_DAYS）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        model = get_user_model()
        user = model.objects.filter(
            **{f"{model.USERNAME_FIELD}__iexact": options["username"]}
        ).first()
        try:
            token, raw = tokens.api_token_create(
                user=user,
                name=options["name"],
                origin=ApiToken.Origin.COMMAND,
                actor=None,
                days=options["days"],
            )
        except tokens.TokenRefused as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(raw)
        self.stderr.write(
            f"已为 {user.get_username()} 生成令牌 {token.prefix}…（{token.name}），"
            f"有效期至 {token.expires_at:%Y-%m-%d %H:%M}。令牌只显示这一次。"
        )
