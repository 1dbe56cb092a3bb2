"""Who may do what to which agency's publishing records (used by services and actions)."""

from __future__ import annotations

from typing import Any

from gongkai.core.models import Agency
from gongkai.core.permissions import has_perm
from gongkai.core.scoping import agencies_for_user
from gongkai.ledger.publishing.errors import ActionRefused


def can_act_for(user: Any, agency: Agency, codename: str) -> bool:
    """True when ``user`` holds ``codename`` and ``agency`` is within their scope."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if not (user.is_superuser or has_perm(user, codename)):
        return False
    return agencies_for_user(user).filter(pk=agency.pk).exists()


def require(user: Any, agency: Agency, codename: str, what: str) -> None:
    """Raise ``ActionRefused`` unless ``can_act_for(user, agency, codename)``."""
    if not can_act_for(user, agency, codename):
        raise ActionRefused(f"您没有{what}的权限（{agency.name}）")
