"""Reference tables: organisation type → report column, per-agency settings, number sequences."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from gongkai.core.models import Agency
from gongkai.statutory.formats import TABLE3_COLUMNS, Col

# The six applicant columns of table 三 (glossary: natural_person … other).
CATEGORY_CHOICES: list[tuple[str, str]] = [
    (c.key.value, c.label) for c in TABLE3_COLUMNS if c.key is not Col.TOT
]
ORG_CATEGORY_CHOICES = [c for c in CATEGORY_CHOICES if c[0] != Col.NP.value]


class OrganisationType(models.Model):
    """Configurable mapping: the organisation type an applicant chooses → table-三 column.

    The 2021 format has no official mapping for 个体工商户, 村（居）委会, 高校 … (spec §1.7); the
    seeded rows are a common practice that each platform may change in the admin.
    """

    name = models.CharField("组织类型", max_length=60, unique=True)
    category = models.CharField("年度报告统计类别", max_length=3, choices=ORG_CATEGORY_CHOICES)
    note = models.CharField("说明", max_length=200, blank=True)
    ordering = models.PositiveSmallIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "申请人组织类型"
        verbose_name_plural = "申请人组织类型（统计类别对照表）"
        ordering = ["ordering", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=[c for c, _ in ORG_CATEGORY_CHOICES]),
                name="orgtype_category_valid",
            )
        ]

    def __str__(self) -> str:
        return self.name


class RequestSettings(models.Model):
    """Per-agency settings of the disclosure office (政府信息公开工作机构) used in letters."""

    agency = models.OneToOneField(
        Agency, on_delete=models.CASCADE, related_name="request_settings", verbose_name="机关"
    )
    office_name = models.CharField(
        "政府信息公开工作机构",
        max_length=120,
        blank=True,
        help_text="如“示范县司法局政府信息公开工作办公室”；留空则用机关名称。",
    )
    letter_prefix = models.CharField(
        "文书编号前缀",
        max_length=30,
        blank=True,
        help_text="答复书等文书编号的机关代字，如“示司公开”，编号形如“示司公开〔2026〕12号”。",
    )
    contact_phone = models.CharField("咨询电话", max_length=40, blank=True)
    contact_address = models.CharField("通信地址", max_length=200, blank=True)
    postal_code = models.CharField("邮政编码", max_length=10, blank=True)
    accepts_online = models.BooleanField("接受网上申请", default=True)
    guide = models.TextField(
        "申请须知", blank=True, help_text="网上申请页面显示的指南摘要（受理范围、注意事项）。"
    )

    class Meta:
        verbose_name = "依申请公开设置"
        verbose_name_plural = "依申请公开设置"

    def __str__(self) -> str:
        return f"{self.agency}的依申请公开设置"


class NumberSequence(models.Model):
    """Per agency, series and year: the last number handed out (registration and letter numbers).

    Allocated under a row lock (``services.numbering.next_number``), so two clerks registering at
    the same moment never get the same number.
    """

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    series = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "编号序列"
        verbose_name_plural = "编号序列"
        constraints = [
            models.UniqueConstraint(fields=["agency", "series", "year"], name="numseq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.series}/{self.year}: {self.last_value}"
