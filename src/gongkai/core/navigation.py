"""Navigation menus as data. Entries whose URL is not (yet) defined are skipped, entries whose
permission the user lacks are hidden (the views check permissions themselves too)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str = ""  # codename on core.Agency; "" = every staff member


BACKOFFICE_NAV = (
    NavItem("工作台", "backoffice:dashboard"),
    NavItem("依申请公开", "backoffice:requests:list", "view_cases"),
    NavItem("复议诉讼", "backoffice:appeals:list", "view_cases"),
    NavItem("申请统计", "backoffice:requests:tables", "view_region"),
    NavItem("主动公开", "backoffice:publishing:list"),
    NavItem("网民留言", "backoffice:messages:list", "view_cases"),
    NavItem("年度报告", "backoffice:annual:list", "edit_annual_report"),
    NavItem("报告审查", "backoffice:oversight:list", "audit_region"),
    NavItem("工作日历", "backoffice:calendar:year", "manage_calendar"),
    NavItem("文书模板", "backoffice:requests:letter_templates", "manage_agency"),
    NavItem("机关", "backoffice:agency_list"),
    NavItem("操作记录", "backoffice:audit_log", "view_audit_log"),
    NavItem("安全设置", "backoffice:security:totp"),
    NavItem("接口令牌", "api:tokens"),
    NavItem("令牌管理", "api:tokens-admin", "manage_agency"),
)

PORTAL_NAV = (
    NavItem("首页", "portal:home"),
    NavItem("信息公开目录", "portal:publishing:catalogue"),
    NavItem("依申请公开", "portal:requests:choose_agency"),
    NavItem("申请查询", "portal:requests:track"),
    NavItem("网民留言", "portal:messages:list"),
    NavItem("年度报告", "portal:annual:list"),
)


def _resolve(items: tuple[NavItem, ...], user: Any) -> list[dict[str, str]]:
    menu = []
    for item in items:
        if item.permission and not (
            user.is_authenticated and user.has_perm(f"core.{item.permission}")
        ):
            continue
        try:
            menu.append({"label": item.label, "url": reverse(item.url_name)})
        except NoReverseMatch:
            continue
    return menu


def backoffice_menu(user: Any) -> list[dict[str, str]]:
    return _resolve(BACKOFFICE_NAV, user)


def portal_menu() -> list[dict[str, str]]:
    from django.contrib.auth.models import AnonymousUser

    return _resolve(PORTAL_NAV, AnonymousUser())
