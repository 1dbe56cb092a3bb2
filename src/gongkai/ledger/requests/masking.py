"""Masking applicants' personal data for people who may not see it (no ``view_personal_data``).

The rules live in one place, ``gongkai.core.security.masking``; this module only adds the
ledger's convention that an organisation's name (six characters or more) is not personal data.
"""

from __future__ import annotations

from gongkai.core.security.masking import mask_address, mask_email, mask_phone
from gongkai.core.security.masking import mask_id_number as mask_id
from gongkai.core.security.masking import mask_name as _mask_person_name

__all__ = ["mask_address", "mask_email", "mask_id", "mask_name", "mask_phone"]


def mask_name(name: str) -> str:
    """``张三丰`` → ``张**``; organisation names (≥ 6 characters) are not personal data."""
    name = name.strip()
    if not name or len(name) >= 6:
        return name
    return _mask_person_name(name)
