"""Reference data and per-agency configuration of proactive disclosure.

* ``Topic`` — 主题分类 (two levels, "一级\\二级"), loaded from ``data/topics.json`` by a data
  migration and edited in the back office (主题分类);
* ``Column`` — an agency's column (栏目) on the platform, with the update rule of its class;
* ``TermRule`` — the dictionary of errors and sensitive terms checked before publishing;
* ``PublishingSettings`` — the agency's 索引号 template and codes;
* ``IndexSequence`` — the running number behind ``{seq}`` of one template scope.
"""

from __future__ import annotations

import datetime as dt

from django.db import models

from gongkai.core.models import Agency

DEFAULT_INDEX_TEMPLATE = "{uscc}/{year}-{seq:05}"


class Topic(models.Model):
    """A 主题分类 class; ``parent`` is the first level of a second-level class."""

    name = models.CharField("名称", max_length=60)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级分类",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField("代码", max_length=20, unique=True)
    position = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "主题分类"
        verbose_name_plural = "主题分类"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """``一级\\二级`` as government sites print it."""
        if self.parent_id and self.parent is not None:
            return f"{self.parent.name}\\{self.name}"
        return self.name


class Column(models.Model):
    """An agency's column on the platform. Its class sets how often it must be updated
    (国办秘函〔2019〕19号: 动态、要闻类 2 weeks; 通知公告、政策文件类 6 months)."""

    class UpdateClass(models.TextChoices):
        DYNAMIC = "dynamic", "动态、要闻类（2周内须更新）"
        NOTICE = "notice", "通知公告、政策文件类（6个月内须更新）"
        STATIC = "static", "其他（不要求定期更新）"

    class DisclosureClass(models.TextChoices):
        POLICY = "policy", "政策信息"
        STATUTORY = "statutory", "法定主动公开信息"
        GRASSROOTS = "grassroots", "基层政务公开信息"
        NEWS = "news", "工作动态"

    agency = models.ForeignKey(
        Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="publishing_columns"
    )
    name = models.CharField("栏目名称", max_length=60)
    update_class = models.CharField(
        "更新要求", max_length=20, choices=UpdateClass.choices, default=UpdateClass.NOTICE
    )
    disclosure_class = models.CharField(
        "信息类别",
        max_length=20,
        choices=DisclosureClass.choices,
        default=DisclosureClass.STATUTORY,
    )
    position = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "栏目"
        verbose_name_plural = "栏目"
        ordering = ["agency", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="publishing_column_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def max_age(self) -> dt.timedelta | None:
        """How long the column may go without a new item (None: no requirement)."""
        return UPDATE_LIMITS.get(self.update_class)


UPDATE_LIMITS: dict[str, dt.timedelta] = {
    Column.UpdateClass.DYNAMIC: dt.timedelta(weeks=2),
    Column.UpdateClass.NOTICE: dt.timedelta(days=183),
}


class TermRule(models.Model):
    """One entry of the error / sensitive-term dictionary.

    ``agency`` empty = applies to every agency on the platform. ``pattern`` is literal text
    unless ``is_regex``. ``blocking`` findings stop submission and publishing.
    """

    class Kind(models.TextChoices):
        ERROR = "error", "错误用语"
        SENSITIVE = "sensitive", "敏感内容"

    agency = models.ForeignKey(
        Agency,
        verbose_name="适用机关",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    pattern = models.CharField("词语或正则表达式", max_length=200)
    is_regex = models.BooleanField("正则表达式", default=False)
    suggestion = models.CharField("建议", max_length=200, blank=True)
    blocking = models.BooleanField("阻止发布", default=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "错敏词"
        verbose_name_plural = "错敏词库"
        ordering = ["kind", "pattern"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.pattern}"


class PublishingSettings(models.Model):
    """Per-agency settings of the catalogue: the 索引号 template and the codes it uses."""

    agency = models.OneToOneField(
        Agency, verbose_name="机关", on_delete=models.CASCADE, related_name="publishing_settings"
    )
    index_template = models.CharField(
        "索引号模板",
        max_length=120,
        default=DEFAULT_INDEX_TEMPLATE,
        help_text="可用：{org_code} {uscc} {region} {dept} {category} {year} {yyyymm} "
        "{yyyymmdd} {seq:05}（流水号位数）",
    )
    org_code = models.CharField(
        "组织机构代码", max_length=20, blank=True, help_text="留空则取统一社会信用代码第9-17位"
    )
    dept_code = models.CharField("部门代码", max_length=20, blank=True)
    interpretation_tolerance_days = models.PositiveSmallIntegerField("解读滞后容忍天数", default=0)

    class Meta:
        verbose_name = "主动公开设置"
        verbose_name_plural = "主动公开设置"

    def __str__(self) -> str:
        return f"{self.agency}：{self.index_template}"


class IndexSequence(models.Model):
    """The last ``{seq}`` handed out for one agency and template scope (e.g. one year)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=200)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "索引号流水"
        verbose_name_plural = "索引号流水"
        constraints = [
            models.UniqueConstraint(fields=["agency", "scope"], name="publishing_index_seq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scope} → {self.last}"


__all__ = [
    "DEFAULT_INDEX_TEMPLATE",
    "UPDATE_LIMITS",
    "Column",
    "IndexSequence",
    "PublishingSettings",
    "TermRule",
    "Topic",
]
