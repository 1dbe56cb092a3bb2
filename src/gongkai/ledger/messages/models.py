"""Models of the 网民留言 app: a question from the public and the agency's reply."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from gongkai.core.models import Agency


class PublicMessage(models.Model):
    """A message left on the portal. The writer's contact details are personal data: they are
    shown to the handling staff only and never published; ``writer_key`` (a digest of the
    normalised contact) lets the year's figures count people without reading them."""

    class Status(models.TextChoices):
        RECEIVED = "received", "待回复"
        REPLIED = "replied", "已回复"
        CLOSED = "closed", "无效留言（不予回复）"

    agency = models.ForeignKey(
        Agency, verbose_name="留言对象", on_delete=models.PROTECT, related_name="public_messages"
    )
    reference = models.CharField("留言编号", max_length=24, unique=True)
    writer_name = models.CharField("姓名", max_length=60)
    contact = models.CharField("联系方式", max_length=100)
    writer_key = models.CharField(max_length=64, db_index=True, editable=False)
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("留言内容")
    agrees_to_publish = models.BooleanField("同意公开留言及答复", default=False)
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.RECEIVED, editable=False
    )
    submitted_at = models.DateTimeField("留言时间", db_index=True)
    due_at = models.DateTimeField("答复期限")
    reply = models.TextField("答复内容", blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="答复人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="公开审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_reason = models.CharField("不予回复原因", max_length=300, blank=True)
    anonymised_on = models.DateField("个人信息匿名化日期", null=True, blank=True, editable=False)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "网民留言"
        verbose_name_plural = "网民留言"
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="replied") | Q(replied_at__isnull=False),
                name="public_message_replied_has_time",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True)
                | (Q(status="replied") & Q(agrees_to_publish=True)),
                name="public_message_published_only_if_agreed",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "status", "submitted_at"], name="public_message_idx"),
            models.Index(fields=["published_at"], name="public_message_pub_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def is_overdue(self, now) -> bool:  # type: ignore[no-untyped-def]
        if self.status == self.Status.RECEIVED:
            return now > self.due_at
        return self.status == self.Status.REPLIED and bool(
            self.replied_at and self.replied_at > self.due_at
        )
