"""Demo platform: a county with its government office, a justice bureau like the seed's and two
more agencies, with a staff account for every role. Idempotent: running it again changes nothing.

Later parts of the ledger register their own demo steps in ``DEMO_STEPS``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from gongkai.core.models import Agency, StaffProfile
from gongkai.core.roles import ROLES, Role, sync_roles

DEMO_PASSWORD = "gongkai-demo-2026"

# Dotted paths of functions ``step(stdout) -> None`` run, in order, after the platform exists.
# A step whose module is not there (a part not built yet) is skipped.
DEMO_STEPS: list[str] = [
    "gongkai.ledger.publishing.demo.load",
    "gongkai.ledger.messages.demo.load",
    "gongkai.ledger.requests.demo.load",
    "gongkai.ledger.appeals.demo.load",
    "gongkai.ledger.annual.demo.load",
    "gongkai.oversight.demo.load",
]


@dataclass(frozen=True)
class DemoAgency:
    slug: str
    name: str
    short_name: str
    parent: str | None
    kind: str
    level: str
    uscc: str
    address: str


AGENCIES = (
    DemoAgency(
        "shifanxian",
        "示范县人民政府",
        "示范县政府",
        None,
        "government",
        "county",
        "11410000MB0000001X",
        "示范县人民路1号",
    ),
    DemoAgency(
        "shifanxian-zfb",
        "示范县人民政府办公室",
        "县政府办",
        "shifanxian",
        "department",
        "county",
        "11410000MB00000028",
        "示范县人民路1号",
    ),
    DemoAgency(
        "shifanxian-sfj",
        "示范县司法局",
        "县司法局",
        "shifanxian",
        "department",
        "county",
        "11410000MB00000036",
        "示范县法治路8号",
    ),
    DemoAgency(
        "shifanxian-zrzyj",
        "示范县自然资源局",
        "县自然资源局",
        "shifanxian",
        "department",
        "county",
        "11410000MB00000044",
        "示范县建设路16号",
    ),
    DemoAgency(
        "shifanxian-cgz",
        "示范县城关镇人民政府",
        "城关镇",
        "shifanxian",
        "township",
        "township",
        "11410000MB00000052",
        "示范县城关镇政府街3号",
    ),
)

# username, full name, agency slug, roles
USERS: tuple[tuple[str, str, str, tuple[Role, ...]], ...] = (
    ("zwgkb", "王公开（政务公开办）", "shifanxian", (Role.SUPERVISOR,)),
    ("xian_admin", "赵管理（平台管理员）", "shifanxian", (Role.ADMINISTRATOR,)),
    ("sfj_clerk", "李经办", "shifanxian-sfj", (Role.CLERK,)),
    ("sfj_reviewer", "张初审", "shifanxian-sfj", (Role.REVIEWER,)),
    ("sfj_reviewer2", "陈复审", "shifanxian-sfj", (Role.REVIEWER,)),
    ("sfj_secrecy", "周保密", "shifanxian-sfj", (Role.CONFIDENTIALITY_REVIEWER,)),
    ("sfj_head", "孙局长", "shifanxian-sfj", (Role.HEAD,)),
    ("sfj_admin", "吴管理", "shifanxian-sfj", (Role.ADMINISTRATOR,)),
    ("zrzyj_clerk", "郑经办", "shifanxian-zrzyj", (Role.CLERK,)),
    ("zrzyj_head", "冯局长", "shifanxian-zrzyj", (Role.HEAD,)),
    ("cgz_clerk", "何经办", "shifanxian-cgz", (Role.CLERK,)),
    ("cgz_head", "吕镇长", "shifanxian-cgz", (Role.HEAD,)),
)


def _group_name(role: Role) -> str:
    return next(spec.group_name for spec in ROLES if spec.role == role)


@transaction.atomic
def load_platform() -> dict[str, Agency]:
    from django.apps import apps

    sync_roles(apps)  # normally done by the data migration; cheap and idempotent
    agencies: dict[str, Agency] = {}
    for item in AGENCIES:
        agency, _ = Agency.objects.get_or_create(
            slug=item.slug,
            defaults={
                "name": item.name,
                "short_name": item.short_name,
                "parent": agencies.get(item.parent) if item.parent else None,
                "kind": item.kind,
                "level": item.level,
                "uscc": item.uscc,
                "region_code": "419001",
                "address": item.address,
                "phone": "0391-0000000",
                "office_hours": "工作日 上午8:30-12:00，下午14:30-17:30",
                "reconsideration_body": "示范县人民政府",
                "competent_court": "示范县人民法院",
            },
        )
        agencies[item.slug] = agency
    user_model = get_user_model()
    for username, full_name, slug, roles in USERS:
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"first_name": full_name}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        StaffProfile.objects.get_or_create(user=user, defaults={"agency": agencies[slug]})
        user.groups.add(*Group.objects.filter(name__in=[_group_name(r) for r in roles]))
    admin, created = user_model.objects.get_or_create(
        username="platform_admin",
        defaults={"first_name": "平台超级管理员", "is_staff": True, "is_superuser": True},
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save(update_fields=["password"])
    return agencies


def load_demo(stdout: TextIO) -> None:
    load_platform()
    for dotted in DEMO_STEPS:
        module_name, func_name = dotted.rsplit(".", 1)
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        step: Callable[[TextIO], None] = getattr(module, func_name)
        step(stdout)
    stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：\n")
    for username, full_name, slug, roles in USERS:
        agency = next(a.name for a in AGENCIES if a.slug == slug)
        role_names = "、".join(_group_name(r) for r in roles)
        stdout.write(f"  {username:<14} {role_names:<8} {agency}（{full_name}）\n")
    stdout.write(f"  {'platform_admin':<14} 平台超级管理员\n")
