"""The supervising office's records: the register of reporting bodies, uploaded report files,
audit batches and their items (one report each, with what was read and found)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from gongkai.core.models import Agency


class ReportingBody(models.Model):
    """A body of the region that must publish an annual report (编制主体), on the platform or not.

    Bodies on the platform point at their ``Agency`` (their generated reports need no upload);
    the others exist only here. ``aliases`` are other spellings confirmed by a person, so the
    same file name matches exactly next year.
    """

    class Kind(models.TextChoices):
        GOVERNMENT = "government", "人民政府"
        DEPARTMENT = "department", "政府部门"
        TOWNSHIP = "township", "乡镇人民政府（街道办事处）"
        OTHER = "other", "其他（公共企事业单位等）"

    region = models.ForeignKey(
        Agency, verbose_name="所属区域", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("名称", max_length=120)
    aliases = models.JSONField("其他名称", default=list, blank=True)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    level = models.CharField("层级", max_length=20, choices=Agency.Level.choices)
    agency = models.ForeignKey(
        Agency,
        verbose_name="平台上的机关",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reporting_bodies",
    )
    has_rulemaking_power = models.BooleanField("有规章制定权", default=False)
    is_active = models.BooleanField("应报送年度报告", default=True)
    created_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "报告主体"
        verbose_name_plural = "报告主体"
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="oversight_body_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def on_platform(self) -> bool:
        return self.agency_id is not None


class SourceFile(models.Model):
    """The bytes of an uploaded report, stored once per region and content hash.

    Kept in the database (reports are small) so any app process or worker can read them
    without a shared file system; the hash recognises a second upload of the same file.
    """

    region = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveIntegerField("大小（字节）")
    filename = models.CharField("文件名", max_length=255)
    data = models.BinaryField("内容")
    text = models.TextField("提取的文字", blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        verbose_name = "报告文件"
        verbose_name_plural = "报告文件"
        constraints = [
            models.UniqueConstraint(fields=["region", "sha256"], name="oversight_file_unique_hash")
        ]

    def __str__(self) -> str:
        return self.filename


class AuditBatch(models.Model):
    """One round of checking (usually: the year's reports, collected in January)."""

    class Status(models.TextChoices):
        OPEN = "open", "收集中"
        QUEUED = "queued", "排队检查"
        RUNNING = "running", "检查中"
        DONE = "done", "已完成"

    region = models.ForeignKey(
        Agency, verbose_name="区域", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("报告年度")
    title = models.CharField("名称", max_length=120)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    department_deadline = models.DateField(
        "部门、乡镇发布期限", null=True, blank=True, help_text="留空按条例：次年1月31日"
    )
    government_deadline = models.DateField(
        "本级政府发布期限", null=True, blank=True, help_text="留空按条例：次年3月31日"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间")
    started_at = models.DateTimeField("开始检查", null=True, blank=True)
    finished_at = models.DateTimeField("完成检查", null=True, blank=True)

    class Meta:
        verbose_name = "审查批次"
        verbose_name_plural = "审查批次"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_working(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class AuditItem(models.Model):
    """One report in a batch: an uploaded file or a platform agency's generated report.

    Reading is the background step (``status``); what was read is kept (``report``,
    ``parse_notes``) so the findings can be recomputed at once when the body, the publication
    date or last year's report changes.
    """

    class Origin(models.TextChoices):
        UPLOAD = "upload", "上传文件"
        PLATFORM = "platform", "平台生成"

    class Status(models.TextChoices):
        QUEUED = "queued", "待检查"
        RUNNING = "running", "检查中"
        READ = "read", "已检查"
        UNREADABLE = "unreadable", "无法读取"

    class Match(models.TextChoices):
        EXACT = "exact", "名称一致"
        CONFIRMED = "confirmed", "已确认"
        SUGGESTED = "suggested", "待确认"
        UNMATCHED = "unmatched", "未匹配"

    batch = models.ForeignKey(AuditBatch, on_delete=models.CASCADE, related_name="items")
    origin = models.CharField("来源", max_length=10, choices=Origin.choices)
    source = models.ForeignKey(
        SourceFile, null=True, blank=True, on_delete=models.PROTECT, related_name="items"
    )
    record = models.ForeignKey(
        "annual.AnnualReportRecord",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    filename = models.CharField("文件", max_length=255)
    name_hint = models.CharField("文件或报告中的机关名称", max_length=200, blank=True)
    body = models.ForeignKey(
        ReportingBody,
        verbose_name="报告主体",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
    )
    match = models.CharField("机关匹配", max_length=10, choices=Match.choices)
    candidates = models.JSONField("候选机关", default=list, blank=True)
    year = models.PositiveSmallIntegerField("报告年度")
    published_on = models.DateField("发布日期", null=True, blank=True)
    published_on_entered = models.BooleanField("发布日期由人工填写", default=False)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField("检查时间", null=True, blank=True)
    error_code = models.CharField(max_length=20, blank=True)
    error_message = models.TextField("无法读取的原因", blank=True)
    source_kind = models.CharField("文件类型", max_length=10, blank=True)
    report = models.JSONField("读取的报告", null=True, blank=True)
    read_notes = models.JSONField("读取说明", default=list, blank=True)
    parse_notes = models.JSONField(null=True, blank=True)
    findings = models.JSONField("检查结果", default=list, blank=True)
    errors = models.PositiveIntegerField("错误", default=0)
    warnings = models.PositiveIntegerField("警告", default=0)
    infos = models.PositiveIntegerField("提示", default=0)
    late_days = models.IntegerField("逾期天数", null=True, blank=True)
    previous_label = models.CharField("用于跨年度比对的上年报告", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("加入时间")

    class Meta:
        verbose_name = "审查报告"
        verbose_name_plural = "审查报告"
        ordering = ["batch", "id"]
        indexes = [
            models.Index(fields=["batch", "status"], name="oversight_item_status_idx"),
            models.Index(fields=["body", "year"], name="oversight_item_body_year_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(origin="upload", source__isnull=False)
                | Q(origin="platform", source__isnull=True),
                name="oversight_item_source_matches_origin",
            ),
            models.UniqueConstraint(
                fields=["batch", "source"],
                condition=Q(source__isnull=False),
                name="oversight_item_unique_file_per_batch",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body or self.name_hint or self.filename}（{self.year}年）"

    @property
    def is_done(self) -> bool:
        return self.status in (self.Status.READ, self.Status.UNREADABLE)

    @property
    def is_readable(self) -> bool:
        return self.status == self.Status.READ

    @property
    def needs_confirmation(self) -> bool:
        return self.body_id is None or self.match == self.Match.SUGGESTED
