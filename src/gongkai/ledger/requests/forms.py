"""The application form shared by the staff intake page and the public portal.

Field validation is ``services.intake.intake_problems`` (also used by the 台账 import), so the
three entry points accept and refuse exactly the same data, with the same Chinese messages.
"""

from __future__ import annotations

from typing import Any

from django import forms

from gongkai.ledger.requests.models import Application, OrganisationType
from gongkai.ledger.requests.services.intake import (
    ATTACHMENT_LIMIT,
    ATTACHMENT_TYPES,
    intake_problems,
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(ATTACHMENT_TYPES)}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ApplicantForm(forms.Form):
    """Applicant and request fields (条例第二十九条). Purpose is not asked (the law does not
    require it)."""

    applicant_type = forms.ChoiceField(
        label="申请人类型",
        choices=Application.ApplicantType.choices,
        widget=forms.RadioSelect,
        initial=Application.ApplicantType.NATURAL_PERSON,
    )
    applicant_name = forms.CharField(label="姓名或名称", max_length=100)
    id_type = forms.ChoiceField(
        label="身份证件类型（自然人）",
        choices=[("", "——请选择——"), *Application.IdType.choices],
        required=False,
        initial=Application.IdType.RESIDENT_ID,
    )
    id_number = forms.CharField(label="身份证件号码（自然人）", max_length=40, required=False)
    organisation_type = forms.ModelChoiceField(
        label="组织类型（法人或其他组织）",
        queryset=OrganisationType.objects.filter(is_active=True),
        required=False,
        empty_label="——请选择——",
    )
    uscc = forms.CharField(
        label="统一社会信用代码（法人或其他组织）", max_length=18, required=False
    )
    legal_representative = forms.CharField(
        label="法定代表人或负责人", max_length=60, required=False
    )
    contact_name = forms.CharField(label="联系人", max_length=60, required=False)
    phone = forms.CharField(label="联系电话", max_length=40, required=False)
    email = forms.EmailField(label="电子邮箱", max_length=100, required=False)
    address = forms.CharField(label="通信地址", max_length=200, required=False)
    postal_code = forms.CharField(label="邮政编码", max_length=10, required=False)
    description = forms.CharField(
        label="所需政府信息的名称或特征性描述",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="请写明信息的名称、文号，或者便于查询的其他特征性描述（如形成时间、发布机关）。",
    )
    document_number = forms.CharField(label="文号（如知道）", max_length=200, required=False)
    form_requested = forms.ChoiceField(
        label="信息载体形式", choices=Application.Form.choices, initial="electronic"
    )
    delivery = forms.ChoiceField(
        label="获取信息的方式", choices=Application.Delivery.choices, initial="email"
    )
    attachments = MultipleFileField(
        label=f"附件（身份证明等，最多{ATTACHMENT_LIMIT}个，每个不超过10MB）"
    )

    require_phone = True

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for field, message in intake_problems(data, require_phone=self.require_phone).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return data

    def intake_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("attachments", None)
        return {k: ("" if v is None and k != "organisation_type" else v) for k, v in data.items()}
