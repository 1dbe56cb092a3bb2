"""Staff roles as data: one Django group per role, with its permissions.

The data migration ``0002_roles`` creates the groups from ``ROLES``; tests check the matrix.
Permission codenames are ours (on the ``core.Agency`` content type, see Agency.Meta) so that
they exist before the ledger apps do; later apps add theirs.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    CLERK = "clerk"
    REVIEWER = "reviewer"
    CONFIDENTIALITY_REVIEWER = "confidentiality_reviewer"
    HEAD = "head"
    ADMINISTRATOR = "administrator"
    SUPERVISOR = "supervisor"


@dataclass(frozen=True)
class RoleSpec:
    role: Role
    group_name: str
    description: str
    permissions: tuple[str, ...]


# codename -> Chinese description
PERMISSIONS: dict[str, str] = {
    "view_backoffice": "进入工作后台",
    "view_cases": "查看依申请公开案件",
    "register_application": "登记政府信息公开申请",
    "handle_application": "办理依申请公开案件",
    "approve_extension": "批准延期答复",
    "sign_decision": "签发答复决定",
    "view_personal_data": "查看申请人完整个人信息",
    "draft_publication": "起草主动公开信息",
    "review_publication": "审核主动公开信息",
    "final_review_publication": "终审主动公开信息",
    "confidentiality_review": "保密审查",
    "edit_annual_report": "编辑年度报告",
    "sign_annual_report": "签发年度报告",
    "manage_agency": "管理本机关设置与人员",
    "manage_calendar": "维护工作日历",
    "view_audit_log": "查看操作记录",
    "audit_region": "审查本区域各机关年度报告",
    "view_region": "查看本区域各机关",
}

ROLES: tuple[RoleSpec, ...] = (
    RoleSpec(
        Role.CLERK,
        "经办人",
        "登记申请、办理案件、起草主动公开信息",
        (
            "view_backoffice",
            "view_cases",
            "register_application",
            "handle_application",
            "draft_publication",
            "edit_annual_report",
        ),
    ),
    RoleSpec(
        Role.REVIEWER,
        "审核人",
        "审核答复草稿和主动公开信息（初审、复审）",
        ("view_backoffice", "view_cases", "review_publication", "edit_annual_report"),
    ),
    RoleSpec(
        Role.CONFIDENTIALITY_REVIEWER,
        "保密审查员",
        "发布前的保密审查",
        ("view_backoffice", "confidentiality_review"),
    ),
    RoleSpec(
        Role.HEAD,
        "负责人",
        "批准延期、终审、签发答复和年度报告",
        (
            "view_backoffice",
            "view_cases",
            "approve_extension",
            "sign_decision",
            "view_personal_data",
            "review_publication",
            "final_review_publication",
            "edit_annual_report",
            "sign_annual_report",
            "view_audit_log",
        ),
    ),
    RoleSpec(
        Role.ADMINISTRATOR,
        "系统管理员",
        "管理本机关（或平台）的设置、人员和日历",
        ("view_backoffice", "manage_agency", "manage_calendar", "view_audit_log"),
    ),
    RoleSpec(
        Role.SUPERVISOR,
        "政务公开办",
        "查看本区域各机关并审查其年度报告",
        ("view_backoffice", "view_region", "audit_region", "view_audit_log", "edit_annual_report"),
    ),
)

ROLE_BY_GROUP = {spec.group_name: spec for spec in ROLES}


def sync_roles(apps: object) -> None:
    """Create or update the role groups and their permissions (idempotent).

    Takes the migration ``apps`` registry (or ``django.apps.apps``) so it works inside
    migrations without importing models.
    """
    group_model = apps.get_model("auth", "Group")  # type: ignore[attr-defined]
    permission_model = apps.get_model("auth", "Permission")  # type: ignore[attr-defined]
    content_type_model = apps.get_model("contenttypes", "ContentType")  # type: ignore[attr-defined]
    content_type, _ = content_type_model.objects.get_or_create(app_label="core", model="agency")
    by_codename = {}
    for codename, name in PERMISSIONS.items():
        permission, _ = permission_model.objects.update_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        by_codename[codename] = permission
    for spec in ROLES:
        group, _ = group_model.objects.get_or_create(name=spec.group_name)
        group.permissions.set([by_codename[c] for c in spec.permissions])
