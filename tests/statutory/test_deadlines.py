"""The statutory clock of one application (spec §2.6, §3.4–§3.10, §4)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.statutory.deadlines import (
    AmendmentRound,
    ApplicationEvents,
    Channel,
    ClockError,
    ClockSettings,
    ClockState,
    Consultation,
    ConsultationKind,
    DelayedReply,
    Extension,
    FeeNotice,
    Service,
    ServiceMethod,
    StepKind,
    compute_clock,
    compute_many,
)
from gongkai.statutory.workdays import (
    CalendarOverride,
    WorkdayCalendar,
    add_workdays,
    is_workday,
    workdays_between,
)


def in_person(day: date, **kw: object) -> ApplicationEvents:
    return ApplicationEvents(Channel.IN_PERSON, submitted_on=day, **kw)  # type: ignore[arg-type]


def codes(clock: object) -> list[str]:
    return [f.code for f in clock.findings]  # type: ignore[attr-defined]


# -- spec §4.6 worked examples ----------------------------------------------------------------


def test_example_2024_02_06() -> None:
    """received 2024-02-06 → 补正 deadline 2024-02-21; reply due 2024-03-11."""
    c = compute_clock(in_person(date(2024, 2, 6)), today=date(2024, 2, 20))
    assert c.received_on == date(2024, 2, 6)
    assert c.amendment_notice_due == date(2024, 2, 21)
    assert c.original_due == date(2024, 3, 11)
    assert c.due == date(2024, 3, 11)
    assert c.state is ClockState.RUNNING
    assert c.working_days_used == 6  # 2/7, 2/8, 2/9, 2/18 (make-up), 2/19, 2/20
    assert c.working_days_left == 14
    assert not c.overdue and not c.provisional


def test_example_2025_01_24() -> None:
    """received 2025-01-24 → 补正 deadline 2025-02-10; reply due 2025-02-27."""
    c = compute_clock(in_person(date(2025, 1, 24)), today=date(2025, 1, 24))
    assert c.amendment_notice_due == date(2025, 2, 10)
    assert c.original_due == date(2025, 2, 27)
    assert c.working_days_used == 0
    assert c.working_days_left == 20


def test_example_2024_12_20_with_extension() -> None:
    """received 2024-12-20 → due 2025-01-20; extended by 20 working days: 2025-02-21."""
    plain = compute_clock(in_person(date(2024, 12, 20)), today=date(2024, 12, 31))
    assert plain.original_due == date(2025, 1, 20)
    ext = Extension(decided_on=date(2025, 1, 15), notified_on=date(2025, 1, 16), days=20)
    c = compute_clock(in_person(date(2024, 12, 20), extension=ext), today=date(2025, 2, 1))
    assert c.original_due == date(2025, 1, 20)
    assert c.extended_due == date(2025, 2, 21)
    assert c.due == date(2025, 2, 21)
    assert not c.extension_refused
    assert not c.overdue


# -- receipt (第三十一条) ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("channel", "field", "article"),
    [
        (Channel.IN_PERSON, "submitted_on", "第三十一条（一）"),
        (Channel.ORAL, "submitted_on", "第三十一条（一）"),
        (Channel.REGISTERED_POST, "signed_on", "第三十一条（二）"),
        (Channel.ORDINARY_LETTER, "confirmed_on", "第三十一条（二）"),
        (Channel.ONLINE, "confirmed_on", "第三十一条（三）"),
        (Channel.FAX, "confirmed_on", "第三十一条（三）"),
        (Channel.EMAIL, "confirmed_on", "第三十一条（三）"),
    ],
)
def test_receipt_date_by_channel(channel: Channel, field: str, article: str) -> None:
    other = date(2024, 2, 1)

    def pick(name: str) -> date:
        return date(2024, 2, 6) if name == field else other

    ev = ApplicationEvents(
        channel,
        submitted_on=pick("submitted_on"),
        signed_on=pick("signed_on"),
        confirmed_on=pick("confirmed_on"),
    )
    c = compute_clock(ev, today=date(2024, 2, 7))
    assert c.received_on == date(2024, 2, 6)
    assert article in c.receipt_basis


def test_ordinary_letter_not_yet_confirmed_has_not_started() -> None:
    ev = ApplicationEvents(Channel.ORDINARY_LETTER, submitted_on=date(2024, 2, 6))
    c = compute_clock(ev, today=date(2024, 3, 1))
    assert c.state is ClockState.NOT_STARTED
    assert c.due is None and c.working_days_used is None
    assert "确认" in c.findings[0].message


def test_receipt_on_a_holiday_counts_from_the_next_working_day() -> None:
    ev = ApplicationEvents(Channel.REGISTERED_POST, signed_on=date(2024, 2, 10))  # 春节
    c = compute_clock(ev, today=date(2024, 2, 20))
    assert c.receipt_event_on == date(2024, 2, 10)
    assert c.received_on == date(2024, 2, 18)  # the make-up Sunday
    assert c.original_due == add_workdays(date(2024, 2, 18), 20)
    assert any("顺延" in s.text for s in c.steps)


def test_receipt_shift_can_be_switched_off() -> None:
    ev = ApplicationEvents(Channel.ONLINE, confirmed_on=date(2024, 3, 2))  # a Saturday
    on = compute_clock(ev, today=date(2024, 3, 5))
    off = compute_clock(
        ev,
        today=date(2024, 3, 5),
        settings=ClockSettings(receipt_on_non_workday_next_workday=False),
    )
    assert on.received_on == date(2024, 3, 4)
    assert off.received_on == date(2024, 3, 2)
    assert off.original_due == add_workdays(date(2024, 3, 2), 20)
    assert on.original_due == add_workdays(date(2024, 3, 4), 20)
    assert on.original_due > off.original_due


# -- 补正 (第三十条) ---------------------------------------------------------------------------


def test_amendment_restarts_the_reply_period() -> None:
    rnd = AmendmentRound(
        notice_on=date(2024, 2, 8), period_end=date(2024, 2, 29), received_on=date(2024, 2, 26)
    )
    c = compute_clock(in_person(date(2024, 2, 6), amendments=(rnd,)), today=date(2024, 3, 1))
    assert c.amendment_notice_due == date(2024, 2, 21)
    assert c.clock_start == date(2024, 2, 26)
    assert c.original_due == date(2024, 3, 25)
    assert c.working_days_used == 4
    assert not c.findings
    restart = [s for s in c.steps if s.kind is StepKind.RESTART]
    assert restart and restart[0].basis == "条例第三十条"


def test_amendment_notice_after_seven_working_days_is_an_error() -> None:
    rnd = AmendmentRound(date(2024, 2, 22), date(2024, 3, 8), date(2024, 3, 1))
    c = compute_clock(in_person(date(2024, 2, 6), amendments=(rnd,)), today=date(2024, 3, 4))
    assert codes(c) == ["D-01"]
    assert "2024-02-21" in c.findings[0].message


def test_awaiting_amendment_does_not_run_the_clock() -> None:
    rnd = AmendmentRound(date(2024, 3, 4), date(2024, 3, 20))
    c = compute_clock(in_person(date(2024, 3, 1), amendments=(rnd,)), today=date(2024, 3, 20))
    assert c.state is ClockState.AWAITING_AMENDMENT
    assert c.due is None and not c.overdue and c.lapsed_row is None


def test_unanswered_amendment_lapses_as_o6_1() -> None:
    rnd = AmendmentRound(date(2024, 3, 4), date(2024, 3, 20))
    c = compute_clock(in_person(date(2024, 3, 1), amendments=(rnd,)), today=date(2024, 3, 21))
    assert c.state is ClockState.LAPSED
    assert c.lapsed_row == "O6_1"
    assert c.lapsed_on == date(2024, 3, 21)
    assert c.concluded_on == date(2024, 3, 21)


def test_second_amendment_round_restarts_again() -> None:
    rounds = (
        AmendmentRound(date(2024, 3, 4), date(2024, 3, 15), date(2024, 3, 11)),
        AmendmentRound(date(2024, 3, 13), date(2024, 3, 29), date(2024, 3, 25)),
    )
    c = compute_clock(in_person(date(2024, 3, 1), amendments=rounds), today=date(2024, 3, 26))
    assert c.clock_start == date(2024, 3, 25)
    assert c.original_due == add_workdays(date(2024, 3, 25), 20)
    assert not c.findings


def test_late_amendment_is_flagged() -> None:
    rnd = AmendmentRound(date(2024, 3, 4), date(2024, 3, 8), date(2024, 3, 12))
    c = compute_clock(in_person(date(2024, 3, 1), amendments=(rnd,)), today=date(2024, 3, 13))
    assert codes(c) == ["D-07"]
    assert c.clock_start == date(2024, 3, 12)


# -- consultations (第三十二条、第三十四条、第三十三条第三款) ---------------------------------------


def test_consultation_pause_spanning_national_day() -> None:
    """Sent 2024-09-27, reply 2024-10-14: the 8 working days in between are not counted."""
    cons = Consultation(
        sent_on=date(2024, 9, 27), party_received_on=date(2024, 9, 29), reply_on=date(2024, 10, 14)
    )
    c = compute_clock(in_person(date(2024, 9, 20), consultations=(cons,)), today=date(2024, 10, 15))
    assert add_workdays(date(2024, 9, 20), 20) == date(2024, 10, 23)  # without the pause
    assert workdays_between(date(2024, 9, 27), date(2024, 10, 14)) == 8
    assert c.original_due == date(2024, 11, 4)
    assert c.working_days_used == 6  # 5 before the pause + 10-15
    assert c.working_days_left == 14
    paused = [s for s in c.steps if s.kind is StepKind.PAUSED]
    assert any("国庆节放假" in s.text for s in paused)
    assert all("第三十三条第三款" in s.basis for s in paused)
    assert [s.kind for s in c.steps].count(StepKind.RESUME) == 1


def test_silent_third_party_pause_ends_after_fifteen_working_days() -> None:
    cons = Consultation(sent_on=date(2024, 3, 5), party_received_on=date(2024, 3, 6))
    today = date(2024, 4, 15)
    c = compute_clock(in_person(date(2024, 3, 1), consultations=(cons,)), today=today)
    party_due = add_workdays(date(2024, 3, 6), 15)
    k = workdays_between(date(2024, 3, 5), party_due)
    assert c.original_due == add_workdays(add_workdays(date(2024, 3, 1), 20), k)
    assert c.state is ClockState.RUNNING
    assert any("依照条例规定决定是否公开" in s.text for s in c.steps)


def test_silent_co_agency_counts_as_consent() -> None:
    cons = Consultation(
        sent_on=date(2024, 3, 5),
        kind=ConsultationKind.CO_AGENCY,
        party_received_on=date(2024, 3, 6),
    )
    c = compute_clock(in_person(date(2024, 3, 1), consultations=(cons,)), today=date(2024, 4, 15))
    assert any("视为同意公开" in s.text for s in c.steps)
    assert any("第三十四条" in s.basis for s in c.steps)


def test_open_consultation_projects_the_due_date() -> None:
    cons = Consultation(sent_on=date(2024, 3, 5))
    c = compute_clock(in_person(date(2024, 3, 1), consultations=(cons,)), today=date(2024, 3, 20))
    assert c.state is ClockState.PAUSED
    assert c.due_is_projected
    k = workdays_between(date(2024, 3, 5), date(2024, 3, 20))
    assert c.original_due == add_workdays(add_workdays(date(2024, 3, 1), 20), k)
    assert c.working_days_used == 2


def test_overlapping_consultations_pause_once() -> None:
    a = Consultation(sent_on=date(2024, 3, 5), reply_on=date(2024, 3, 15))
    b = Consultation(sent_on=date(2024, 3, 11), reply_on=date(2024, 3, 20))
    c = compute_clock(in_person(date(2024, 3, 1), consultations=(a, b)), today=date(2024, 3, 21))
    k = workdays_between(date(2024, 3, 5), date(2024, 3, 20))
    assert c.original_due == add_workdays(add_workdays(date(2024, 3, 1), 20), k)


def test_reply_before_sending_is_rejected() -> None:
    cons = Consultation(sent_on=date(2024, 3, 5), reply_on=date(2024, 3, 4))
    with pytest.raises(ClockError, match="早于"):
        compute_clock(in_person(date(2024, 3, 1), consultations=(cons,)), today=date(2024, 3, 6))


# -- extension (第三十三条第二款) ---------------------------------------------------------------


def test_extension_decided_on_the_due_date_is_refused() -> None:
    ext = Extension(decided_on=date(2024, 3, 11), notified_on=date(2024, 3, 11))
    c = compute_clock(in_person(date(2024, 2, 6), extension=ext), today=date(2024, 3, 12))
    assert c.extension_refused
    assert c.extended_due is None
    assert c.due == date(2024, 3, 11)
    assert c.overdue
    assert codes(c) == ["D-03"]
    assert "延期无效" in c.findings[0].message
    assert c.findings[0].severity == "error"


def test_extension_notified_too_late_is_refused() -> None:
    ext = Extension(decided_on=date(2024, 3, 8), notified_on=date(2024, 3, 12))
    c = compute_clock(in_person(date(2024, 2, 6), extension=ext), today=date(2024, 3, 12))
    assert c.extension_refused and c.due == date(2024, 3, 11)


def test_extension_over_twenty_days_is_capped() -> None:
    ext = Extension(decided_on=date(2024, 3, 1), notified_on=date(2024, 3, 1), days=30)
    c = compute_clock(in_person(date(2024, 2, 6), extension=ext), today=date(2024, 3, 4))
    assert c.extended_due == add_workdays(date(2024, 2, 6), 40)
    assert codes(c) == ["D-03"]


def test_shorter_extension() -> None:
    ext = Extension(decided_on=date(2024, 3, 1), notified_on=date(2024, 3, 1), days=5)
    c = compute_clock(in_person(date(2024, 2, 6), extension=ext), today=date(2024, 3, 4))
    assert c.extended_due == add_workdays(date(2024, 3, 11), 5)


# -- fee (国办函〔2020〕109号) ------------------------------------------------------------------


def test_fee_interval_pauses_by_default() -> None:
    fee = FeeNotice(
        served_on=date(2024, 3, 5), received_on=date(2024, 3, 6), paid_on=date(2024, 3, 12)
    )
    c = compute_clock(in_person(date(2024, 3, 1), fee_notice=fee), today=date(2024, 3, 13))
    k = workdays_between(date(2024, 3, 5), date(2024, 3, 12))
    assert c.original_due == add_workdays(add_workdays(date(2024, 3, 1), 20), k)
    assert c.payment_due == add_workdays(date(2024, 3, 6), 20)
    off = compute_clock(
        in_person(date(2024, 3, 1), fee_notice=fee),
        today=date(2024, 3, 13),
        settings=ClockSettings(fee_pauses_clock=False),
    )
    assert off.original_due == add_workdays(date(2024, 3, 1), 20)


def test_unpaid_fee_lapses_as_o6_2() -> None:
    fee = FeeNotice(served_on=date(2024, 3, 5), received_on=date(2024, 3, 6), amount=Decimal(300))
    pay_due = add_workdays(date(2024, 3, 6), 20)
    waiting = compute_clock(in_person(date(2024, 3, 1), fee_notice=fee), today=pay_due)
    assert waiting.state is ClockState.AWAITING_PAYMENT
    lapsed = compute_clock(
        in_person(date(2024, 3, 1), fee_notice=fee), today=pay_due + timedelta(days=1)
    )
    assert lapsed.state is ClockState.LAPSED
    assert lapsed.lapsed_row == "O6_2"
    assert lapsed.lapsed_on == pay_due + timedelta(days=1)


def test_fee_notice_after_the_due_date_is_an_error() -> None:
    fee = FeeNotice(served_on=date(2024, 4, 1), received_on=date(2024, 4, 1))
    c = compute_clock(in_person(date(2024, 3, 1), fee_notice=fee), today=date(2024, 4, 2))
    assert "D-06" in codes(c)


# -- 第三十五条 and service (235号) ------------------------------------------------------------


def test_article_35_later_date_replaces_the_due_date() -> None:
    delay = DelayedReply(due_on=date(2024, 6, 28), notified_on=date(2024, 3, 20))
    c = compute_clock(in_person(date(2024, 3, 1), delayed_reply=delay), today=date(2024, 4, 15))
    assert c.original_due == add_workdays(date(2024, 3, 1), 20)
    assert c.delayed_due == c.due == date(2024, 6, 28)
    assert not c.overdue
    assert any(s.basis == "条例第三十五条" for s in c.steps)


def test_service_stops_the_clock() -> None:
    served = Service(served_on=date(2024, 3, 8), method=ServiceMethod.POST)
    c = compute_clock(in_person(date(2024, 2, 6), service=served), today=date(2025, 1, 1))
    assert c.state is ClockState.REPLIED
    assert c.working_days_used == 19
    assert c.working_days_left == 1
    assert not c.overdue
    assert c.concluded_on == date(2024, 3, 8)
    assert any("交邮之日" in s.text and s.basis == "国办公开办函〔2016〕235号" for s in c.steps)


def test_late_service_is_overdue_and_courier_is_flagged() -> None:
    served = Service(
        served_on=date(2024, 3, 13), method=ServiceMethod.COURIER, cash_on_delivery=True
    )
    c = compute_clock(in_person(date(2024, 2, 6), service=served), today=date(2024, 3, 14))
    assert c.overdue
    assert c.working_days_left == -2
    assert codes(c) == ["D-08", "D-08"]


def test_overdue_while_open() -> None:
    c = compute_clock(in_person(date(2025, 1, 24)), today=date(2025, 3, 3))
    assert c.overdue
    assert c.working_days_used == 22
    assert c.working_days_left == -2
    assert any("超过期限第2个工作日" in s.text for s in c.steps)


# -- provisional years ------------------------------------------------------------------------


def test_deadline_crossing_into_2027_is_provisional() -> None:
    c = compute_clock(in_person(date(2026, 12, 15)), today=date(2026, 12, 16))
    assert c.original_due == date(2027, 1, 13)  # 元旦 2027 is still skipped
    assert c.provisional
    assert c.provisional_years == (2027,)
    assert any("2027年" in w for w in c.warnings)
    assert any("暂定" in s.text for s in c.steps)


def test_confirmed_override_year_is_not_provisional() -> None:
    cal = WorkdayCalendar(
        overrides=[CalendarOverride(date(2027, 1, 4), False, "元旦", "国办发明电〔2026〕1号")],
        confirmed_years={2027: "国办发明电〔2026〕1号"},
    )
    c = compute_clock(in_person(date(2026, 12, 15)), today=date(2026, 12, 16), calendar=cal)
    assert not c.provisional
    assert c.original_due == date(2027, 1, 14)  # one more rest day


def test_concluded_case_does_not_depend_on_today() -> None:
    served = Service(served_on=date(2024, 3, 8))
    c = compute_clock(in_person(date(2024, 2, 6), service=served), today=date(2027, 6, 1))
    assert not c.provisional


# -- explanation ------------------------------------------------------------------------------


def test_explanation_is_ordered_and_names_holidays_and_articles() -> None:
    c = compute_clock(in_person(date(2024, 2, 6)), today=date(2024, 2, 20))
    lines = c.explanation()
    assert lines[0].startswith("2024-02-06 收到申请")
    assert "2024-02-07 答复期限第1个工作日（星期三）" in lines
    assert "2024-02-12 春节放假（星期一），不计" in lines
    assert "2024-02-18 答复期限第4个工作日（星期日）：调休上班日（春节调休），计入" in lines
    assert any("2024-02-21 答复期限第7个工作日" in x and "补正告知期限" in x for x in lines)
    assert any("2024-03-11 答复期限第20个工作日" in x and "届满" in x for x in lines)
    days = [s.day for s in c.steps if s.day is not None]
    assert days == sorted(days)
    assert lines[-1] == "截至 2024-02-20 已用6个工作日，剩余14个工作日"


def test_explain_false_skips_steps_but_not_results() -> None:
    full = compute_clock(in_person(date(2024, 2, 6)), today=date(2024, 2, 20))
    fast = compute_clock(in_person(date(2024, 2, 6)), today=date(2024, 2, 20), explain=False)
    assert fast.steps == ()
    assert fast.due == full.due and fast.working_days_used == full.working_days_used


def test_compute_many_and_to_dict() -> None:
    clocks = compute_many(
        [in_person(date(2024, 2, 6)), in_person(date(2025, 1, 24))], today=date(2025, 1, 1)
    )
    assert [c.original_due for c in clocks] == [date(2024, 3, 11), date(2025, 2, 27)]
    data = clocks[0].to_dict()
    assert data["due"] == "2024-03-11" and data["state"] == "running"


# -- properties -------------------------------------------------------------------------------

received_dates = st.dates(min_value=date(2005, 1, 1), max_value=date(2026, 10, 31))


@settings(max_examples=150, deadline=None)
@given(received=received_dates, offset=st.integers(0, 19), k=st.integers(0, 30))
def test_a_pause_of_k_working_days_moves_the_due_date_by_k(
    received: date, offset: int, k: int
) -> None:
    base = compute_clock(in_person(received), today=received, explain=False)
    assert base.received_on is not None and base.original_due is not None
    start = base.received_on
    sent = add_workdays(start, offset)  # before the original due date
    reply = add_workdays(sent, k)
    cons = Consultation(sent_on=sent, reply_on=reply)
    paused = compute_clock(
        in_person(received, consultations=(cons,)), today=received, explain=False
    )
    assert paused.original_due == add_workdays(base.original_due, k)
    assert workdays_between(base.original_due, paused.original_due) == k


@settings(max_examples=150, deadline=None)
@given(received=received_dates, days_later=st.integers(0, 90))
def test_used_plus_left_is_twenty_without_pauses(received: date, days_later: int) -> None:
    c = compute_clock(
        in_person(received), today=received + timedelta(days=days_later), explain=False
    )
    assert c.original_due is not None and is_workday(c.original_due)
    assert c.working_days_used is not None and c.working_days_left is not None
    assert c.working_days_used + c.working_days_left == 20
    assert c.overdue == (c.working_days_left < 0 or c.today > c.original_due)
