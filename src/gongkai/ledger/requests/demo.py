"""Demo ledger: a believable year and a half of applications for each demo agency.

Deterministic (seeded per agency), fast (bulk inserts; the statutory clock computed in memory
with ``deadlines.compute_clock``) and idempotent (an agency that already has demo applications
is skipped). The justice bureau gets a few hundred applications a year, the others fewer;
channels, applicant categories and outcomes in realistic proportions, some amended, consulted,
extended, charged, lapsed, transferred, and the last weeks' cases still open (carried over).
"""

from __future__ import annotations

import random
import string
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from gongkai.core import clock
from gongkai.core.models import Agency, AuditEvent
from gongkai.ledger.requests.letters.build import (
    cn_date,
    letter_context,
    render_paragraphs,
    template_for,
)
from gongkai.ledger.requests.letters.kinds import LETTER_KINDS, reply_kind
from gongkai.ledger.requests.models import (
    AmendmentRound,
    Application,
    Consultation,
    Letter,
    OrganisationType,
    RequestSettings,
)
from gongkai.ledger.requests.outcomes import REPLY_SPECS, ReplyType, legal_basis
from gongkai.ledger.requests.services.clock import clock_values, get_calendar
from gongkai.ledger.requests.services.intake import applicant_key, receipt_field
from gongkai.ledger.requests.services.numbering import (
    LETTER,
    REGISTRATION,
    letter_number,
    registration_no,
    reserve_numbers,
)
from gongkai.ledger.requests.similarity import similarity
from gongkai.ledger.requests.transitions import Status
from gongkai.ledger.requests.validators import make_id_number, make_uscc
from gongkai.statutory import deadlines, fees

__all__ = ["load"]


@dataclass(frozen=True)
class DemoProfile:
    slug: str
    per_year: int  # applications in a full year
    prefix: str
    office: str
    topics: tuple[str, ...]


COMMON_TOPICS = (
    "{y}年度部门预算、决算及“三公”经费使用情况",
    "本单位{y}年度政府信息公开工作年度报告所涉统计数据的原始台账",
    "{y}年行政执法“三项制度”落实情况及执法人员名单",
    "本单位现行有效的行政规范性文件目录",
    "{y}年度政府采购项目的招标文件和中标结果",
    "本单位内设机构设置及职能配置的文件",
)

PROFILES: dict[str, DemoProfile] = {
    "shifanxian-sfj": DemoProfile(
        "shifanxian-sfj",
        260,
        "示司公开",
        "示范县司法局政府信息公开工作办公室",
        (
            "{y}年度法律援助案件数量、类型及经费使用情况",
            "示范县律师事务所{y}年度检查考核结果",
            "示范县各乡镇人民调解委员会名录及调解员名单",
            "示范县社区矫正对象管理工作制度",
            "示范县司法局作出的示司罚决〔{y}〕{n}号行政处罚决定书",
            "示范县人民政府行政复议决定书（示政复决〔{y}〕{n}号）",
            "示范县公证处{y}年度收费标准及收费依据",
            "示范县“八五”普法规划及{y}年度普法责任清单",
            "本人申请法律援助的审批表及审查意见",
            "示范县基层法律服务所执业核准材料",
            "{y}年示范县司法鉴定机构名册",
            "示范县司法局关于某律师投诉处理的调查报告",
            *COMMON_TOPICS,
        ),
    ),
    "shifanxian-zrzyj": DemoProfile(
        "shifanxian-zrzyj",
        120,
        "示自然资公开",
        "示范县自然资源局政府信息公开工作办公室",
        (
            "城关镇东关村{y}年度土地征收批复文件及征地补偿安置方案",
            "示范县国土空间总体规划（2021—2035年）批复文件",
            "县城北区{n}号地块国有建设用地使用权出让合同",
            "本人名下房屋的不动产登记资料",
            "示范县{y}年度建设用地供应计划",
            "某房地产开发项目的建设用地规划许可证及附图",
            "示范县{y}年度违法用地查处情况",
            "示范县耕地占补平衡项目验收材料",
            *COMMON_TOPICS,
        ),
    ),
    "shifanxian-zfb": DemoProfile(
        "shifanxian-zfb",
        60,
        "示政办公开",
        "示范县人民政府办公室",
        (
            "示范县人民政府{y}年第{n}次常务会议纪要",
            "示范县{y}年度重大行政决策事项目录",
            "示范县人民政府关于县城老旧小区改造的实施方案",
            "示范县{y}年财政预算执行情况报告",
            *COMMON_TOPICS,
        ),
    ),
    "shifanxian-cgz": DemoProfile(
        "shifanxian-cgz",
        50,
        "城关镇公开",
        "示范县城关镇人民政府党政办公室",
        (
            "城关镇{y}年度农村宅基地审批情况",
            "城关镇{y}年度最低生活保障对象名单",
            "城关镇东关村集体土地征收补偿款发放明细",
            "城关镇{y}年度筹资筹劳项目及资金使用情况",
            "城关镇房屋征收补偿协议（东关片区）",
            *COMMON_TOPICS,
        ),
    ),
    "shifanxian": DemoProfile(
        "shifanxian",
        30,
        "示政公开",
        "示范县人民政府办公室（政务公开办）",
        (
            "示范县人民政府{y}年度政府工作报告重点工作分解",
            "示范县人民政府关于{y}年度土地征收的批复",
            *COMMON_TOPICS,
        ),
    ),
}

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉力明永健世广志义兴良海山仁波宁贵福生龙元全胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛"
COMPANY_WORDS = ("宏达", "鑫源", "华泰", "恒信", "中原", "东方", "瑞丰", "金桥", "天成", "嘉禾")
COMPANY_KINDS = ("商贸有限公司", "建筑工程有限公司", "房地产开发有限公司", "农业科技有限公司")

CHANNELS = (
    ("online", 45),
    ("in_person", 20),
    ("registered_post", 14),
    ("email", 8),
    ("ordinary_letter", 5),
    ("oral", 5),
    ("fax", 3),
)
# (organisation type name or None for a natural person, weight)
APPLICANTS = (
    (None, 82),
    ("企业（公司、合伙企业等）", 8),
    ("个体工商户", 2),
    ("律师事务所", 3),
    ("社会团体", 1),
    ("基金会", 1),
    ("高等学校", 1),
    ("村（居）民委员会", 2),
)
OUTCOMES = (  # weights in quarter-percent: refusals on state-secret grounds are rare
    (ReplyType.GRANTED, 108),
    (ReplyType.ALREADY_PUBLIC, 40),
    (ReplyType.PARTIAL, 48),
    (ReplyType.STATE_SECRET, 1),
    (ReplyType.LAW_PROHIBITED, 2),
    (ReplyType.THREE_SECURITY, 1),
    (ReplyType.THIRD_PARTY, 12),
    (ReplyType.INTERNAL_AFFAIRS, 8),
    (ReplyType.PROCESS_INFO, 12),
    (ReplyType.ENFORCEMENT_FILE, 4),
    (ReplyType.SPECIAL_QUERY, 4),
    (ReplyType.NOT_EXIST, 48),
    (ReplyType.NOT_RESPONSIBLE, 24),
    (ReplyType.NEEDS_CREATION, 16),
    (ReplyType.STILL_UNCLEAR, 4),
    (ReplyType.PETITION, 20),
    (ReplyType.REPEAT, 16),
    (ReplyType.PUBLICATION, 4),
    (ReplyType.EXCESSIVE, 3),
    (ReplyType.REISSUE, 4),
    (ReplyType.WITHDRAWN, 8),
    (ReplyType.OTHER, 4),
)
GROUNDS = ("third_party", "internal_affairs", "process_info", "enforcement_file")
SERVICE_METHODS = (("electronic", 45), ("direct", 25), ("post", 30))


def _pick(rng: random.Random, options: Sequence[tuple[Any, int]]) -> Any:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


@dataclass
class _Case:
    app: Application
    amendments: list[AmendmentRound] = field(default_factory=list)
    consultations: list[Consultation] = field(default_factory=list)
    events: list[tuple[date, str, str]] = field(default_factory=list)  # (day, action, note)


class _Builder:
    def __init__(self, agency: Agency, profile: DemoProfile, today: date, rng: random.Random):
        self.agency = agency
        self.profile = profile
        self.today = today
        self.rng = rng
        self.cal = get_calendar()
        self.org_types = {o.name: o for o in OrganisationType.objects.all()}
        self.people: list[dict[str, Any]] = []

    # -- applicants -------------------------------------------------------------------------

    def applicant(self) -> dict[str, Any]:
        rng = self.rng
        if self.people and rng.random() < 0.12:  # a returning applicant
            return rng.choice(self.people)
        org_name = _pick(rng, APPLICANTS)
        phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
        if org_name is None:
            born = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 50))
            first17 = f"4190{rng.randrange(10, 99)}{born:%Y%m%d}{rng.randrange(100, 999)}"
            person = {
                "applicant_type": "natural_person",
                "applicant_name": rng.choice(SURNAMES)
                + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
                "id_type": "resident_id",
                "id_number": make_id_number(first17),
                "organisation_type": None,
                "uscc": "",
                "category": "NP",
            }
        else:
            org = self.org_types[org_name]
            if org_name == "律师事务所":
                name = f"河南{rng.choice(COMPANY_WORDS)}律师事务所"
            elif org_name == "村（居）民委员会":
                name = f"示范县城关镇{rng.choice('东西南北')}关村民委员会"
            elif org_name == "高等学校":
                name = "示范职业技术学院"
            elif org_name in ("社会团体", "基金会"):
                name = f"示范县{rng.choice(('慈善总会', '志愿者协会', '助学基金会'))}"
            else:
                name = f"示范县{rng.choice(COMPANY_WORDS)}{rng.choice(COMPANY_KINDS)}"
            body = "".join(rng.choice(string.digits + "ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
            person = {
                "applicant_type": "organisation",
                "applicant_name": name,
                "id_type": "",
                "id_number": "",
                "organisation_type": org,
                "uscc": make_uscc(f"91419001{body}"),
                "category": org.category,
                "legal_representative": rng.choice(SURNAMES) + rng.choice(GIVEN),
            }
        person["phone"] = phone
        person["address"] = (
            f"示范县{rng.choice(('人民路', '建设路', '解放路', '文化路'))}{rng.randrange(1, 300)}号"
        )
        self.people.append(person)
        return person

    # -- one case ---------------------------------------------------------------------------

    def wd(self, day: date, n: int) -> date:
        return self.cal.add_workdays(day, n)

    def case(self, arrived: date) -> _Case:
        rng = self.rng
        today = self.today
        person = self.applicant()
        channel = _pick(rng, CHANNELS)
        topic = rng.choice(self.profile.topics).format(
            y=arrived.year - rng.choice((0, 1, 1, 2)), n=rng.randrange(1, 60)
        )
        form = rng.choice(("electronic", "electronic", "paper"))
        delivery = rng.choice(("email", "email", "post", "pickup", "online"))
        app = Application(
            agency=self.agency,
            source="demo",
            channel=channel,
            description=topic,
            form_requested=form,
            delivery=delivery,
            **{k: v for k, v in person.items() if k != "legal_representative"},
            legal_representative=person.get("legal_representative", ""),
        )
        # receipt (第三十一条): the confirmation or signature may come a day later
        receipt = arrived
        if channel in ("registered_post", "ordinary_letter", "online", "fax", "email"):
            receipt = arrived if rng.random() < 0.7 else self.cal.next_workday(arrived)
        receipt = min(receipt, today)
        setattr(app, receipt_field(channel), receipt)
        if channel in ("online", "ordinary_letter", "fax", "email"):
            app.submitted_on = arrived
        c = _Case(app)
        c.events.append((receipt, "application.registered", ""))
        start = receipt
        # 补正
        lapsed = False
        if rng.random() < 0.12:
            notice = self.wd(receipt, rng.randrange(1, 7))
            period_end = self.wd(notice, 10)
            got = None
            if rng.random() < 0.8:
                got = self.wd(notice, rng.randrange(1, 10))
            if notice <= today:
                rnd = AmendmentRound(
                    number=1,
                    items="请写明所需信息的名称、文号或形成时间等特征性描述",
                    notice_on=notice,
                    period_end=period_end,
                    received_on=got if got and got <= today else None,
                )
                c.amendments.append(rnd)
                c.events.append((notice, "application.request_amendment", ""))
                if rnd.received_on:
                    c.events.append((rnd.received_on, "application.receive_amendment", ""))
                    start = rnd.received_on
                elif period_end < today:
                    lapsed = True
            else:
                c.amendments = []
        # consultation (第三十二条)
        pause = 0
        if not lapsed and rng.random() < 0.06:
            sent = self.wd(start, rng.randrange(2, 8))
            if sent <= today:
                got = self.wd(sent, 2)
                reply = self.wd(got, rng.randrange(3, 15))
                cons = Consultation(
                    kind="third_party",
                    party=f"示范县{rng.choice(COMPANY_WORDS)}商贸有限公司",
                    sent_on=sent,
                    party_received_on=got if got <= today else None,
                    reply_on=reply if reply <= today else None,
                    opinion=rng.choice(("agree", "object")) if reply <= today else "",
                )
                c.consultations.append(cons)
                c.events.append((sent, "application.consult", cons.party))
                pause = self.cal.workdays_between(sent, reply)
        # extension (第三十三条)
        extended = not lapsed and rng.random() < 0.08
        original_due = self.wd(start, 20 + pause)
        if extended:
            decided = self.wd(start, rng.randrange(12, 18))
            if decided <= today:
                app.extension_state = "approved"
                app.extension_reason = "需要调取历史档案并逐页审查"
                app.extension_days = 20
                app.extension_proposed_on = decided
                app.extension_decided_on = decided
                app.extension_notified_on = decided if decided < original_due else None
                c.events.append((decided, "application.approve_extension", ""))
            else:
                extended = False
        # fee (国办函〔2020〕109号)
        fee_lapse = False
        if not lapsed and not c.consultations and rng.random() < 0.015:
            served = self.wd(start, 5)
            if served <= today:
                pages = rng.randrange(120, 400)
                app.fee_method = "per_volume"
                app.fee_pages = pages
                app.fee_amount = fees.quote_per_volume(pages).amount
                app.fee_notice_served_on = served
                app.fee_notice_received_on = self.wd(served, 1)
                app.delivery = "post"
                app.form_requested = "paper"
                if rng.random() < 0.5:
                    app.fee_paid_on = self.wd(served, rng.randrange(2, 15))
                    if app.fee_paid_on > today:
                        app.fee_paid_on = None
                if app.fee_paid_on is None and self.wd(app.fee_notice_received_on, 20) < today:
                    fee_lapse = True
                c.events.append((served, "application.issue_fee_notice", ""))
        # decision and service
        limit = 40 if extended else 20
        reply_on = self.wd(start, min(limit, rng.randrange(4, limit + 1)) + pause)
        if rng.random() < 0.02:  # now and then a reply goes out late
            reply_on = self.wd(start, limit + pause + rng.randrange(1, 6))
        if app.fee_paid_on:
            reply_on = max(reply_on, self.wd(app.fee_paid_on, 3))
        if lapsed or fee_lapse:
            rtype = ReplyType.LAPSED_AMENDMENT if lapsed else ReplyType.LAPSED_FEE
            app.reply_type = rtype.value
            app.legal_basis = legal_basis(rtype)
            app.status = Status.LAPSED.value
            c.events.append((today, "application.close_lapsed", ""))
            return c
        if reply_on > today:
            self.open_status(c, start, today)
            return c
        rtype = _pick(rng, OUTCOMES)
        grounds = [rng.choice(GROUNDS)] if rtype is ReplyType.PARTIAL else []
        app.reply_type = rtype.value
        app.withheld_grounds = grounds
        app.legal_basis = legal_basis(rtype, grounds)
        if REPLY_SPECS[rtype].row.value.startswith("O3") or rtype is ReplyType.PARTIAL:
            app.reasons = (
                "申请公开的信息中含有涉及第三方个人隐私和内部讨论的内容，依法不予公开该部分。"
            )
        if rtype in (ReplyType.GRANTED, ReplyType.PARTIAL):
            app.decision_text = "现将可以公开的政府信息以您要求的方式提供给您（见附件）。"
        if rtype is ReplyType.ALREADY_PUBLIC:
            app.decision_text = (
                "该信息已在示范县人民政府门户网站“政府信息公开”专栏主动公开，您可登录查阅。"
            )
        if rtype is ReplyType.NOT_RESPONSIBLE:
            app.responsible_agency_name = "示范县住房和城乡建设局"
            app.responsible_agency_contact = "0391-2345678"
        method = _pick(rng, SERVICE_METHODS)
        app.served_on = reply_on
        app.service_method = method
        if method == "post":
            app.post_receipt_no = f"XA{rng.randrange(10**10):010d}CN"
        app.status = Status.CLOSED.value
        c.events.append((reply_on, "application.sign_decision", ""))
        c.events.append((reply_on, "application.serve_reply", ""))
        return c

    def open_status(self, c: _Case, start: date, today: date) -> None:
        app = c.app
        if c.amendments and c.amendments[-1].received_on is None:
            app.status = Status.AWAITING_AMENDMENT.value
        elif any(x.reply_on is None for x in c.consultations):
            app.status = Status.CONSULTING.value
        elif app.fee_notice_served_on and app.fee_paid_on is None:
            app.status = Status.AWAITING_FEE.value
        else:
            r = self.rng.random()
            if r < 0.15:
                app.status = Status.DECISION_REVIEW.value
                app.reply_type = ReplyType.GRANTED.value
                app.legal_basis = legal_basis(ReplyType.GRANTED)
            elif r < 0.22:
                app.status = Status.DECISION_SIGNING.value
                app.reply_type = ReplyType.NOT_EXIST.value
                app.legal_basis = legal_basis(ReplyType.NOT_EXIST)
            else:
                app.status = Status.IN_PROGRESS.value


def _events(c: _Case) -> deadlines.ApplicationEvents:
    app = c.app
    return deadlines.ApplicationEvents(
        channel=deadlines.Channel(app.channel),
        submitted_on=app.submitted_on,
        signed_on=app.signed_on,
        confirmed_on=app.confirmed_on,
        amendments=tuple(
            deadlines.AmendmentRound(r.notice_on, r.period_end, r.received_on) for r in c.amendments
        ),
        consultations=tuple(
            deadlines.Consultation(
                x.sent_on,
                deadlines.ConsultationKind(x.kind),
                x.party_received_on,
                x.reply_on,
                x.party,
            )
            for x in c.consultations
        ),
        extension=deadlines.Extension(
            app.extension_decided_on, app.extension_notified_on, app.extension_days
        )
        if app.extension_state == "approved"
        else None,
        fee_notice=deadlines.FeeNotice(
            app.fee_notice_served_on, app.fee_notice_received_on, app.fee_paid_on, app.fee_amount
        )
        if app.fee_notice_served_on
        else None,
        service=deadlines.Service(app.served_on, deadlines.ServiceMethod(app.service_method))
        if app.served_on
        else None,
    )


def _arrival_days(first: date, today: date, count: int, rng: random.Random) -> list[date]:
    cal = get_calendar()
    span = (today - first).days
    days = []
    while len(days) < count:
        d = first + timedelta(days=rng.randrange(span + 1))
        if cal.is_workday(d) or rng.random() < 0.15:  # online applications arrive at weekends
            days.append(d)
    return sorted(days)


def _aware(day: date, rng: random.Random) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(8 + rng.randrange(9), rng.randrange(60))))


def _settings(agency: Agency, profile: DemoProfile) -> None:
    RequestSettings.objects.get_or_create(
        agency=agency,
        defaults={
            "office_name": profile.office,
            "letter_prefix": profile.prefix,
            "contact_phone": agency.phone,
            "contact_address": agency.address,
            "guide": "本机关受理公民、法人或者其他组织的政府信息公开申请。申请时请写明所需信息的名称、"
            "文号或者其他特征性描述；申请公开的信息属于其他行政机关负责公开的，将告知或转送。",
        },
    )


def load_agency(agency: Agency, profile: DemoProfile, today: date) -> int:
    """Create the demo ledger of one agency (returns the number of applications created)."""
    if Application.objects.filter(agency=agency, source="demo").exists():
        return 0
    rng = random.Random(f"gongkai-demo-{profile.slug}")
    _settings(agency, profile)
    first = date(today.year - 1, 1, 1)
    total = round(profile.per_year * ((today - first).days / 365))
    builder = _Builder(agency, profile, today, rng)
    cases = [builder.case(d) for d in _arrival_days(first, today, total, rng)]

    # the statutory clock, computed as the services would
    for c in cases:
        app = c.app
        result = deadlines.compute_clock(
            _events(c), today=today, calendar=builder.cal, explain=False
        )
        for k, v in clock_values(app, result).items():
            setattr(app, k, v)
        if app.status == Status.LAPSED:
            if result.lapsed_on is None:  # e.g. fee period not over yet in this calendar
                app.status = (
                    Status.AWAITING_FEE.value
                    if app.fee_notice_served_on
                    else (Status.AWAITING_AMENDMENT.value)
                )
                app.reply_type = app.legal_basis = ""
            else:
                app.concluded_on = result.lapsed_on
                app.outcome_row = REPLY_SPECS[ReplyType(app.reply_type)].row.value
        elif app.status == Status.CLOSED:
            app.concluded_on = app.served_on
            app.outcome_row = REPLY_SPECS[ReplyType(app.reply_type)].row.value

    # numbers, keys, repeats, monthly ordinals
    by_year: dict[int, list[_Case]] = {}
    for c in cases:
        by_year.setdefault((c.app.received_on or today).year, []).append(c)
    seen: dict[str, list[Application]] = {}
    month_counts: dict[tuple[str, int, int], int] = {}
    for year, items in sorted(by_year.items()):
        first_no = reserve_numbers(agency=agency, series=REGISTRATION, year=year, count=len(items))
        for i, c in enumerate(items):
            app = c.app
            app.registration_year = year
            app.registration_seq = first_no + i
            app.registration_no = registration_no(year, first_no + i)
            app.applicant_key = applicant_key(
                {
                    "uscc": app.uscc,
                    "id_number": app.id_number,
                    "applicant_name": app.applicant_name,
                    "phone": app.phone,
                }
            )
            day = app.received_on or today
            key = (app.applicant_key, day.year, day.month)
            month_counts[key] = month_counts.get(key, 0) + 1
            app.month_ordinal = month_counts[key]
            for earlier in seen.get(app.applicant_key, []):
                score = similarity(app.description, earlier.description)
                if score >= 0.6:
                    app.possible_repeat_of = earlier
                    app.repeat_similarity = round(score, 3)
            seen.setdefault(app.applicant_key, []).append(app)
            app.created_at = _aware(day, rng)
            app.updated_at = app.created_at
    with transaction.atomic():
        # self-references (possible_repeat_of) need the earlier rows saved first
        repeats = {id(c.app): c.app.possible_repeat_of for c in cases}
        for c in cases:
            c.app.possible_repeat_of = None
        Application.objects.bulk_create([c.app for c in cases], batch_size=500)
        fix = []
        for c in cases:
            earlier = repeats[id(c.app)]
            if earlier is not None:
                c.app.possible_repeat_of = earlier
                fix.append(c.app)
        Application.objects.bulk_update(fix, ["possible_repeat_of"], batch_size=500)
        rounds, consultations = [], []
        for c in cases:
            for r in c.amendments:
                r.application = c.app
                rounds.append(r)
            for x in c.consultations:
                x.application = c.app
                consultations.append(x)
        AmendmentRound.objects.bulk_create(rounds)
        Consultation.objects.bulk_create(consultations)
        _letters(agency, cases, rng)
        _audit(agency, cases, rng)
    return len(cases)


def _letters(agency: Agency, cases: list[_Case], rng: random.Random) -> None:
    templates: dict[str, tuple[str, str]] = {}

    def tpl(kind: str) -> tuple[str, str]:
        if kind not in templates:
            templates[kind] = template_for(agency, kind)
        return templates[kind]

    replies = [c for c in cases if c.app.status in (Status.CLOSED, Status.LAPSED)]
    by_year: dict[int, list[_Case]] = {}
    for c in replies:
        by_year.setdefault((c.app.concluded_on or c.app.received_on).year, []).append(c)
    numbers: dict[int, int] = {
        y: reserve_numbers(agency=agency, series=LETTER, year=y, count=len(items))
        for y, items in by_year.items()
    }
    ids = [c.app.pk for c in cases]
    prefetched = (
        Application.objects.filter(pk__in=ids)
        .select_related("agency", "organisation_type", "transferred_to")
        .prefetch_related("amendments", "consultations")
    )
    letters = []
    for app in prefetched:
        day = app.received_on
        ctx = letter_context(app, today=day)
        title, body = tpl("receipt")
        letters.append(
            Letter(
                application=app,
                kind="receipt",
                number=app.registration_no,
                title=title,
                addressee=app.applicant_name,
                paragraphs=render_paragraphs(body, ctx),
                signature=agency.name,
                letter_date=day,
                created_at=app.created_at,
            )
        )
        for r in app.amendments.all():
            ctx = letter_context(
                app,
                today=r.notice_on,
                extra={
                    "amendment_items": "1. " + r.items,
                    "amendment_deadline": cn_date(r.period_end),
                },
            )
            title, body = tpl("amendment")
            letters.append(
                Letter(
                    application=app,
                    kind="amendment",
                    title=title,
                    addressee=app.applicant_name,
                    paragraphs=render_paragraphs(body, ctx),
                    signature=agency.name,
                    letter_date=r.notice_on,
                    created_at=_aware(r.notice_on, rng),
                )
            )
        if app.extension_state == "approved":
            ctx = letter_context(app, today=app.extension_decided_on)
            title, body = tpl("extension")
            letters.append(
                Letter(
                    application=app,
                    kind="extension",
                    title=title,
                    addressee=app.applicant_name,
                    paragraphs=render_paragraphs(body, ctx),
                    signature=agency.name,
                    letter_date=app.extension_decided_on,
                    created_at=_aware(app.extension_decided_on, rng),
                )
            )
        if app.fee_notice_served_on:
            quote = fees.quote_per_volume(app.fee_pages or 0)
            ctx = letter_context(
                app,
                today=app.fee_notice_served_on,
                extra={"fee_explanation": "\n".join(quote.explanation()[:-2])},
            )
            title, body = tpl("fee_notice")
            letters.append(
                Letter(
                    application=app,
                    kind="fee_notice",
                    title=title,
                    addressee=app.applicant_name,
                    paragraphs=render_paragraphs(body, ctx),
                    signature=agency.name,
                    letter_date=app.fee_notice_served_on,
                    created_at=_aware(app.fee_notice_served_on, rng),
                )
            )
        for x in app.consultations.all():
            ctx = letter_context(app, today=x.sent_on, extra={"party": x.party})
            title, body = tpl("consult_third_party")
            letters.append(
                Letter(
                    application=app,
                    kind="consult_third_party",
                    title=title,
                    addressee=x.party,
                    paragraphs=render_paragraphs(body, ctx),
                    signature=agency.name,
                    letter_date=x.sent_on,
                    created_at=_aware(x.sent_on, rng),
                )
            )
        if app.status in (Status.CLOSED, Status.LAPSED):
            kind = reply_kind(app.reply_type)
            year = (app.concluded_on or day).year
            number = letter_number(agency, year, numbers[year])
            numbers[year] += 1
            letter_day = app.served_on or app.concluded_on
            ctx = letter_context(app, today=letter_day)
            title, body = tpl(kind)
            letters.append(
                Letter(
                    application=app,
                    kind=kind,
                    number=number,
                    title=title,
                    addressee=app.applicant_name,
                    paragraphs=render_paragraphs(body, ctx),
                    signature=agency.name,
                    letter_date=letter_day,
                    is_reply=True,
                    served_on=app.served_on or app.concluded_on,
                    created_at=_aware(letter_day, rng),
                )
            )
    Letter.objects.bulk_create(letters, batch_size=500)
    assert all(k in LETTER_KINDS for k in templates)


def _audit(agency: Agency, cases: list[_Case], rng: random.Random) -> None:
    from gongkai.ledger.requests.timeline import ACTION_LABELS

    rows = []
    for c in cases:
        for day, action, note in c.events:
            if action == "application.close_lapsed" and c.app.status != Status.LAPSED:
                continue
            when = _aware(
                min(day, c.app.lapse_on or day) if action.endswith("lapsed") else day, rng
            )
            rows.append(
                AuditEvent(
                    occurred_at=when,
                    actor=None,
                    actor_label="演示数据",
                    agency=agency,
                    action=action,
                    subject_type="requests.application",
                    subject_id=str(c.app.pk),
                    subject_label=c.app.registration_no[:200],
                    data={"note": note or ACTION_LABELS.get(action, "")},
                    backfilled=True,
                )
            )
    AuditEvent.objects.bulk_create(rows, batch_size=1000)


def load(stdout: TextIO) -> None:
    """Demo step (``gongkai demo``): the ledger of every demo agency that has none yet."""
    today = clock.today()
    if not OrganisationType.objects.exists():  # seeded by a data migration; put back if flushed
        import importlib

        from django.apps import apps

        importlib.import_module("gongkai.ledger.requests.migrations.0002_organisation_types").seed(
            apps, None
        )
    created = 0
    for slug, profile in PROFILES.items():
        agency = Agency.objects.filter(slug=slug).first()
        if agency is None:
            continue
        n = load_agency(agency, profile, today)
        if n:
            stdout.write(f"依申请公开演示数据：{agency.name} {n} 件\n")
        created += n
    if not created:
        stdout.write("依申请公开演示数据已存在，未重复创建。\n")
