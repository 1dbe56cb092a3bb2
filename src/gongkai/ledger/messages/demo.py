"""Demo 网民留言: last year's messages (the seed report: 4 people, reply rate 100%) and a few
waiting for a reply now. Idempotent."""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from django.contrib.auth import get_user_model
from django.utils import timezone

from gongkai.core import clock
from gongkai.core.models import Agency
from gongkai.ledger.messages.models import PublicMessage
from gongkai.ledger.messages.services import message_publish, message_reply, message_submit

# agency slug, month, day, name, contact, subject, question, reply (None: not replied), agrees
LAST_YEAR = (
    (
        "shifanxian-sfj",
        3,
        11,
        "刘先生",
        "13800000001",
        "法律援助申请需要哪些材料？",
        "我母亲今年七十岁，因赡养纠纷想申请法律援助，请问需要准备哪些材料？",
        "您好！申请法律援助需提交身份证明、经济困难状况说明表及与案件有关的材料。"
        "您可到县公共法律服务中心窗口办理，也可由家属代为申请。",
        True,
    ),
    (
        "shifanxian-sfj",
        6,
        5,
        "王女士",
        "wang@example.com",
        "人民调解是否收费？",
        "邻居装修噪音纠纷，想请社区人民调解委员会调解，请问收费吗？",
        "您好！人民调解不收取任何费用。您可向所在社区人民调解委员会提出申请。",
        True,
    ),
    (
        "shifanxian-sfj",
        9,
        20,
        "张先生",
        "13800000003",
        "公证处的办公时间",
        "请问县公证处国庆节期间是否上班？",
        "您好！国庆节期间公证处安排值班，可办理急办业务。",
        False,
    ),
    (
        "shifanxian-sfj",
        11,
        2,
        "赵女士",
        "13800000004",
        "社区矫正报到地点",
        "我弟弟被判处缓刑，请问应当到哪里报到？",
        "您好！应在判决生效之日起十日内到居住地县司法局社区矫正机构报到。",
        True,
    ),
    (
        "shifanxian-zrzyj",
        4,
        8,
        "孙先生",
        "13800000011",
        "不动产登记预约",
        "不动产登记可以网上预约吗？",
        "您好！可通过县政务服务网预约不动产登记业务。",
        True,
    ),
    (
        "shifanxian-zrzyj",
        8,
        16,
        "周女士",
        "13800000012",
        "宅基地审批",
        "农村宅基地建房需要哪些审批手续？",
        None,
        False,
    ),
)
THIS_YEAR = (
    (
        "shifanxian-sfj",
        "钱先生",
        "13800000005",
        "法律顾问进村",
        "我们村想请律师担任法律顾问，怎么申请？",
    ),
    (
        "shifanxian-sfj",
        "吴女士",
        "13800000006",
        "人民调解员培训",
        "个人可以报名参加人民调解员培训吗？",
    ),
)


def load(stdout: TextIO) -> None:
    agencies = {
        a.slug: a for a in Agency.objects.filter(slug__in=["shifanxian-sfj", "shifanxian-zrzyj"])
    }
    if not agencies or PublicMessage.objects.filter(agency__in=agencies.values()).exists():
        return
    users = get_user_model().objects.in_bulk(
        ["sfj_clerk", "sfj_head", "zrzyj_clerk", "zrzyj_head"], field_name="username"
    )
    zone = timezone.get_current_timezone()
    year = clock.today().year - 1
    count = 0
    for slug, month, day, name, contact, subject, question, reply, agrees in LAST_YEAR:
        agency = agencies.get(slug)
        if agency is None:
            continue
        prefix = slug.split("-")[1]
        message = message_submit(
            agency=agency,
            writer_name=name,
            contact=contact,
            subject=subject,
            body=question,
            agrees_to_publish=agrees,
            now=dt.datetime(year, month, day, 10, 0, tzinfo=zone),
        )
        count += 1
        if reply is None:
            continue
        replied_at = message.submitted_at + dt.timedelta(days=2, hours=3)
        message = message_reply(
            actor=users[f"{prefix}_clerk"], message=message, reply=reply, now=replied_at
        )
        if agrees:
            message_publish(
                actor=users[f"{prefix}_head"],
                message=message,
                now=replied_at + dt.timedelta(hours=2),
            )
    now = clock.now()
    for slug, name, contact, subject, question in THIS_YEAR:
        if slug in agencies:
            message_submit(
                agency=agencies[slug],
                writer_name=name,
                contact=contact,
                subject=subject,
                body=question,
                agrees_to_publish=True,
                now=now - dt.timedelta(days=1),
            )
            count += 1
    stdout.write(f"网民留言：已生成 {count} 条。\n")
