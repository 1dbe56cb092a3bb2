"""Checks on what applicants type, with messages in Chinese. Pure Python (no Django).

* 居民身份证号码 — GB 11643-1999: 17 digits + check character (ISO 7064 MOD 11-2), and a real
  date of birth;
* 统一社会信用代码 — GB 32100-2015: 18 characters from a 31-letter alphabet (no I O S V Z),
  check character by weighted sum MOD 31;
* telephone — mainland mobile (11 digits, 1[3-9]…) or landline with area code (0xx-xxxxxxx[x]),
  optional extension.
"""

from __future__ import annotations

import re
from datetime import date

__all__ = [
    "ValidationProblem",
    "check_id_number",
    "check_phone",
    "check_uscc",
    "id_number_problem",
    "normalise_id",
    "phone_problem",
    "uscc_problem",
]


class ValidationProblem(ValueError):
    """An invalid value; ``str(exc)`` is the Chinese message."""


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")

_MOBILE_RE = re.compile(r"^(?:\+?86[- ]?)?1[3-9]\d{9}$")
_LANDLINE_RE = re.compile(r"^(?:\(?0\d{2,3}\)?[- ]?)?[2-9]\d{6,7}(?:[-转#]\d{1,6})?$")


def normalise_id(value: str) -> str:
    """Upper case, no spaces, full-width letters and digits folded."""
    out = []
    for ch in value.strip():
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:
            ch = chr(code - 0xFEE0)
        if not ch.isspace():
            out.append(ch)
    return "".join(out).upper()


def id_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def id_number_problem(value: str) -> str | None:
    """None if ``value`` is a valid 18-digit 居民身份证号码, else the reason in Chinese."""
    v = normalise_id(value)
    if len(v) != 18:
        return "居民身份证号码应为18位。"
    if not _ID_RE.match(v):
        return "居民身份证号码前17位应为数字，最后一位为数字或字母X。"
    try:
        born = date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        return "居民身份证号码中的出生日期无效。"
    if born.year < 1900:
        return "居民身份证号码中的出生日期无效。"
    if id_check_char(v[:17]) != v[17]:
        return "居民身份证号码校验位不正确，请核对后重新填写。"
    return None


def uscc_check_char(first17: str) -> str:
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_problem(value: str) -> str | None:
    """None if ``value`` is a valid 统一社会信用代码, else the reason in Chinese."""
    v = normalise_id(value)
    if len(v) != 18:
        return "统一社会信用代码应为18位。"
    if not _USCC_RE.match(v):
        return "统一社会信用代码含有不允许的字符（不使用字母I、O、S、V、Z），请核对。"
    if uscc_check_char(v[:17]) != v[17]:
        return "统一社会信用代码校验位不正确，请核对后重新填写。"
    return None


def phone_problem(value: str) -> str | None:
    """None for a mainland mobile or landline number, else the reason in Chinese."""
    v = value.strip().replace("－", "-").replace("—", "-")
    if not v:
        return "请填写联系电话。"
    if _MOBILE_RE.match(v) or _LANDLINE_RE.match(v):
        return None
    return "联系电话格式不正确：请填写11位手机号码，或带区号的固定电话（如0391-2345678）。"


def _raise(problem: str | None) -> None:
    if problem:
        raise ValidationProblem(problem)


def check_id_number(value: str) -> str:
    """The normalised number, or ``ValidationProblem``."""
    _raise(id_number_problem(value))
    return normalise_id(value)


def check_uscc(value: str) -> str:
    _raise(uscc_problem(value))
    return normalise_id(value)


def check_phone(value: str) -> str:
    _raise(phone_problem(value))
    return value.strip()


def make_id_number(first17: str) -> str:
    """Complete a 17-digit prefix with its check character (test and demo data)."""
    return first17 + id_check_char(first17)


def make_uscc(first17: str) -> str:
    return first17 + uscc_check_char(first17)
