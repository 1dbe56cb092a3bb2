"""Personal data is masked for everybody without ``view_personal_data``, in pages and in logs."""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template
from django.test import RequestFactory

from gongkai.core.security import (
    mask_address,
    mask_email,
    mask_id_number,
    mask_name,
    mask_personal,
    mask_phone,
    personal_data_visible,
)
from gongkai.core.security.log_filters import PersonalDataFilter, mask_text


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("110101199003071234", "110101********1234"),
        ("11010119900307123X", "110101********123X"),
        (" 110101 19900307 1234 ", "110101********1234"),
        ("110101900307123", "110101*****7123"),  # 15-digit first-generation card
        ("E12345678", "E******78"),  # passport
        ("1234", "****"),
        ("", ""),
        (None, ""),
    ],
)
def test_id_numbers_keep_the_first_six_and_last_four(value, masked):
    assert mask_id_number(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812345678", "138****5678"),
        ("+86 138 1234 5678", "138****5678"),
        ("86-13812345678", "138****5678"),
        ("010-62345678", "010-****5678"),
        ("0371 6666 8888", "0371 **** 8888"),
        ("(0371)66668888", "(0371)****8888"),
        ("62345678", "****5678"),
        ("12345", "***45"),
        ("", ""),
    ],
)
def test_phones_keep_the_prefix_and_last_four(value, masked):
    assert mask_phone(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("北京市东城区东华门街道某某胡同12号", "北京市东城区****"),
        ("河南省郑州市金水区花园路10号院3号楼", "河南省郑州市金水区****"),
        ("广东省广州市天河区天河路385号", "广东省广州市天河区****"),
        ("新疆维吾尔自治区乌鲁木齐市天山区解放北路1号", "新疆维吾尔自治区乌鲁木齐市天山区****"),
        ("吉林省延边朝鲜族自治州延吉市光明街1号", "吉林省延边朝鲜族自治州延吉市****"),
        ("上海市浦东新区张江镇科苑路88号", "上海市浦东新区****"),
        ("杭州西湖区文三路90号", "杭州西湖区****"),
        ("示范县人民路1号", "示范县****"),
        ("山东省济南市市中区经四路1号", "山东省济南市市中区****"),
        # a county-level city whose next part is a street: nothing below the city is kept
        ("湖北省仙桃市沙嘴街道幸福小区3栋", "湖北省仙桃市****"),
        ("幸福小区3号楼2单元", "****"),
        ("人民路1号", "****"),
        ("北京市海淀区", "北京市海淀区"),
        ("", ""),
    ],
)
def test_addresses_keep_the_district_only(value, masked):
    assert mask_address(value) == masked


def test_masking_never_keeps_house_numbers_or_streets():
    """Whatever the address looks like, no digits or street names survive."""
    samples = [
        "北京市朝阳区建国路88号SOHO现代城5号楼1单元1001室",
        "内蒙古自治区呼和浩特市新城区新华大街63号",
        "某某村3组15号",
        "江苏省昆山市玉山镇人民路1号",
        "浙江省台州市路桥区路桥街道银安街1号",
    ]
    for value in samples:
        masked = mask_address(value)
        assert not any(ch.isdigit() for ch in masked), masked
        assert not any(word in masked for word in ("路", "街", "村", "号", "组", "楼")), masked


def test_names_and_email_addresses():
    assert mask_name("张三丰") == "张**"
    assert mask_name("阿卜杜拉·买买提") == "阿*******"
    assert mask_name("王") == "*"
    assert mask_email("zhangsan@example.cn") == "z***@example.cn"
    assert mask_email("not-an-email-1234") == "not-an*******1234"


def test_short_addresses_are_not_left_in_clear():
    """A rule like "keep the first 6 characters" would show these in full."""
    for value in ("人民路1号", "城关镇东街", "幸福里3号"):
        assert mask_address(value) == "****"


@pytest.mark.django_db
def test_only_the_personal_data_permission_sees_full_values(platform):
    users = get_user_model().objects
    head, clerk = users.get(username="sfj_head"), users.get(username="sfj_clerk")
    assert personal_data_visible(head) and not personal_data_visible(clerk)
    assert mask_personal("13812345678", "phone", head) == "13812345678"
    assert mask_personal("13812345678", "phone", clerk) == "138****5678"
    assert mask_personal("13812345678", "phone") == "138****5678"  # exports: no user
    with pytest.raises(ValueError):
        mask_personal("x", "passport", head)


@pytest.mark.django_db
def test_template_library_masks_for_users_without_the_permission(platform):
    template = Template(
        "{% load personal_data %}{{ id|mask_id_number }}|{% personal phone 'phone' %}"
        "|{% personal address 'address' %}"
    )
    values = {"id": "110101199003071234", "phone": "13812345678", "address": "示范县人民路1号"}
    for username, expected in [
        ("sfj_clerk", "110101********1234|138****5678|示范县****"),
        ("sfj_head", "110101********1234|13812345678|示范县人民路1号"),
    ]:
        request = RequestFactory().get("/")
        request.user = get_user_model().objects.get(username=username)
        assert template.render(Context({**values, "request": request})) == expected


def test_log_lines_are_masked():
    assert (
        mask_text("申请人 110101199003071234 电话 13812345678 订单 12345678901234567890")
        == "申请人 110101********1234 电话 138****5678 订单 12345678901234567890"
    )
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "号码 %s", ("13812345678",), None)
    assert PersonalDataFilter().filter(record) is True
    assert record.getMessage() == "号码 138****5678"


def test_exception_text_in_logs_is_masked():
    try:
        raise ValueError("bad id 110101199003071234")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "boom", (), sys.exc_info())
    PersonalDataFilter().filter(record)
    assert "110101********1234" in record.exc_text and "199003071234" not in record.exc_text
