"""Masking of applicants' personal data in lists, exports and logs.

Who may see the full value is one permission, ``core.view_personal_data`` (the head of an
agency by default); everybody else, every export and every log line gets the masked form:

* ID number: first 6 and last 4 characters kept — ``110101********1234``;
* phone: a mobile keeps its first 3 and last 4 digits — ``138****5678``; a landline keeps its
  area code and last 4 digits — ``010-****5678``;
* address: the province, city and county (district) are kept, the rest is hidden —
  ``北京市东城区****``. When the county cannot be recognised with confidence, less is kept
  (never more): masking too much is the safe failure;
* a natural person's name keeps its first character (``张**``), an e-mail address the first
  character of its user part (``z***@example.cn``).

No Django import at module level: the functions work on plain strings.
"""

from __future__ import annotations

import re
from typing import Any

MASK = "*"
ADDRESS_MASK = "****"


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def mask_id_number(value: object) -> str:
    """``110101199003071234`` → ``110101********1234`` (also 15-digit and other documents)."""
    text = re.sub(r"\s+", "", _text(value))
    if not text:
        return ""
    n = len(text)
    if n >= 11:
        return text[:6] + MASK * (n - 10) + text[-4:]
    if n >= 5:  # passports, permits: keep the first and the last two characters
        return text[0] + MASK * (n - 3) + text[-2:]
    return MASK * n


_MOBILE = re.compile(r"^(?:\+?86)?(1\d{10})$")


def mask_phone(value: object) -> str:
    """``13812345678`` → ``138****5678``; ``010-62345678`` → ``010-****5678``."""
    text = _text(value)
    if not text:
        return ""
    compact = re.sub(r"[\s\-()（）]", "", text)
    mobile = _MOBILE.match(compact)
    if mobile:
        digits = mobile.group(1)
        return digits[:3] + MASK * 4 + digits[-4:]
    digits_total = sum(ch.isdigit() for ch in text)
    keep_tail = 4 if digits_total >= 7 else 2 if digits_total >= 4 else 0
    # Keep a leading area code ("010-", "0371 ") when it is separated from the number.
    area = re.match(r"^(\(?0\d{2,3}\)?[\s\-）)]+)", text)
    head = area.group(1) if area else ""
    body = text[len(head) :]
    result = []
    seen = 0
    body_digits = sum(ch.isdigit() for ch in body)
    for ch in body:
        if ch.isdigit():
            seen += 1
            result.append(ch if seen > body_digits - keep_tail else MASK)
        elif ch.isalnum():
            result.append(MASK)
        else:
            result.append(ch)
    return head + "".join(result)


# Administrative levels, tried in order on what is left of the address. Each part must be
# short and must not look like a street, a village or a building, else nothing more is kept.
_LEVELS = (
    re.compile(r"^(.{1,10}?(?:省|自治区|特别行政区))"),
    re.compile(r"^(.{1,10}?(?:市|自治州|地区|盟|州(?!市)))"),
    re.compile(r"^(.{1,15}?(?:区|县|旗|市))"),
)
_NOT_A_REGION = re.compile(
    r"[\dA-Za-z０-９#＃\-—]|街道|社区|小区|大厦|花园|单元|[街路巷弄号村组楼栋室镇乡院]"
)
# Some county-level names contain those characters (路桥区, 镇安县…): nothing is lost by
# masking them too, so no exception list is kept.


def mask_address(value: object) -> str:
    """``北京市东城区东华门街道某某胡同12号`` → ``北京市东城区****``."""
    text = re.sub(r"\s+", "", _text(value))
    if not text:
        return ""
    kept = ""
    rest = text
    for level in _LEVELS:
        match = level.match(rest)
        if match and not _NOT_A_REGION.search(match.group(1)):
            kept += match.group(1)
            rest = rest[len(match.group(1)) :]
    if not rest:  # the address is only a region: nothing personal in it
        return kept
    return kept + ADDRESS_MASK


def mask_name(value: object) -> str:
    """A person's name: ``张三丰`` → ``张**``, ``阿卜杜拉·买买提`` → ``阿*******``.

    Only for natural persons: the caller knows whether the applicant is an organisation (whose
    name is not personal data) and does not call this for one.
    """
    text = _text(value)
    if len(text) <= 1:
        return MASK * len(text)
    return text[0] + MASK * (len(text) - 1)


def mask_email(value: object) -> str:
    """``zhangsan@example.cn`` → ``z***@example.cn``."""
    text = _text(value)
    user, at, domain = text.partition("@")
    if not at or not domain:
        return mask_id_number(text)
    return f"{user[:1]}***@{domain}"


_MASKERS = {
    "id_number": mask_id_number,
    "phone": mask_phone,
    "address": mask_address,
    "name": mask_name,
    "email": mask_email,
}


def personal_data_visible(user: Any) -> bool:
    """Whether ``user`` may see applicants' personal data in full (``core.view_personal_data``)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and user.has_perm("core.view_personal_data")
    )


def mask_personal(value: object, kind: str, user: Any = None) -> str:
    """``value`` in full for a user who may see it, masked for anybody else (and for exports).

    ``kind`` is ``"id_number"``, ``"phone"``, ``"address"``, ``"name"`` or ``"email"``.
    """
    try:
        masker = _MASKERS[kind]
    except KeyError:
        raise ValueError(f"unknown personal-data kind: {kind!r}") from None
    if user is not None and personal_data_visible(user):
        return _text(value)
    return masker(value)
