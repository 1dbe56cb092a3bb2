"""Reads of the appeals app: every list and fetch is scoped to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from gongkai.core.scoping import scope_to_user
from gongkai.ledger.appeals.models import AppealCase, Litigation, Reconsideration

KINDS: dict[str, type[AppealCase]] = {
    "reconsideration": Reconsideration,
    "litigation": Litigation,
}


def reconsideration_list_for_user(user: Any) -> QuerySet[Reconsideration]:
    return scope_to_user(Reconsideration.objects.select_related("agency"), user)


def litigation_list_for_user(user: Any) -> QuerySet[Litigation]:
    return scope_to_user(Litigation.objects.select_related("agency", "reconsideration"), user)


def appeal_get_for_user(*, user: Any, kind: str, case_id: int) -> AppealCase:
    """One case, or the same 404 whether it does not exist or is another agency's."""
    if kind == "reconsideration":
        qs: QuerySet = reconsideration_list_for_user(user)
    elif kind == "litigation":
        qs = litigation_list_for_user(user)
    else:
        raise Http404("未找到该案件")
    try:
        return qs.get(pk=case_id)
    except qs.model.DoesNotExist:
        raise Http404("未找到该案件") from None
