"""Forms of the 主动公开 back office (fields only; the services validate the rules)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.templatetags.static import static
from django_prose_editor.widgets import ProseEditorWidget

from gongkai.core import clock
from gongkai.ledger.publishing.models import (
    Category,
    Column,
    Publication,
    PublicationChannel,
    RegisterEntry,
    Topic,
)
from gongkai.ledger.publishing.selectors import columns_for_user
from gongkai.ledger.publishing.services.attachments import max_attachment_bytes

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


# What the 正文 editor offers (django-prose-editor's Tiptap extensions). Everything these produce
# must survive ``ledger.publishing.text.sanitize_body``, the one server-side sanitiser: the test
# ``tests/web/test_body_editor.py`` compares this list with its allowlist.
BODY_EDITOR_EXTENSIONS: dict[str, Any] = {
    "Paragraph": True,
    "HardBreak": True,
    "Heading": {"levels": [2, 3, 4]},
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": True},
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
}


class BodyEditorWidget(ProseEditorWidget):
    """django-prose-editor's textarea widget, started by our own module instead of the library's
    presets: those need an inline ``<script type="importmap">`` and let Tiptap add an inline
    ``<style>``, both of which the CSP (``script-src 'self'; style-src 'self'``) refuses. The
    configuration travels in a ``data-`` attribute; without JavaScript the textarea stays."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            attrs={"rows": 14, **(attrs or {})},
            config={"extensions": BODY_EDITOR_EXTENSIONS},
            preset="gongkai",
        )

    def get_config(self) -> dict[str, Any]:
        # The URL of the editor module through static(): hashed by the manifest in production.
        return {**super().get_config(), "module": static("django_prose_editor/editor.js")}

    @property
    def media(self) -> forms.Media:
        return forms.Media(
            css={
                "all": [
                    "django_prose_editor/material-icons.css",
                    "django_prose_editor/editor.css",
                    "publishing/body-editor.css",
                ]
            },
            js=[forms.Script("publishing/body-editor.js", type="module")],
        )


class ColumnChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Column) -> str:
        return f"{obj.agency.short_name or obj.agency.name} · {obj.name}"


class TopicChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Topic) -> str:
        return obj.label


class PublicationForm(forms.Form):
    column = ColumnChoiceField(label="栏目", queryset=Column.objects.none())
    title = forms.CharField(label="标题", max_length=300)
    summary = forms.CharField(
        label="内容概述",
        max_length=500,
        required=False,
        help_text="公开目录中显示的简要说明（条例第十二条）",
    )
    body = forms.CharField(
        label="正文",
        required=False,
        widget=BodyEditorWidget,
        help_text="用工具栏设置标题、加粗、列表、链接和表格，可从 Word 粘贴；浏览器未启用脚本时"
        "可直接输入文字（空行分段）或 HTML。保存时只保留这些格式，脚本和样式一律清除。",
    )
    category = forms.ChoiceField(label="信息分类（条例第二十条）", choices=Category.choices)
    topic = TopicChoiceField(
        label="主题分类",
        required=False,
        queryset=Topic.objects.filter(is_active=True).select_related("parent"),
    )
    doc_type = forms.ChoiceField(label="文件类型", choices=Publication.DocType.choices)
    interprets = forms.ModelChoiceField(
        label="所解读的政策文件",
        required=False,
        queryset=Publication.objects.none(),
        help_text="文件类型为“政策解读”时选择",
    )
    document_number = forms.CharField(label="文号", max_length=100, required=False)
    written_on = forms.DateField(label="成文日期", required=False, widget=DATE_INPUT)
    issuing_body = forms.CharField(
        label="发布机构", max_length=120, required=False, help_text="留空则为本机关名称"
    )
    register_kind = forms.ChoiceField(
        label="登记到文件库",
        required=False,
        choices=Publication.RegisterKind.choices,
        help_text="规章、行政规范性文件发布时自动登记，计入年度报告表二",
    )
    scheduled_at = forms.DateTimeField(
        label="定时发布时间",
        required=False,
        widget=DATETIME_INPUT,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text="留空则保密审查通过后立即发布",
    )
    channels = forms.MultipleChoiceField(
        label="发布渠道",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            c
            for c in PublicationChannel.Channel.choices
            if c[0] != PublicationChannel.Channel.OTHER
        ],
        initial=[PublicationChannel.Channel.PLATFORM],
    )
    other_channels = forms.CharField(
        label="其他渠道", max_length=200, required=False, help_text="多个渠道用顿号或逗号分隔"
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        columns = columns_for_user(user)
        self.fields["column"].queryset = columns
        self.fields["interprets"].queryset = Publication.objects.filter(
            agency__in=columns.values("agency"), doc_type=Publication.DocType.POLICY
        ).exclude(status=Publication.Status.WITHDRAWN)

    def clean_other_channels(self) -> list[str]:
        raw = self.cleaned_data.get("other_channels") or ""
        for sep in ("，", "、", ";", "；"):
            raw = raw.replace(sep, ",")
        return [p.strip() for p in raw.split(",") if p.strip()]

    def clean_scheduled_at(self) -> dt.datetime | None:
        value = self.cleaned_data.get("scheduled_at")
        if value is not None and value <= clock.now():
            raise forms.ValidationError("定时发布时间须晚于现在")
        return value

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for name in ("channels", "other_channels", "version"):
            data.pop(name, None)
        data["register_kind"] = data.get("register_kind") or ""
        return data

    @classmethod
    def initial_for(cls, publication: Publication) -> dict[str, Any]:
        channels = list(publication.channels.all())
        return {
            **{
                name: getattr(publication, name)
                for name in (
                    "column",
                    "title",
                    "summary",
                    "body",
                    "category",
                    "topic",
                    "doc_type",
                    "interprets",
                    "document_number",
                    "written_on",
                    "issuing_body",
                    "register_kind",
                    "scheduled_at",
                )
            },
            "channels": [c.channel for c in channels if c.channel != "other"],
            "other_channels": "、".join(c.name for c in channels if c.channel == "other"),
            "version": publication.version,
        }


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="审核结论",
        widget=forms.RadioSelect,
        choices=[("approve", "通过"), ("return", "退回修改")],
    )
    proofread = forms.BooleanField(
        label="已完成本级校对（标题、正文、附件、元数据）", required=False
    )
    comment = forms.CharField(
        label="审核意见",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="退回时必填",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="撤回原因", widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ValidityForm(forms.Form):
    validity = forms.ChoiceField(label="有效性", choices=Publication.Validity.choices)
    changed_on = forms.DateField(label="失效或废止日期", required=False, widget=DATE_INPUT)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ChannelsForm(forms.Form):
    channels = PublicationForm.base_fields["channels"]
    other_channels = PublicationForm.base_fields["other_channels"]
    clean_other_channels = PublicationForm.clean_other_channels


class AttachmentForm(forms.Form):
    file = forms.FileField(label="附件")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "file"
        ].help_text = (
            f"PDF、OFD、Word、Excel、WPS、压缩包或图片，不超过 {max_attachment_bytes() // 2**20} MB"
        )


class RegisterEntryForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=RegisterEntry.Kind.choices)
    title = forms.CharField(label="文件名称", max_length=300)
    document_number = forms.CharField(label="文号", max_length=100, required=False)
    issued_on = forms.DateField(label="制发日期", widget=DATE_INPUT)
    repealed_on = forms.DateField(label="废止（失效）日期", required=False, widget=DATE_INPUT)
    repeal_note = forms.CharField(label="废止说明", max_length=300, required=False)


class FiguresImportForm(forms.Form):
    file = forms.FileField(
        label="XLSX 文件",
        help_text="第一张工作表须有表头：月份、行政许可、行政处罚、行政强制、行政事业性收费（万元）",
    )


class YearFiguresForm(forms.Form):
    """Twelve months × four figures, as one grid."""

    FIELDS = (
        ("licensing", "行政许可"),
        ("penalty", "行政处罚"),
        ("coercion", "行政强制"),
        ("fee", "行政事业性收费（万元）"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for month in range(1, 13):
            for name, label in self.FIELDS:
                if name == "fee":
                    field: forms.Field = forms.DecimalField(
                        label=f"{month}月{label}",
                        min_value=0,
                        max_digits=14,
                        decimal_places=4,
                        required=False,
                    )
                else:
                    field = forms.IntegerField(
                        label=f"{month}月{label}", min_value=0, required=False
                    )
                self.fields[f"m{month}_{name}"] = field

    def rows(self) -> list[tuple[int, list[forms.BoundField]]]:
        return [(m, [self[f"m{m}_{name}"] for name, _ in self.FIELDS]) for m in range(1, 13)]


class ColumnForm(forms.Form):
    name = forms.CharField(label="栏目名称", max_length=60)
    update_class = forms.ChoiceField(label="更新要求", choices=Column.UpdateClass.choices)
    disclosure_class = forms.ChoiceField(label="信息类别", choices=Column.DisclosureClass.choices)
    position = forms.IntegerField(label="排序", min_value=0, initial=0)
    is_active = forms.BooleanField(label="启用", required=False, initial=True)


class SettingsForm(forms.Form):
    index_template = forms.CharField(
        label="索引号模板",
        max_length=120,
        help_text="可用：{org_code} {uscc} {region} {dept} {category} {year} {yyyymm} {yyyymmdd} "
        "{seq:05}（流水号及位数）。流水号在模板其余部分相同的范围内连续编号，例如含 {year} 则每年重新编号。",
    )
    org_code = forms.CharField(
        label="组织机构代码",
        max_length=20,
        required=False,
        help_text="留空则取统一社会信用代码第9-17位",
    )
    dept_code = forms.CharField(label="部门代码", max_length=20, required=False)
    interpretation_tolerance_days = forms.IntegerField(
        label="政策解读可晚于政策文件的天数", min_value=0, max_value=365, initial=0
    )
