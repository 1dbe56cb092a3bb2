"""A publication (主动公开信息) and what hangs off it: attachments, channels, review steps and
link-check results."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q, lookups

from gongkai.core.models import Agency
from gongkai.ledger.publishing.models.catalogue import Column, Topic
from gongkai.statutory.formats import ARTICLE_20_ITEMS


class SearchTextField(models.TextField):
    """Plain text used by the search: ``text_contains`` is a case-insensitive substring match
    that PostgreSQL's ``pg_trgm`` GIN index can serve (``ILIKE``), and a plain scan on SQLite."""


@SearchTextField.register_lookup
class TextContains(lookups.IContains):
    lookup_name = "text_contains"

    def as_sql(self, compiler, connection):  # type: ignore[no-untyped-def]
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} LIKE {rhs} ESCAPE '\\'", [*lhs_params, *rhs_params]

    def as_postgresql(self, compiler, connection):  # type: ignore[no-untyped-def]
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} ILIKE {rhs}", [*lhs_params, *rhs_params]


@SearchTextField.register_lookup
class TextHasCharacters(lookups.Lookup):
    """The text contains every character of the list (PostgreSQL: the GIN index on its
    characters, migration 0005). A filter that narrows; the word itself is then confirmed by
    ``text_scan``."""

    lookup_name = "text_has_characters"
    prepare_rhs = False  # a list of characters, not text

    def as_sql(self, compiler, connection):  # type: ignore[no-untyped-def]
        raise NotImplementedError("text_has_characters needs PostgreSQL")

    def as_postgresql(self, compiler, connection):  # type: ignore[no-untyped-def]
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return (
            f"string_to_array(lower({lhs}), NULL) @> %s::text[]",
            [*lhs_params, list(self.rhs)],
        )


@SearchTextField.register_lookup
class TextScan(lookups.Lookup):
    """Substring match for 1–2 character words, which no trigram index can answer. On
    PostgreSQL it is written so that the planner does not try the pg_trgm index (a pattern
    without trigrams makes it read the whole index) and walks the rows in the query's order
    instead, stopping when the page is full."""

    lookup_name = "text_scan"

    def as_sql(self, compiler, connection):  # type: ignore[no-untyped-def]
        lhs, lhs_params = self.process_lhs(compiler, connection)
        pattern = "%" + connection.ops.prep_for_like_query(self.rhs) + "%"
        return f"{lhs} LIKE %s ESCAPE '\\'", [*lhs_params, pattern]

    def as_postgresql(self, compiler, connection):  # type: ignore[no-untyped-def]
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"strpos(lower({lhs}), lower(%s)) > 0", [*lhs_params, str(self.rhs)]


class Category(models.TextChoices):
    """条例第二十条: the fifteen items of information every agency must publish (labels from
    ``statutory.formats.ARTICLE_20_ITEMS``)."""

    ITEM_01 = "01", ARTICLE_20_ITEMS[0]
    ITEM_02 = "02", ARTICLE_20_ITEMS[1]
    ITEM_03 = "03", ARTICLE_20_ITEMS[2]
    ITEM_04 = "04", ARTICLE_20_ITEMS[3]
    ITEM_05 = "05", ARTICLE_20_ITEMS[4]
    ITEM_06 = "06", ARTICLE_20_ITEMS[5]
    ITEM_07 = "07", ARTICLE_20_ITEMS[6]
    ITEM_08 = "08", ARTICLE_20_ITEMS[7]
    ITEM_09 = "09", ARTICLE_20_ITEMS[8]
    ITEM_10 = "10", ARTICLE_20_ITEMS[9]
    ITEM_11 = "11", ARTICLE_20_ITEMS[10]
    ITEM_12 = "12", ARTICLE_20_ITEMS[11]
    ITEM_13 = "13", ARTICLE_20_ITEMS[12]
    ITEM_14 = "14", ARTICLE_20_ITEMS[13]
    ITEM_15 = "15", ARTICLE_20_ITEMS[14]

    @classmethod
    def short_label(cls, value: str) -> str:
        """``第二十条（一）`` — the item number only."""
        label = cls(value).label
        return "第二十条" + label[: label.index("）") + 1]


PUBLIC = Q(status="published", on_platform=True)
"""The rows the portal may show (before the agency check); see publication_list_public()."""


def _public_tail(fields: list[str]) -> list[F]:
    """Trailing index columns: ``fields`` then the columns of the ``PUBLIC`` condition."""
    return [F(name) for name in (*fields, "status", "on_platform")]


class Publication(models.Model):
    """An item of proactive disclosure, from draft to published (or withdrawn).

    Status changes only through the action objects in ``gongkai.ledger.publishing.actions``;
    ``version`` is the optimistic lock every edit and action compares against.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        FIRST_REVIEW = "first_review", "待初审"
        SECOND_REVIEW = "second_review", "待复审"
        FINAL_REVIEW = "final_review", "待终审"
        CONFIDENTIALITY_REVIEW = "confidentiality_review", "待保密审查"
        SCHEDULED = "scheduled", "待定时发布"
        PUBLISHED = "published", "已发布"
        WITHDRAWN = "withdrawn", "已撤回"

    class DocType(models.TextChoices):
        ORDINARY = "ordinary", "一般信息"
        POLICY = "policy", "政策文件"
        INTERPRETATION = "interpretation", "政策解读"

    class Validity(models.TextChoices):
        EFFECTIVE = "effective", "有效"
        EXPIRED = "expired", "失效"
        REPEALED = "repealed", "废止"

    class RegisterKind(models.TextChoices):
        NONE = "", "不登记"
        REGULATION = "regulation", "规章"
        NORMATIVE = "normative", "行政规范性文件"

    agency = models.ForeignKey(
        Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="publications"
    )
    column = models.ForeignKey(
        Column, verbose_name="栏目", on_delete=models.PROTECT, related_name="publications"
    )
    title = models.CharField("标题", max_length=300)
    summary = models.CharField("内容概述", max_length=500, blank=True)
    body = models.TextField("正文", blank=True)
    search_text = SearchTextField("检索文本", blank=True, editable=False)
    index_number = models.CharField("索引号", max_length=100, blank=True, editable=False)
    category = models.CharField(
        "信息分类（条例第二十条）",
        max_length=2,
        choices=Category.choices,
        default=Category.ITEM_15,
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name="主题分类",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="publications",
    )
    doc_type = models.CharField(
        "文件类型", max_length=20, choices=DocType.choices, default=DocType.ORDINARY
    )
    interprets = models.ForeignKey(
        "self",
        verbose_name="所解读的政策文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interpretations",
    )
    document_number = models.CharField("文号", max_length=100, blank=True)
    written_on = models.DateField("成文日期", null=True, blank=True)
    published_at = models.DateTimeField("发布日期", null=True, blank=True, editable=False)
    scheduled_at = models.DateTimeField("定时发布时间", null=True, blank=True)
    validity = models.CharField(
        "有效性", max_length=20, choices=Validity.choices, default=Validity.EFFECTIVE
    )
    validity_changed_on = models.DateField("失效或废止日期", null=True, blank=True)
    issuing_body = models.CharField("发布机构", max_length=120, blank=True)
    register_kind = models.CharField(
        "登记到文件库", max_length=20, choices=RegisterKind.choices, blank=True, default=""
    )
    on_platform = models.BooleanField("在本平台发布", default=True, editable=False)
    status = models.CharField(
        "状态", max_length=30, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    version = models.PositiveIntegerField("版本", default=1, editable=False)
    review_round = models.PositiveIntegerField("送审轮次", default=0, editable=False)
    origin = models.CharField("来源", max_length=60, default="workflow", editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="起草人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField("起草时间", editable=False)
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="最后修改人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_at = models.DateTimeField("修改时间", editable=False)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤回人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    withdrawal_reason = models.TextField("撤回原因", blank=True, editable=False)

    class Meta:
        verbose_name = "主动公开信息"
        verbose_name_plural = "主动公开信息"
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["index_number"],
                condition=~Q(index_number=""),
                name="publishing_index_number_unique",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="publishing_published_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(scheduled_at__isnull=False),
                name="publishing_scheduled_has_time",
            ),
            models.CheckConstraint(
                condition=Q(validity="effective") | Q(validity_changed_on__isnull=False),
                name="publishing_validity_has_date",
            ),
        ]
        indexes = [
            # The portal reads only public rows, newest first: partial indexes holding just
            # those rows, ordered by (published_at, id) so that paging never sorts. The
            # condition must stay equal to publication_list_public()'s.
            # Trailing columns make them covering for the agency check and the other filters,
            # so counting and skipping rows never touches the table; the condition's own
            # columns (status, on_platform) come last because SQLite only treats an index as
            # covering when it holds every column the WHERE clause names.
            models.Index(
                F("published_at").desc(),
                F("id").desc(),
                *_public_tail(["agency", "category", "topic"]),
                condition=PUBLIC,
                name="publishing_public_idx",
            ),
            models.Index(
                F("agency"),
                F("published_at").desc(),
                F("id").desc(),
                *_public_tail(["category", "column", "topic"]),
                condition=PUBLIC,
                name="publishing_public_agency_idx",
            ),
            models.Index(
                F("agency"),
                F("category"),
                F("published_at").desc(),
                F("id").desc(),
                *_public_tail([]),
                condition=PUBLIC,
                name="publishing_public_agcat_idx",
            ),
            *(
                models.Index(
                    F(field),
                    F("published_at").desc(),
                    F("id").desc(),
                    *_public_tail(["agency"]),
                    condition=PUBLIC,
                    name=f"publishing_public_{field}_idx",
                )
                for field in ("category", "topic", "column")
            ),
            models.Index(fields=["agency", "status", "updated_at"], name="publishing_staff_idx"),
            # MAX(updated_at) is the portal cache's generation (see portal_generation()).
            models.Index(fields=["updated_at"], name="publishing_updated_idx"),
            models.Index(fields=["status", "scheduled_at"], name="publishing_scheduled_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_editable(self) -> bool:
        """Only drafts (new or returned) can be edited; anything under review is frozen."""
        return self.status == self.Status.DRAFT

    @property
    def in_review(self) -> bool:
        return self.status in (
            self.Status.FIRST_REVIEW,
            self.Status.SECOND_REVIEW,
            self.Status.FINAL_REVIEW,
            self.Status.CONFIDENTIALITY_REVIEW,
        )

    @property
    def category_short(self) -> str:
        return Category.short_label(self.category)

    @property
    def publisher(self) -> str:
        return self.issuing_body or self.agency.name


class PublicationAttachment(models.Model):
    """A file attached to a publication; the type is sniffed from the content on upload."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField("文件", upload_to="publishing/%Y/%m/", max_length=255)
    original_name = models.CharField("文件名", max_length=255)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    position = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.original_name


class PublicationChannel(models.Model):
    """Where a publication went: this platform, the agency's website, WeChat, Weibo…"""

    class Channel(models.TextChoices):
        PLATFORM = "platform", "政务公开云平台"
        PORTAL = "portal", "门户网站"
        WECHAT = "wechat", "政务微信公众号"
        WEIBO = "weibo", "政务微博"
        OTHER = "other", "其他渠道"

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="channels")
    channel = models.CharField("渠道", max_length=20, choices=Channel.choices)
    name = models.CharField("渠道名称", max_length=60, blank=True)

    class Meta:
        verbose_name = "发布渠道"
        verbose_name_plural = "发布渠道"
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "channel", "name"], name="publishing_channel_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name or self.get_channel_display()


class ReviewStep(models.Model):
    """One decision of the 三审三校 (and the confidentiality review) on one round."""

    class Stage(models.TextChoices):
        FIRST = "first", "初审"
        SECOND = "second", "复审"
        FINAL = "final", "终审"
        CONFIDENTIALITY = "confidentiality", "保密审查"

    class Decision(models.TextChoices):
        APPROVED = "approved", "通过"
        RETURNED = "returned", "退回修改"

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="review_steps"
    )
    round = models.PositiveIntegerField("轮次")
    stage = models.CharField("环节", max_length=20, choices=Stage.choices)
    decision = models.CharField("结论", max_length=20, choices=Decision.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    comment = models.TextField("意见", blank=True)
    proofread = models.BooleanField("已校对", default=False)
    version = models.PositiveIntegerField("审核版本")
    decided_at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "审核记录"
        verbose_name_plural = "审核记录"
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}：{self.get_decision_display()}"


class LinkCheck(models.Model):
    """The last check of one link or attachment of a publication."""

    class Kind(models.TextChoices):
        LINK = "link", "正文链接"
        ATTACHMENT = "attachment", "附件"

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="link_checks"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    url = models.CharField("地址", max_length=1000)
    ok = models.BooleanField("可用")
    status_code = models.PositiveSmallIntegerField("HTTP 状态", null=True, blank=True)
    error = models.CharField("错误", max_length=300, blank=True)
    checked_at = models.DateTimeField("检查时间")

    class Meta:
        verbose_name = "链接检查"
        verbose_name_plural = "链接检查"
        ordering = ["publication", "kind", "url"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "url"], name="publishing_linkcheck_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.url}（{'可用' if self.ok else '失效'}）"
