"""Numbers as written in Chinese government text: ``859``, ``1,024``, ``８``, ``两``, ``十二``, ``一百零五``."""

from __future__ import annotations

import unicodedata

__all__ = ["CHINESE_NUMERAL_CHARS", "NUMBER_PATTERN", "chinese_to_int", "parse_number"]

_DIGITS: dict[str, int] = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_SMALL_UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS: dict[str, int] = {"万": 10_000, "亿": 100_000_000}

CHINESE_NUMERAL_CHARS = "".join([*_DIGITS, *_SMALL_UNITS, *_BIG_UNITS])
"""Every character that may appear in a Chinese numeral."""

NUMBER_PATTERN = rf"(?:\d[\d,，]*\d|\d|[{CHINESE_NUMERAL_CHARS}]+)"
"""Regex fragment (no groups) matching an Arabic or Chinese integer; use with ``parse_number``.
Apply to NFKC-normalised text so full-width digits are ASCII."""


def chinese_to_int(text: str) -> int:
    """Convert a Chinese numeral (``十二``, ``两百零五``, ``三万``, ``一〇二``) to an int.

    Raises ``ValueError`` for text that is not a well-formed numeral.
    """
    if not text or any(ch not in CHINESE_NUMERAL_CHARS for ch in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if all(ch in _DIGITS for ch in text) and len(text) > 1:
        # digit-by-digit form, e.g. 二〇二四
        return int("".join(str(_DIGITS[ch]) for ch in text))
    total = 0
    section = 0
    digit: int | None = None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            section += (1 if digit is None else digit) * _SMALL_UNITS[ch]
            digit = None
        else:
            section += digit or 0
            if section == 0:
                raise ValueError(f"not a Chinese numeral: {text!r}")
            total += section * _BIG_UNITS[ch]
            section = 0
            digit = None
    return total + section + (digit or 0)


def parse_number(text: str) -> int | None:
    """Parse an integer written in Arabic (with thousands separators) or Chinese numerals.

    Returns None when ``text`` is not a number.
    """
    text = unicodedata.normalize("NFKC", text).strip()
    plain = text.replace(",", "").replace("，", "")
    if plain.isdigit():
        return int(plain)
    try:
        return chinese_to_int(text)
    except ValueError:
        return None
