"""信息处理费 (spec §2.8 F-01…F-04)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.statutory.fees import (
    Delivery,
    FeeError,
    FeeMethod,
    check_fee,
    format_yuan,
    month_ordinals,
    per_piece_fee,
    quote_fee,
    quote_per_piece,
    quote_per_volume,
)


@pytest.mark.parametrize(
    ("ordinal", "fee"),
    [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (50, 300), (51, 400)],
)
def test_per_piece_fee_by_ordinal(ordinal: int, fee: int) -> None:
    assert per_piece_fee(ordinal) == Decimal(fee)


def test_forty_five_in_a_month_cost_5500() -> None:
    q = quote_per_piece(45)
    assert q.amount == Decimal("5500")
    assert q.method is FeeMethod.PER_PIECE
    assert [(t.first, t.last, t.quantity, t.subtotal) for t in q.tiers] == [
        (1, 10, 10, Decimal(0)),
        (11, 30, 20, Decimal(2000)),
        (31, 40, 10, Decimal(2000)),
        (41, 45, 5, Decimal(1500)),
    ]
    lines = q.explanation()
    assert "第41—45件：5件 × 300元/件 = 1,500元" in lines
    assert "合计：5,500元" in lines
    assert any("国办函〔2020〕109号" in x for x in lines)


def test_single_application_quote() -> None:
    assert quote_per_piece(45, first=45).amount == Decimal(300)
    assert quote_fee(ordinal=12).amount == Decimal(100)


@pytest.mark.parametrize(
    ("pages", "fee"),
    [(0, 0), (30, 0), (31, 10), (100, 700), (150, 1700), (200, 2700), (2219, 83460)],
)
def test_per_volume_fee_by_pages(pages: int, fee: int) -> None:
    assert quote_per_volume(pages).amount == Decimal(fee)


def test_2219_pages_breakdown() -> None:
    q = quote_per_volume(2219, Delivery.PAPER)
    assert q.amount == Decimal("83460.00")
    assert "第201—2219页：2019页 × 40元/页 = 80,760元" in q.explanation()
    assert q.to_dict()["amount"] == "83460.00"


def test_one_method_per_application() -> None:
    with pytest.raises(FeeError, match="第三条"):
        quote_fee(ordinal=12, pages=50)


@pytest.mark.parametrize("delivery", [Delivery.ONLINE, Delivery.INSPECTION, Delivery.OTHER])
def test_per_volume_only_for_paper_email_or_copied_data(delivery: Delivery) -> None:
    with pytest.raises(FeeError, match="第五条"):
        quote_per_volume(100, delivery)


@pytest.mark.parametrize("delivery", [Delivery.PAPER, Delivery.EMAIL, Delivery.ELECTRONIC_COPY])
def test_per_volume_deliveries_allowed(delivery: Delivery) -> None:
    assert quote_fee(pages=31, delivery=delivery).amount == Decimal(10)


def test_bad_quantities() -> None:
    with pytest.raises(FeeError):
        per_piece_fee(0)
    with pytest.raises(FeeError):
        quote_per_volume(-1)
    assert quote_fee().method is FeeMethod.NONE


def test_check_fee_notice() -> None:
    assert check_fee(method=FeeMethod.PER_PIECE, notified_amount=Decimal(300), ordinal=45) == ()
    (wrong,) = check_fee(method=FeeMethod.PER_PIECE, notified_amount=Decimal(200), ordinal=45)
    assert wrong.code == "F-01" and "300元" in wrong.message
    findings = check_fee(
        method=FeeMethod.PER_VOLUME,
        notified_amount=Decimal(100),
        pages=150,
        ordinal=3,
        delivery=Delivery.ONLINE,
    )
    assert [f.code for f in findings] == ["F-03", "F-04", "F-02"]


def test_month_ordinals_restart_each_natural_month() -> None:
    received = [date(2024, 3, 5), date(2024, 2, 28), date(2024, 3, 1), date(2024, 3, 5)]
    assert month_ordinals(received) == [2, 1, 1, 3]


def test_format_yuan() -> None:
    assert format_yuan(Decimal("5500")) == "5,500元"
    assert format_yuan(Decimal("12.5")) == "12.50元"


@given(st.integers(min_value=1, max_value=500))
def test_month_total_is_the_sum_of_each_application(n: int) -> None:
    assert quote_per_piece(n).amount == sum(per_piece_fee(k) for k in range(1, n + 1))


@given(st.integers(min_value=0, max_value=5000))
def test_volume_fee_matches_the_formula(p: int) -> None:
    expected = 10 * max(0, min(p, 100) - 30) + 20 * max(0, min(p, 200) - 100) + 40 * max(0, p - 200)
    assert quote_per_volume(p).amount == Decimal(expected)
