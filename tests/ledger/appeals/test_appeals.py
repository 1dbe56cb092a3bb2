"""Reconsideration and litigation cases: validation, results, reopening, scoping."""

from __future__ import annotations

from datetime import date

import pytest
from django.http import Http404

from gongkai.core.models import AuditEvent
from gongkai.ledger.appeals import services
from gongkai.ledger.appeals.models import Litigation
from gongkai.ledger.appeals.selectors import appeal_get_for_user, reconsideration_list_for_user
from gongkai.ledger.requests.services import StaleApplication
from tests.ledger.requests.factories import decide_and_serve, register, user

pytestmark = pytest.mark.django_db


def _served(sfj):
    return decide_and_serve(
        register(sfj),
        reply_type="internal_affairs",
        reasons="属于人事管理信息",
        served_on=date(2026, 3, 2),
    )


def test_litigation_after_reconsideration_inherits_the_applications(frozen, sfj):
    app = _served(sfj)
    rec = services.reconsideration_register(
        agency=sfj,
        actor=user("sfj_clerk"),
        body="示范县人民政府",
        appellant="张三",
        filed_on=date(2026, 3, 2),
        applications=[app],
    )
    lit = services.litigation_register(
        agency=sfj,
        actor=user("sfj_clerk"),
        court="示范县人民法院",
        appellant="张三",
        filed_on=date(2026, 3, 2),
        route=Litigation.Route.AFTER_RECONSIDERATION,
        reconsideration=rec,
    )
    assert list(lit.applications.all()) == [app]
    assert AuditEvent.objects.filter(action="litigation.registered").count() == 1


def test_results_need_a_date_and_not_before_filing(frozen, sfj):
    rec = services.reconsideration_register(
        agency=sfj,
        actor=user("sfj_clerk"),
        body="示范县人民政府",
        appellant="张三",
        filed_on=date(2026, 3, 2),
    )
    with pytest.raises(services.AppealError, match="审结日期不能早于立案日期"):
        services.appeal_conclude(
            case=rec, actor=user("sfj_clerk"), result="upheld", concluded_on=date(2026, 3, 1)
        )
    with pytest.raises(services.AppealError, match="审结结果"):
        services.appeal_conclude(
            case=rec, actor=user("sfj_clerk"), result="pending", concluded_on=date(2026, 3, 2)
        )


def test_upheld_result_does_not_reopen(frozen, sfj):
    app = _served(sfj)
    rec = services.reconsideration_register(
        agency=sfj,
        actor=user("sfj_clerk"),
        body="示范县人民政府",
        appellant="张三",
        filed_on=date(2026, 3, 2),
        applications=[app],
    )
    services.appeal_conclude(
        case=rec,
        actor=user("sfj_clerk"),
        result="upheld",
        concluded_on=date(2026, 3, 2),
        reopen_applications=True,
    )
    app.refresh_from_db()
    assert app.status == "closed"


def test_a_stale_result_is_refused(frozen, sfj):
    rec = services.reconsideration_register(
        agency=sfj,
        actor=user("sfj_clerk"),
        body="示范县人民政府",
        appellant="张三",
        filed_on=date(2026, 3, 2),
    )
    services.appeal_conclude(
        case=rec, actor=user("sfj_clerk"), result="other", concluded_on=date(2026, 3, 2)
    )
    with pytest.raises(StaleApplication):
        services.appeal_conclude(
            case=rec, actor=user("sfj_clerk"), result="upheld", concluded_on=date(2026, 3, 2)
        )


def test_only_own_agency_applications_can_be_linked(frozen, sfj, platform):
    other = register(platform["shifanxian-zrzyj"], clerk="zrzyj_clerk")
    with pytest.raises(services.AppealError, match="本机关"):
        services.reconsideration_register(
            agency=sfj,
            actor=user("sfj_clerk"),
            body="示范县人民政府",
            appellant="张三",
            filed_on=date(2026, 3, 2),
            applications=[other],
        )


def test_cases_are_scoped_to_the_users_agency(frozen, sfj):
    rec = services.reconsideration_register(
        agency=sfj,
        actor=user("sfj_clerk"),
        body="示范县人民政府",
        appellant="张三",
        filed_on=date(2026, 3, 2),
    )
    assert appeal_get_for_user(user=user("sfj_head"), kind="reconsideration", case_id=rec.pk)
    assert reconsideration_list_for_user(user("zrzyj_clerk")).count() == 0
    with pytest.raises(Http404):
        appeal_get_for_user(user=user("zrzyj_clerk"), kind="reconsideration", case_id=rec.pk)
    assert reconsideration_list_for_user(user("zwgkb")).count() == 1  # the region's office
