"""The registers behind table 二: regulations and normative documents (with issue and repeal
dates), and the monthly administrative figures (licensing, penalty, coercion, fees)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from gongkai.core.models import Agency


class RegisterEntry(models.Model):
    """A 规章 or 行政规范性文件 of the agency.

    Issued in year Y = ``issued_on`` in Y; repealed in Y = ``repealed_on`` in Y; in force at
    31 December of Y = issued on or before it and not repealed by then. Because every count
    comes from the same two dates, 现行有效(Y) = 现行有效(Y−1) + 制发(Y) − 废止(Y) (rule Y-02).
    """

    class Kind(models.TextChoices):
        REGULATION = "regulation", "规章"
        NORMATIVE = "normative", "行政规范性文件"

    agency = models.ForeignKey(
        Agency, verbose_name="制发机关", on_delete=models.PROTECT, related_name="register_entries"
    )
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    title = models.CharField("文件名称", max_length=300)
    document_number = models.CharField("文号", max_length=100, blank=True)
    issued_on = models.DateField("制发日期")
    repealed_on = models.DateField("废止（失效）日期", null=True, blank=True)
    repeal_note = models.CharField("废止说明", max_length=300, blank=True)
    publication = models.OneToOneField(
        "publishing.Publication",
        verbose_name="公开信息",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="register_entry",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "规章和规范性文件"
        verbose_name_plural = "规章和规范性文件"
        ordering = ["agency", "kind", "-issued_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(repealed_on__isnull=True) | Q(repealed_on__gte=F("issued_on")),
                name="publishing_register_repeal_after_issue",
            )
        ]
        indexes = [models.Index(fields=["agency", "kind", "issued_on"], name="publishing_reg_idx")]

    def __str__(self) -> str:
        return self.title


class MonthlyFigures(models.Model):
    """One month's administrative figures of an agency, with where they came from."""

    agency = models.ForeignKey(
        Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="monthly_figures"
    )
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField(
        "月份", validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    licensing = models.PositiveIntegerField("行政许可处理决定", default=0)
    penalty = models.PositiveIntegerField("行政处罚处理决定", default=0)
    coercion = models.PositiveIntegerField("行政强制处理决定", default=0)
    fee_10k_yuan = models.DecimalField(
        "行政事业性收费（万元）", max_digits=14, decimal_places=4, default=Decimal("0")
    )
    source = models.CharField("数据来源", max_length=200)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "行政管理数据（按月）"
        verbose_name_plural = "行政管理数据（按月）"
        ordering = ["agency", "year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "month"], name="publishing_figures_month_unique"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12), name="publishing_figures_month"
            ),
            models.CheckConstraint(
                condition=Q(fee_10k_yuan__gte=0), name="publishing_figures_fee_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}年{self.month}月"
