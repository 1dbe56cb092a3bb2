"""Demo data of proactive disclosure: columns, a year of published items like the seed report's
(757 items: 257 on the cloud platform — 2 policy, 224 statutory, 31 grassroots — plus WeChat and
Weibo posts), this year's items, items at every review step, the document register and the
monthly figures. Idempotent: a second run changes nothing."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from gongkai.core import clock
from gongkai.core.models import Agency
from gongkai.ledger.publishing.actions import (
    ConfidentialityReviewAction,
    FinalReviewAction,
    FirstReviewAction,
    SecondReviewAction,
    SubmitAction,
)
from gongkai.ledger.publishing.models import Category, Column, Publication, RegisterEntry, Topic
from gongkai.ledger.publishing.services import (
    ImportedPublication,
    MonthValues,
    figures_set_month,
    publication_create,
    publications_import,
    register_entry_create,
    register_entry_repeal,
)

DEMO_ORIGIN = "demo"

# name, update class, information class
COLUMNS = (
    ("工作动态", Column.UpdateClass.DYNAMIC, Column.DisclosureClass.NEWS),
    ("通知公告", Column.UpdateClass.NOTICE, Column.DisclosureClass.STATUTORY),
    ("政策文件", Column.UpdateClass.NOTICE, Column.DisclosureClass.POLICY),
    ("政策解读", Column.UpdateClass.NOTICE, Column.DisclosureClass.POLICY),
    ("法定主动公开内容", Column.UpdateClass.NOTICE, Column.DisclosureClass.STATUTORY),
    ("基层政务公开", Column.UpdateClass.NOTICE, Column.DisclosureClass.GRASSROOTS),
    ("机构概况", Column.UpdateClass.STATIC, Column.DisclosureClass.STATUTORY),
)

STATUTORY_TOPICS = (
    ("关于开展{season}人民调解矛盾纠纷排查化解工作的通知", "02", "14.03"),
    ("{agency}{month}月法律援助案件办理情况", "11", "14.03"),
    ("{agency}公共法律服务事项清单（{year}年版）", "05", "14.03"),
    ("{agency}{year}年部门预算公开", "07", "02.01"),
    ("{agency}{year}年行政执法统计年报", "06", "14.03"),
    ("关于公布{year}年度“谁执法谁普法”责任清单的通知", "15", "14.03"),
    ("{agency}机构职能和内设机构", "02", "20.01"),
    ("{agency}{month}月社区矫正工作情况", "11", "14.03"),
    ("关于{year}年公务员招录职位的公告", "14", "13.03"),
    ("{agency}行政许可事项目录", "05", "20.01"),
)
NEWS_TITLES = (
    "{agency}召开{month}月法治政府建设推进会",
    "“法律明白人”培训走进{town}",
    "{agency}开展“宪法进万家”普法宣传活动",
    "{town}人民调解委员会成功调解一起邻里纠纷",
    "{agency}组织开展公共法律服务“进企业”活动",
    "{agency}召开政务公开工作专题会议",
)
GRASSROOTS_TITLES = (
    "{town}{month}月村务公开情况",
    "{town}人民调解员名单公示",
    "{town}法律援助联络点设置情况",
)
SENTENCES = (
    "为深入贯彻落实《中华人民共和国政府信息公开条例》，进一步提高政务公开工作质量。",
    "本次活动共发放宣传资料1200余份，现场解答群众法律咨询86人次。",
    "各司法所要把矛盾纠纷排查调解工作放在突出位置，做到早发现、早报告、早化解。",
    "法律援助中心坚持应援尽援，畅通“绿色通道”，为困难群众提供优质高效的法律服务。",
    "下一步，我局将持续深化普法宣传，推动公共法律服务体系建设提质增效。",
    "请各单位高度重视，明确责任分工，于规定时间内报送工作情况。",
    "社区矫正工作坚持监督管理与教育帮扶相结合，全年未发生脱管漏管。",
    "人民调解组织充分发挥“第一道防线”作用，调解成功率保持在98%以上。",
)
TOWNS = ("城关镇", "东关街道", "河口镇", "南山乡", "北岭镇")
SEASONS = ("春季", "夏季", "秋季", "冬季")


def _user(username: str) -> Any:
    return get_user_model().objects.filter(username=username).first()


def _body(rnd: random.Random) -> str:
    return "".join(f"<p>{s}</p>" for s in rnd.sample(SENTENCES, 3))


def _ensure_columns(agency: Agency) -> dict[str, Column]:
    columns = {}
    for position, (name, update_class, disclosure_class) in enumerate(COLUMNS):
        column, _ = Column.objects.get_or_create(
            agency=agency,
            name=name,
            defaults={
                "update_class": update_class,
                "disclosure_class": disclosure_class,
                "position": position,
            },
        )
        columns[name] = column
    return columns


def _moment(rnd: random.Random, day: dt.date) -> dt.datetime:
    zone = timezone.get_current_timezone()
    return dt.datetime.combine(day, dt.time(rnd.randint(8, 17), rnd.randint(0, 59)), tzinfo=zone)


def _day_in(rnd: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rnd.randint(0, max(0, (end - start).days)))


def _fill(template: str, rnd: random.Random, agency: Agency, year: int, day: dt.date) -> str:
    return template.format(
        agency=agency.short_name or agency.name,
        year=year,
        month=day.month,
        town=rnd.choice(TOWNS),
        season=SEASONS[(day.month - 1) // 3],
    )


def _history(
    agency: Agency,
    columns: dict[str, Column],
    year: int,
    rnd: random.Random,
    *,
    statutory: int,
    policy: int,
    grassroots: int,
    wechat: int,
    weibo: int,
    until: dt.date | None = None,
) -> list[ImportedPublication]:
    """Items of one year as the seed report counts them."""
    topics = {t.code: t for t in Topic.objects.all()}
    start = dt.date(year, 1, 1)
    end = min(dt.date(year, 12, 31), until) if until else dt.date(year, 12, 31)
    items: list[ImportedPublication] = []

    def add(
        column: str,
        title: str,
        category: str,
        topic: str | None,
        channels: tuple[str, ...],
        day: dt.date,
        doc_type: str = Publication.DocType.ORDINARY,
        number: str = "",
    ) -> None:
        items.append(
            ImportedPublication(
                column=columns[column],
                title=title,
                body=_body(rnd),
                category=category,
                topic=topics.get(topic) if topic else None,
                doc_type=doc_type,
                document_number=number,
                written_on=day - dt.timedelta(days=rnd.randint(0, 5)),
                published_at=_moment(rnd, day),
                channels=channels,
            )
        )

    for _ in range(statutory):
        day = _day_in(rnd, start, end)
        template, category, topic = rnd.choice(STATUTORY_TOPICS)
        column = "通知公告" if "通知" in template or "公告" in template else "法定主动公开内容"
        add(column, _fill(template, rnd, agency, year, day), category, topic, ("platform",), day)
    for i in range(policy):
        day = _day_in(rnd, start, end)
        add(
            "政策文件",
            f"关于印发《{agency.short_name or agency.name}行政执法公示办法》的通知（{year}-{i + 1}）",
            Category.ITEM_01,
            "14.03",
            ("platform", "portal"),
            day,
            Publication.DocType.POLICY,
            f"示司〔{year}〕{i + 1}号",
        )
    for _ in range(grassroots):
        day = _day_in(rnd, start, end)
        add(
            "基层政务公开",
            _fill(rnd.choice(GRASSROOTS_TITLES), rnd, agency, year, day),
            Category.ITEM_11,
            "15.01",
            ("platform",),
            day,
        )
    for channel, count in (("wechat", wechat), ("weibo", weibo)):
        for _ in range(count):
            day = _day_in(rnd, start, end)
            add(
                "工作动态",
                _fill(rnd.choice(NEWS_TITLES), rnd, agency, year, day),
                Category.ITEM_15,
                "20.01",
                (channel,),
                day,
            )
    items.sort(key=lambda item: item.published_at)
    return items


def _workflow_examples(agency: Agency, columns: dict[str, Column], prefix: str) -> None:
    """Items at each step of 三审三校, created through the same actions as the back office."""
    clerk, reviewer, reviewer2 = (
        _user(f"{prefix}_clerk"),
        _user(f"{prefix}_reviewer"),
        _user(f"{prefix}_reviewer2"),
    )
    head, secrecy = _user(f"{prefix}_head"), _user(f"{prefix}_secrecy")
    if not all((clerk, reviewer, reviewer2, head, secrecy)):
        return
    texts = (
        ("关于开展“八五”普法终期评估工作的通知", "草稿"),
        ("示范县人民调解工作规范（征求意见稿）公开征求意见", "初审"),
        ("关于进一步规范法律援助案件指派工作的通知", "保密审查"),
    )
    for title, stop in texts:
        publication = publication_create(
            actor=clerk,
            column=columns["通知公告"],
            title=title,
            body="<p>各司法所、局机关各科室：</p><p>为进一步做好人民调解和法律援助工作，现将有关事项通知如下。</p>",
            category=Category.ITEM_15,
        )
        if stop == "草稿":
            continue
        SubmitAction(publication, actor=clerk).execute()
        if stop == "初审":
            continue
        publication = FirstReviewAction(publication, actor=reviewer, proofread=True).execute()
        publication = SecondReviewAction(publication, actor=reviewer2, proofread=True).execute()
        FinalReviewAction(publication, actor=head, proofread=True).execute()
    # A policy document and its interpretation, published together.
    policy = publication_create(
        actor=clerk,
        column=columns["政策文件"],
        title="示范县司法局关于印发《示范县人民调解员等级评定办法》的通知",
        body="<p>现将《示范县人民调解员等级评定办法》印发给你们，请认真贯彻执行。</p>"
        "<p>本办法自印发之日起施行，有效期五年。</p>",
        category=Category.ITEM_01,
        doc_type=Publication.DocType.POLICY,
        document_number=f"示司规〔{clock.today().year}〕1号",
        written_on=clock.today(),
        register_kind=Publication.RegisterKind.NORMATIVE,
        channels=("platform", "portal"),
    )
    interpretation = publication_create(
        actor=clerk,
        column=columns["政策解读"],
        title="《示范县人民调解员等级评定办法》政策解读",
        body="<p>一、制定背景。为加强人民调解员队伍建设，激励调解员提升业务能力。</p>"
        "<p>二、主要内容。办法将人民调解员分为四个等级，明确了评定条件和程序。</p>",
        category=Category.ITEM_01,
        doc_type=Publication.DocType.INTERPRETATION,
        interprets=policy,
    )
    for item in (policy, interpretation):
        item = SubmitAction(item, actor=clerk).execute()
        item = FirstReviewAction(item, actor=reviewer, proofread=True).execute()
        item = SecondReviewAction(item, actor=reviewer2, proofread=True).execute()
        item = FinalReviewAction(item, actor=head, proofread=True).execute()
        ConfidentialityReviewAction(item, actor=secrecy).execute()


def _registers(agency: Agency, actor: Any, year: int, plan: dict[str, Any]) -> None:
    """Normative documents so that the demo year's table 二 reads like the seed."""
    rnd = random.Random(agency.pk)
    for i in range(plan["earlier"]):
        register_entry_create(
            actor=actor,
            agency=agency,
            kind=RegisterEntry.Kind.NORMATIVE,
            title=f"{agency.short_name}行政规范性文件（{year - 5 + i}年）第{i + 1}号",
            document_number=f"示规〔{year - 5 + i}〕{i + 1}号",
            issued_on=dt.date(year - 5 + i, rnd.randint(1, 12), rnd.randint(1, 28)),
        )
    for i in range(plan["repealed_before"]):
        entry = register_entry_create(
            actor=actor,
            agency=agency,
            kind=RegisterEntry.Kind.NORMATIVE,
            title=f"{agency.short_name}已废止文件第{i + 1}号",
            document_number=f"示规〔{year - 6}〕{9 + i}号",
            issued_on=dt.date(year - 6, 3, 1),
        )
        register_entry_repeal(
            actor=actor, entry=entry, repealed_on=dt.date(year - 2, 6, 30), note="经清理废止"
        )
    for i in range(plan["this_year"]):
        register_entry_create(
            actor=actor,
            agency=agency,
            kind=RegisterEntry.Kind.NORMATIVE,
            title=f"{agency.short_name}{year}年行政规范性文件第{i + 1}号",
            document_number=f"示规〔{year}〕{i + 1}号",
            issued_on=dt.date(year, 4 + i, 15),
        )
    for i in range(plan["repealed_this_year"]):
        entry = register_entry_create(
            actor=actor,
            agency=agency,
            kind=RegisterEntry.Kind.NORMATIVE,
            title=f"{agency.short_name}{year}年清理文件第{i + 1}号",
            document_number=f"示规〔{year - 3}〕{20 + i}号",
            issued_on=dt.date(year - 3, 5, 10),
        )
        register_entry_repeal(
            actor=actor, entry=entry, repealed_on=dt.date(year, 11, 20), note="经清理废止"
        )


def _figures(agency: Agency, actor: Any, year: int, monthly: tuple[int, int, int, str]) -> None:
    licensing, penalty, coercion, fee = monthly
    rnd = random.Random(agency.pk * 7)
    for month in range(1, 13):
        figures_set_month(
            actor=actor,
            agency=agency,
            year=year,
            month=month,
            values=MonthValues(
                licensing=max(0, licensing + rnd.randint(-2, 2)) if licensing else 0,
                penalty=max(0, penalty + rnd.randint(-1, 1)) if penalty else 0,
                coercion=coercion,
                fee_10k_yuan=Decimal(fee),
            ),
            source="业务系统月报（演示数据）",
        )


# agency slug -> demo plan
PLANS: dict[str, dict[str, Any]] = {
    "shifanxian-sfj": {
        "user": "sfj_clerk",
        "history": {"statutory": 224, "policy": 2, "grassroots": 31, "wechat": 320, "weibo": 180},
        "current": {"statutory": 40, "policy": 1, "grassroots": 6, "wechat": 60, "weibo": 20},
        "registers": {"earlier": 5, "repealed_before": 1, "this_year": 1, "repealed_this_year": 0},
        "figures": (0, 0, 0, "0"),
    },
    "shifanxian-zrzyj": {
        "user": "zrzyj_clerk",
        "history": {"statutory": 150, "policy": 3, "grassroots": 0, "wechat": 80, "weibo": 0},
        "current": {"statutory": 30, "policy": 1, "grassroots": 0, "wechat": 10, "weibo": 0},
        "registers": {"earlier": 4, "repealed_before": 0, "this_year": 2, "repealed_this_year": 1},
        "figures": (12, 3, 1, "1.25"),
    },
    "shifanxian-cgz": {
        "user": "cgz_clerk",
        "history": {"statutory": 60, "policy": 0, "grassroots": 90, "wechat": 40, "weibo": 0},
        "current": {"statutory": 12, "policy": 0, "grassroots": 20, "wechat": 5, "weibo": 0},
        "registers": {"earlier": 0, "repealed_before": 0, "this_year": 0, "repealed_this_year": 0},
        "figures": (0, 2, 0, "0"),
    },
}


def load(stdout: TextIO) -> None:
    """Create the demo data once (skipped when it exists)."""
    agencies = {a.slug: a for a in Agency.objects.filter(slug__in=list(PLANS) + ["shifanxian-zfb"])}
    if not agencies:
        return
    if Publication.objects.filter(origin=f"import:{DEMO_ORIGIN}").exists():
        stdout.write("主动公开演示数据已存在，跳过。\n")
        return
    today = clock.today()
    year = today.year - 1
    with transaction.atomic():
        columns = {slug: _ensure_columns(agency) for slug, agency in agencies.items()}
        total = 0
        for slug, plan in PLANS.items():
            agency = agencies.get(slug)
            actor = _user(plan["user"])
            if agency is None or actor is None:
                continue
            rnd = random.Random(f"{slug}-{year}")
            items = _history(agency, columns[slug], year, rnd, **plan["history"])
            items += _history(
                agency,
                columns[slug],
                today.year,
                rnd,
                **plan["current"],
                until=today - dt.timedelta(days=1),
            )
            total += len(
                publications_import(actor=actor, agency=agency, items=items, origin=DEMO_ORIGIN)
            )
            _registers(agency, actor, year, plan["registers"])
            _figures(agency, actor, year, plan["figures"])
    if "shifanxian-sfj" in agencies:
        _workflow_examples(agencies["shifanxian-sfj"], columns["shifanxian-sfj"], "sfj")
    stdout.write(
        f"主动公开：已生成 {total} 条已发布信息、审核流程示例、文件登记和{year}年行政管理数据。\n"
    )
