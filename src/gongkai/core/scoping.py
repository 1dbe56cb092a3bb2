"""Who sees which agency's records. Every list or fetch of agency-owned records goes through here.

* platform administrators (superusers) see every agency;
* the supervising office (政务公开办) sees its agency's whole subtree (its region);
* everybody else sees their own agency and its internal units.

Per-kind selectors (``agency_list_for_user``, and the ledger's own) call ``agencies_for_user``
and raise the same 404 for "does not exist" and "not yours".
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

from gongkai.core.models import Agency

M = TypeVar("M", bound=Model)


def staff_agency(user: Any) -> Agency | None:
    if not getattr(user, "is_authenticated", False):
        return None
    profile = getattr(user, "staff_profile", None)
    return profile.agency if profile is not None else None


def agencies_for_user(user: Any) -> QuerySet[Agency]:
    """The agencies whose records ``user`` may see."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.all()
    agency = staff_agency(user)
    if agency is None:
        return Agency.objects.none()
    subtree = Agency.objects.filter(path__startswith=agency.path)
    if user.has_perm("core.view_region") or user.has_perm("core.manage_agency"):
        # The supervising office and administrators see the whole region under them.
        return subtree
    # Everybody else: their own agency and its internal units (units under units too),
    # never another agency below it.
    rows = list(subtree.values_list("pk", "parent_id", "kind"))
    allowed = {agency.pk}
    changed = True
    while changed:
        changed = False
        for pk, parent_id, kind in rows:
            if pk not in allowed and parent_id in allowed and kind == Agency.Kind.UNIT:
                allowed.add(pk)
                changed = True
    return Agency.objects.filter(pk__in=allowed)


def scope_to_user(queryset: QuerySet[M], user: Any, *, field: str = "agency") -> QuerySet[M]:
    """Restrict any agency-owned queryset to what ``user`` may see."""
    return queryset.filter(**{f"{field}__in": agencies_for_user(user)})


def agency_list_for_user(user: Any) -> QuerySet[Agency]:
    return agencies_for_user(user).select_related("parent")


def agency_get_for_user(*, user: Any, agency_id: int) -> Agency:
    try:
        return agencies_for_user(user).get(pk=agency_id)
    except Agency.DoesNotExist:
        raise Http404("未找到该机关") from None
