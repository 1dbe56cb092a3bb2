"""The statutory clock of one application (依申请公开), computed from its recorded events.

Inputs are plain frozen dataclasses (``ApplicationEvents`` and its parts), ``today`` is always an
argument — this module never reads the system clock. The result (``ApplicationClock``) carries the
effective receipt date, the 补正 notice deadline, the reply due dates (original, extended,
第三十五条), working days used and left, overdue / lapsed state, provisional flag with warnings,
legal findings, and an ordered explanation in Chinese that a clerk can follow day by day.

Rules (spec §2.6, §3.4–§3.10, §4; choices that the law leaves open are documented in
docs/clock.md):

* receipt date per 条例第三十一条 by channel; a receipt on a non-working day counts from the next
  working day (setting, default on);
* every period counts working days *after* its start day: ``wd+(d, n)``;
* 补正 notice within 7 working days (第三十条); the reply period restarts from the receipt of
  the 补正; unanswered by the stated date → lapsed, report row ``O6_1``;
* reply within 20 working days (第三十三条第二款); one extension of at most 20 working days,
  approved and notified *before* the original due date, otherwise refused;
* consultations (第三十二条 third party, 第三十四条 co-producing agency) pause the clock: the day
  the letter is sent still counts, the days after it up to and including the reply day do not;
  the party has 15 working days from its receipt, the pause ends there at the latest;
* fee notice (国办函〔2020〕109号): payment due 20 working days after receipt of the notice;
  unpaid → lapsed, row ``O6_2``; whether the payment interval pauses the clock is a setting
  (default: paused, as for consultations);
* 第三十五条: an agency-set later date replaces the due date;
* service (国办公开办函〔2016〕235号) stops the clock: direct service on the signature date,
  postal service on the date handed to the postal enterprise.

Pure Python: no Django, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from gongkai.statutory.workdays import (
    DayKind,
    WorkdayCalendar,
    default_calendar,
    weekday_name,
)

__all__ = [
    "AMENDMENT_NOTICE_DAYS",
    "CONSULTATION_REPLY_DAYS",
    "FEE_PAYMENT_DAYS",
    "MAX_EXTENSION_DAYS",
    "REPLY_DAYS",
    "AmendmentRound",
    "ApplicationClock",
    "ApplicationEvents",
    "Channel",
    "ClockError",
    "ClockFinding",
    "ClockSettings",
    "ClockState",
    "Consultation",
    "ConsultationKind",
    "DelayedReply",
    "Extension",
    "FeeNotice",
    "Service",
    "ServiceMethod",
    "Severity",
    "Step",
    "StepKind",
    "compute_clock",
    "receipt_date",
]

# Statutory periods, in working days. Versioned code, not settings (style.md rec. 11).
AMENDMENT_NOTICE_DAYS = 7  # 条例第三十条
REPLY_DAYS = 20  # 条例第三十三条第二款
MAX_EXTENSION_DAYS = 20  # 条例第三十三条第二款
CONSULTATION_REPLY_DAYS = 15  # 条例第三十二条、第三十四条
FEE_PAYMENT_DAYS = 20  # 国办函〔2020〕109号 (as restated, spec §3.10)

# Legal bases quoted in findings and explanations.
ART29 = "条例第二十九条"
ART30 = "条例第三十条"
ART31_1 = "条例第三十一条（一）"
ART31_2 = "条例第三十一条（二）"
ART31_3 = "条例第三十一条（三）"
ART32 = "条例第三十二条"
ART33_2 = "条例第三十三条第二款"
ART33_3 = "条例第三十三条第三款"
ART34 = "条例第三十四条"
ART35 = "条例第三十五条"
DOC207 = "国办公开办函〔2015〕207号"
DOC235 = "国办公开办函〔2016〕235号"
FEE_RULES = "国办函〔2020〕109号"
PRACTICE_NON_WORKDAY = "实务做法（可在设置中关闭）"
SETTING_FEE_PAUSE = "本系统设置：缴费期间暂停计时"

LAPSE_AMENDMENT = "O6_1"  # 申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请
LAPSE_FEE = "O6_2"  # 申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请


class ClockError(ValueError):
    """Impossible input (e.g. a reply before the letter was sent); the message is in Chinese."""


class Channel(StrEnum):
    """How the application was submitted (条例第二十九条、第三十一条)."""

    IN_PERSON = "in_person"
    REGISTERED_POST = "registered_post"
    ORDINARY_LETTER = "ordinary_letter"
    ONLINE = "online"
    FAX = "fax"
    EMAIL = "email"
    ORAL = "oral"

    @property
    def label(self) -> str:
        return _CHANNEL_LABELS[self]


_CHANNEL_LABELS: dict[Channel, str] = {
    Channel.IN_PERSON: "当面提交",
    Channel.REGISTERED_POST: "邮寄（需签收）",
    Channel.ORDINARY_LETTER: "平常信函",
    Channel.ONLINE: "互联网平台",
    Channel.FAX: "传真",
    Channel.EMAIL: "电子邮箱",
    Channel.ORAL: "口头提出（代为填写）",
}


class ConsultationKind(StrEnum):
    THIRD_PARTY = "third_party"  # 第三十二条
    CO_AGENCY = "co_agency"  # 第三十四条


class ServiceMethod(StrEnum):
    DIRECT = "direct"  # 直接送达: signature date
    ENTRUSTED = "entrusted"  # 委托其他行政机关代为送达: signature date
    POST = "post"  # 邮寄送达 by a postal enterprise: date handed to the post
    COURIER = "courier"  # a private courier: not allowed by 235号 (finding)
    ELECTRONIC = "electronic"  # online platform / e-mail: date sent (235号 is silent)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class ClockState(StrEnum):
    NOT_STARTED = "not_started"  # receipt date not established (no confirmation yet)
    AWAITING_AMENDMENT = "awaiting_amendment"  # 补正 requested, not yet received
    RUNNING = "running"
    PAUSED = "paused"  # a consultation is open
    AWAITING_PAYMENT = "awaiting_payment"  # fee notice served, not paid (and fee pauses)
    REPLIED = "replied"  # reply served: clock stopped
    LAPSED = "lapsed"  # 视为放弃申请 (O6_1 / O6_2)

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]


_STATE_LABELS: dict[ClockState, str] = {
    ClockState.NOT_STARTED: "未起算（收到申请之日尚未确定）",
    ClockState.AWAITING_AMENDMENT: "等待申请人补正",
    ClockState.RUNNING: "计时中",
    ClockState.PAUSED: "征求意见中，暂停计时",
    ClockState.AWAITING_PAYMENT: "等待缴纳信息处理费",
    ClockState.REPLIED: "已答复（已送达，停止计时）",
    ClockState.LAPSED: "视为放弃申请，不再处理",
}


# -- inputs -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AmendmentRound:
    """One 补正 round: notice served, the stated period end, and when the 补正 arrived."""

    notice_on: date | None = None
    period_end: date | None = None
    received_on: date | None = None


@dataclass(frozen=True, slots=True)
class Consultation:
    """A written consultation (征求意见书) of a third party or a co-producing agency."""

    sent_on: date
    kind: ConsultationKind = ConsultationKind.THIRD_PARTY
    party_received_on: date | None = None
    reply_on: date | None = None
    party: str = ""


@dataclass(frozen=True, slots=True)
class Extension:
    """延期答复: approved by the 工作机构负责人 on ``decided_on``, told to the applicant on ``notified_on``."""

    decided_on: date
    notified_on: date | None = None
    days: int = MAX_EXTENSION_DAYS


@dataclass(frozen=True, slots=True)
class FeeNotice:
    """收费通知 (信息处理费): served, received by the applicant, paid."""

    served_on: date
    received_on: date | None = None
    paid_on: date | None = None
    amount: Decimal | None = None


@dataclass(frozen=True, slots=True)
class DelayedReply:
    """第三十五条: the agency set and notified a later, reasonable reply date."""

    due_on: date
    notified_on: date | None = None


@dataclass(frozen=True, slots=True)
class Service:
    """Service of the reply (送达), which stops the clock (国办公开办函〔2016〕235号)."""

    served_on: date
    method: ServiceMethod = ServiceMethod.DIRECT
    cash_on_delivery: bool = False  # 到付: not allowed


@dataclass(frozen=True, slots=True)
class ApplicationEvents:
    """Everything the clock needs about one application, as plain data.

    The receipt date is taken, per channel, from ``submitted_on`` (in person, oral),
    ``signed_on`` (registered post) or ``confirmed_on`` (ordinary letter, online, fax, e-mail).
    """

    channel: Channel
    submitted_on: date | None = None
    signed_on: date | None = None
    confirmed_on: date | None = None
    amendments: tuple[AmendmentRound, ...] = ()
    consultations: tuple[Consultation, ...] = ()
    extension: Extension | None = None
    fee_notice: FeeNotice | None = None
    delayed_reply: DelayedReply | None = None
    service: Service | None = None


@dataclass(frozen=True, slots=True)
class ClockSettings:
    """Policy switches where the law is silent (documented in docs/clock.md)."""

    receipt_on_non_workday_next_workday: bool = True
    fee_pauses_clock: bool = True


DEFAULT_SETTINGS = ClockSettings()


# -- outputs ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClockFinding:
    """A legal problem found in the events (spec rule ID, severity, Chinese message)."""

    code: str
    severity: Severity
    message: str
    day: date | None = None

    def render(self) -> str:
        label = {"error": "错误", "warning": "注意", "info": "提示"}[self.severity.value]
        return f"[{self.code}] {label}：{self.message}"


class StepKind(StrEnum):
    RECEIPT = "receipt"
    NOT_COUNTED = "not_counted"  # the start day itself
    COUNTED = "counted"  # a counted working day (ordinary or make-up)
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    PAUSED = "paused"  # a day inside a pause
    PAUSE = "pause"  # pause starts
    RESUME = "resume"  # pause ends
    RESTART = "restart"  # period restarts (补正 received)
    AMENDMENT = "amendment"
    EXTENSION = "extension"
    FEE = "fee"
    DELAY = "delay"  # 第三十五条
    DEADLINE = "deadline"
    SERVICE = "service"
    LAPSE = "lapse"
    NOTE = "note"
    SUMMARY = "summary"


@dataclass(frozen=True, slots=True)
class Step:
    """One line of the explanation."""

    kind: StepKind
    text: str
    day: date | None = None
    basis: str = ""
    count: int | None = None  # ordinal of a counted working day within its period

    def render(self) -> str:
        head = f"{self.day.isoformat()} " if self.day is not None else ""
        tail = f"〔{self.basis}〕" if self.basis else ""
        return f"{head}{self.text}{tail}"


@dataclass(frozen=True, slots=True)
class ApplicationClock:
    """The computed clock of one application as of ``today``."""

    today: date
    state: ClockState
    received_on: date | None  # the date the application counts as received (after any shift)
    receipt_basis: str  # the article applied
    receipt_rule: str  # the rule in words (Chinese)
    receipt_event_on: date | None  # submission / signature / confirmation date before any shift
    amendment_notice_due: date | None  # 7 working days after receipt (第三十条)
    clock_start: date | None  # start of the reply period (receipt, or receipt of the 补正)
    original_due: date | None
    extended_due: date | None
    delayed_due: date | None  # 第三十五条
    due: date | None  # the due date in force
    due_is_projected: bool  # an open pause was assumed to end today
    working_days_used: int | None
    working_days_left: int | None  # negative = working days overdue
    overdue: bool
    extension_refused: bool
    lapsed_row: str | None  # "O6_1" / "O6_2"
    lapsed_on: date | None
    concluded_on: date | None  # service date or lapse date
    payment_due: date | None
    provisional: bool
    provisional_years: tuple[int, ...]
    warnings: tuple[str, ...]
    findings: tuple[ClockFinding, ...]
    steps: tuple[Step, ...] = field(default=())

    def explanation(self) -> list[str]:
        """The explanation as Chinese lines."""
        return [s.render() for s in self.steps]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (dates as ISO strings)."""

        def iso(d: date | None) -> str | None:
            return d.isoformat() if d is not None else None

        return {
            "today": iso(self.today),
            "state": self.state.value,
            "state_label": self.state.label,
            "received_on": iso(self.received_on),
            "receipt_basis": self.receipt_basis,
            "receipt_rule": self.receipt_rule,
            "receipt_event_on": iso(self.receipt_event_on),
            "amendment_notice_due": iso(self.amendment_notice_due),
            "clock_start": iso(self.clock_start),
            "original_due": iso(self.original_due),
            "extended_due": iso(self.extended_due),
            "delayed_due": iso(self.delayed_due),
            "due": iso(self.due),
            "due_is_projected": self.due_is_projected,
            "working_days_used": self.working_days_used,
            "working_days_left": self.working_days_left,
            "overdue": self.overdue,
            "extension_refused": self.extension_refused,
            "lapsed_row": self.lapsed_row,
            "lapsed_on": iso(self.lapsed_on),
            "concluded_on": iso(self.concluded_on),
            "payment_due": iso(self.payment_due),
            "provisional": self.provisional,
            "provisional_years": list(self.provisional_years),
            "warnings": list(self.warnings),
            "findings": [
                {
                    "code": f.code,
                    "severity": f.severity.value,
                    "message": f.message,
                    "day": iso(f.day),
                }
                for f in self.findings
            ],
            "explanation": [
                {
                    "day": iso(s.day),
                    "kind": s.kind.value,
                    "text": s.text,
                    "basis": s.basis,
                    "count": s.count,
                }
                for s in self.steps
            ],
        }


# -- helpers ----------------------------------------------------------------------------------


def _d(day: date) -> str:
    return f"{day.isoformat()}（{weekday_name(day)}）"


def receipt_date(events: ApplicationEvents) -> tuple[date | None, str, str]:
    """(date the application counts as received — before any non-working-day shift, description, basis)."""
    ch = events.channel
    if ch is Channel.IN_PERSON:
        return events.submitted_on, "当面提交，以提交之日为收到申请之日", ART31_1
    if ch is Channel.ORAL:
        return (
            events.submitted_on,
            "口头提出、由政府信息公开工作机构代为填写，以提出之日为收到申请之日",
            f"{ART29}、{ART31_1}",
        )
    if ch is Channel.REGISTERED_POST:
        return events.signed_on, "邮寄提交，以行政机关签收之日为收到申请之日", ART31_2
    if ch is Channel.ORDINARY_LETTER:
        return (
            events.confirmed_on,
            "平常信函提交，以政府信息公开工作机构与申请人确认之日为收到申请之日"
            "（无法联系的，自恢复联络之日起算）",
            f"{ART31_2}；{DOC207}",
        )
    if ch is Channel.FAX:
        return (
            events.confirmed_on,
            "传真提交，以双方确认之日为收到申请之日",
            f"{ART31_3}；{DOC207}",
        )
    if ch is Channel.EMAIL:
        return (
            events.confirmed_on,
            "电子邮箱提交（属互联网渠道），以双方确认之日为收到申请之日",
            ART31_3,
        )
    return events.confirmed_on, "互联网渠道提交，以双方确认之日为收到申请之日", ART31_3


@dataclass(slots=True)
class _Pause:
    start: date  # the start day still counts; excluded days are (start, end]
    end: date | None  # None = still open
    label: str
    basis: str
    start_text: str
    end_text: str


class _Counter:
    """Working-day counting with pause intervals excluded (each excluding the days in (a, b])."""

    def __init__(self, cal: WorkdayCalendar, intervals: list[tuple[date, date]]) -> None:
        self.cal = cal
        merged: list[tuple[date, date]] = []
        for a, b in sorted(intervals):
            if b <= a:
                continue
            if merged and a <= merged[-1][1]:
                if b > merged[-1][1]:
                    merged[-1] = (merged[-1][0], b)
            else:
                merged.append((a, b))
        self.intervals = merged

    def forward(self, start: date, n: int) -> date:
        """The n-th counted working day after ``start``."""
        pos = start
        remaining = n
        for a, b in self.intervals:
            if b <= pos:
                continue
            lo = a if a > pos else pos
            k = self.cal.workdays_between(pos, lo)
            if k >= remaining:
                break
            remaining -= k
            pos = b
        return self.cal.add_workdays(pos, remaining)

    def between(self, start: date, end: date) -> int:
        """Counted working days in (start, end]; negative when end < start."""
        if end < start:
            return -self.between(end, start)
        total = self.cal.workdays_between(start, end)
        for a, b in self.intervals:
            lo = a if a > start else start
            hi = b if b < end else end
            if hi > lo:
                total -= self.cal.workdays_between(lo, hi)
        return total

    def paused(self, day: date) -> bool:
        return any(a < day <= b for a, b in self.intervals)


_MAX_LISTED_DAYS = 400  # explanation day lists never run longer than this


class _Run:
    """One computation; collects findings, warnings and steps."""

    def __init__(
        self,
        events: ApplicationEvents,
        today: date,
        cal: WorkdayCalendar,
        settings: ClockSettings,
        explain: bool,
    ) -> None:
        self.ev = events
        self.today = today
        self.cal = cal
        self.settings = settings
        self.explain = explain
        self.findings: list[ClockFinding] = []
        self.steps: list[tuple[date | None, int, int, Step]] = []
        self._seq = 0
        self.receipt_event_on: date | None = None
        self.receipt_rule = ""
        self.span: list[date] = []  # dates the result depends on (today added if still open)

    # -- recording --------------------------------------------------------------------------

    def step(
        self, kind: StepKind, text: str, day: date | None, basis: str = "", order: int = 2
    ) -> None:
        if not self.explain:
            return
        self._seq += 1
        self.steps.append((day, order, self._seq, Step(kind, text, day, basis)))

    def find(self, code: str, severity: Severity, message: str, day: date | None = None) -> None:
        self.findings.append(ClockFinding(code, severity, message, day))

    def effective(self, day: date) -> date:
        if self.settings.receipt_on_non_workday_next_workday and not self.cal.is_workday(day):
            return self.cal.next_workday(day)
        return day

    def list_days(
        self,
        start: date,
        end: date,
        counter: _Counter | None,
        period: str,
        marks: dict[date, str],
        pause_labels: list[_Pause],
        overdue_after: date | None = None,
    ) -> None:
        """Day-by-day steps for (start, end]."""
        if not self.explain or end <= start:
            return
        last = min(end, start + timedelta(days=_MAX_LISTED_DAYS))
        n = 0
        late = 0
        d = start + timedelta(days=1)
        while d <= last:
            info = self.cal.day_info(d)
            wd = weekday_name(d)
            prov = "〔暂定〕" if info.provisional else ""
            if counter is not None and counter.paused(d):
                label, basis = "暂停期间", ART33_3
                for p in pause_labels:
                    if p.start < d and (p.end is None or d <= p.end):
                        label, basis = p.label, p.basis
                        break
                if info.kind is DayKind.MAKEUP_WORKDAY:
                    reason = "；调休上班日"
                elif info.is_workday:
                    reason = ""
                else:
                    reason = f"；{_rest_reason(info.kind, info.name)}"
                self._add(
                    d, Step(StepKind.PAUSED, f"{label}（{wd}{reason}），不计{prov}", d, basis)
                )
            elif info.is_workday:
                if overdue_after is not None and d > overdue_after:
                    late += 1
                    text = f"超过期限第{late}个工作日（{wd}）"
                else:
                    n += 1
                    text = f"{period}第{n}个工作日（{wd}）"
                if info.kind is DayKind.MAKEUP_WORKDAY:
                    what = f"{info.name}调休" if info.name else "调休"
                    text += f"：调休上班日（{what}），计入"
                elif info.overridden and info.name:
                    text += f"：{info.name}，计入"
                if d in marks:
                    text += f"，{marks[d]}"
                step = Step(StepKind.COUNTED, text + prov, d, "", n)
                self._add(d, step)
            else:
                kind = StepKind.WEEKEND if info.kind is DayKind.WEEKEND else StepKind.HOLIDAY
                text = f"{_rest_reason(info.kind, info.name)}（{wd}），不计"
                if info.overridden and info.source:
                    text += f"〔依据{info.source}〕"
                self._add(d, Step(kind, text + prov, d))
            d += timedelta(days=1)
        if last < end:
            self.step(
                StepKind.NOTE,
                f"（以下至 {end.isoformat()} 的逐日明细从略）",
                last,
            )

    def _add(self, day: date, step: Step) -> None:
        self._seq += 1
        self.steps.append((day, 1, self._seq, step))

    def ordered_steps(self) -> tuple[Step, ...]:
        dated = [s for s in self.steps if s[0] is not None]
        undated = [s for s in self.steps if s[0] is None]
        dated.sort(key=lambda s: (s[0], s[1], s[2]))
        return tuple(s[3] for s in dated) + tuple(s[3] for s in undated)


def _rest_reason(kind: DayKind, name: str) -> str:
    if kind is DayKind.WEEKEND:
        return "周末休息"
    return f"{name or '节假日'}放假"


def _check_order(first: date | None, later: date | None, message: str) -> None:
    if first is not None and later is not None and later < first:
        raise ClockError(message)


def compute_clock(
    events: ApplicationEvents,
    *,
    today: date,
    calendar: WorkdayCalendar | None = None,
    settings: ClockSettings = DEFAULT_SETTINGS,
    explain: bool = True,
) -> ApplicationClock:
    """Compute the statutory clock of one application as of ``today``.

    ``explain=False`` skips building the step-by-step explanation (for bulk recomputation).
    Raises ``ClockError`` (Chinese message) for impossible input such as a reply dated before
    the letter it answers; legal problems are returned as ``findings`` instead.
    """
    cal = calendar or default_calendar()
    run = _Run(events, today, cal, settings, explain)

    # -- receipt (第三十一条) ------------------------------------------------------------------
    raw, how, basis = receipt_date(events)
    run.receipt_event_on, run.receipt_rule = raw, how
    if raw is None:
        run.find(
            "D-02",
            Severity.WARNING,
            f"以“{events.channel.label}”方式提交的申请，收到申请之日尚未确定（{how}），"
            "答复期限尚未起算。",
        )
        run.step(StepKind.NOTE, f"收到申请之日尚未确定：{how}", None, basis)
        return _finish(run, ClockState.NOT_STARTED, None, basis=basis)
    run.span.append(raw)
    run.step(StepKind.RECEIPT, f"收到申请：{how}", raw, basis, order=0)
    received = run.effective(raw)
    if received != raw:
        info = cal.day_info(raw)
        run.step(
            StepKind.NOTE,
            f"收到申请之日为非工作日（{_rest_reason(info.kind, info.name)}），"
            f"顺延至下一工作日 {_d(received)} 作为收到申请之日",
            raw,
            PRACTICE_NON_WORKDAY,
            order=0,
        )
    run.step(
        StepKind.NOT_COUNTED,
        "收到申请之日当日不计入期间，自次日起计算",
        received,
        "期间开始之日不计算（参照民事诉讼法第八十五条）",
        order=1,
    )
    notice_due = cal.add_workdays(received, AMENDMENT_NOTICE_DAYS)
    run.span.append(notice_due)

    # -- 补正 (第三十条) -----------------------------------------------------------------------
    start = received
    previous_event = raw  # the actual date of the application or of the last 补正
    rounds = sorted(
        events.amendments,
        key=lambda r: r.notice_on or r.received_on or r.period_end or date.max,
    )
    if not rounds:
        run.step(
            StepKind.DEADLINE,
            f"如需补正，应在收到申请后{AMENDMENT_NOTICE_DAYS}个工作日内，即 {_d(notice_due)} 前，"
            "一次性告知申请人",
            received,
            ART30,
            order=1,
        )
    else:
        first = rounds[0]
        window_end = min(notice_due, first.notice_on or first.received_on or notice_due)
        marks = {notice_due: "补正告知期限届满"}
        run.list_days(received, window_end, None, "补正告知期限", marks, [])
    for i, rnd in enumerate(rounds, start=1):
        _check_order(
            previous_event, rnd.notice_on, f"第{i}轮补正告知日期早于收到申请（或上一轮补正）之日。"
        )
        _check_order(rnd.notice_on, rnd.received_on, f"第{i}轮补正材料收到日期早于补正告知日期。")
        round_due = cal.add_workdays(start, AMENDMENT_NOTICE_DAYS)
        label = "" if len(rounds) == 1 else f"第{i}轮"
        if rnd.notice_on is not None:
            run.span.append(rnd.notice_on)
            period = f"，补正期限至 {_d(rnd.period_end)}" if rnd.period_end is not None else ""
            run.step(
                StepKind.AMENDMENT,
                f"发出{label}补正告知书，一次性告知需补正事项{period}",
                rnd.notice_on,
                ART30,
            )
            if rnd.notice_on > round_due:
                run.find(
                    "D-01",
                    Severity.ERROR,
                    f"{label}补正告知于 {rnd.notice_on.isoformat()} 发出，"
                    f"晚于收到{'申请' if i == 1 else '上一轮补正'}后{AMENDMENT_NOTICE_DAYS}个工作日的期限 "
                    f"{round_due.isoformat()}（{ART30}）。",
                    rnd.notice_on,
                )
        if rnd.period_end is None and rnd.received_on is None:
            run.find(
                "D-01",
                Severity.WARNING,
                f"{label}补正告知未载明补正期限；应说明需要补正的事项和合理的补正期限（{ART30}）。",
                rnd.notice_on,
            )
        if rnd.received_on is None:
            if rnd.period_end is not None:
                run.span.append(rnd.period_end)
            if rnd.period_end is not None and today > rnd.period_end:
                lapsed_on = rnd.period_end + timedelta(days=1)
                run.step(
                    StepKind.LAPSE,
                    f"申请人未在补正期限（{rnd.period_end.isoformat()}）内补正，视为放弃申请，"
                    f"行政机关不再处理该申请（年度报告表三“{LAPSE_AMENDMENT}”：申请人无正当理由"
                    "逾期不补正、行政机关不再处理其政府信息公开申请）",
                    lapsed_on,
                    ART30,
                )
                return _finish(
                    run,
                    ClockState.LAPSED,
                    received,
                    basis=basis,
                    notice_due=notice_due,
                    lapsed=(LAPSE_AMENDMENT, lapsed_on),
                )
            run.step(
                StepKind.NOTE,
                "等待申请人补正：答复期限自行政机关收到补正的申请之日起计算，补正前不计时",
                rnd.notice_on or today,
                ART30,
            )
            return _finish(
                run, ClockState.AWAITING_AMENDMENT, received, basis=basis, notice_due=notice_due
            )
        run.span.append(rnd.received_on)
        if rnd.period_end is not None and rnd.received_on > rnd.period_end:
            run.find(
                "D-07",
                Severity.WARNING,
                f"{label}补正材料于 {rnd.received_on.isoformat()} 收到，晚于补正期限 "
                f"{rnd.period_end.isoformat()}；如无正当理由，应视为放弃申请（{ART30}）。",
                rnd.received_on,
            )
        new_start = run.effective(rnd.received_on)
        shifted = (
            f"（非工作日收到，自下一工作日 {_d(new_start)} 起算）"
            if new_start != rnd.received_on
            else ""
        )
        run.step(
            StepKind.RESTART,
            f"收到{label}补正后的申请{shifted}，答复期限自此重新起算，次日为第1个工作日",
            rnd.received_on,
            ART30,
        )
        start = new_start
        previous_event = rnd.received_on

    return _reply_clock(run, received, start, notice_due, basis)


def _reply_clock(
    run: _Run, received: date, start: date, notice_due: date, basis: str
) -> ApplicationClock:
    ev, cal, today = run.ev, run.cal, run.today

    # -- pauses: consultations (第三十二条、第三十四条) and the fee (109号) ---------------------
    pauses: list[_Pause] = []
    for c in sorted(ev.consultations, key=lambda c: c.sent_on):
        _check_order(
            c.sent_on, c.party_received_on, "被征求意见方收到征求意见书的日期早于发出日期。"
        )
        _check_order(c.sent_on, c.reply_on, "收到意见的日期早于发出征求意见书的日期。")
        third = c.kind is ConsultationKind.THIRD_PARTY
        art = ART32 if third else ART34
        who = c.party or ("第三方" if third else "相关行政机关")
        what = "征求第三方意见" if third else "征求相关行政机关意见"
        run.span.append(c.sent_on)
        party_due = None
        if c.party_received_on is not None:
            party_due = cal.add_workdays(c.party_received_on, CONSULTATION_REPLY_DAYS)
            run.span.append(party_due)
        end = c.reply_on
        end_text = f"收到{who}意见，次日起恢复计算答复期限"
        if (
            party_due is not None
            and (end is None or end > party_due)
            and (c.reply_on is not None or today > party_due)
        ):
            if c.reply_on is not None:
                run.find(
                    "D-04",
                    Severity.INFO,
                    f"{who}于 {c.reply_on.isoformat()} 才提出意见，超过收到征求意见书后"
                    f"{CONSULTATION_REPLY_DAYS}个工作日（{party_due.isoformat()}）；"
                    "超出部分不再暂停计时。",
                    c.reply_on,
                )
            end = party_due
            if c.reply_on is not None:
                outcome = f"（{who}于 {c.reply_on.isoformat()} 才提出意见，超出部分不暂停计时）"
            elif third:
                outcome = "未提出意见，由行政机关依照条例规定决定是否公开"
            else:
                outcome = "未提出意见，视为同意公开"
            end_text = (
                f"{who}收到征求意见书后{CONSULTATION_REPLY_DAYS}个工作日期满{outcome}"
                "；次日起恢复计算答复期限"
            )
        if end is not None:
            run.span.append(end)
        start_text = f"书面{what}（{who}），自次日起暂停计算答复期限"
        if party_due is not None:
            start_text += (
                f"；{who}应自收到征求意见书之日（{c.party_received_on}）起"
                f"{CONSULTATION_REPLY_DAYS}个工作日内（{party_due.isoformat()}前）提出意见"
            )
        pauses.append(
            _Pause(
                c.sent_on,
                end,
                f"{what}期间",
                f"{art}、{ART33_3}",
                start_text,
                end_text,
            )
        )

    fee = ev.fee_notice
    payment_due: date | None = None
    if fee is not None:
        _check_order(fee.served_on, fee.received_on, "申请人收到收费通知的日期早于发出日期。")
        _check_order(fee.served_on, fee.paid_on, "缴费日期早于收费通知发出日期。")
        got = fee.received_on
        if got is None:
            got = fee.served_on
            run.find(
                "D-06",
                Severity.WARNING,
                "未记录申请人收到收费通知的日期，暂按发出之日计算缴费期限。",
                fee.served_on,
            )
        payment_due = cal.add_workdays(got, FEE_PAYMENT_DAYS)
        run.span.extend([fee.served_on, payment_due])
        amount = f"，金额 {fee.amount} 元" if fee.amount is not None else ""
        run.step(
            StepKind.FEE,
            f"发出信息处理费收费通知{amount}；申请人应自收到通知（{got.isoformat()}）次日起"
            f"{FEE_PAYMENT_DAYS}个工作日内缴纳，即 {_d(payment_due)} 前，逾期视为放弃申请",
            fee.served_on,
            FEE_RULES,
        )
        if fee.paid_on is not None:
            run.span.append(fee.paid_on)
            if fee.paid_on > payment_due:
                run.find(
                    "D-06",
                    Severity.WARNING,
                    f"申请人于 {fee.paid_on.isoformat()} 缴费，晚于缴费期限 {payment_due.isoformat()}。",
                    fee.paid_on,
                )
            run.step(StepKind.FEE, "申请人缴纳信息处理费", fee.paid_on, FEE_RULES)
        elif today > payment_due:
            lapsed_on = payment_due + timedelta(days=1)
            run.step(
                StepKind.LAPSE,
                "申请人逾期未缴纳信息处理费，视为放弃申请，行政机关不再处理该申请"
                f"（年度报告表三“{LAPSE_FEE}”）",
                lapsed_on,
                FEE_RULES,
            )
            return _finish(
                run,
                ClockState.LAPSED,
                received,
                basis=basis,
                notice_due=notice_due,
                start=start,
                lapsed=(LAPSE_FEE, lapsed_on),
                payment_due=payment_due,
            )
        if run.settings.fee_pauses_clock:
            pauses.append(
                _Pause(
                    fee.served_on,
                    fee.paid_on,
                    "等待缴纳信息处理费期间",
                    SETTING_FEE_PAUSE,
                    "自发出收费通知次日起暂停计算答复期限",
                    "申请人已缴费，次日起恢复计算答复期限",
                )
            )

    # Open pauses are projected to end today; a pause never ends before it starts.
    projected = False
    intervals: list[tuple[date, date]] = []
    for p in pauses:
        if p.end is None:
            projected = True
            intervals.append((p.start, max(p.start, today)))
        else:
            intervals.append((p.start, p.end))
    counter = _Counter(cal, intervals)

    original_due = counter.forward(start, REPLY_DAYS)
    run.span.append(original_due)

    # -- extension (第三十三条第二款) ------------------------------------------------------------
    extended_due: date | None = None
    refused = False
    ext = ev.extension
    if ext is not None:
        days = ext.days
        _check_order(ext.decided_on, ext.notified_on, "告知申请人延期的日期早于批准延期的日期。")
        run.span.append(ext.decided_on)
        problems: list[str] = []
        if ext.decided_on >= original_due:
            problems.append(f"批准延期（{ext.decided_on.isoformat()}）")
        if ext.notified_on is not None and ext.notified_on >= original_due:
            problems.append(f"告知申请人（{ext.notified_on.isoformat()}）")
        if ext.notified_on is None and today >= original_due:
            problems.append("告知申请人（未记录告知日期）")
        if days < 1:
            refused = True
            run.find("D-03", Severity.ERROR, "延长答复期限的天数无效，须为1至20个工作日。")
        elif problems:
            refused = True
            msg = (
                f"延期无效：{'、'.join(problems)}未在原答复期限 {original_due.isoformat()} 届满前完成，"
                f"须在期限届满前经政府信息公开工作机构负责人同意并告知申请人（{ART33_2}）；"
                f"答复期限仍为 {original_due.isoformat()}。"
            )
            run.find("D-03", Severity.ERROR, msg, ext.notified_on or ext.decided_on)
            run.step(StepKind.EXTENSION, msg, ext.decided_on, ART33_2)
        else:
            if days > MAX_EXTENSION_DAYS:
                run.find(
                    "D-03",
                    Severity.ERROR,
                    f"延长的期限为{days}个工作日，超过法定上限{MAX_EXTENSION_DAYS}个工作日，"
                    f"按{MAX_EXTENSION_DAYS}个工作日计算（{ART33_2}）。",
                    ext.decided_on,
                )
                days = MAX_EXTENSION_DAYS
            if ext.notified_on is None:
                run.find(
                    "D-03",
                    Severity.WARNING,
                    f"延期尚未记录告知申请人的日期；须在 {original_due.isoformat()} 前告知申请人，"
                    f"否则延期无效（{ART33_2}）。",
                    ext.decided_on,
                )
            extended_due = counter.forward(start, REPLY_DAYS + days)
            run.span.append(extended_due)
            told = (
                f"，{ext.notified_on.isoformat()} 告知申请人" if ext.notified_on is not None else ""
            )
            run.step(
                StepKind.EXTENSION,
                f"经政府信息公开工作机构负责人同意延长答复期限{days}个工作日{told}；"
                f"延长后的答复期限为 {_d(extended_due)}",
                ext.decided_on,
                ART33_2,
            )

    # -- 第三十五条 ------------------------------------------------------------------------------
    delayed_due: date | None = None
    statutory_due = extended_due or original_due
    if ev.delayed_reply is not None:
        delayed_due = ev.delayed_reply.due_on
        run.span.append(delayed_due)
        run.step(
            StepKind.DELAY,
            "申请数量、频次明显超过合理范围，行政机关认为申请理由合理但无法在法定期限内答复，"
            f"确定延迟答复的合理期限至 {_d(delayed_due)} 并告知申请人",
            ev.delayed_reply.notified_on or statutory_due,
            ART35,
        )
        if delayed_due <= statutory_due:
            run.find(
                "D-05",
                Severity.INFO,
                f"第三十五条确定的答复日期 {delayed_due.isoformat()} 不晚于法定答复期限 "
                f"{statutory_due.isoformat()}。",
                delayed_due,
            )
        if ev.delayed_reply.notified_on is None:
            run.find(
                "D-05", Severity.WARNING, "第三十五条确定的延迟答复期限尚未记录告知申请人的日期。"
            )
    due = delayed_due or statutory_due

    # Events after the due date cannot stop a period that has already run out.
    for p in pauses:
        if p.start >= due and p.label != "等待缴纳信息处理费期间":
            run.find(
                "D-04",
                Severity.WARNING,
                f"{p.start.isoformat()} 开始的{p.label}晚于答复期限 {due.isoformat()}，"
                "不能使已届满的期限中止。",
                p.start,
            )
    if fee is not None and fee.served_on > due:
        run.find(
            "D-06",
            Severity.ERROR,
            f"收费通知于 {fee.served_on.isoformat()} 发出，晚于答复期限 {due.isoformat()}；"
            f"应在申请处理期限内发出（{FEE_RULES}）。",
            fee.served_on,
        )

    # -- service (235号) ---------------------------------------------------------------------
    service = ev.service
    if service is not None:
        if service.served_on < received:
            raise ClockError("答复送达日期早于收到申请之日。")
        run.span.append(service.served_on)
        run.step(
            StepKind.SERVICE,
            _service_text(service) + "，答复期限计算停止",
            service.served_on,
            DOC235,
        )
        if service.method is ServiceMethod.COURIER:
            run.find(
                "D-08",
                Severity.ERROR,
                "邮寄送达应通过邮政企业，不得通过不具有国家公文寄递资格的其他快递企业送达"
                f"（{DOC235}）。",
                service.served_on,
            )
        if service.cash_on_delivery:
            run.find(
                "D-08",
                Severity.ERROR,
                f"不得以到付方式向申请人收取邮寄费用（{DOC235}）。",
                service.served_on,
            )

    end_point = service.served_on if service is not None else today
    ref = max(end_point, start)  # before the period starts nothing is used yet
    used = counter.between(start, ref)
    left = counter.between(ref, due)
    overdue = end_point > due

    # -- explanation ------------------------------------------------------------------------
    if run.explain:
        for p in pauses:
            run.step(StepKind.PAUSE, p.start_text, p.start, p.basis)
            if p.end is not None:
                run.step(StepKind.RESUME, p.end_text, p.end, p.basis)
            else:
                run.step(
                    StepKind.NOTE,
                    f"{p.label}尚未结束；暂按今日结束推算答复期限",
                    today,
                    p.basis,
                )
        marks = {original_due: f"原答复期限届满（{REPLY_DAYS}个工作日）"}
        if extended_due is not None:
            marks[extended_due] = "延长后的答复期限届满"
        if not ev.amendments:
            marks.setdefault(
                notice_due, f"亦为补正告知期限届满日（{AMENDMENT_NOTICE_DAYS}个工作日）"
            )
        list_end = statutory_due
        if service is not None and service.served_on > list_end:
            list_end = service.served_on
        elif service is None and today > list_end and delayed_due is None:
            list_end = min(today, statutory_due + timedelta(days=60))
        run.list_days(
            start,
            list_end,
            counter,
            "答复期限",
            marks,
            pauses,
            overdue_after=statutory_due if delayed_due is None else None,
        )
        run.step(
            StepKind.DEADLINE,
            f"答复期限：{_d(due)}"
            + ("（第三十五条确定的期限）" if delayed_due is not None else "")
            + ("（暂停尚未结束，为推算日期）" if projected else ""),
            due,
            ART35 if delayed_due is not None else ART33_2,
            order=3,
        )

    state = ClockState.RUNNING
    if service is not None:
        state = ClockState.REPLIED
    elif fee is not None and fee.paid_on is None:
        state = ClockState.AWAITING_PAYMENT
    elif projected:
        state = ClockState.PAUSED

    return _finish(
        run,
        state,
        received,
        basis=basis,
        notice_due=notice_due,
        start=start,
        original_due=original_due,
        extended_due=extended_due,
        delayed_due=delayed_due,
        due=due,
        projected=projected and service is None,
        used=used,
        left=left,
        overdue=overdue,
        refused=refused,
        payment_due=payment_due,
        concluded=service.served_on if service is not None else None,
    )


def _service_text(service: Service) -> str:
    when = _d(service.served_on)
    if service.method in (ServiceMethod.DIRECT, ServiceMethod.ENTRUSTED):
        how = "直接送达" if service.method is ServiceMethod.DIRECT else "委托代为送达"
        return f"{how}，以申请人签收之日 {when} 为期限计算时点"
    if service.method is ServiceMethod.POST:
        return f"邮寄送达，以交邮之日 {when} 为期限计算时点"
    if service.method is ServiceMethod.COURIER:
        return f"经快递企业寄出（{when}）"
    return f"通过互联网渠道送达，以发送之日 {when} 为期限计算时点"


def _finish(
    run: _Run,
    state: ClockState,
    received: date | None,
    *,
    basis: str,
    notice_due: date | None = None,
    start: date | None = None,
    original_due: date | None = None,
    extended_due: date | None = None,
    delayed_due: date | None = None,
    due: date | None = None,
    projected: bool = False,
    used: int | None = None,
    left: int | None = None,
    overdue: bool = False,
    refused: bool = False,
    lapsed: tuple[str, date] | None = None,
    payment_due: date | None = None,
    concluded: date | None = None,
) -> ApplicationClock:
    span = list(run.span)
    if state not in (ClockState.REPLIED, ClockState.LAPSED) or not span:
        span.append(run.today)  # an open case's figures depend on today; a concluded one's do not
    lo, hi = min(span), max(span)
    years = run.cal.provisional_years(lo, hi)
    warnings = run.cal.warnings_for(lo, hi)
    if years and run.explain:
        for w in warnings:
            run.step(StepKind.NOTE, "暂定结果：" + w, None)
    if lapsed is not None:
        concluded = lapsed[1]
    if run.explain and used is not None and state is not ClockState.LAPSED:
        if state is ClockState.REPLIED:
            tail = f"已于答复期限届满后答复，超期{-left}个工作日" if overdue and left else ""
            text = f"答复时已用{used}个工作日" + (f"；{tail}" if tail else "")
        elif overdue and left is not None:
            text = f"截至 {run.today.isoformat()} 已用{used}个工作日，已超过答复期限{-left}个工作日"
        else:
            text = f"截至 {run.today.isoformat()} 已用{used}个工作日，剩余{left}个工作日"
        run.step(StepKind.SUMMARY, text, None)
    return ApplicationClock(
        today=run.today,
        state=state,
        received_on=received,
        receipt_basis=basis,
        receipt_rule=run.receipt_rule,
        receipt_event_on=run.receipt_event_on,
        amendment_notice_due=notice_due,
        clock_start=start,
        original_due=original_due,
        extended_due=extended_due,
        delayed_due=delayed_due,
        due=due,
        due_is_projected=projected,
        working_days_used=used,
        working_days_left=left,
        overdue=overdue,
        extension_refused=refused,
        lapsed_row=lapsed[0] if lapsed else None,
        lapsed_on=lapsed[1] if lapsed else None,
        concluded_on=concluded,
        payment_due=payment_due,
        provisional=bool(years),
        provisional_years=years,
        warnings=warnings,
        findings=tuple(run.findings),
        steps=run.ordered_steps(),
    )


def compute_many(
    cases: Iterable[ApplicationEvents],
    *,
    today: date,
    calendar: WorkdayCalendar | None = None,
    settings: ClockSettings = DEFAULT_SETTINGS,
) -> list[ApplicationClock]:
    """Recompute many clocks at once (no explanations), e.g. for a nightly deadline sweep."""
    cal = calendar or default_calendar()
    return [
        compute_clock(c, today=today, calendar=cal, settings=settings, explain=False) for c in cases
    ]
