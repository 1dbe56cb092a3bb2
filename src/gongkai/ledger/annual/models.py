"""The year's annual report of an agency (or of a region): figures, narrative, sign-off."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.core.models import Agency


class AnnualReportRecord(models.Model):
    """One agency's (or one region's) 政府信息公开工作年度报告 for one year.

    ``data`` is the ``AnnualReport`` as JSON (``statutory.report``): tables and narrative as they
    stand. ``narrative`` keeps, per section, the template with live-figure placeholders and
    whether the office froze the text. Once published the record is frozen: ``published_data``
    holds what the public sees and ``published_tables`` the ledger figures at that moment.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        REVIEWED = "reviewed", "已审核"
        SIGNED = "signed", "负责人已签发"
        PUBLISHED = "published", "已发布"

    class Scope(models.TextChoices):
        AGENCY = "agency", "本机关"
        REGION = "region", "本级政府（汇总本区域）"

    class Origin(models.TextChoices):
        GENERATED = "generated", "由台账生成"
        IMPORTED = "imported", "导入已发布报告"

    agency = models.ForeignKey(
        Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="annual_reports"
    )
    year = models.PositiveSmallIntegerField("报告年度")
    scope = models.CharField("范围", max_length=10, choices=Scope.choices, default=Scope.AGENCY)
    origin = models.CharField(
        "来源", max_length=10, choices=Origin.choices, default=Origin.GENERATED
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    data = models.JSONField("报告数据", default=dict)
    narrative = models.JSONField("正文模板", default=dict, blank=True)
    changes = models.JSONField("最近一次重新生成的变化", default=list, blank=True)
    assembled_at = models.DateTimeField("生成时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="审核人",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="签发人",
    )
    signed_at = models.DateTimeField("签发时间", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    published_data = models.JSONField("发布版本", null=True, blank=True)
    source_file = models.FileField("原始文件", upload_to="annual/imported/%Y/", blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "年度报告"
        verbose_name_plural = "年度报告"
        ordering = ["-year", "agency__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "scope", "origin"], name="annual_report_unique_per_year"
            )
        ]

    def __str__(self) -> str:
        suffix = "（汇总）" if self.scope == self.Scope.REGION else ""
        return f"{self.agency}{self.year}年政府信息公开工作年度报告{suffix}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT and self.origin == self.Origin.GENERATED


class FindingAcknowledgement(models.Model):
    """A warning the office looked at and decided to keep, with its reason (needed to sign)."""

    report = models.ForeignKey(
        AnnualReportRecord, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    finding_key = models.CharField("问题标识", max_length=200)
    rule = models.CharField("规则", max_length=10)
    reason = models.TextField("理由")
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "已确认的提示"
        verbose_name_plural = "已确认的提示"
        constraints = [
            models.UniqueConstraint(
                fields=["report", "finding_key"], name="acknowledgement_unique_per_finding"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule}：{self.reason[:20]}"


class YearCorrection(models.Model):
    """A change to a case of a year whose report is already published (the year is locked)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    subject = models.CharField("涉及记录", max_length=200)
    note = models.TextField("更正说明")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "已发布年度的更正"
        verbose_name_plural = "已发布年度的更正"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.year} {self.subject}"
