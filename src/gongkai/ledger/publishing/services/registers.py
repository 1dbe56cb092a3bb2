"""The registers behind table 二: regulations and normative documents, and the monthly
administrative figures (entered by hand or imported from an XLSX sheet, with the source)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.core import audit, clock
from gongkai.core.models import Agency
from gongkai.ledger.publishing.access import require
from gongkai.ledger.publishing.models import MonthlyFigures, RegisterEntry

REGISTER_PERMISSION = "edit_annual_report"
MANUAL_SOURCE = "手工录入"


def _validate_entry(
    agency: Agency, kind: str, issued_on: dt.date, repealed_on: dt.date | None
) -> None:
    if kind not in RegisterEntry.Kind.values:
        raise ValidationError("未知的文件类别")
    if kind == RegisterEntry.Kind.REGULATION and not agency.has_rulemaking_power:
        raise ValidationError(
            "本机关没有规章制定权，不能登记规章（规章由设区的市级以上人民政府及国务院部门制定）"
        )
    if repealed_on is not None and repealed_on < issued_on:
        raise ValidationError("废止日期不能早于制发日期")


def register_entry_create(
    *,
    actor: Any,
    agency: Agency,
    kind: str,
    title: str,
    issued_on: dt.date,
    document_number: str = "",
    repealed_on: dt.date | None = None,
    repeal_note: str = "",
) -> RegisterEntry:
    """Add a regulation or normative document to the agency's register."""
    require(actor, agency, REGISTER_PERMISSION, "维护规章和规范性文件登记")
    _validate_entry(agency, kind, issued_on, repealed_on)
    if not title.strip():
        raise ValidationError("文件名称不能为空")
    with transaction.atomic():
        entry = RegisterEntry.objects.create(
            agency=agency,
            kind=kind,
            title=title.strip(),
            document_number=document_number.strip(),
            issued_on=issued_on,
            repealed_on=repealed_on,
            repeal_note=repeal_note,
            created_by=actor,
            created_at=clock.now(),
        )
        audit.record(
            actor=actor,
            action="register_entry.created",
            subject=entry,
            after={
                "kind": kind,
                "title": entry.title,
                "document_number": entry.document_number,
                "issued_on": issued_on,
                "repealed_on": repealed_on,
            },
        )
    return entry


def register_entry_update(*, actor: Any, entry: RegisterEntry, **fields: Any) -> RegisterEntry:
    """Correct a register entry (title, 文号, dates…)."""
    allowed = {"kind", "title", "document_number", "issued_on", "repealed_on", "repeal_note"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    require(actor, entry.agency, REGISTER_PERMISSION, "维护规章和规范性文件登记")
    with transaction.atomic():
        locked = RegisterEntry.objects.select_for_update().get(pk=entry.pk)
        before = {name: getattr(locked, name) for name in fields}
        for name, value in fields.items():
            setattr(locked, name, value)
        _validate_entry(locked.agency, locked.kind, locked.issued_on, locked.repealed_on)
        locked.save(update_fields=list(fields))
        audit.record(
            actor=actor,
            action="register_entry.updated",
            subject=locked,
            before=before,
            after={name: getattr(locked, name) for name in fields},
        )
    return locked


def register_entry_repeal(
    *, actor: Any, entry: RegisterEntry, repealed_on: dt.date, note: str = ""
) -> RegisterEntry:
    """Record that a document was repealed (or expired) on ``repealed_on``."""
    require(actor, entry.agency, REGISTER_PERMISSION, "维护规章和规范性文件登记")
    if repealed_on < entry.issued_on:
        raise ValidationError("废止日期不能早于制发日期")
    with transaction.atomic():
        locked = RegisterEntry.objects.select_for_update().get(pk=entry.pk)
        before = {"repealed_on": locked.repealed_on}
        locked.repealed_on = repealed_on
        locked.repeal_note = note
        locked.save(update_fields=["repealed_on", "repeal_note"])
        audit.record(
            actor=actor,
            action="register_entry.repealed",
            subject=locked,
            before=before,
            after={"repealed_on": repealed_on, "note": note},
        )
    return locked


@dataclass(frozen=True)
class MonthValues:
    licensing: int = 0
    penalty: int = 0
    coercion: int = 0
    fee_10k_yuan: Decimal = Decimal("0")

    def validate(self) -> None:
        for name in ("licensing", "penalty", "coercion"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 0:
                raise ValidationError("处理决定数量须为不小于0的整数")
        if self.fee_10k_yuan < 0:
            raise ValidationError("收费金额不能为负数")


def _check_period(year: int, month: int) -> None:
    if not 1 <= month <= 12:
        raise ValidationError("月份须为1至12")
    if not 2000 <= year <= clock.today().year:
        raise ValidationError("年度超出范围")


def _save_month(
    *, actor: Any, agency: Agency, year: int, month: int, values: MonthValues, source: str
) -> tuple[MonthlyFigures, dict[str, Any] | None]:
    existing = (
        MonthlyFigures.objects.select_for_update()
        .filter(agency=agency, year=year, month=month)
        .first()
    )
    before = None
    if existing is not None:
        before = {
            "licensing": existing.licensing,
            "penalty": existing.penalty,
            "coercion": existing.coercion,
            "fee_10k_yuan": existing.fee_10k_yuan,
            "source": existing.source,
        }
    row, _ = MonthlyFigures.objects.update_or_create(
        agency=agency,
        year=year,
        month=month,
        defaults={
            "licensing": values.licensing,
            "penalty": values.penalty,
            "coercion": values.coercion,
            "fee_10k_yuan": values.fee_10k_yuan,
            "source": source[:200],
            "updated_by": actor,
            "updated_at": clock.now(),
        },
    )
    return row, before


def figures_set_month(
    *,
    actor: Any,
    agency: Agency,
    year: int,
    month: int,
    values: MonthValues,
    source: str = MANUAL_SOURCE,
) -> MonthlyFigures:
    """Enter (or correct) one month's licensing, penalty, coercion and fee figures."""
    require(actor, agency, REGISTER_PERMISSION, "录入行政管理数据")
    _check_period(year, month)
    values.validate()
    with transaction.atomic():
        row, before = _save_month(
            actor=actor, agency=agency, year=year, month=month, values=values, source=source
        )
        audit.record(
            actor=actor,
            action="monthly_figures.saved",
            subject=row,
            before=before,
            after={
                "licensing": values.licensing,
                "penalty": values.penalty,
                "coercion": values.coercion,
                "fee_10k_yuan": values.fee_10k_yuan,
                "source": row.source,
            },
        )
    return row


# Header cells of the XLSX sheet: which column means what (matched by the words they contain).
_HEADER_WORDS = {
    "month": ("月份", "月"),
    "licensing": ("行政许可", "许可"),
    "penalty": ("行政处罚", "处罚"),
    "coercion": ("行政强制", "强制"),
    "fee": ("行政事业性收费", "收费"),
}
_CN_MONTHS = {
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "十一": 11,
    "十二": 12,
}


def _month_of(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, int | float) and float(value).is_integer():
        return int(value)
    if isinstance(value, dt.date):
        return value.month
    text = str(value).strip().replace(" ", "")
    match = re.fullmatch(r"(?:\d{4}年)?(\d{1,2})月?(?:份)?", text)
    if match:
        return int(match.group(1))
    match = re.fullmatch(r"(?:\d{4}年)?([一二三四五六七八九十]{1,3})月(?:份)?", text)
    if match and match.group(1) in _CN_MONTHS:
        return _CN_MONTHS[match.group(1)]
    return None


def _int_of(value: Any, where: str) -> int:
    if value is None or str(value).strip() in ("", "-", "—", "/", "无"):
        return 0
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValidationError(f"{where}不是数字：{value}") from None
    if number != number.to_integral_value() or number < 0:
        raise ValidationError(f"{where}须为不小于0的整数：{value}")
    return int(number)


def _decimal_of(value: Any, where: str) -> Decimal:
    if value is None or str(value).strip() in ("", "-", "—", "/", "无"):
        return Decimal("0")
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValidationError(f"{where}不是数字：{value}") from None
    if number < 0:
        raise ValidationError(f"{where}不能为负数：{value}")
    return number


@dataclass(frozen=True)
class SheetMonth:
    month: int
    values: MonthValues


def read_figures_sheet(stream: IO[bytes]) -> list[SheetMonth]:
    """Read the months of an XLSX sheet whose header row names 月份, 行政许可, 行政处罚,
    行政强制 and 行政事业性收费（万元）. A fee column headed in 元 (not 万元) is converted."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a bad file
        raise ValidationError(f"无法读取 XLSX 文件：{exc}") from None
    try:
        sheet = workbook.worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    header_index = None
    columns: dict[str, int] = {}
    fee_in_yuan = False
    for i, row in enumerate(rows[:20]):
        found: dict[str, int] = {}
        for j, cell in enumerate(row):
            text = str(cell or "").replace(" ", "")
            for key, words in _HEADER_WORDS.items():
                if key not in found and any(w in text for w in words):
                    if key == "month" and any(w in text for w in ("许可", "处罚", "强制", "收费")):
                        continue
                    found[key] = j
                    if key == "fee" and "元" in text and "万元" not in text:
                        fee_in_yuan = True
                    break
        if "month" in found and len(found) >= 2:
            header_index, columns = i, found
            break
    if header_index is None:
        raise ValidationError(
            "未找到表头：第一张工作表须有“月份”及“行政许可/行政处罚/行政强制/行政事业性收费（万元）”列"
        )
    result: dict[int, SheetMonth] = {}
    for row_number, row in enumerate(rows[header_index + 1 :], start=header_index + 2):

        def cell(key: str, row: list[Any] = row) -> Any:
            j = columns.get(key)
            return row[j] if j is not None and j < len(row) else None

        month = _month_of(cell("month"))
        if month is None:
            label = str(cell("month") or "").strip()
            if label and not any(w in label for w in ("合计", "总计", "小计")):
                raise ValidationError(f"第{row_number}行：无法识别月份“{label}”")
            continue
        if not 1 <= month <= 12:
            raise ValidationError(f"第{row_number}行：月份须为1至12")
        if month in result:
            raise ValidationError(f"第{row_number}行：{month}月重复")
        where = f"第{row_number}行"
        fee = _decimal_of(cell("fee"), where + "收费金额")
        if fee_in_yuan:
            fee = fee / Decimal(10000)
        result[month] = SheetMonth(
            month,
            MonthValues(
                licensing=_int_of(cell("licensing"), where + "行政许可"),
                penalty=_int_of(cell("penalty"), where + "行政处罚"),
                coercion=_int_of(cell("coercion"), where + "行政强制"),
                fee_10k_yuan=fee.quantize(Decimal("0.0001")),
            ),
        )
    if not result:
        raise ValidationError("表格中没有月份数据")
    return [result[m] for m in sorted(result)]


def figures_import_xlsx(
    *, actor: Any, agency: Agency, year: int, stream: IO[bytes], filename: str
) -> list[MonthlyFigures]:
    """Import a year's months from an XLSX sheet; all months or none. Each month records the
    file name and a digest of the file as its source."""
    require(actor, agency, REGISTER_PERMISSION, "导入行政管理数据")
    _check_period(year, 1)
    content = stream.read()
    digest = hashlib.sha256(content).hexdigest()[:12]
    months = read_figures_sheet(io.BytesIO(content))
    source = f"XLSX导入：{filename[:120]}（SHA-256 {digest}）"
    saved: list[MonthlyFigures] = []
    with transaction.atomic():
        changes: dict[str, Any] = {}
        for item in months:
            row, before = _save_month(
                actor=actor,
                agency=agency,
                year=year,
                month=item.month,
                values=item.values,
                source=source,
            )
            saved.append(row)
            changes[str(item.month)] = {
                "before": before,
                "after": {
                    "licensing": row.licensing,
                    "penalty": row.penalty,
                    "coercion": row.coercion,
                    "fee_10k_yuan": row.fee_10k_yuan,
                },
            }
        audit.record(
            actor=actor,
            action="monthly_figures.imported",
            subject=agency,
            agency=agency,
            after={"year": year, "source": source, "months": changes},
        )
    return saved
