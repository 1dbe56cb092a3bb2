"""The application (政府信息公开申请) and its clock events (补正 rounds, consultations)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from gongkai.core.models import Agency
from gongkai.ledger.requests.models.reference import CATEGORY_CHOICES, OrganisationType
from gongkai.ledger.requests.outcomes import REPLY_SPECS, ReplyType
from gongkai.ledger.requests.transitions import (
    CLOCK_PAUSED,
    OPEN,
    TERMINAL,
    Status,
)
from gongkai.statutory import deadlines, fees
from gongkai.statutory.formats import LAYOUT_2021, Col

STATUS_CHOICES = [(s.value, s.label) for s in Status]
CHANNEL_CHOICES = [(c.value, c.label) for c in deadlines.Channel]
SERVICE_METHOD_CHOICES = [
    (deadlines.ServiceMethod.DIRECT.value, "直接送达（以申请人签收之日为准）"),
    (deadlines.ServiceMethod.ENTRUSTED.value, "委托其他行政机关代为送达（以签收之日为准）"),
    (deadlines.ServiceMethod.POST.value, "邮政企业邮寄送达（以交邮之日为准）"),
    (deadlines.ServiceMethod.ELECTRONIC.value, "网上平台或电子邮件送达（以发送之日为准）"),
    (deadlines.ServiceMethod.COURIER.value, "其他快递企业寄送（不符合235号文）"),
]
FEE_METHOD_CHOICES = [(m.value, m.label) for m in fees.FeeMethod]
REPLY_TYPE_CHOICES = [(t.value, s.label) for t, s in REPLY_SPECS.items()]
OUTCOME_ROWS = [k.value for k in LAYOUT_2021.outcome_keys]
OUTCOME_ROW_CHOICES = [
    (k.value, LAYOUT_2021.table3_row(k).full_label) for k in LAYOUT_2021.outcome_keys
]


class Application(models.Model):
    """One application for disclosure, from receipt to reply (条例第二十九条–第四十五条).

    Status changes only through the services (``transitions.TRANSITIONS``). The clock fields are
    derived by ``services.clock.application_recompute_clock`` from the stored events; the
    statistics fields (``outcome_row``, ``concluded_on``) are facts frozen at the first
    conclusion and are what tables 三 reads.
    """

    class Source(models.TextChoices):
        STAFF = "staff", "工作人员登记"
        PORTAL = "portal", "网上申请"
        TRANSFER = "transfer", "其他机关转送"
        IMPORT = "import", "台账导入"
        DEMO = "demo", "演示数据"

    class ApplicantType(models.TextChoices):
        NATURAL_PERSON = "natural_person", "自然人"
        ORGANISATION = "organisation", "法人或其他组织"

    class IdType(models.TextChoices):
        RESIDENT_ID = "resident_id", "居民身份证"
        PASSPORT = "passport", "护照"
        HK_MACAO = "hk_macao", "港澳居民来往内地通行证"
        TAIWAN = "taiwan", "台湾居民来往大陆通行证"
        FOREIGN_PR = "foreign_pr", "外国人永久居留身份证"
        OTHER = "other", "其他有效身份证件"

    class Form(models.TextChoices):
        PAPER = "paper", "纸质文本"
        ELECTRONIC = "electronic", "电子文档"

    class Delivery(models.TextChoices):
        POST = "post", "邮寄"
        EMAIL = "email", "电子邮件"
        PICKUP = "pickup", "当面领取"
        ONLINE = "online", "网上获取"
        INSPECTION = "inspection", "当场查阅、抄录"

    class ExtensionState(models.TextChoices):
        NONE = "none", "未延期"
        PROPOSED = "proposed", "已提请，待负责人批准"
        APPROVED = "approved", "已批准延期"
        REJECTED = "rejected", "负责人不同意延期"

    agency = models.ForeignKey(
        Agency, verbose_name="受理机关", on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField("状态", max_length=20, choices=STATUS_CHOICES, default="in_progress")
    version = models.PositiveIntegerField("版本", default=1)
    source = models.CharField("来源", max_length=10, choices=Source.choices, default="staff")

    registration_year = models.PositiveSmallIntegerField("登记年度")
    registration_seq = models.PositiveIntegerField("登记序号")
    registration_no = models.CharField("登记编号", max_length=40)
    tracking_code = models.CharField("查询码", max_length=20, null=True, blank=True, unique=True)
    query_password = models.CharField("查询密码（散列）", max_length=128, blank=True)
    submission_token = models.CharField(max_length=64, null=True, blank=True, unique=True)

    # -- receipt (条例第三十一条) -------------------------------------------------------------
    channel = models.CharField("申请方式", max_length=20, choices=CHANNEL_CHOICES)
    submitted_on = models.DateField("提交日期", null=True, blank=True)
    signed_on = models.DateField("签收日期", null=True, blank=True)
    confirmed_on = models.DateField("双方确认日期", null=True, blank=True)
    received_on = models.DateField("收到申请之日", null=True, blank=True, db_index=True)

    # -- applicant (条例第二十九条（一）) -----------------------------------------------------
    applicant_type = models.CharField("申请人类型", max_length=20, choices=ApplicantType.choices)
    applicant_name = models.CharField("姓名或名称", max_length=100)
    id_type = models.CharField("身份证件类型", max_length=20, choices=IdType.choices, blank=True)
    id_number = models.CharField("身份证件号码", max_length=40, blank=True)
    organisation_type = models.ForeignKey(
        OrganisationType,
        verbose_name="组织类型",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    legal_representative = models.CharField("法定代表人或负责人", max_length=60, blank=True)
    contact_name = models.CharField("联系人", max_length=60, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    email = models.EmailField("电子邮箱", max_length=100, blank=True)
    address = models.CharField("通信地址", max_length=200, blank=True)
    postal_code = models.CharField("邮政编码", max_length=10, blank=True)
    category = models.CharField("统计类别", max_length=3, choices=CATEGORY_CHOICES)
    applicant_key = models.CharField(max_length=64, db_index=True, editable=False)

    # -- what is asked for (条例第二十九条（二）（三）) -----------------------------------------
    description = models.TextField("所需信息的名称或特征性描述")
    document_number = models.CharField("文号", max_length=200, blank=True)
    form_requested = models.CharField(
        "信息载体形式", max_length=20, choices=Form.choices, default="electronic"
    )
    delivery = models.CharField(
        "获取方式", max_length=20, choices=Delivery.choices, default="email"
    )
    notes = models.TextField("备注", blank=True)

    # -- repeat and volume (第三十五条、第三十六条（六）, 信息处理费) -------------------------------
    possible_repeat_of = models.ForeignKey(
        "self",
        verbose_name="疑似重复申请",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    repeat_similarity = models.FloatField("相似度", null=True, blank=True)
    month_ordinal = models.PositiveSmallIntegerField("本月第几件申请", default=1)

    # -- clock (derived; see services/clock.py) --------------------------------------------------
    clock_state = models.CharField("计时状态", max_length=20, blank=True)
    clock_start_on = models.DateField("答复期限起算日", null=True, blank=True)
    amendment_notice_due_on = models.DateField("补正告知期限", null=True, blank=True)
    original_due_on = models.DateField("原答复期限", null=True, blank=True)
    extended_due_on = models.DateField("延长后答复期限", null=True, blank=True)
    due_on = models.DateField("答复期限", null=True, blank=True, db_index=True)
    due_is_projected = models.BooleanField("期限为推算", default=False)
    payment_due_on = models.DateField("缴费期限", null=True, blank=True)
    lapse_row = models.CharField("逾期放弃（统计行）", max_length=8, blank=True)
    lapse_on = models.DateField("视为放弃之日", null=True, blank=True)
    clock_provisional = models.BooleanField("期限为暂定", default=False)
    clock_computed_on = models.DateField("期限计算日", null=True, blank=True)

    # -- extension (第三十三条第二款) and 第三十五条 ---------------------------------------------
    extension_state = models.CharField(
        "延期", max_length=10, choices=ExtensionState.choices, default="none"
    )
    extension_days = models.PositiveSmallIntegerField("延长工作日数", default=20)
    extension_reason = models.TextField("延期理由", blank=True)
    extension_proposed_on = models.DateField("提请延期日期", null=True, blank=True)
    extension_decided_on = models.DateField("负责人批准日期", null=True, blank=True)
    extension_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="批准人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    extension_notified_on = models.DateField("告知申请人日期", null=True, blank=True)
    delayed_reply_due_on = models.DateField("延迟答复期限（第三十五条）", null=True, blank=True)
    delayed_reply_notified_on = models.DateField("延迟答复告知日期", null=True, blank=True)

    # -- processing fee (国办函〔2020〕109号) ---------------------------------------------------
    fee_method = models.CharField(
        "计收方式", max_length=12, choices=FEE_METHOD_CHOICES, default="none"
    )
    fee_pages = models.PositiveIntegerField("页数", null=True, blank=True)
    fee_amount = models.DecimalField(
        "收费金额（元）", max_digits=10, decimal_places=2, null=True, blank=True
    )
    fee_notice_served_on = models.DateField("收费通知发出日期", null=True, blank=True)
    fee_notice_received_on = models.DateField("申请人收到收费通知日期", null=True, blank=True)
    fee_paid_on = models.DateField("缴费日期", null=True, blank=True)

    # -- decision ----------------------------------------------------------------------------
    reply_type = models.CharField("答复类型", max_length=20, choices=REPLY_TYPE_CHOICES, blank=True)
    withheld_grounds = models.JSONField("不予公开部分的理由类别", default=list, blank=True)
    legal_basis = models.TextField("法律依据", blank=True)
    reasons = models.TextField("理由", blank=True)
    decision_text = models.TextField("答复内容（提供方式、获取途径等）", blank=True)
    responsible_agency_name = models.CharField("负责公开的机关", max_length=120, blank=True)
    responsible_agency_contact = models.CharField("该机关联系方式", max_length=200, blank=True)
    decision_drafted_at = models.DateTimeField("拟稿时间", null=True, blank=True)
    decision_drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="拟稿人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    decision_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_signed_at = models.DateTimeField("签发时间", null=True, blank=True)
    decision_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签发人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # -- service (国办公开办函〔2016〕235号) -----------------------------------------------------
    served_on = models.DateField("送达日期", null=True, blank=True)
    service_method = models.CharField(
        "送达方式", max_length=12, choices=SERVICE_METHOD_CHOICES, blank=True
    )
    post_receipt_no = models.CharField("邮件号码", max_length=40, blank=True)
    cash_on_delivery = models.BooleanField("到付", default=False)

    # -- statistics: facts frozen at the first conclusion (tables 三) ---------------------------
    outcome_row = models.CharField(
        "办理结果（统计行）", max_length=8, choices=OUTCOME_ROW_CHOICES, blank=True, db_index=True
    )
    concluded_on = models.DateField("办结日期", null=True, blank=True, db_index=True)
    reopened_on = models.DateField("重新办理日期", null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField("重新办理次数", default=0)

    # -- transfer (条例第三十六条（五）) ----------------------------------------------------------
    transferred_to = models.ForeignKey(
        Agency,
        verbose_name="转送至",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    transferred_from = models.ForeignKey(
        "self",
        verbose_name="转送自",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="transfers",
    )

    created_at = models.DateTimeField("登记时间")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        ordering = ["-registration_year", "-registration_seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "registration_year", "registration_seq"],
                name="application_regno_unique",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in Status]), name="application_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(category__in=[c.value for c in Col if c is not Col.TOT]),
                name="application_category_valid",
            ),
            models.CheckConstraint(
                condition=Q(outcome_row="") | Q(outcome_row__in=OUTCOME_ROWS),
                name="application_outcome_row_valid",
            ),
            # One outcome per concluded application, concluded after it was received: this is
            # what makes table 三 balance by construction.
            models.CheckConstraint(
                condition=Q(concluded_on__isnull=True)
                | (
                    ~Q(outcome_row="")
                    & Q(received_on__isnull=False)
                    & Q(concluded_on__gte=F("received_on"))
                ),
                name="application_concluded_has_outcome",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="application_version_pos"),
        ]
        indexes = [
            models.Index(fields=["agency", "status"], name="application_agency_status"),
            # Covers the table-三 aggregate: an index-only scan (docs/requests.md).
            models.Index(
                fields=["agency", "received_on", "concluded_on", "outcome_row", "category"],
                name="application_report",
            ),
            models.Index(fields=["agency", "concluded_on"], name="application_agency_concluded"),
            models.Index(fields=["agency", "applicant_key"], name="application_agency_applicant"),
            models.Index(fields=["agency", "fee_notice_served_on"], name="application_agency_fee"),
        ]

    def __str__(self) -> str:
        return self.registration_no

    # -- predicates on the row's own fields ----------------------------------------------------

    @property
    def status_enum(self) -> Status:
        return Status(self.status)

    @property
    def is_open(self) -> bool:
        return self.status_enum in OPEN

    @property
    def is_terminal(self) -> bool:
        return self.status_enum in TERMINAL

    @property
    def clock_is_paused(self) -> bool:
        return self.status_enum in CLOCK_PAUSED

    @property
    def is_organisation(self) -> bool:
        return self.applicant_type == self.ApplicantType.ORGANISATION

    @property
    def reply_spec(self):  # type: ignore[no-untyped-def]
        return REPLY_SPECS[ReplyType(self.reply_type)] if self.reply_type else None

    @property
    def fee_delivery(self) -> fees.Delivery:
        """The applicant's wish in the fee rules' terms (办法第五条: per volume only for paper,
        e-mail or copied electronic data)."""
        if self.delivery == self.Delivery.INSPECTION:
            return fees.Delivery.INSPECTION
        if self.delivery == self.Delivery.ONLINE:
            return fees.Delivery.ONLINE
        if self.delivery == self.Delivery.EMAIL:
            return fees.Delivery.EMAIL
        if self.form_requested == self.Form.PAPER:
            return fees.Delivery.PAPER
        return fees.Delivery.ELECTRONIC_COPY

    @property
    def addressee(self) -> str:
        return self.applicant_name


class AmendmentRound(models.Model):
    """One 补正 round (条例第三十条): notice, stated period, receipt of the supplement."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="amendments"
    )
    number = models.PositiveSmallIntegerField("轮次", default=1)
    items = models.TextField("需要补正的事项")
    notice_on = models.DateField("告知补正日期")
    period_end = models.DateField("补正期限")
    received_on = models.DateField("收到补正日期", null=True, blank=True)
    received_note = models.TextField("补正内容摘要", blank=True)

    class Meta:
        verbose_name = "补正"
        verbose_name_plural = "补正"
        ordering = ["application_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "number"], name="amendment_round_unique"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("notice_on")), name="amendment_period_after_notice"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} 第{self.number}次补正"


class Consultation(models.Model):
    """A written consultation (征求意见书): third party (第三十二条) or co-producing agency (第三十四条)."""

    class Opinion(models.TextChoices):
        AGREE = "agree", "同意公开"
        OBJECT = "object", "不同意公开"
        PARTIAL = "partial", "部分同意"
        NONE = "none", "逾期未提出意见"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="consultations"
    )
    kind = models.CharField(
        "类型",
        max_length=20,
        choices=[
            (deadlines.ConsultationKind.THIRD_PARTY.value, "征求第三方意见（第三十二条）"),
            (deadlines.ConsultationKind.CO_AGENCY.value, "征求共同制作机关意见（第三十四条）"),
        ],
    )
    party = models.CharField("被征求意见方", max_length=120)
    party_address = models.CharField("送达地址", max_length=200, blank=True)
    subject = models.TextField("征求意见的信息", blank=True)
    sent_on = models.DateField("发出征求意见书日期")
    party_received_on = models.DateField("对方收到日期", null=True, blank=True)
    reply_on = models.DateField("提出意见日期", null=True, blank=True)
    opinion = models.CharField("意见", max_length=10, choices=Opinion.choices, blank=True)
    opinion_text = models.TextField("意见摘要", blank=True)

    class Meta:
        verbose_name = "征求意见"
        verbose_name_plural = "征求意见"
        ordering = ["application_id", "sent_on", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} 征求{self.party}意见"

    @property
    def is_open(self) -> bool:
        return self.reply_on is None and self.opinion == ""
