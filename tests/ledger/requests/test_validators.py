"""Identity numbers, credit codes and phone numbers (no database)."""

from __future__ import annotations

import pytest

from gongkai.ledger.requests.similarity import similarity
from gongkai.ledger.requests.validators import (
    id_number_problem,
    make_id_number,
    make_uscc,
    phone_problem,
    uscc_problem,
)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("11010519491231002X", None),  # GB 11643 example
        ("11010519491231002x", None),
        ("110105194912310021", "校验位"),
        ("1101051949123100", "18位"),
        ("110105194913310020", "出生日期"),
        ("11010519491231002Ｘ", None),  # full-width X
    ],
)
def test_resident_id_numbers(value, problem):
    result = id_number_problem(value)
    assert (result is None) if problem is None else (problem in result)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("91350100M000100Y43", None),
        ("91350100M000100Y44", "校验位"),
        ("91350100M000100O43", "不允许的字符"),
        ("9135010", "18位"),
    ],
)
def test_credit_codes(value, problem):
    result = uscc_problem(value)
    assert (result is None) if problem is None else (problem in result)


def test_generated_numbers_are_valid():
    assert id_number_problem(make_id_number("41010519800101123")) is None
    assert uscc_problem(make_uscc("91410100MA0000001")) is None


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("13800138000", True),
        ("+86 13800138000", True),
        ("0391-2345678", True),
        ("0391-1234567", False),
        ("010-62345678-123", True),
        ("12345", False),
        ("23800138000", False),
        ("", False),
    ],
)
def test_phone_numbers(value, ok):
    assert (phone_problem(value) is None) is ok


def test_similarity_ignores_boilerplate():
    a = "请公开2025年度示范县司法局部门预算及三公经费"
    b = "申请公开示范县司法局2025年度部门预算及三公经费"
    assert similarity(a, b) > 0.6
    assert similarity(a, "示范县人民调解委员会名录") < 0.2
