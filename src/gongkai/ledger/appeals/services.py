"""Services of the appeals app: register a reconsideration or a litigation, record its result.

A 纠正 (corrected) result may reopen the applications it concerns
(``requests.services.application_reopen``), in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction

from gongkai.core import audit, clock
from gongkai.core.models import Agency
from gongkai.ledger.appeals.models import AppealCase, Litigation, Reconsideration, Result
from gongkai.ledger.requests.models import Application
from gongkai.ledger.requests.services import application_reopen
from gongkai.ledger.requests.services.base import ActionNotAllowed, StaleApplication, require_perm

__all__ = [
    "AppealError",
    "appeal_conclude",
    "litigation_register",
    "reconsideration_register",
]

AppealError = ActionNotAllowed


def _check_applications(agency: Agency, applications: Iterable[Application]) -> list[Application]:
    apps = list(applications)
    for app in apps:
        if app.agency_id != agency.pk:
            raise AppealError("只能关联本机关办理的申请。")
    return apps


def _validate_dates(filed_on: date, concluded_on: date | None, result: str) -> None:
    today = clock.today()
    if filed_on > today or (concluded_on and concluded_on > today):
        raise AppealError("日期不能晚于今天。")
    if (result == Result.PENDING) != (concluded_on is None):
        raise AppealError("已审结的案件须填写审结日期和结果；尚未审结的案件不填审结日期。")
    if concluded_on and concluded_on < filed_on:
        raise AppealError("审结日期不能早于立案日期。")


def _snapshot(case: AppealCase) -> dict[str, Any]:
    return {
        "body": case.body,
        "case_number": case.case_number,
        "filed_on": case.filed_on.isoformat(),
        "concluded_on": case.concluded_on.isoformat() if case.concluded_on else None,
        "result": case.result,
        "applications": [a.registration_no for a in case.applications.all()],
    }


@transaction.atomic
def reconsideration_register(
    *,
    agency: Agency,
    actor: Any,
    body: str,
    appellant: str,
    filed_on: date,
    applications: Iterable[Application] = (),
    case_number: str = "",
    notes: str = "",
) -> Reconsideration:
    """Register a 行政复议 case against ``agency`` about its disclosure decisions."""
    require_perm(actor, "handle_application", "登记行政复议案件")
    _validate_dates(filed_on, None, Result.PENDING)
    if not body.strip() or not appellant.strip():
        raise AppealError("请填写复议机关和复议申请人。")
    now = clock.now()
    case = Reconsideration.objects.create(
        agency=agency,
        body=body.strip(),
        appellant=appellant.strip(),
        filed_on=filed_on,
        case_number=case_number.strip(),
        notes=notes,
        created_at=now,
        updated_at=now,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    case.applications.set(_check_applications(agency, applications))
    audit.record(
        actor=actor, action="reconsideration.registered", subject=case, after=_snapshot(case)
    )
    return case


@transaction.atomic
def litigation_register(
    *,
    agency: Agency,
    actor: Any,
    court: str,
    appellant: str,
    filed_on: date,
    route: str,
    reconsideration: Reconsideration | None = None,
    applications: Iterable[Application] = (),
    case_number: str = "",
    notes: str = "",
) -> Litigation:
    """Register a 行政诉讼 case: brought directly, or after a reconsideration (then linked)."""
    require_perm(actor, "handle_application", "登记行政诉讼案件")
    _validate_dates(filed_on, None, Result.PENDING)
    if route not in Litigation.Route.values:
        raise AppealError("请选择起诉方式（未经复议直接起诉或复议后起诉）。")
    if (
        route == Litigation.Route.AFTER_RECONSIDERATION
        and reconsideration is not None
        and reconsideration.agency_id != agency.pk
    ):
        raise AppealError("在先的行政复议须为本机关的案件。")
    if route == Litigation.Route.DIRECT:
        reconsideration = None
    if not court.strip() or not appellant.strip():
        raise AppealError("请填写受理法院和原告。")
    now = clock.now()
    case = Litigation.objects.create(
        agency=agency,
        body=court.strip(),
        appellant=appellant.strip(),
        filed_on=filed_on,
        route=route,
        reconsideration=reconsideration,
        case_number=case_number.strip(),
        notes=notes,
        created_at=now,
        updated_at=now,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    apps = list(applications)
    if not apps and reconsideration is not None:
        apps = list(reconsideration.applications.all())
    case.applications.set(_check_applications(agency, apps))
    audit.record(actor=actor, action="litigation.registered", subject=case, after=_snapshot(case))
    return case


@transaction.atomic
def appeal_conclude(
    *,
    case: AppealCase,
    actor: Any,
    result: str,
    concluded_on: date,
    result_note: str = "",
    reopen_applications: bool = False,
    expected_version: int | None = None,
) -> AppealCase:
    """Record the result (维持 / 纠正 / 其他). With 纠正 and ``reopen_applications`` the linked
    applications that were concluded are handled again (``application_reopen``)."""
    require_perm(actor, "handle_application", "登记复议诉讼结果")
    model = type(case)
    fresh = model.objects.select_for_update().get(pk=case.pk)
    expected = case.version if expected_version is None else expected_version
    if fresh.version != expected:
        raise StaleApplication("该案件已被其他人修改，您的修改未保存；请刷新页面后重试。")
    if result not in (Result.UPHELD, Result.CORRECTED, Result.OTHER):
        raise AppealError("请选择审结结果（维持、纠正或其他）。")
    _validate_dates(fresh.filed_on, concluded_on, result)
    before = _snapshot(fresh)
    fresh.result = result
    fresh.concluded_on = concluded_on
    fresh.result_note = result_note.strip()
    fresh.version += 1
    fresh.updated_at = clock.now()
    fresh.save(update_fields=["result", "concluded_on", "result_note", "version", "updated_at"])
    audit.record(
        actor=actor,
        action=f"{model._meta.model_name}.concluded",
        subject=fresh,
        before=before,
        after=_snapshot(fresh),
    )
    if result == Result.CORRECTED and reopen_applications:
        for app in fresh.applications.filter(status__in=["closed", "lapsed"]):
            application_reopen(
                application=app,
                actor=actor,
                reopened_on=concluded_on,
                reason=f"{fresh.kind_label}结果纠正（{fresh.body} {fresh.case_number}）".strip(),
            )
    return fresh
