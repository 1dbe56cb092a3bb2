"""Letters (frozen at issue), editable letter templates, and case attachments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from gongkai.core.models import Agency
from gongkai.ledger.requests.models.application import Application


class Letter(models.Model):
    """A letter issued on a case: its text is frozen when issued (a piece of history); the
    DOCX and PDF are rendered from these fields on download, so they never change."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField("文书类型", max_length=40)
    number = models.CharField("文号", max_length=60, blank=True)
    title = models.CharField("标题", max_length=120)
    addressee = models.CharField("主送", max_length=160)
    paragraphs = models.JSONField("正文段落", default=list)
    signature = models.CharField("落款机关", max_length=160)
    letter_date = models.DateField("成文日期")
    is_reply = models.BooleanField("答复文书", default=False)
    served_on = models.DateField("送达日期", null=True, blank=True)
    created_at = models.DateTimeField("生成时间")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "文书"
        verbose_name_plural = "文书"
        ordering = ["application_id", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.title} {self.number}".strip()


class LetterTemplate(models.Model):
    """An administrator's version of a letter type's text (``agency`` empty = platform default).

    ``body`` uses ``${placeholder}`` fields (see docs/requests.md); paragraphs are separated by a
    blank line. Without a row, the built-in text of ``letters.defaults`` is used.
    """

    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="机关",
    )
    kind = models.CharField("文书类型", max_length=40)
    title = models.CharField("标题", max_length=120)
    body = models.TextField("正文模板")
    updated_at = models.DateTimeField("修改时间")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "文书模板"
        verbose_name_plural = "文书模板"
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "kind"],
                condition=Q(agency__isnull=False),
                name="lettertemplate_agency_kind",
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(agency__isnull=True),
                name="lettertemplate_platform_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Attachment(models.Model):
    """A file on a case: the applicant's attachments, released documents, scans of letters."""

    class Kind(models.TextChoices):
        APPLICANT = "applicant", "申请人提交的材料"
        AMENDMENT = "amendment", "补正材料"
        RELEASED = "released", "公开的政府信息"
        REPLY_SCAN = "reply_scan", "答复书扫描件"
        SERVICE_PROOF = "service_proof", "送达回证、邮寄凭证"
        OTHER = "other", "其他"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    file = models.FileField("文件", upload_to="requests/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小", default=0)
    released = models.BooleanField("申请人可下载", default=False)
    uploaded_at = models.DateTimeField("上传时间")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["application_id", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name
