"""Back-office forms: staff intake, the edit form and one small form per case action."""

from __future__ import annotations

from typing import Any

from django import forms

from gongkai.core import clock
from gongkai.core.models import Agency
from gongkai.ledger.requests.forms import DATE, ApplicantForm
from gongkai.ledger.requests.letters.kinds import PLACEHOLDERS, template_problems
from gongkai.ledger.requests.models import (
    Application,
    Attachment,
    Consultation,
    RequestSettings,
)
from gongkai.ledger.requests.models.application import CHANNEL_CHOICES, SERVICE_METHOD_CHOICES
from gongkai.ledger.requests.outcomes import DECIDABLE, REPLY_SPECS, WITHHOLDING_GROUNDS
from gongkai.ledger.requests.services.clock import get_calendar
from gongkai.ledger.requests.transitions import Action
from gongkai.statutory import fees
from gongkai.statutory.deadlines import Channel, ConsultationKind


class IntakeForm(ApplicantForm):
    """Staff registration of an application received in person, by post, fax, e-mail …"""

    channel = forms.ChoiceField(label="申请方式", choices=CHANNEL_CHOICES, initial="in_person")
    submitted_on = forms.DateField(
        label="提交日期（当面、口头）",
        required=False,
        widget=DATE,
        help_text="当面提交或口头提出的，以提交之日为收到申请之日；留空为今天。",
    )
    signed_on = forms.DateField(
        label="签收日期（邮寄需签收）",
        required=False,
        widget=DATE,
        help_text="以机关签收之日为收到申请之日（条例第三十一条（二））。",
    )
    confirmed_on = forms.DateField(
        label="双方确认日期（平信、网上、传真、电子邮件）",
        required=False,
        widget=DATE,
        help_text="以与申请人确认之日为收到申请之日；尚未确认的可留空，登记后再“确认收到”。",
    )
    notes = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ["channel", "submitted_on", "signed_on", "confirmed_on"]
    require_phone = False

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        ch = data.get("channel")
        today = clock.today()
        for name in ("submitted_on", "signed_on", "confirmed_on"):
            if data.get(name) and data[name] > today:
                self.add_error(name, "日期不能晚于今天。")
        if ch == Channel.REGISTERED_POST and not data.get("signed_on"):
            self.add_error("signed_on", "邮寄（需签收）的申请请填写签收日期。")
        return data


class EditForm(ApplicantForm):
    """Correct the applicant's details or the description (optimistic locking: ``version``)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    notes = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    attachments = None  # type: ignore[assignment]
    require_phone = False


class ActionForm(forms.Form):
    """Base of the action forms: carries the version the user saw."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        self.application = application
        # several action forms share the case page: keep their element ids apart
        kwargs.setdefault("auto_id", f"id_{type(self).__name__.lower()}_%s")
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("version", application.version)
        super().__init__(*args, **kwargs)
        add_correction_field(self, application)


def add_correction_field(form: forms.Form, application: Application) -> None:
    """Cases counted in an already published annual report carry a correction-note field: the
    service refuses a change to that year's figures without it."""
    from gongkai.ledger.requests.services import published_years_of

    years = published_years_of(application)
    if years:
        names = "、".join(f"{y}年" for y in years)
        form.fields["correction_note"] = forms.CharField(
            label=f"更正说明（{names}度报告已发布；改变该年度数据时必填）",
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        )


def today_field(label: str, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE, initial=clock.today, **kwargs)


class ConfirmReceiptForm(ActionForm):
    confirmed_on = today_field("确认收到日期（双方确认之日）")


class RequestAmendmentForm(ActionForm):
    items = forms.CharField(
        label="需要补正的事项（一行一项，一次性告知）", widget=forms.Textarea(attrs={"rows": 3})
    )
    notice_on = today_field("告知日期")
    period_end = forms.DateField(label="补正期限", widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period_end"].initial = get_calendar().add_workdays(clock.today(), 10)


class ReceiveAmendmentForm(ActionForm):
    received_on = today_field("收到补正日期")
    note = forms.CharField(
        label="补正内容摘要", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConsultForm(ActionForm):
    kind = forms.ChoiceField(
        label="类型",
        choices=[
            (ConsultationKind.THIRD_PARTY.value, "征求第三方意见（第三十二条）"),
            (ConsultationKind.CO_AGENCY.value, "征求共同制作机关意见（第三十四条）"),
        ],
    )
    party = forms.CharField(label="被征求意见方", max_length=120)
    party_address = forms.CharField(label="送达地址", max_length=200, required=False)
    subject = forms.CharField(
        label="征求意见的信息", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    sent_on = today_field("发出日期")
    party_received_on = forms.DateField(label="对方收到日期", required=False, widget=DATE)


class ConsultationReplyForm(ActionForm):
    consultation = forms.ModelChoiceField(label="征求意见", queryset=Consultation.objects.none())
    opinion = forms.ChoiceField(label="意见", choices=Consultation.Opinion.choices)
    reply_on = forms.DateField(
        label="提出意见日期（逾期未提出意见的留空）", required=False, widget=DATE
    )
    party_received_on = forms.DateField(label="对方收到日期", required=False, widget=DATE)
    opinion_text = forms.CharField(
        label="意见摘要", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consultation"].queryset = self.application.consultations.filter(
            reply_on__isnull=True, opinion=""
        )


class ProposeExtensionForm(ActionForm):
    days = forms.IntegerField(label="延长工作日数", min_value=1, max_value=20, initial=20)
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 2}))


class ApproveExtensionForm(ActionForm):
    decided_on = today_field("批准日期")


class NoteForm(ActionForm):
    note = forms.CharField(label="意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RequiredNoteForm(ActionForm):
    note = forms.CharField(label="退回意见", widget=forms.Textarea(attrs={"rows": 2}))


class NotifyExtensionForm(ActionForm):
    notified_on = today_field("告知申请人日期")


class DelayedReplyForm(ActionForm):
    due_on = forms.DateField(label="延迟答复期限", widget=DATE)
    notified_on = forms.DateField(label="告知申请人日期", required=False, widget=DATE)


class FeeNoticeForm(ActionForm):
    method = forms.ChoiceField(
        label="计收方式",
        choices=[(m.value, m.label) for m in fees.FeeMethod if m is not fees.FeeMethod.NONE],
    )
    pages = forms.IntegerField(label="页数（按量计收）", min_value=1, required=False)
    served_on = today_field("发出日期")
    received_on = forms.DateField(label="申请人收到日期", required=False, widget=DATE)


class PaymentForm(ActionForm):
    paid_on = today_field("缴费日期")
    notice_received_on = forms.DateField(
        label="申请人收到收费通知日期", required=False, widget=DATE
    )


class DraftDecisionForm(ActionForm):
    reply_type = forms.ChoiceField(
        label="答复类型（对应年度报告表三的办理结果）",
        choices=[
            (t.value, f"{REPLY_SPECS[t].label} → {REPLY_SPECS[t].row_label}") for t in DECIDABLE
        ],
    )
    withheld_grounds = forms.MultipleChoiceField(
        label="不予公开部分的理由类别（部分公开时必选）",
        choices=[(t.value, REPLY_SPECS[t].label) for t in WITHHOLDING_GROUNDS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    decision_text = forms.CharField(
        label="答复内容（提供的信息、获取方式和途径等）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reasons = forms.CharField(
        label="理由（不予公开、部分公开时必填）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    legal_basis = forms.CharField(
        label="法律依据（留空则按答复类型自动填写）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    responsible_agency_name = forms.CharField(
        label="负责公开的机关（非本机关负责公开时）", required=False
    )
    responsible_agency_contact = forms.CharField(label="该机关联系方式", required=False)


class SignForm(ActionForm):
    letter_date = today_field("签发（成文）日期")


class ServeForm(ActionForm):
    served_on = today_field(
        "送达日期",
        help_text="直接送达以申请人签收之日为准；邮寄送达以交邮之日为准（国办公开办函〔2016〕235号）。",
    )
    method = forms.ChoiceField(label="送达方式", choices=SERVICE_METHOD_CHOICES, initial="direct")
    post_receipt_no = forms.CharField(label="邮件号码（邮寄送达）", required=False, max_length=40)
    cash_on_delivery = forms.BooleanField(label="邮费到付", required=False)


class ConfirmForm(ActionForm):
    pass


class TransferForm(ActionForm):
    target = forms.ModelChoiceField(label="转送至", queryset=Agency.objects.none())
    notified_on = today_field("告知申请人日期")
    method = forms.ChoiceField(
        label="告知方式", choices=SERVICE_METHOD_CHOICES, initial="electronic"
    )
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = (
            Agency.objects.filter(is_active=True)
            .exclude(pk=self.application.agency_id)
            .exclude(kind=Agency.Kind.UNIT)
        )


class ReopenForm(ActionForm):
    reopened_on = today_field("收到纠正决定日期")
    reason = forms.CharField(
        label="依据（复议决定书或判决书）", widget=forms.Textarea(attrs={"rows": 2})
    )


ACTION_FORMS: dict[Action, type[ActionForm]] = {
    Action.CONFIRM_RECEIPT: ConfirmReceiptForm,
    Action.REQUEST_AMENDMENT: RequestAmendmentForm,
    Action.RECEIVE_AMENDMENT: ReceiveAmendmentForm,
    Action.CONSULT: ConsultForm,
    Action.RECORD_CONSULTATION_REPLY: ConsultationReplyForm,
    Action.PROPOSE_EXTENSION: ProposeExtensionForm,
    Action.APPROVE_EXTENSION: ApproveExtensionForm,
    Action.REJECT_EXTENSION: NoteForm,
    Action.NOTIFY_EXTENSION: NotifyExtensionForm,
    Action.SET_DELAYED_REPLY: DelayedReplyForm,
    Action.ISSUE_FEE_NOTICE: FeeNoticeForm,
    Action.RECORD_PAYMENT: PaymentForm,
    Action.DRAFT_DECISION: DraftDecisionForm,
    Action.REVIEW_DECISION: NoteForm,
    Action.RETURN_DECISION: RequiredNoteForm,
    Action.SIGN_DECISION: SignForm,
    Action.SERVE_REPLY: ServeForm,
    Action.CLOSE_LAPSED: ConfirmForm,
    Action.TRANSFER: TransferForm,
    Action.REOPEN: ReopenForm,
}


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=Attachment.Kind.choices, initial="released")
    file = forms.FileField(label="文件")


class LetterTemplateForm(forms.Form):
    title = forms.CharField(label="标题", max_length=120)
    body = forms.CharField(
        label="正文模板（一行一段；${占位符}）", widget=forms.Textarea(attrs={"rows": 16})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for problem in template_problems(data.get("title", ""), data.get("body", "")):
            self.add_error("body", problem)
        return data

    placeholders = PLACEHOLDERS


class RequestSettingsForm(forms.ModelForm):
    class Meta:
        model = RequestSettings
        fields = [
            "office_name",
            "letter_prefix",
            "contact_phone",
            "contact_address",
            "postal_code",
            "accepts_online",
            "guide",
        ]
        widgets = {"guide": forms.Textarea(attrs={"rows": 4})}


class ImportForm(forms.Form):
    file = forms.FileField(label="台账文件（XLSX，使用导出的模板）")
    year = forms.IntegerField(label="年度", min_value=2008, max_value=2100, required=False)
