"""Models of the 行政复议和行政诉讼 app: cases about disclosure decisions (table 四)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from gongkai.core.models import Agency
from gongkai.ledger.requests.models import Application
from gongkai.statutory.formats import TABLE4_CELL_LABELS, T4Cell


class Result(models.TextChoices):
    """The four result cells of table 四, labelled as in ``statutory.formats``."""

    UPHELD = "upheld", TABLE4_CELL_LABELS[T4Cell.MAINTAIN]
    CORRECTED = "corrected", TABLE4_CELL_LABELS[T4Cell.CORRECT]
    OTHER = "other", TABLE4_CELL_LABELS[T4Cell.OTHER]
    PENDING = "pending", TABLE4_CELL_LABELS[T4Cell.PENDING]


class AppealCase(models.Model):
    """What reconsideration and litigation cases share.

    ``agency`` is the respondent (the agency whose disclosure act is challenged); the case is
    linked to the applications it concerns. ``result`` is ``pending`` exactly while
    ``concluded_on`` is empty (a database constraint).
    """

    agency = models.ForeignKey(
        Agency, verbose_name="被申请人（被告）机关", on_delete=models.PROTECT, related_name="+"
    )
    body = models.CharField("复议机关或人民法院", max_length=120)
    case_number = models.CharField("案号", max_length=80, blank=True)
    appellant = models.CharField("申请人（原告）", max_length=100)
    filed_on = models.DateField("立案（受理）日期")
    concluded_on = models.DateField("审结日期", null=True, blank=True)
    result = models.CharField("结果", max_length=10, choices=Result.choices, default="pending")
    result_note = models.TextField("结果说明", blank=True)
    notes = models.TextField("备注", blank=True)
    anonymised_on = models.DateField("个人信息匿名化日期", null=True, blank=True, editable=False)
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("登记时间")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        abstract = True
        ordering = ["-filed_on", "-id"]

    @property
    def is_pending(self) -> bool:
        return self.result == Result.PENDING


def _constraints(prefix: str) -> list[models.BaseConstraint]:
    return [
        models.CheckConstraint(
            condition=(Q(result="pending") & Q(concluded_on__isnull=True))
            | (~Q(result="pending") & Q(concluded_on__isnull=False)),
            name=f"{prefix}_pending_iff_open",
        ),
        models.CheckConstraint(
            condition=Q(concluded_on__isnull=True) | Q(concluded_on__gte=F("filed_on")),
            name=f"{prefix}_concluded_after_filed",
        ),
        models.CheckConstraint(
            condition=Q(result__in=[r.value for r in Result]), name=f"{prefix}_result_valid"
        ),
    ]


class Reconsideration(AppealCase):
    """行政复议 about a disclosure decision."""

    applications = models.ManyToManyField(
        Application, verbose_name="涉及的申请", related_name="reconsiderations", blank=True
    )

    class Meta(AppealCase.Meta):
        verbose_name = "行政复议"
        verbose_name_plural = "行政复议"
        constraints = _constraints("reconsideration")
        indexes = [models.Index(fields=["agency", "filed_on"], name="reconsideration_agency_filed")]

    def __str__(self) -> str:
        return f"行政复议 {self.case_number or self.pk}"

    kind_label = "行政复议"


class Litigation(AppealCase):
    """行政诉讼: brought directly (未经复议直接起诉) or after reconsideration (复议后起诉)."""

    class Route(models.TextChoices):
        DIRECT = "direct", "未经复议直接起诉"
        AFTER_RECONSIDERATION = "after_reconsideration", "复议后起诉"

    route = models.CharField("起诉方式", max_length=24, choices=Route.choices)
    reconsideration = models.ForeignKey(
        Reconsideration,
        verbose_name="在先的行政复议",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="litigations",
    )
    applications = models.ManyToManyField(
        Application, verbose_name="涉及的申请", related_name="litigations", blank=True
    )

    class Meta(AppealCase.Meta):
        verbose_name = "行政诉讼"
        verbose_name_plural = "行政诉讼"
        constraints = [
            *_constraints("litigation"),
            models.CheckConstraint(
                condition=Q(route__in=["direct", "after_reconsideration"]),
                name="litigation_route_valid",
            ),
        ]
        indexes = [models.Index(fields=["agency", "filed_on"], name="litigation_agency_filed")]

    def __str__(self) -> str:
        return f"行政诉讼 {self.case_number or self.pk}"

    kind_label = "行政诉讼"
