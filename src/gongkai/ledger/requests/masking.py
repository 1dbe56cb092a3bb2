"""Masking personal data for people who may not see it (role without ``view_personal_data``)."""

from __future__ import annotations


def mask_name(name: str) -> str:
    """``张三丰`` → ``张**``; organisation names (≥ 6 characters) are not personal data."""
    name = name.strip()
    if not name or len(name) >= 6:
        return name
    return name[0] + "*" * (len(name) - 1)


def mask_id(number: str) -> str:
    """``410105198001011234`` → ``4101**********1234``."""
    n = number.strip()
    if len(n) <= 8:
        return "*" * len(n)
    return n[:4] + "*" * (len(n) - 8) + n[-4:]


def mask_phone(phone: str) -> str:
    digits = phone.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_email(email: str) -> str:
    user, _, domain = email.partition("@")
    if not domain:
        return mask_id(email)
    return (user[:1] + "***@" + domain) if user else email


def mask_address(address: str) -> str:
    a = address.strip()
    return a[:6] + "***" if len(a) > 6 else a
