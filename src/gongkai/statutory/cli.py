"""`gongkai deadline` and `gongkai fee`: the statutory clock and the processing fee from the shell.

Both work without Django or a database. Input errors (a bad date, a negative page count, both fee
methods at once) print one Chinese line to stderr and exit with status 2.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date, datetime, timedelta, timezone
from typing import Any

from gongkai.statutory.deadlines import (
    AMENDMENT_NOTICE_DAYS,
    MAX_EXTENSION_DAYS,
    REPLY_DAYS,
    AmendmentRound,
    ApplicationClock,
    ApplicationEvents,
    Channel,
    ClockError,
    ClockSettings,
    Consultation,
    ConsultationKind,
    DelayedReply,
    Extension,
    FeeNotice,
    Service,
    ServiceMethod,
    compute_clock,
)
from gongkai.statutory.fees import (
    Delivery,
    FeeError,
    FeeQuote,
    format_yuan,
    per_piece_fee,
    quote_per_piece,
    quote_per_volume,
)
from gongkai.statutory.workdays import weekday_name

__all__ = ["add_deadline_arguments", "add_fee_arguments", "run_deadline", "run_fee"]

BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")  # China has no daylight saving time

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
)


class _InputError(Exception):
    """A user input problem; the message is one Chinese line."""


def _parse_date(text: str, option: str) -> date:
    value = text.strip()
    for pattern in _DATE_PATTERNS:
        m = pattern.match(value)
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                break
    raise _InputError(
        f"{option} 的日期“{text}”无效，请使用 YYYY-MM-DD 格式的真实日期，例如 2024-02-06。"
    )


def _opt_date(text: str | None, option: str) -> date | None:
    return None if text is None else _parse_date(text, option)


def _parse_int(text: str, option: str, *, minimum: int) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise _InputError(f"{option} 的值“{text}”不是整数。")
    if value < minimum:
        raise _InputError(f"{option} 的值须不小于 {minimum}，收到“{text}”。")
    return value


def _today(text: str | None) -> date:
    if text is not None:
        return _parse_date(text, "--today")
    return datetime.now(BEIJING).date()  # the shell edge reads the clock; the domain never does


def _d(day: date | None) -> str:
    return "—" if day is None else f"{day.isoformat()}（{weekday_name(day)}）"


def _fail(message: str) -> int:
    print(f"错误：{message}", file=sys.stderr)
    return 2


# -- gongkai deadline -------------------------------------------------------------------------


def add_deadline_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `gongkai deadline`."""
    channels = "、".join(f"{c.value}={c.label}" for c in Channel)
    parser.add_argument(
        "--received",
        metavar="日期",
        help="收到申请的日期：当面/口头为提交日，邮寄为签收日，其他渠道为确认日（YYYY-MM-DD）",
    )
    parser.add_argument(
        "--channel",
        default=Channel.IN_PERSON.value,
        choices=[c.value for c in Channel],
        metavar="渠道",
        help=f"提交渠道（默认 in_person）：{channels}",
    )
    parser.add_argument("--today", metavar="日期", help="计算截止日（默认为北京时间今天）")
    g = parser.add_argument_group("补正（条例第三十条）")
    g.add_argument("--amendment-notice", metavar="日期", help="发出补正告知的日期")
    g.add_argument("--amendment-deadline", metavar="日期", help="补正告知载明的补正期限")
    g.add_argument(
        "--amendment-received", metavar="日期", help="收到补正的日期（答复期限重新起算）"
    )
    g = parser.add_argument_group("征求意见（条例第三十二条、第三十四条）")
    g.add_argument(
        "--consultation",
        action="append",
        default=[],
        metavar="发出日[,收到意见日]",
        help="征求第三方意见的期间，可重复",
    )
    g.add_argument(
        "--co-agency-consultation",
        action="append",
        default=[],
        metavar="发出日[,收到意见日]",
        help="征求其他行政机关意见的期间，可重复",
    )
    g = parser.add_argument_group("延期答复（条例第三十三条第二款）")
    g.add_argument("--extension", metavar="日期", help="负责人批准延期的日期")
    g.add_argument(
        "--extension-notified", metavar="日期", help="告知申请人延期的日期（默认同批准日）"
    )
    g.add_argument(
        "--extension-days",
        default=str(MAX_EXTENSION_DAYS),
        metavar="N",
        help=f"延长的工作日数（最多 {MAX_EXTENSION_DAYS}，默认 {MAX_EXTENSION_DAYS}）",
    )
    g = parser.add_argument_group("信息处理费（国办函〔2020〕109号）")
    g.add_argument("--fee-notice", metavar="日期", help="发出收费通知的日期")
    g.add_argument(
        "--fee-received", metavar="日期", help="申请人收到收费通知的日期（默认同发出日）"
    )
    g.add_argument("--fee-paid", metavar="日期", help="申请人缴费的日期")
    g.add_argument("--fee-no-pause", action="store_true", help="缴费期间不暂停答复期限")
    g = parser.add_argument_group("其他")
    g.add_argument("--delayed-due", metavar="日期", help="依条例第三十五条确定的延迟答复日期")
    g.add_argument("--served", metavar="日期", help="答复送达日期（签收日或交邮日），计时停止")
    g.add_argument(
        "--service-method",
        default=ServiceMethod.DIRECT.value,
        choices=[m.value for m in ServiceMethod],
        metavar="方式",
        help="送达方式：direct 直接送达、entrusted 委托送达、post 邮政寄送、courier 快递、"
        "electronic 网上送达（默认 direct）",
    )
    g.add_argument(
        "--no-receipt-shift",
        action="store_true",
        help="非工作日收到的申请不顺延至下一工作日起算",
    )
    parser.add_argument("--explain", action="store_true", help="逐日列出计算过程")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")


def _consultations(values: list[str], option: str, kind: ConsultationKind) -> list[Consultation]:
    out = []
    for value in values:
        parts = [p.strip() for p in value.split(",")]
        if len(parts) > 2 or not parts[0]:
            raise _InputError(f"{option} 的值“{value}”应为“发出日”或“发出日,收到意见日”。")
        sent = _parse_date(parts[0], option)
        reply = _parse_date(parts[1], option) if len(parts) == 2 and parts[1] else None
        out.append(Consultation(sent_on=sent, kind=kind, reply_on=reply))
    return out


def _events(args: argparse.Namespace) -> tuple[ApplicationEvents, ClockSettings]:
    if not args.received:
        raise _InputError("请用 --received 给出收到申请的日期，例如 --received 2024-02-06。")
    received = _parse_date(args.received, "--received")
    channel = Channel(args.channel)
    dates: dict[str, date] = {}
    if channel in (Channel.IN_PERSON, Channel.ORAL):
        dates["submitted_on"] = received
    elif channel is Channel.REGISTERED_POST:
        dates["signed_on"] = received
    else:
        dates["confirmed_on"] = received

    amendments: tuple[AmendmentRound, ...] = ()
    notice = _opt_date(args.amendment_notice, "--amendment-notice")
    period_end = _opt_date(args.amendment_deadline, "--amendment-deadline")
    amended = _opt_date(args.amendment_received, "--amendment-received")
    if notice or period_end or amended:
        amendments = (AmendmentRound(notice, period_end, amended),)

    consultations = _consultations(
        args.consultation, "--consultation", ConsultationKind.THIRD_PARTY
    ) + _consultations(
        args.co_agency_consultation, "--co-agency-consultation", ConsultationKind.CO_AGENCY
    )

    extension = None
    if args.extension:
        decided = _parse_date(args.extension, "--extension")
        notified = _opt_date(args.extension_notified, "--extension-notified") or decided
        days = _parse_int(args.extension_days, "--extension-days", minimum=1)
        extension = Extension(decided_on=decided, notified_on=notified, days=days)
    elif args.extension_notified:
        raise _InputError("--extension-notified 须与 --extension（批准延期日期）一起使用。")

    fee = None
    if args.fee_notice:
        served = _parse_date(args.fee_notice, "--fee-notice")
        fee = FeeNotice(
            served_on=served,
            received_on=_opt_date(args.fee_received, "--fee-received") or served,
            paid_on=_opt_date(args.fee_paid, "--fee-paid"),
        )
    elif args.fee_received or args.fee_paid:
        raise _InputError("--fee-received / --fee-paid 须与 --fee-notice（收费通知日期）一起使用。")

    delayed = None
    if args.delayed_due:
        delayed = DelayedReply(due_on=_parse_date(args.delayed_due, "--delayed-due"))
    service = None
    if args.served:
        service = Service(
            served_on=_parse_date(args.served, "--served"),
            method=ServiceMethod(args.service_method),
        )
    events = ApplicationEvents(
        channel=channel,
        amendments=amendments,
        consultations=tuple(consultations),
        extension=extension,
        fee_notice=fee,
        delayed_reply=delayed,
        service=service,
        **dates,
    )
    settings = ClockSettings(
        receipt_on_non_workday_next_workday=not args.no_receipt_shift,
        fee_pauses_clock=not args.fee_no_pause,
    )
    return events, settings


def _render_clock(clock: ApplicationClock, explain: bool) -> list[str]:
    out = [f"政府信息公开申请期限计算（截至 {_d(clock.today)}）"]
    out.append(f"收到申请之日：{_d(clock.received_on)}〔{clock.receipt_basis}〕")
    out.append(f"  {clock.receipt_rule}")
    if clock.receipt_event_on is not None and clock.receipt_event_on != clock.received_on:
        out.append(
            f"  {_d(clock.receipt_event_on)}为非工作日，顺延至下一工作日起算（实务做法，"
            "可用 --no-receipt-shift 关闭）"
        )
    if clock.amendment_notice_due is not None:
        out.append(
            f"补正告知期限：{_d(clock.amendment_notice_due)}"
            f"〔收到申请后{AMENDMENT_NOTICE_DAYS}个工作日，条例第三十条〕"
        )
    if clock.clock_start is not None and clock.clock_start != clock.received_on:
        out.append(f"答复期限起算日（收到补正）：{_d(clock.clock_start)}〔条例第三十条〕")
    if clock.original_due is not None:
        mark = "（推算：暂停尚未结束）" if clock.due_is_projected else ""
        out.append(
            f"答复期限：{_d(clock.original_due)}{mark}〔{REPLY_DAYS}个工作日，条例第三十三条第二款〕"
        )
    if clock.extended_due is not None:
        out.append(f"延长后答复期限：{_d(clock.extended_due)}〔条例第三十三条第二款〕")
    if clock.extension_refused:
        out.append("延期：无效（见下方问题）")
    if clock.delayed_due is not None:
        out.append(f"延迟答复期限：{_d(clock.delayed_due)}〔条例第三十五条〕")
    if clock.payment_due is not None:
        out.append(f"缴费期限：{_d(clock.payment_due)}〔国办函〔2020〕109号〕")
    out.append(f"当前状态：{clock.state.label}")
    if clock.working_days_used is not None and clock.working_days_left is not None:
        left = clock.working_days_left
        left_text = f"剩余{left}个工作日" if left >= 0 else f"已超过{-left}个工作日"
        out.append(f"已用工作日：{clock.working_days_used}个；{left_text}")
        out.append(f"是否超期：{'是' if clock.overdue else '否'}")
    if clock.lapsed_row is not None:
        out.append(
            f"视为放弃申请：{_d(clock.lapsed_on)}起不再处理（年度报告表三 {clock.lapsed_row}）"
        )
    if clock.findings:
        out.append("问题：")
        out += [f"  {f.render()}" for f in clock.findings]
    if clock.provisional:
        out.append("暂定结果：")
        out += [f"  {w}" for w in clock.warnings]
    if explain and clock.steps:
        out.append("计算过程：")
        out += [f"  {line}" for line in clock.explanation()]
    return out


def run_deadline(args: argparse.Namespace) -> int:
    """`gongkai deadline …`: print the dates (and with --explain every step)."""
    try:
        events, settings = _events(args)
        today = _today(args.today)
        clock = compute_clock(events, today=today, settings=settings, explain=True)
    except (_InputError, ClockError) as exc:
        return _fail(str(exc))
    except ValueError as exc:  # e.g. a year outside the calendar's range
        return _fail(f"无法计算：{exc}")
    if args.json:
        data = clock.to_dict()
        if not args.explain:
            data.pop("explanation")
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print("\n".join(_render_clock(clock, args.explain)))
    return 0


# -- gongkai fee ------------------------------------------------------------------------------


def add_fee_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `gongkai fee`."""
    parser.add_argument(
        "--per-piece",
        metavar="N",
        help="按件计收：同一申请人一个自然月内累计申请 N 件，计算当月合计及第 N 件的费用",
    )
    parser.add_argument("--pages", metavar="页数", help="按量计收：提供信息的页数")
    deliveries = "、".join(f"{d.value}={d.label}" for d in Delivery)
    parser.add_argument(
        "--delivery",
        choices=[d.value for d in Delivery],
        metavar="方式",
        help=f"获取信息的方式（按量计收仅限纸质件、电子邮件、复制电子数据）：{deliveries}",
    )
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")


def run_fee(args: argparse.Namespace) -> int:
    """`gongkai fee --per-piece N` or `gongkai fee --pages P`."""
    try:
        if args.per_piece is not None and args.pages is not None:
            raise _InputError(
                "同一件申请只能选择按件（--per-piece）或按量（--pages）一种方式计收"
                "（国办函〔2020〕109号第三条）。"
            )
        data: dict[str, Any]
        if args.per_piece is not None:
            n = _parse_int(args.per_piece, "--per-piece", minimum=1)
            quote: FeeQuote = quote_per_piece(n)
            single = per_piece_fee(n)
            lines = quote.explanation()
            lines.append(f"其中第{n}件申请的费用：{format_yuan(single)}")
            data = quote.to_dict() | {"ordinal_fee": str(single)}
        elif args.pages is not None:
            pages = _parse_int(args.pages, "--pages", minimum=0)
            delivery = Delivery(args.delivery) if args.delivery else None
            quote = quote_per_volume(pages, delivery)
            lines = quote.explanation()
            data = quote.to_dict()
        else:
            raise _InputError(
                "请给出 --per-piece 件数 或 --pages 页数，例如 gongkai fee --pages 2219。"
            )
    except (_InputError, FeeError) as exc:
        return _fail(str(exc))
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(f"信息处理费：{format_yuan(quote.amount)}")
        print("\n".join(lines))
    return 0
