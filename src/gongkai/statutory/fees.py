"""信息处理费 (processing fee) per 《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）.

Spec §2.8 rules:

* F-01 per piece (按件计收): the k-th application of the same applicant to the same agency in one
  natural month costs 0 (k ≤ 10), ¥100 (11–30), then ¥100 more per block of 10
  (31–40 → ¥200, 41–50 → ¥300, …). 45 in a month → 20×100 + 10×200 + 5×300 = ¥5,500.
* F-02 per volume (按量计收) by pages: ≤30 free, 31–100 ¥10/页, 101–200 ¥20/页, >200 ¥40/页,
  each rate on the part in its band (超额累进). 2,219 pages → ¥83,460.
* F-03 one method per application, never both (办法第三条).
* F-04 per volume only where the applicant asked for paper copies, e-mail delivery or copied
  electronic data (办法第五条).

Amounts are ``Decimal`` yuan with two decimal places. Pure Python: no Django, no I/O.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

__all__ = [
    "Delivery",
    "FeeError",
    "FeeFinding",
    "FeeMethod",
    "FeeQuote",
    "FeeTier",
    "check_fee",
    "format_yuan",
    "month_ordinals",
    "per_piece_fee",
    "quote_fee",
    "quote_per_piece",
    "quote_per_volume",
]

FEE_RULES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
CENT = Decimal("0.01")

PIECES_FREE = 10  # 10件以下（含10件）不收费
PIECE_BASE_LAST = 30  # 11—30件：100元/件
PIECE_BASE_PRICE = Decimal(100)
PIECE_STEP = 10  # 31件以上：以10件为一档
PIECE_STEP_RAISE = Decimal(100)  # 每增加一档，收费标准提高100元/件

# (first page, last page or None, yuan per page)
VOLUME_BANDS: tuple[tuple[int, int | None, Decimal], ...] = (
    (1, 30, Decimal(0)),
    (31, 100, Decimal(10)),
    (101, 200, Decimal(20)),
    (201, None, Decimal(40)),
)


class FeeError(ValueError):
    """A fee that may not be computed as asked (the message is in Chinese)."""


class FeeMethod(StrEnum):
    NONE = "none"
    PER_PIECE = "per_piece"  # 按件计收
    PER_VOLUME = "per_volume"  # 按量计收

    @property
    def label(self) -> str:
        return {"none": "不收费", "per_piece": "按件计收", "per_volume": "按量计收"}[self.value]


class Delivery(StrEnum):
    """How the applicant asked to receive the information (条例第二十九条（三）、第四十条)."""

    PAPER = "paper"  # 纸质件
    EMAIL = "email"  # 发送电子邮件
    ELECTRONIC_COPY = "electronic_copy"  # 复制电子数据（光盘、U盘等）
    ONLINE = "online"  # 网上平台查看、下载
    INSPECTION = "inspection"  # 查阅、抄录
    OTHER = "other"

    @property
    def label(self) -> str:
        return _DELIVERY_LABELS[self]

    @property
    def allows_per_volume(self) -> bool:
        return self in PER_VOLUME_DELIVERIES


_DELIVERY_LABELS: dict[Delivery, str] = {
    Delivery.PAPER: "纸质件",
    Delivery.EMAIL: "电子邮件",
    Delivery.ELECTRONIC_COPY: "复制电子数据",
    Delivery.ONLINE: "网上平台获取",
    Delivery.INSPECTION: "查阅、抄录",
    Delivery.OTHER: "其他方式",
}

PER_VOLUME_DELIVERIES = frozenset({Delivery.PAPER, Delivery.EMAIL, Delivery.ELECTRONIC_COPY})


def format_yuan(amount: Decimal) -> str:
    """``Decimal('5500')`` -> ``5,500元``; ``Decimal('12.5')`` -> ``12.50元``."""
    q = amount.quantize(CENT)
    if q == q.to_integral_value():
        return f"{int(q):,}元"
    return f"{q:,.2f}元"


@dataclass(frozen=True, slots=True)
class FeeTier:
    """One band of the progressive scale and how much of the quantity fell into it."""

    first: int  # first unit counted in this band
    last: int  # last unit counted in this band
    unit_price: Decimal
    quantity: int
    unit: str  # 件 / 页

    @property
    def subtotal(self) -> Decimal:
        return (self.unit_price * self.quantity).quantize(CENT)

    @property
    def label(self) -> str:
        if self.first == self.last:
            return f"第{self.first}{self.unit}"
        return f"第{self.first}—{self.last}{self.unit}"

    def describe(self) -> str:
        price = format_yuan(self.unit_price)
        return (
            f"{self.label}：{self.quantity}{self.unit} × {price}/{self.unit} = "
            f"{format_yuan(self.subtotal)}"
        )


@dataclass(frozen=True, slots=True)
class FeeQuote:
    """A computed fee with its breakdown."""

    method: FeeMethod
    quantity: int  # applications counted, or pages
    amount: Decimal
    tiers: tuple[FeeTier, ...]
    basis: str
    description: str

    def explanation(self) -> list[str]:
        """Chinese lines: what was counted, each band, the total and the legal basis."""
        lines = [self.description]
        lines += [t.describe() for t in self.tiers if t.quantity]
        lines.append(f"合计：{format_yuan(self.amount)}")
        lines.append(f"依据：{self.basis}")
        return lines

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method.value,
            "quantity": self.quantity,
            "amount": str(self.amount),
            "amount_label": format_yuan(self.amount),
            "tiers": [
                {
                    "label": t.label,
                    "first": t.first,
                    "last": t.last,
                    "unit_price": str(t.unit_price.quantize(CENT)),
                    "quantity": t.quantity,
                    "subtotal": str(t.subtotal),
                }
                for t in self.tiers
            ],
            "basis": self.basis,
            "description": self.description,
            "explanation": self.explanation(),
        }


@dataclass(frozen=True, slots=True)
class FeeFinding:
    code: str  # F-01 … F-04
    message: str


# -- per piece (F-01) -------------------------------------------------------------------------


def per_piece_fee(ordinal: int) -> Decimal:
    """Fee of the ``ordinal``-th application of the applicant in the natural month (F-01)."""
    if ordinal < 1:
        raise FeeError("申请序号须为正整数（本自然月内第几件申请）。")
    if ordinal <= PIECES_FREE:
        return Decimal(0).quantize(CENT)
    if ordinal <= PIECE_BASE_LAST:
        return PIECE_BASE_PRICE.quantize(CENT)
    step = (ordinal - PIECE_BASE_LAST - 1) // PIECE_STEP + 1
    return (PIECE_BASE_PRICE + PIECE_STEP_RAISE * step).quantize(CENT)


def _piece_bands(last: int) -> list[tuple[int, int | None, Decimal]]:
    bands: list[tuple[int, int | None, Decimal]] = [
        (1, PIECES_FREE, Decimal(0)),
        (PIECES_FREE + 1, PIECE_BASE_LAST, PIECE_BASE_PRICE),
    ]
    first = PIECE_BASE_LAST + 1
    while first <= last:
        bands.append((first, first + PIECE_STEP - 1, per_piece_fee(first)))
        first += PIECE_STEP
    return bands


def _tiers(
    first: int, last: int, bands: Sequence[tuple[int, int | None, Decimal]], unit: str
) -> tuple[FeeTier, ...]:
    tiers = []
    for lo, hi, price in bands:
        a = max(first, lo)
        b = last if hi is None else min(last, hi)
        if b >= a:
            tiers.append(FeeTier(a, b, price, b - a + 1, unit))
    return tuple(tiers)


def quote_per_piece(last: int, *, first: int = 1) -> FeeQuote:
    """Fee of the applications numbered ``first``…``last`` in the applicant's natural month.

    ``quote_per_piece(45)`` is the month total for 45 applications (¥5,500);
    ``quote_per_piece(45, first=45)`` the fee of the 45th alone (¥300).
    """
    if first < 1 or last < first:
        raise FeeError("申请件数须为正整数，且起始序号不得大于结束序号。")
    tiers = _tiers(first, last, _piece_bands(last), "件")
    amount = sum((t.subtotal for t in tiers), Decimal(0)).quantize(CENT)
    if first == last:
        what = f"同一申请人本自然月内第{last}件申请"
    elif first == 1:
        what = f"同一申请人一个自然月内累计申请{last}件"
    else:
        what = f"同一申请人本自然月内第{first}至第{last}件申请"
    return FeeQuote(
        method=FeeMethod.PER_PIECE,
        quantity=last - first + 1,
        amount=amount,
        tiers=tiers,
        basis=f"{FEE_RULES}第四条（按件计收，超额累进）",
        description=f"按件计收：{what}，10件以下（含10件）不收费，11—30件100元/件，"
        "31件以上每10件为一档、每增加一档提高100元/件",
    )


# -- per volume (F-02) ------------------------------------------------------------------------


def quote_per_volume(pages: int, delivery: Delivery | None = None) -> FeeQuote:
    """Fee for ``pages`` pages (F-02); ``delivery`` is checked against F-04 when given."""
    if pages < 0:
        raise FeeError("页数不能为负数。")
    if delivery is not None and not delivery.allows_per_volume:
        raise FeeError(
            f"申请人要求以“{delivery.label}”方式获取信息，不适用按量计收；按量计收仅适用于"
            f"提供纸质件、发送电子邮件、复制电子数据等方式（{FEE_RULES}第五条）。"
        )
    tiers = _tiers(1, pages, VOLUME_BANDS, "页") if pages else ()
    amount = sum((t.subtotal for t in tiers), Decimal(0)).quantize(CENT)
    how = f"（{delivery.label}）" if delivery is not None else ""
    return FeeQuote(
        method=FeeMethod.PER_VOLUME,
        quantity=pages,
        amount=amount,
        tiers=tiers,
        basis=f"{FEE_RULES}第五条（按量计收，超额累进）",
        description=f"按量计收{how}：共{pages}页，30页以下（含30页）不收费，31—100页10元/页，"
        "101—200页20元/页，201页以上40元/页",
    )


def quote_fee(
    *,
    ordinal: int | None = None,
    pages: int | None = None,
    delivery: Delivery | None = None,
) -> FeeQuote:
    """The fee of one application by exactly one method (F-03).

    ``ordinal`` = its number within the applicant's natural month → per piece;
    ``pages`` → per volume (F-04 checked against ``delivery``).
    """
    if ordinal is not None and pages is not None:
        raise FeeError(
            f"同一件申请只能选择按件或按量一种标准计收，不得同时按两种标准重复计算（{FEE_RULES}第三条）。"
        )
    if ordinal is not None:
        return quote_per_piece(ordinal, first=ordinal)
    if pages is not None:
        return quote_per_volume(pages, delivery)
    return FeeQuote(FeeMethod.NONE, 0, Decimal(0).quantize(CENT), (), FEE_RULES, "不收取信息处理费")


def check_fee(
    *,
    method: FeeMethod,
    notified_amount: Decimal,
    ordinal: int | None = None,
    pages: int | None = None,
    delivery: Delivery | None = None,
) -> tuple[FeeFinding, ...]:
    """Check a fee notice against F-01…F-04; empty when it is right."""
    findings: list[FeeFinding] = []
    if method is FeeMethod.PER_PIECE:
        if pages is not None:
            findings.append(FeeFinding("F-03", "按件计收的申请不得再按页数计费。"))
        if ordinal is None:
            findings.append(FeeFinding("F-01", "按件计收须记录该申请在本自然月内的序号。"))
        else:
            expected = per_piece_fee(ordinal)
            if expected != notified_amount:
                findings.append(
                    FeeFinding(
                        "F-01",
                        f"本自然月第{ordinal}件申请应收{format_yuan(expected)}，"
                        f"收费通知为{format_yuan(notified_amount)}。",
                    )
                )
    elif method is FeeMethod.PER_VOLUME:
        if ordinal is not None:
            findings.append(FeeFinding("F-03", "按量计收的申请不得再按件计费。"))
        if delivery is not None and not delivery.allows_per_volume:
            findings.append(
                FeeFinding(
                    "F-04",
                    f"以“{delivery.label}”方式获取信息不适用按量计收（{FEE_RULES}第五条）。",
                )
            )
        if pages is None:
            findings.append(FeeFinding("F-02", "按量计收须记录页数。"))
        else:
            expected = quote_per_volume(pages).amount
            if expected != notified_amount:
                findings.append(
                    FeeFinding(
                        "F-02",
                        f"{pages}页应收{format_yuan(expected)}，收费通知为{format_yuan(notified_amount)}。",
                    )
                )
    elif notified_amount:
        findings.append(FeeFinding("F-03", "未选择计收方式却有收费金额。"))
    return tuple(findings)


def month_ordinals(received: Sequence[date]) -> list[int]:
    """Each application's ordinal within its natural month (F-01), in input order.

    ``received`` holds one applicant's applications to one agency; ties on the same day keep
    their input order (pass them in registration order).
    """
    order = sorted(range(len(received)), key=lambda i: (received[i], i))
    counts: defaultdict[tuple[int, int], int] = defaultdict(int)
    result = [0] * len(received)
    for i in order:
        key = (received[i].year, received[i].month)
        counts[key] += 1
        result[i] = counts[key]
    return result
