"""What the API reads and writes. Inputs are checked here (types, choices, lengths, date ranges)
before a service sees them; the services keep the domain rules (status, guards, statutory dates).

Personal data follows the back office's rules (docs/requests.md §9, docs/security.md §2): the ID
number, phone, e-mail and address only with ``view_personal_data``; names for the staff who
handle cases (``view_cases``) and masked for region-only viewers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from gongkai.core.models import Agency
from gongkai.core.security import (
    mask_address,
    mask_email,
    mask_id_number,
    mask_name,
    mask_phone,
    personal_data_visible,
)
from gongkai.ledger.annual.models import AnnualReportRecord
from gongkai.ledger.requests.models import Application, Attachment, Consultation, Letter
from gongkai.ledger.requests.models.application import (
    CHANNEL_CHOICES,
    SERVICE_METHOD_CHOICES,
)
from gongkai.ledger.requests.models.reference import CATEGORY_CHOICES, OrganisationType
from gongkai.ledger.requests.outcomes import DECIDABLE, REPLY_SPECS, WITHHOLDING_GROUNDS
from gongkai.ledger.requests.services.base import available_actions
from gongkai.ledger.requests.transitions import Status
from gongkai.statutory import fees
from gongkai.statutory.deadlines import ConsultationKind
from gongkai.statutory.formats import (
    LAYOUT_2021,
    OUTCOME_GROUP_LABELS,
    TABLE3_COLUMNS,
    OutcomeGroup,
)
from gongkai.statutory.report import AnnualReport

DATE_MIN = dt.date(2000, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
INT_MAX = 2**31 - 1
TEXT_MAX = 5000


# -- field types --------------------------------------------------------------------------------


class Day(serializers.DateField):
    """A date (``YYYY-MM-DD``) between 2000 and 2100: the statutory clock is computed over it."""

    default_error_messages = {
        "range": f"日期应在{DATE_MIN.isoformat()}至{DATE_MAX.isoformat()}之间。",
    }

    def to_internal_value(self, value: Any) -> dt.date:
        day = super().to_internal_value(value)
        if not DATE_MIN <= day <= DATE_MAX:
            self.fail("range")
        return day


def text(
    max_length: int = TEXT_MAX, *, required: bool = False, **kwargs: Any
) -> serializers.CharField:
    """A text field: required ones may not be blank, optional ones default to ``""``."""
    if not required:
        kwargs.setdefault("default", "")
    return serializers.CharField(
        max_length=max_length, required=required, allow_blank=not required, **kwargs
    )


def version_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1,
        max_value=INT_MAX,
        help_text="读取时的版本号（version）。案件在此期间被他人修改时返回 409，修改不会保存。",
    )


def correction_field() -> serializers.CharField:
    return text(
        2000,
        help_text="更正说明：案件计入已发布的年度报告、且本次操作改变该年度统计数据时必填。",
    )


# -- who sees what ------------------------------------------------------------------------------


def _user(serializer: serializers.BaseSerializer) -> Any:
    request = serializer.context.get("request")
    return getattr(request, "user", None)


def personal_visible(user: Any) -> bool:
    return bool(user is not None and (user.is_superuser or personal_data_visible(user)))


def names_visible(user: Any) -> bool:
    """Applicants' names: for case handlers; masked for region-only viewers."""
    return personal_visible(user) or bool(user is not None and user.has_perm("core.view_cases"))


# -- shared pieces ------------------------------------------------------------------------------


class AgencyRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    slug = serializers.CharField(read_only=True)


class ProblemSerializer(serializers.Serializer):
    """The error body (see ``gongkai.api.errors``)."""

    detail = serializers.CharField(help_text="中文说明")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="逐字段的错误（仅 400）",
    )


# -- applications: reading ----------------------------------------------------------------------


class ApplicationSummarySerializer(serializers.ModelSerializer):
    agency = AgencyRefSerializer(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    applicant_name = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "url",
            "registration_no",
            "agency",
            "status",
            "status_label",
            "version",
            "source",
            "channel",
            "applicant_type",
            "applicant_name",
            "category",
            "received_on",
            "due_on",
            "due_is_projected",
            "clock_provisional",
            "overdue",
            "outcome_row",
            "concluded_on",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_applicant_name(self, app: Application) -> str:
        if app.is_organisation or names_visible(_user(self)):
            return app.applicant_name
        return mask_name(app.applicant_name)

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_overdue(self, app: Application) -> bool:
        today = self.context.get("today")
        return bool(app.is_open and app.due_on and today and app.due_on < today)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, app: Application) -> str:
        return reverse("api:application-detail", args=[app.pk], request=self.context.get("request"))


class LetterRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Letter
        fields = ["id", "kind", "title", "number", "letter_date", "is_reply", "served_on"]
        read_only_fields = fields


class AttachmentRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "kind", "name", "size", "released", "uploaded_at"]
        read_only_fields = fields


class ConsultationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Consultation
        fields = ["id", "kind", "party", "sent_on", "party_received_on", "reply_on", "opinion"]
        read_only_fields = fields


class ApplicationDetailSerializer(ApplicationSummarySerializer):
    id_number = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    email = serializers.SerializerMethodField()
    address = serializers.SerializerMethodField()
    contact_name = serializers.SerializerMethodField()
    legal_representative = serializers.SerializerMethodField()
    organisation_type = serializers.CharField(
        source="organisation_type.name", read_only=True, default=""
    )
    personal_data_masked = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()
    letters = LetterRefSerializer(many=True, read_only=True)
    attachments = AttachmentRefSerializer(many=True, read_only=True)
    consultations = ConsultationRefSerializer(many=True, read_only=True)

    class Meta(ApplicationSummarySerializer.Meta):
        fields = [
            *ApplicationSummarySerializer.Meta.fields,
            "personal_data_masked",
            "id_type",
            "id_number",
            "organisation_type",
            "uscc",
            "legal_representative",
            "contact_name",
            "phone",
            "email",
            "address",
            "description",
            "document_number",
            "form_requested",
            "delivery",
            "notes",
            "submitted_on",
            "signed_on",
            "confirmed_on",
            "clock_state",
            "clock_start_on",
            "original_due_on",
            "extended_due_on",
            "payment_due_on",
            "extension_state",
            "extension_days",
            "delayed_reply_due_on",
            "fee_method",
            "fee_pages",
            "fee_amount",
            "fee_notice_served_on",
            "fee_paid_on",
            "month_ordinal",
            "possible_repeat_of",
            "reply_type",
            "withheld_grounds",
            "legal_basis",
            "reasons",
            "decision_text",
            "served_on",
            "service_method",
            "reopened_on",
            "transferred_to",
            "transferred_from",
            "created_at",
            "updated_at",
            "available_actions",
            "letters",
            "attachments",
            "consultations",
        ]
        read_only_fields = fields

    def _personal(self, app: Application, value: str, masker: Any) -> str:
        if not value or personal_visible(_user(self)):
            return value
        return str(masker(value))

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_personal_data_masked(self, app: Application) -> bool:
        return not personal_visible(_user(self))

    @extend_schema_field(OpenApiTypes.STR)
    def get_id_number(self, app: Application) -> str:
        return self._personal(app, app.id_number, mask_id_number)

    @extend_schema_field(OpenApiTypes.STR)
    def get_phone(self, app: Application) -> str:
        return self._personal(app, app.phone, mask_phone)

    @extend_schema_field(OpenApiTypes.STR)
    def get_email(self, app: Application) -> str:
        return self._personal(app, app.email, mask_email)

    @extend_schema_field(OpenApiTypes.STR)
    def get_address(self, app: Application) -> str:
        return self._personal(app, app.address, mask_address)

    @extend_schema_field(OpenApiTypes.STR)
    def get_contact_name(self, app: Application) -> str:
        if not app.contact_name or names_visible(_user(self)):
            return app.contact_name
        return mask_name(app.contact_name)

    @extend_schema_field(OpenApiTypes.STR)
    def get_legal_representative(self, app: Application) -> str:
        if not app.legal_representative or names_visible(_user(self)):
            return app.legal_representative
        return mask_name(app.legal_representative)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_available_actions(self, app: Application) -> list[str]:
        """The actions this user may take now (the case page's buttons)."""
        user = _user(self)
        return [a.value for a in available_actions(app, user)] if user is not None else []


# -- applications: filters and writing ----------------------------------------------------------

STATUS_FILTER_CHOICES = [("open", "全部在办"), *[(s.value, s.label) for s in Status]]
OUTCOME_FILTER_CHOICES = [
    *[(g.value, OUTCOME_GROUP_LABELS[g]) for g in OutcomeGroup],
    *[(k.value, LAYOUT_2021.table3_row(k).full_label) for k in LAYOUT_2021.outcome_keys],
]
T3_ROW_CHOICES = [(r.key.value, r.full_label) for r in LAYOUT_2021.table3_rows]
T3_COL_CHOICES = [(c.key.value, c.label) for c in TABLE3_COLUMNS]


class ApplicationFilterSerializer(serializers.Serializer):
    """The work list's filters (``selectors.application_filter``), all optional."""

    status = serializers.ChoiceField(choices=STATUS_FILTER_CHOICES, required=False)
    due = serializers.ChoiceField(
        choices=[("soon", "5个工作日内到期"), ("overdue", "已超期")], required=False
    )
    provisional = serializers.BooleanField(required=False, help_text="只看期限为暂定的")
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    outcome = serializers.ChoiceField(choices=OUTCOME_FILTER_CHOICES, required=False)
    category = serializers.ChoiceField(choices=CATEGORY_CHOICES, required=False)
    channel = serializers.ChoiceField(choices=CHANNEL_CHOICES, required=False)
    q = serializers.CharField(max_length=100, required=False, help_text="登记编号、申请人、内容")
    agency = serializers.IntegerField(min_value=1, max_value=INT_MAX, required=False)
    region = serializers.BooleanField(required=False, help_text="与 agency 合用：含下属机关")
    t3row = serializers.ChoiceField(choices=T3_ROW_CHOICES, required=False)
    t3col = serializers.ChoiceField(choices=T3_COL_CHOICES, required=False)
    t3year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)

    def params(self) -> dict[str, str]:
        """As the work list's query parameters (strings)."""
        out: dict[str, str] = {}
        for key, value in self.validated_data.items():
            if isinstance(value, bool):
                if value:
                    out[key] = "1"
            else:
                out[key] = str(value)
        return out


class ApplicantFieldsSerializer(serializers.Serializer):
    """Applicant and request fields; ``intake_problems`` (the portal's, the back office's and
    the 台账 import's one validation) checks them together."""

    applicant_type = serializers.ChoiceField(choices=Application.ApplicantType.choices)
    applicant_name = text(100, required=True)
    id_type = serializers.ChoiceField(
        choices=Application.IdType.choices, required=False, allow_blank=True, default=""
    )
    id_number = text(40)
    organisation_type = serializers.PrimaryKeyRelatedField(
        queryset=OrganisationType.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
    )
    uscc = text(18)
    legal_representative = text(60)
    contact_name = text(60)
    phone = text(40)
    email = serializers.EmailField(max_length=100, required=False, allow_blank=True, default="")
    address = text(200)
    postal_code = text(10)
    description = text(TEXT_MAX, required=True)
    document_number = text(200)
    form_requested = serializers.ChoiceField(
        choices=Application.Form.choices, default=Application.Form.ELECTRONIC
    )
    delivery = serializers.ChoiceField(
        choices=Application.Delivery.choices, default=Application.Delivery.EMAIL
    )
    notes = text(TEXT_MAX)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        from gongkai.ledger.requests.services.intake import intake_problems

        problems = intake_problems(attrs, require_phone=False)
        if problems:
            raise serializers.ValidationError({k: [v] for k, v in problems.items()})
        return attrs


class ApplicationRegisterSerializer(ApplicantFieldsSerializer):
    channel = serializers.ChoiceField(choices=CHANNEL_CHOICES)
    submitted_on = Day(required=False, allow_null=True, default=None)
    signed_on = Day(required=False, allow_null=True, default=None)
    confirmed_on = Day(required=False, allow_null=True, default=None)


class ApplicationUpdateSerializer(ApplicantFieldsSerializer):
    """A PATCH: only the fields sent change (they are checked together with the rest)."""

    version = version_field()
    correction_note = correction_field()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        from gongkai.ledger.requests.services.intake import INTAKE_FIELDS, intake_problems

        app: Application = self.context["application"]
        merged = {f: getattr(app, f) for f in INTAKE_FIELDS}
        merged.update({k: v for k, v in attrs.items() if k in INTAKE_FIELDS})
        problems = intake_problems(merged, require_phone=False)
        if problems:
            raise serializers.ValidationError({k: [v] for k, v in problems.items()})
        return attrs


# One input serializer per case action (``transitions.Action``), mirroring the back-office forms.


class ActionSerializer(serializers.Serializer):
    version = version_field()
    correction_note = correction_field()


class ConfirmReceiptSerializer(ActionSerializer):
    confirmed_on = Day(help_text="确认收到日期（双方确认之日）")


class RequestAmendmentSerializer(ActionSerializer):
    items = text(TEXT_MAX, required=True, help_text="需要补正的事项，一行一项")
    period_end = Day(help_text="补正期限")
    notice_on = Day(required=False, allow_null=True, default=None, help_text="告知日期，默认今天")


class ReceiveAmendmentSerializer(ActionSerializer):
    received_on = Day()
    note = text()


class ConsultSerializer(ActionSerializer):
    kind = serializers.ChoiceField(choices=[(k.value, k.value) for k in ConsultationKind])
    party = text(120, required=True)
    sent_on = Day()
    subject = text()
    party_address = text(200)
    party_received_on = Day(required=False, allow_null=True, default=None)


class ConsultationReplySerializer(ActionSerializer):
    consultation = serializers.IntegerField(min_value=1, max_value=INT_MAX)
    opinion = serializers.ChoiceField(choices=Consultation.Opinion.choices)
    reply_on = Day(required=False, allow_null=True, default=None)
    party_received_on = Day(required=False, allow_null=True, default=None)
    opinion_text = text()


class ProposeExtensionSerializer(ActionSerializer):
    reason = text(TEXT_MAX, required=True)
    days = serializers.IntegerField(min_value=1, max_value=20, default=20)


class ApproveExtensionSerializer(ActionSerializer):
    decided_on = Day(required=False, allow_null=True, default=None)


class NoteSerializer(ActionSerializer):
    note = text()


class RequiredNoteSerializer(ActionSerializer):
    note = text(TEXT_MAX, required=True)


class NotifyExtensionSerializer(ActionSerializer):
    notified_on = Day()


class DelayedReplySerializer(ActionSerializer):
    due_on = Day()
    notified_on = Day(required=False, allow_null=True, default=None)


FEE_METHOD_INPUT_CHOICES = [
    (m.value, m.label) for m in fees.FeeMethod if m is not fees.FeeMethod.NONE
]


class FeeNoticeSerializer(ActionSerializer):
    method = serializers.ChoiceField(choices=FEE_METHOD_INPUT_CHOICES)
    pages = serializers.IntegerField(min_value=1, max_value=1_000_000, required=False, default=None)
    served_on = Day()
    received_on = Day(required=False, allow_null=True, default=None)


class PaymentSerializer(ActionSerializer):
    paid_on = Day()
    notice_received_on = Day(required=False, allow_null=True, default=None)


class DraftDecisionSerializer(ActionSerializer):
    reply_type = serializers.ChoiceField(
        choices=[(t.value, REPLY_SPECS[t].label) for t in DECIDABLE]
    )
    withheld_grounds = serializers.ListField(
        child=serializers.ChoiceField(
            choices=[(t.value, REPLY_SPECS[t].label) for t in WITHHOLDING_GROUNDS]
        ),
        required=False,
        default=list,
        max_length=20,
    )
    legal_basis = text()
    reasons = text()
    decision_text = text()
    responsible_agency_name = text(120)
    responsible_agency_contact = text(200)


class SignSerializer(ActionSerializer):
    letter_date = Day(required=False, allow_null=True, default=None)


class ServeSerializer(ActionSerializer):
    served_on = Day()
    method = serializers.ChoiceField(choices=SERVICE_METHOD_CHOICES)
    post_receipt_no = text(40)
    cash_on_delivery = serializers.BooleanField(default=False)


class TransferSerializer(ActionSerializer):
    target = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.filter(is_active=True).exclude(kind=Agency.Kind.UNIT)
    )
    notified_on = Day()
    method = serializers.ChoiceField(choices=SERVICE_METHOD_CHOICES, default="electronic")
    note = text()


class ReopenSerializer(ActionSerializer):
    reopened_on = Day()
    reason = text(TEXT_MAX, required=True)


# -- annual reports -----------------------------------------------------------------------------


class AnnualReportSummarySerializer(serializers.ModelSerializer):
    agency = AgencyRefSerializer(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = AnnualReportRecord
        fields = [
            "id",
            "url",
            "agency",
            "year",
            "scope",
            "origin",
            "status",
            "status_label",
            "version",
            "assembled_at",
            "reviewed_at",
            "signed_at",
            "published_on",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, record: AnnualReportRecord) -> str:
        return reverse(
            "api:annual-report-detail", args=[record.pk], request=self.context.get("request")
        )


class AnnualReportDetailSerializer(AnnualReportSummarySerializer):
    report = serializers.SerializerMethodField(
        help_text="年度报告 JSON（AnnualReport，格式见 docs/annual-report.schema.json）"
    )

    class Meta(AnnualReportSummarySerializer.Meta):
        fields = [*AnnualReportSummarySerializer.Meta.fields, "report"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_report(self, record: AnnualReportRecord) -> dict[str, Any] | None:
        if not record.data:
            return None
        return AnnualReport.from_dict(record.data).to_dict()


class AnnualAssembleSerializer(serializers.Serializer):
    agency = serializers.IntegerField(min_value=1, max_value=INT_MAX, help_text="机关编号")
    year = serializers.IntegerField(min_value=2019, max_value=2100)
    scope = serializers.ChoiceField(
        choices=AnnualReportRecord.Scope.choices, default=AnnualReportRecord.Scope.AGENCY
    )


class AnnualFilterSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    agency = serializers.IntegerField(min_value=1, max_value=INT_MAX, required=False)
    status = serializers.ChoiceField(choices=AnnualReportRecord.Status.choices, required=False)


# -- publications (read-only, published items only) ---------------------------------------------


class PublicationAttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="original_name", read_only=True)
    content_type = serializers.CharField(read_only=True)
    size = serializers.IntegerField(read_only=True)


class PublicationSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()
    agency = AgencyRefSerializer(read_only=True)
    title = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True)
    index_number = serializers.CharField(read_only=True)
    category = serializers.CharField(read_only=True)
    document_number = serializers.CharField(read_only=True)
    written_on = serializers.DateField(read_only=True)
    published_at = serializers.DateTimeField(read_only=True)
    validity = serializers.CharField(read_only=True)
    issuing_body = serializers.CharField(read_only=True)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, publication: Any) -> str:
        return reverse(
            "api:publication-detail", args=[publication.pk], request=self.context.get("request")
        )


class PublicationDetailSerializer(PublicationSummarySerializer):
    body = serializers.CharField(read_only=True)
    portal_url = serializers.SerializerMethodField()
    attachments = PublicationAttachmentSerializer(many=True, read_only=True)

    @extend_schema_field(OpenApiTypes.URI)
    def get_portal_url(self, publication: Any) -> str:
        request = self.context.get("request")
        return reverse("portal:publishing:detail", args=[publication.pk], request=request)


class PublicationFilterSerializer(serializers.Serializer):
    agency = serializers.SlugField(max_length=60, required=False, help_text="机关网址标识")
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    q = serializers.CharField(max_length=100, required=False, help_text="标题包含")
