"""Reads of the 依申请公开 app. Every list or fetch of applications goes through here.

Staff: ``application_list_for_user`` / ``application_get_for_user`` (scoped to the user's
agencies; the same 404 for "does not exist" and "not yours"). Public: ``application_for_tracking``
is the only way the portal finds an application (tracking code + password).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractMonth
from django.http import Http404

from gongkai.core.models import Agency
from gongkai.core.scoping import scope_to_user
from gongkai.ledger.requests.aggregation import cell_queryset
from gongkai.ledger.requests.models import Application, Letter
from gongkai.ledger.requests.services.clock import get_calendar
from gongkai.ledger.requests.transitions import OPEN, Status
from gongkai.statutory.formats import LAYOUT_2021, OUTCOME_GROUP_LABELS, Col, OutcomeGroup, RowKey

__all__ = [
    "DUE_SOON_WORKDAYS",
    "DashboardStats",
    "application_filter",
    "application_for_tracking",
    "application_get_for_user",
    "application_list_for_user",
    "dashboard_stats",
    "letters_for_applicant",
]

DUE_SOON_WORKDAYS = 5
OPEN_VALUES = [s.value for s in OPEN]


def application_list_for_user(user: Any) -> QuerySet[Application]:
    return scope_to_user(Application.objects.select_related("agency"), user)


def application_get_for_user(*, user: Any, application_id: int) -> Application:
    try:
        return application_list_for_user(user).get(pk=application_id)
    except Application.DoesNotExist:
        raise Http404("未找到该申请") from None


def due_soon_limit(today: date) -> date:
    """The last due date that counts as "due within 5 working days" of ``today``."""
    return get_calendar().add_workdays(today, DUE_SOON_WORKDAYS)


def application_filter(
    queryset: QuerySet[Application], params: Mapping[str, str], *, today: date
) -> QuerySet[Application]:
    """The work list's filters (all optional): status (or ``open``), due (``soon``/``overdue``),
    provisional, year, outcome row, category, channel, free text, agency (``agency``, with
    ``region=1`` its whole subtree) and a table-三 cell (``t3row``/``t3col``/``t3year``)."""
    qs = queryset
    status = params.get("status", "")
    if status == "open":
        qs = qs.filter(status__in=OPEN_VALUES)
    elif status in Status._value2member_map_:
        qs = qs.filter(status=status)
    due = params.get("due", "")
    if due == "soon":
        qs = qs.filter(status__in=OPEN_VALUES, due_on__gte=today, due_on__lte=due_soon_limit(today))
    elif due == "overdue":
        qs = qs.filter(status__in=OPEN_VALUES, due_on__lt=today)
    if params.get("provisional") in ("1", "on", "true"):
        qs = qs.filter(clock_provisional=True)
    year = params.get("year", "")
    if year.isdigit():
        qs = qs.filter(
            Q(received_on__year=int(year))
            | Q(received_on__isnull=True, registration_year=int(year))
        )
    outcome = params.get("outcome", "")
    if outcome in RowKey._value2member_map_:
        qs = qs.filter(outcome_row=outcome)
    elif outcome in OutcomeGroup._value2member_map_:
        qs = qs.filter(outcome_row__startswith=outcome)
    category = params.get("category", "")
    if category:
        qs = qs.filter(category=category)
    channel = params.get("channel", "")
    if channel:
        qs = qs.filter(channel=channel)
    text = params.get("q", "").strip()
    if text:
        qs = qs.filter(
            Q(registration_no__icontains=text)
            | Q(applicant_name__icontains=text)
            | Q(description__icontains=text)
            | Q(tracking_code__iexact=text)
        )
    agency_id = params.get("agency", "")
    if agency_id.isdigit():
        # one agency of those the user sees, or its whole region (``region=1``)
        path = Agency.objects.filter(pk=int(agency_id)).values_list("path", flat=True).first()
        if params.get("region") == "1" and path:
            qs = qs.filter(agency__path__startswith=path)
        else:
            qs = qs.filter(agency_id=int(agency_id))
    row, col, cell_year = params.get("t3row", ""), params.get("t3col", ""), params.get("t3year", "")
    if row in RowKey._value2member_map_ and col in Col._value2member_map_ and cell_year.isdigit():
        qs = cell_queryset(qs, int(cell_year), row, col)
    return qs


@dataclass(frozen=True)
class DashboardStats:
    open: int
    due_soon: int
    overdue: int
    provisional: int
    year: int
    received_by_month: tuple[int, ...]  # 12 values
    concluded_by_month: tuple[int, ...]
    by_outcome: tuple[tuple[str, str, int], ...]  # (group key, label, count)


def dashboard_stats(queryset: QuerySet[Application], *, today: date, year: int) -> DashboardStats:
    """The dashboard figures in four SQL aggregates."""
    limit = due_soon_limit(today)
    open_q = Q(status__in=OPEN_VALUES)
    head = queryset.order_by().aggregate(
        open=Count("pk", filter=open_q),
        due_soon=Count("pk", filter=open_q & Q(due_on__gte=today, due_on__lte=limit)),
        overdue=Count("pk", filter=open_q & Q(due_on__lt=today)),
        provisional=Count("pk", filter=open_q & Q(clock_provisional=True)),
    )
    received = dict(
        queryset.filter(received_on__year=year)
        .order_by()
        .annotate(m=ExtractMonth("received_on"))
        .values("m")
        .annotate(n=Count("pk"))
        .values_list("m", "n")
    )
    concluded = dict(
        queryset.filter(concluded_on__year=year)
        .order_by()
        .annotate(m=ExtractMonth("concluded_on"))
        .values("m")
        .annotate(n=Count("pk"))
        .values_list("m", "n")
    )
    groups = {g.value: 0 for g in OutcomeGroup}
    by_row = (
        queryset.filter(concluded_on__year=year)
        .order_by()
        .values("outcome_row")
        .annotate(n=Count("pk"))
        .values_list("outcome_row", "n")
    )
    for row, n in by_row:
        group = LAYOUT_2021.table3_row(RowKey(row)).group
        if group is not None:
            groups[group.value] += n
    return DashboardStats(
        open=head["open"],
        due_soon=head["due_soon"],
        overdue=head["overdue"],
        provisional=head["provisional"],
        year=year,
        received_by_month=tuple(received.get(m, 0) for m in range(1, 13)),
        concluded_by_month=tuple(concluded.get(m, 0) for m in range(1, 13)),
        by_outcome=tuple((g.value, OUTCOME_GROUP_LABELS[g], groups[g.value]) for g in OutcomeGroup),
    )


# A hash to check against when the code is unknown, so that a wrong code and a wrong password
# take the same time (no telling which one was wrong).
@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash to check against when the code is unknown (same time as a wrong password).
    Made on first use, with the hasher in force then, not at import."""
    return make_password("gongkai-no-such-application")


def application_for_tracking(code: str, password: str) -> Application | None:
    """The application with this tracking code and query password, or ``None`` — the same
    answer for an unknown code and a wrong password."""
    code = "".join(code.upper().split())
    if len(code) == 12 and "-" not in code:
        code = f"{code[:4]}-{code[4:8]}-{code[8:]}"
    app = (
        Application.objects.select_related("agency", "transferred_to")
        .filter(tracking_code=code)
        .first()
        if code
        else None
    )
    if app is None:
        check_password(password, _dummy_hash())
        return None
    if not password or not check_password(password, app.query_password):
        return None
    return app


def letters_for_applicant(application: Application) -> QuerySet[Letter]:
    """Letters the applicant may download: notices addressed to them, and reply letters only
    once served."""
    party_kinds = ("consult_third_party", "consult_co_agency")
    return (
        application.letters.exclude(kind__in=party_kinds)
        .filter(Q(is_reply=False) | Q(served_on__isnull=False))
        .order_by("created_at", "id")
    )
