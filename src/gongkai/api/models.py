"""API tokens: one row per token, only its SHA-256 hash is stored (the token is shown once)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ApiToken(models.Model):
    """A staff member's token for the REST API, valid until ``expires_at`` unless revoked.

    Issued only to an active staff account (see ``gongkai.api.tokens``): by the owner from a
    signed-in session (password again, and the one-time code if two-step sign-in is on), or by
    an operator with ``gongkai manage create_api_token``. The token acts with its owner's
    permissions and agency, exactly as the owner in the back office.
    """

    class Origin(models.TextChoices):
        SESSION = "session", "本人在工作后台生成"
        COMMAND = "command", "运维人员用命令生成"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField("用途", max_length=100)
    prefix = models.CharField("令牌前缀", max_length=16, db_index=True)
    key_hash = models.CharField("令牌散列", max_length=64, unique=True)
    origin = models.CharField("来源", max_length=10, choices=Origin.choices)
    created_at = models.DateTimeField("生成时间")
    expires_at = models.DateTimeField("有效期至")
    last_used_at = models.DateTimeField("最近使用时间", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="apitoken_expires_after"
            )
        ]

    def __str__(self) -> str:
        return f"{self.prefix}…（{self.name}）"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
