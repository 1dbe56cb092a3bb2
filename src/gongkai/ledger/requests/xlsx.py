"""台账 (ledger) as XLSX: export a year, and import a filled-in copy of the same template.

Layout (docs/ledger-xlsx.md): sheet ``台账`` with one header row of Chinese column names
(``COLUMNS``) and one application per row; sheet ``填写说明`` explains every column; sheet
``选项`` holds the allowed values used by the drop-down lists. Import reads columns by header
name (order does not matter, export-only columns are ignored), validates every row, and
imports all rows in one transaction — or none, with the list of rejected rows and reasons.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from gongkai.core import audit, clock
from gongkai.core.models import Agency
from gongkai.ledger.requests.masking import mask_address, mask_email, mask_id, mask_name, mask_phone
from gongkai.ledger.requests.models import (
    AmendmentRound,
    Application,
    Consultation,
    OrganisationType,
)
from gongkai.ledger.requests.models.application import CHANNEL_CHOICES, SERVICE_METHOD_CHOICES
from gongkai.ledger.requests.models.reference import CATEGORY_CHOICES
from gongkai.ledger.requests.outcomes import REPLY_SPECS, ReplyType
from gongkai.ledger.requests.services.clock import application_recompute_clock
from gongkai.ledger.requests.services.intake import applicant_key
from gongkai.ledger.requests.services.numbering import REGISTRATION, reserve_numbers
from gongkai.ledger.requests.transitions import Status
from gongkai.ledger.requests.validators import (
    id_number_problem,
    normalise_id,
    phone_problem,
    uscc_problem,
)
from gongkai.statutory import fees
from gongkai.statutory.deadlines import ClockError
from gongkai.statutory.formats import LAYOUT_2021

__all__ = ["COLUMNS", "ImportReport", "RowError", "export_ledger", "import_ledger"]

SHEET = "台账"
MAX_ROWS = 20000


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    width: int = 14
    importable: bool = True
    choices: tuple[str, ...] = ()
    note: str = ""


def _labels(choices: Iterable[tuple[str, str]]) -> tuple[str, ...]:
    return tuple(label for _, label in choices)


_APPLICANT_TYPES = dict(Application.ApplicantType.choices)
_ID_TYPES = dict(Application.IdType.choices)
_CHANNELS = dict(CHANNEL_CHOICES)
_CATEGORIES = dict(CATEGORY_CHOICES)
_FORMS = dict(Application.Form.choices)
_DELIVERIES = dict(Application.Delivery.choices)
_SERVICE = dict(SERVICE_METHOD_CHOICES)
_FEE_METHODS = {m.value: m.label for m in fees.FeeMethod}
_REPLY_TYPES = {t.value: s.label for t, s in REPLY_SPECS.items()}
_ROW_LABELS = {k.value: LAYOUT_2021.table3_row(k).full_label for k in LAYOUT_2021.outcome_keys}

COLUMNS: tuple[Column, ...] = (
    Column(
        "登记编号", "registration_no", 22, note="形如“依申请〔2025〕第0042号”；留空则导入时自动编号"
    ),
    Column("申请方式", "channel", 14, choices=_labels(CHANNEL_CHOICES)),
    Column("收到申请之日", "received_on", 13, note="条例第三十一条规定的收到申请之日，必填"),
    Column("申请人类型", "applicant_type", 14, choices=_labels(Application.ApplicantType.choices)),
    Column("姓名或名称", "applicant_name", 18),
    Column("身份证件类型", "id_type", 14, choices=_labels(Application.IdType.choices)),
    Column("身份证件号码", "id_number", 20, note="居民身份证号码须通过校验"),
    Column("统一社会信用代码", "uscc", 20, note="法人或其他组织填写，须通过校验"),
    Column("组织类型", "organisation_type", 18, note="与“申请人组织类型”对照表一致"),
    Column(
        "统计类别",
        "category",
        12,
        choices=_labels(CATEGORY_CHOICES),
        note="年度报告表三的申请人类别；法人或其他组织未填组织类型时必填",
    ),
    Column("联系电话", "phone", 14),
    Column("电子邮箱", "email", 18),
    Column("通信地址", "address", 24),
    Column("申请公开的信息", "description", 36),
    Column("文号", "document_number", 14),
    Column("载体形式", "form_requested", 10, choices=_labels(Application.Form.choices)),
    Column("获取方式", "delivery", 12, choices=_labels(Application.Delivery.choices)),
    Column("告知补正日期", "amendment_notice_on", 13),
    Column("补正期限", "amendment_period_end", 13),
    Column("收到补正日期", "amendment_received_on", 13),
    Column("征求意见对象", "consultation_party", 16),
    Column("征求意见发出日期", "consultation_sent_on", 13),
    Column("征求意见反馈日期", "consultation_reply_on", 13),
    Column("延期批准日期", "extension_decided_on", 13),
    Column("延期告知日期", "extension_notified_on", 13),
    Column(
        "收费方式", "fee_method", 10, choices=_labels((m.value, m.label) for m in fees.FeeMethod)
    ),
    Column("收费金额（元）", "fee_amount", 10),
    Column("收费通知日期", "fee_notice_served_on", 13),
    Column("缴费日期", "fee_paid_on", 13),
    Column(
        "答复类型",
        "reply_type",
        26,
        choices=tuple(_REPLY_TYPES.values()),
        note="决定表三的办理结果行；部分公开只计“部分公开”",
    ),
    Column("办理结果（表三）", "outcome_row", 30, importable=False),
    Column("法律依据", "legal_basis", 30),
    Column("送达方式", "service_method", 18, choices=_labels(SERVICE_METHOD_CHOICES)),
    Column("送达日期", "served_on", 13, note="直接送达为签收之日，邮寄为交邮之日"),
    Column("办结日期", "concluded_on", 13, note="视为放弃申请的，填逾期次日"),
    Column("答复期限", "due_on", 13, importable=False),
    Column("状态", "status", 14, importable=False),
    Column("备注", "notes", 24),
)
_BY_HEADER = {c.header: c for c in COLUMNS}


def _export_row(app: Application, personal: bool, extra: dict[str, Any]) -> list[Any]:
    def m(v: str, f: Any) -> str:
        return v if personal or not v else f(v)

    values: dict[str, Any] = {
        "registration_no": app.registration_no,
        "channel": _CHANNELS.get(app.channel, app.channel),
        "received_on": app.received_on,
        "applicant_type": _APPLICANT_TYPES.get(app.applicant_type, ""),
        "applicant_name": m(app.applicant_name, mask_name),
        "id_type": _ID_TYPES.get(app.id_type, ""),
        "id_number": m(app.id_number, mask_id),
        "uscc": app.uscc,
        "organisation_type": str(app.organisation_type or ""),
        "category": _CATEGORIES.get(app.category, ""),
        "phone": m(app.phone, mask_phone),
        "email": m(app.email, mask_email),
        "address": m(app.address, mask_address),
        "description": app.description,
        "document_number": app.document_number,
        "form_requested": _FORMS.get(app.form_requested, ""),
        "delivery": _DELIVERIES.get(app.delivery, ""),
        "extension_decided_on": app.extension_decided_on
        if app.extension_state == "approved"
        else None,
        "extension_notified_on": app.extension_notified_on,
        "fee_method": _FEE_METHODS.get(app.fee_method, "") if app.fee_notice_served_on else "",
        "fee_amount": float(app.fee_amount) if app.fee_amount is not None else None,
        "fee_notice_served_on": app.fee_notice_served_on,
        "fee_paid_on": app.fee_paid_on,
        "reply_type": _REPLY_TYPES.get(app.reply_type, ""),
        "outcome_row": _ROW_LABELS.get(app.outcome_row, ""),
        "legal_basis": app.legal_basis,
        "service_method": _SERVICE.get(app.service_method, ""),
        "served_on": app.served_on,
        "concluded_on": app.concluded_on,
        "due_on": app.due_on,
        "status": app.get_status_display(),
        "notes": app.notes,
        **extra,
    }
    return [values.get(c.key) for c in COLUMNS]


def _write_options(wb: Workbook) -> dict[str, str]:
    ws = wb.create_sheet("选项")
    refs: dict[str, str] = {}
    col = 1
    for c in COLUMNS:
        if not c.choices:
            continue
        letter = get_column_letter(col)
        ws.cell(row=1, column=col, value=c.header)
        for i, value in enumerate(c.choices, start=2):
            ws.cell(row=i, column=col, value=value)
        refs[c.key] = f"选项!${letter}$2:${letter}${len(c.choices) + 1}"
        col += 1
    ws.sheet_state = "hidden"
    return refs


def _write_help(wb: Workbook, *, personal: bool) -> None:
    ws = wb.create_sheet("填写说明")
    ws.append(["列名", "可否导入", "说明", "可选值"])
    for c in COLUMNS:
        ws.append([c.header, "是" if c.importable else "仅导出", c.note, "、".join(c.choices)])
    ws.append([])
    ws.append(["日期格式", "", "2025-03-05、2025/3/5 或 2025年3月5日", ""])
    ws.append(["导入规则", "", "逐行校验；任何一行有错误则全部不导入，并列出出错的行和原因", ""])
    if not personal:
        ws.append(["个人信息", "", "本文件中的个人信息已脱敏，不能用于导入", ""])
    for col, width in zip("ABCD", (20, 10, 60, 60), strict=True):
        ws.column_dimensions[col].width = width


def export_ledger(queryset: QuerySet[Application], *, personal: bool, title: str = "") -> bytes:
    """The applications of ``queryset`` as a 台账 XLSX (personal data masked unless
    ``personal``)."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append([c.header for c in COLUMNS])
    head_font = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE7F0")
    for i, c in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = head_font
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(i)].width = c.width
    ws.freeze_panes = "B2"
    apps = (
        queryset.select_related("organisation_type")
        .prefetch_related("amendments", "consultations")
        .order_by("registration_year", "registration_seq")
    )
    n = 0
    date_cols = [i for i, c in enumerate(COLUMNS, start=1) if c.key.endswith("_on")]
    for app in apps:
        amend = list(app.amendments.all())
        first_round = amend[0] if amend else None
        cons = list(app.consultations.all())
        extra = {
            "amendment_notice_on": first_round.notice_on if first_round else None,
            "amendment_period_end": first_round.period_end if first_round else None,
            "amendment_received_on": first_round.received_on if first_round else None,
            "consultation_party": cons[0].party if cons else "",
            "consultation_sent_on": cons[0].sent_on if cons else None,
            "consultation_reply_on": cons[0].reply_on if cons else None,
        }
        ws.append(_export_row(app, personal, extra))
        n += 1
    for col in date_cols:
        for row in range(2, n + 2):
            ws.cell(row=row, column=col).number_format = "yyyy-mm-dd"
    refs = _write_options(wb)
    last = max(n + 1, 500)
    for i, c in enumerate(COLUMNS, start=1):
        if c.key in refs and c.importable:
            dv = DataValidation(type="list", formula1=f"={refs[c.key]}", allow_blank=True)
            dv.error = "请从下拉列表中选择"
            ws.add_data_validation(dv)
            letter = get_column_letter(i)
            dv.add(f"{letter}2:{letter}{last}")
    _write_help(wb, personal=personal)
    if title:
        wb.properties.title = title
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# -- import ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int  # spreadsheet row number (header = 1)
    column: str  # header name ("" = the whole row)
    reason: str

    def __str__(self) -> str:
        where = f"第{self.row}行" + (f"“{self.column}”" if self.column else "")
        return f"{where}：{self.reason}"


@dataclass
class ImportReport:
    rows_read: int = 0
    imported: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


_DATE_RE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_REGNO_RE = re.compile(r"〔(\d{4})〕第?0*(\d+)号")


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    m = _DATE_RE.match(str(value))
    if not m:
        raise ValueError("日期格式不正确（应为2025-03-05或2025年3月5日）")
    return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def _reverse(mapping: dict[str, str]) -> dict[str, str]:
    return {label: value for value, label in mapping.items()}


@dataclass
class _Parsed:
    row: int
    values: dict[str, Any]


def _parse_row(
    row_no: int, raw: dict[str, Any], org_types: dict[str, OrganisationType], today: date
) -> tuple[_Parsed | None, list[RowError]]:
    errors: list[RowError] = []
    v: dict[str, Any] = {}

    def err(key: str, reason: str) -> None:
        header = next((c.header for c in COLUMNS if c.key == key), "")
        errors.append(RowError(row_no, header, reason))

    def text(key: str) -> str:
        value = raw.get(key)
        return "" if value is None else str(value).strip()

    def choice(key: str, mapping: dict[str, str], required: bool = False) -> str:
        t = text(key)
        if not t:
            if required:
                err(key, "必填")
            return ""
        rev = _reverse(mapping)
        if t in rev:
            return rev[t]
        if t in mapping:
            return t
        err(key, f"“{t}”不是可选值")
        return ""

    for key in (
        "received_on",
        "amendment_notice_on",
        "amendment_period_end",
        "amendment_received_on",
        "consultation_sent_on",
        "consultation_reply_on",
        "extension_decided_on",
        "extension_notified_on",
        "fee_notice_served_on",
        "fee_paid_on",
        "served_on",
        "concluded_on",
    ):
        try:
            v[key] = _date(raw.get(key))
        except ValueError as exc:
            err(key, str(exc))
            v[key] = None
        if v[key] is not None and v[key] > today:
            err(key, "日期晚于今天")
    if v.get("received_on") is None and not any(e.column == "收到申请之日" for e in errors):
        err("received_on", "必填")

    v["channel"] = choice("channel", _CHANNELS, required=True)
    v["applicant_type"] = choice("applicant_type", _APPLICANT_TYPES, required=True)
    v["applicant_name"] = text("applicant_name")
    if not v["applicant_name"]:
        err("applicant_name", "必填")
    v["id_type"] = choice("id_type", _ID_TYPES)
    v["id_number"] = normalise_id(text("id_number"))
    v["uscc"] = normalise_id(text("uscc"))
    if v["id_number"] and v["id_type"] in ("", Application.IdType.RESIDENT_ID):
        p = id_number_problem(v["id_number"])
        if p:
            err("id_number", p)
        v["id_type"] = v["id_type"] or Application.IdType.RESIDENT_ID
    if v["uscc"]:
        p = uscc_problem(v["uscc"])
        if p:
            err("uscc", p)
    org_name = text("organisation_type")
    org = org_types.get(org_name) if org_name else None
    if org_name and org is None:
        err("organisation_type", f"“{org_name}”不在组织类型对照表中")
    category = choice("category", _CATEGORIES)
    if v["applicant_type"] == Application.ApplicantType.NATURAL_PERSON:
        if category and category != "NP":
            err("category", "自然人的统计类别只能是“自然人”")
        category = "NP"
        org = None
    elif v["applicant_type"] == Application.ApplicantType.ORGANISATION:
        if org is not None:
            if category and category != org.category:
                err(
                    "category",
                    f"与组织类型“{org.name}”对应的类别“{_CATEGORIES[org.category]}”不一致",
                )
            category = org.category
        elif not category:
            err("category", "法人或其他组织须填写组织类型或统计类别")
        elif category == "NP":
            err("category", "法人或其他组织的统计类别不能是“自然人”")
    v["category"] = category
    v["organisation_type"] = org
    phone = text("phone")
    if phone and phone_problem(phone):
        err("phone", phone_problem(phone) or "")
    v["phone"] = phone
    v["email"] = text("email")
    v["address"] = text("address")
    v["description"] = text("description")
    if len(v["description"]) < 4:
        err("description", "须写明申请公开的信息")
    v["document_number"] = text("document_number")
    v["form_requested"] = choice("form_requested", _FORMS) or Application.Form.ELECTRONIC
    v["delivery"] = choice("delivery", _DELIVERIES) or Application.Delivery.EMAIL
    v["consultation_party"] = text("consultation_party")
    v["fee_method"] = choice("fee_method", _FEE_METHODS) or fees.FeeMethod.NONE
    amount = raw.get("fee_amount")
    v["fee_amount"] = None
    if amount not in (None, ""):
        try:
            v["fee_amount"] = Decimal(str(amount)).quantize(Decimal("0.01"))
            if v["fee_amount"] < 0:
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            err("fee_amount", "金额应为非负数")
    v["reply_type"] = choice("reply_type", _REPLY_TYPES)
    v["service_method"] = choice("service_method", _SERVICE)
    v["legal_basis"] = text("legal_basis")
    v["notes"] = text("notes")
    regno = text("registration_no")
    v["registration_no"] = regno
    v["regno_parts"] = None
    if regno:
        m = _REGNO_RE.search(regno)
        if not m:
            err("registration_no", "登记编号格式应为“依申请〔2025〕第0042号”")
        else:
            v["regno_parts"] = (int(m.group(1)), int(m.group(2)))

    received = v.get("received_on")
    rtype = v["reply_type"]

    def after_receipt(key: str, label: str) -> None:
        if received and v.get(key) and v[key] < received:
            err(key, f"{label}早于收到申请之日")

    for key, label in (
        ("amendment_notice_on", "告知补正日期"),
        ("consultation_sent_on", "征求意见日期"),
        ("fee_notice_served_on", "收费通知日期"),
        ("served_on", "送达日期"),
        ("concluded_on", "办结日期"),
        ("extension_decided_on", "延期批准日期"),
    ):
        after_receipt(key, label)
    if v["amendment_notice_on"] and not v["amendment_period_end"]:
        err("amendment_period_end", "告知补正的须填写补正期限")
    if (
        v["amendment_period_end"]
        and v["amendment_notice_on"]
        and v["amendment_period_end"] <= v["amendment_notice_on"]
    ):
        err("amendment_period_end", "补正期限应晚于告知补正日期")
    if v["amendment_received_on"] and not v["amendment_notice_on"]:
        err("amendment_received_on", "没有告知补正日期")
    if v["consultation_sent_on"] and not v["consultation_party"]:
        err("consultation_party", "征求意见的须填写征求意见对象")
    if (
        v["consultation_reply_on"]
        and v["consultation_sent_on"]
        and (v["consultation_reply_on"] < v["consultation_sent_on"])
    ):
        err("consultation_reply_on", "反馈日期早于发出日期")
    if v["fee_notice_served_on"] and v["fee_method"] == fees.FeeMethod.NONE:
        err("fee_method", "发出收费通知的须填写收费方式")
    if v["fee_paid_on"] and not v["fee_notice_served_on"]:
        err("fee_paid_on", "没有收费通知日期")
    concluded = v["concluded_on"] or v["served_on"]
    if rtype:
        if rtype in (ReplyType.LAPSED_AMENDMENT, ReplyType.LAPSED_FEE):
            if not v["concluded_on"]:
                err("concluded_on", "视为放弃申请的须填写办结日期（逾期次日）")
        elif not v["served_on"]:
            err("served_on", "已答复的须填写送达日期")
        if v["served_on"] and not v["service_method"]:
            err("service_method", "已送达的须填写送达方式")
        v["concluded_on"] = concluded
    elif v["served_on"] or v["concluded_on"]:
        err("reply_type", "已答复或办结的须填写答复类型")
    if rtype == ReplyType.PARTIAL:
        pass  # grounds are not in the 台账; the row is O2 either way
    if v["concluded_on"] and received and v["concluded_on"] < received:
        err("concluded_on", "办结日期早于收到申请之日")
    if errors:
        return None, errors
    return _Parsed(row_no, v), []


def read_rows(data: bytes) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    """Rows of the ``台账`` sheet as ``(row number, {column key: value})``."""
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable file gets the same message
        return [], [RowError(0, "", "无法读取文件，请上传由本系统导出的XLSX台账模板")]
    ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    try:
        header = next(rows)
    except StopIteration:
        return [], [RowError(1, "", "文件为空")]
    keys: list[str | None] = []
    for h in header:
        col = _BY_HEADER.get(str(h).strip()) if h is not None else None
        keys.append(col.key if col and col.importable else None)
    missing = [
        c.header
        for c in COLUMNS
        if c.key in ("received_on", "applicant_name", "description") and c.key not in keys
    ]
    if missing:
        return [], [RowError(1, "", "缺少必需的列：" + "、".join(missing))]
    out = []
    for i, values in enumerate(rows, start=2):
        if values is None or all(v in (None, "") for v in values):
            continue
        out.append((i, {k: v for k, v in zip(keys, values, strict=False) if k}))
        if len(out) > MAX_ROWS:
            return [], [RowError(i, "", f"一次最多导入{MAX_ROWS}行")]
    return out, []


def _status(v: dict[str, Any]) -> str:
    rtype = v["reply_type"]
    if rtype in (ReplyType.LAPSED_AMENDMENT, ReplyType.LAPSED_FEE):
        return Status.LAPSED
    if rtype:
        return Status.CLOSED
    if v["amendment_notice_on"] and not v["amendment_received_on"]:
        return Status.AWAITING_AMENDMENT
    if v["consultation_sent_on"] and not v["consultation_reply_on"]:
        return Status.CONSULTING
    if v["fee_notice_served_on"] and not v["fee_paid_on"]:
        return Status.AWAITING_FEE
    return Status.IN_PROGRESS


def import_ledger(*, agency: Agency, actor: Any, data: bytes) -> ImportReport:
    """Validate every row; import all of them in one transaction, or none.

    Rows become applications of ``agency`` (source ``import``) with their events, clock and an
    ``application.imported`` audit event each. A registration number given in the file is kept
    (and must be new); rows without one are numbered in the year of their receipt.
    """
    report = ImportReport()
    rows, problems = read_rows(data)
    report.rows_read = len(rows)
    if problems:
        report.errors = problems
        return report
    if not rows:
        report.errors = [RowError(2, "", "没有可导入的数据行")]
        return report
    today = clock.today()
    org_types = {o.name: o for o in OrganisationType.objects.all()}
    parsed: list[_Parsed] = []
    for row_no, raw in rows:
        p, errs = _parse_row(row_no, raw, org_types, today)
        report.errors.extend(errs)
        if p is not None:
            parsed.append(p)
    seen: dict[tuple[int, int], int] = {}
    for p in parsed:
        parts = p.values["regno_parts"]
        if parts is None:
            continue
        if parts in seen:
            report.errors.append(RowError(p.row, "登记编号", f"与第{seen[parts]}行重复"))
        seen[parts] = p.row
    if seen:
        existing = set(
            Application.objects.filter(agency=agency).values_list(
                "registration_year", "registration_seq"
            )
        )
        for parts, row_no in seen.items():
            if parts in existing:
                report.errors.append(RowError(row_no, "登记编号", "该登记编号已存在"))
    if report.errors:
        report.errors.sort(key=lambda e: (e.row, e.column))
        return report
    try:
        with transaction.atomic():
            _create_all(agency, actor, parsed, report)
    except _RowFailed as exc:
        report.imported = 0
        report.errors = [exc.error]
    return report


class _RowFailed(Exception):
    def __init__(self, error: RowError) -> None:
        super().__init__(str(error))
        self.error = error


def _create_all(
    agency: Agency, actor: Any, parsed: Sequence[_Parsed], report: ImportReport
) -> None:
    now = clock.now()
    by_year: dict[int, list[_Parsed]] = {}
    for p in parsed:
        if p.values["regno_parts"] is None:
            by_year.setdefault(p.values["received_on"].year, []).append(p)
        else:
            reserve_floor(agency, *p.values["regno_parts"])
    numbers: dict[int, int] = {}
    for year, items in by_year.items():
        numbers[year] = reserve_numbers(
            agency=agency, series=REGISTRATION, year=year, count=len(items)
        )
    for p in parsed:
        v = p.values
        if v["regno_parts"] is not None:
            year, seq = v["regno_parts"]
        else:
            year = v["received_on"].year
            seq = numbers[year]
            numbers[year] += 1
        rtype = v["reply_type"]
        status = _status(v)
        app = Application(
            agency=agency,
            status=status,
            source=Application.Source.IMPORT,
            registration_year=year,
            registration_seq=seq,
            registration_no=v["registration_no"] or f"依申请〔{year}〕第{seq:04d}号",
            channel=v["channel"],
            applicant_type=v["applicant_type"],
            applicant_name=v["applicant_name"],
            id_type=v["id_type"] or "",
            id_number=v["id_number"],
            uscc=v["uscc"],
            organisation_type=v["organisation_type"],
            phone=v["phone"],
            email=v["email"],
            address=v["address"],
            category=v["category"],
            description=v["description"],
            document_number=v["document_number"],
            form_requested=v["form_requested"],
            delivery=v["delivery"],
            notes=v["notes"],
            fee_method=v["fee_method"],
            fee_amount=v["fee_amount"],
            fee_notice_served_on=v["fee_notice_served_on"],
            fee_paid_on=v["fee_paid_on"],
            extension_state="approved" if v["extension_decided_on"] else "none",
            extension_decided_on=v["extension_decided_on"],
            extension_notified_on=v["extension_notified_on"],
            reply_type=rtype,
            legal_basis=v["legal_basis"],
            served_on=v["served_on"],
            service_method=v["service_method"],
            created_at=now,
            updated_at=now,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        from gongkai.ledger.requests.services.intake import receipt_field

        setattr(app, receipt_field(app.channel), v["received_on"])
        app.applicant_key = applicant_key(
            {
                "uscc": app.uscc,
                "id_number": app.id_number,
                "applicant_name": app.applicant_name,
                "phone": app.phone,
            }
        )
        if rtype:
            app.outcome_row = REPLY_SPECS[ReplyType(rtype)].row.value
            app.concluded_on = v["concluded_on"]
            if not app.legal_basis:
                from gongkai.ledger.requests.outcomes import legal_basis

                app.legal_basis = legal_basis(rtype)
        app.received_on = v["received_on"]
        app.save()
        if v["amendment_notice_on"]:
            AmendmentRound.objects.create(
                application=app,
                number=1,
                items="（台账导入）",
                notice_on=v["amendment_notice_on"],
                period_end=v["amendment_period_end"],
                received_on=v["amendment_received_on"],
            )
        if v["consultation_sent_on"]:
            Consultation.objects.create(
                application=app,
                kind="third_party",
                party=v["consultation_party"],
                sent_on=v["consultation_sent_on"],
                reply_on=v["consultation_reply_on"],
                opinion="agree" if v["consultation_reply_on"] else "",
            )
        try:
            application_recompute_clock(app, actor=actor, reason="台账导入")
        except ClockError as exc:
            raise _RowFailed(RowError(p.row, "", str(exc))) from None
        audit.record(
            actor=actor,
            action="application.imported",
            subject=app,
            after={"registration_no": app.registration_no, "row": p.row},
        )
        report.imported += 1


def reserve_floor(agency: Agency, year: int, seq: int) -> None:
    """Make sure later automatic numbers in ``year`` come after an imported ``seq``."""
    from gongkai.ledger.requests.models import NumberSequence

    obj, _ = NumberSequence.objects.get_or_create(agency=agency, series=REGISTRATION, year=year)
    if obj.last_value < seq:
        NumberSequence.objects.filter(pk=obj.pk).update(last_value=seq)
