"""Retention of appeals and 网民留言: concluded appeals and replied messages lose their people's
personal data after N years (same job as the applications); table 四 and the year's message
figures do not move."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.models import AuditEvent
from gongkai.ledger.appeals.aggregation import table4
from gongkai.ledger.appeals.models import Litigation, Reconsideration
from gongkai.ledger.appeals.services import (
    appeal_conclude,
    litigation_register,
    reconsideration_register,
)
from gongkai.ledger.messages import services as messages
from gongkai.ledger.messages.annual import figures_for
from gongkai.ledger.messages.models import PublicMessage
from gongkai.ledger.messages.selectors import message_list_public, message_year_figures
from gongkai.ledger.requests import services
from gongkai.ledger.requests.aggregation import Scope
from gongkai.ledger.requests.retention import ANONYMISED, anonymise_closed_cases
from gongkai.ledger.requests.validators import make_id_number
from tests.ledger.requests.factories import company_data, decide_and_serve, user
from tests.trust.conftest import db_snapshot

pytestmark = pytest.mark.django_db

# Personal data of the old appellants and of the old message writer: none of it may be left
# anywhere in the database once the job has run.
APPELLANT = "上官雪梅"
APPELLANT_PHONE = "13700001111"
PLAINTIFF = "慕容海峰"
PLAINTIFF_ID = make_id_number("41010519650101123")
WRITER = "诸葛晓东"
WRITER_PHONE = "13622223333"
WRITER_EMAIL = "zhuge.xd@example.cn"
SECRETS = [APPELLANT, APPELLANT_PHONE, PLAINTIFF, PLAINTIFF_ID, WRITER, WRITER_PHONE, WRITER_EMAIL]
# people whose records are not due: they must stay
PENDING_APPELLANT = "东方未决"
RECENT_PLAINTIFF = "皇甫近期"
BLOCKED_APPELLANT = "南宫起诉"
REPEAT_WRITER = ("欧阳重复", "13655556666")
RECENT_WRITER = ("司徒新近", "13577778888")


@pytest.fixture
def frozen(settings):
    def _set(day: str) -> None:
        settings.GONGKAI_FROZEN_TODAY = day

    return _set


@pytest.fixture
def sfj(platform):
    from tests.ledger.requests.seed import ensure_reference_data

    ensure_reference_data()
    return platform["shifanxian-sfj"]


@pytest.fixture
def people(platform):
    from django.contrib.auth import get_user_model

    return {u.username: u for u in get_user_model().objects.all()}


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _at(*args: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


@pytest.fixture
def appeals(sfj, frozen, data_dirs):
    """Appeals concluded in 2020 (due in 2026 with 5 years) and others that are not due."""
    frozen("2020-03-02")
    clerk = user("sfj_clerk")
    org_app = decide_and_serve(
        services.application_register(
            agency=sfj, actor=clerk, data=company_data(), channel="in_person"
        ),
        served_on=_day("2020-03-02"),
    )
    frozen("2020-06-30")
    # a person's reconsideration, with notes, a result note and an edit recorded in the log
    rev = reconsideration_register(
        agency=sfj,
        actor=clerk,
        body="示范县人民政府",
        appellant=APPELLANT,
        filed_on=_day("2020-03-02"),
        case_number="示府复〔2020〕3号",
        notes=f"{APPELLANT}来电（{APPELLANT_PHONE}）询问进度",
    )
    audit.record(
        actor=clerk,
        action="reconsideration.corrected",
        subject=rev,
        before={"appellant": "上官雪", "notes": ""},
        after={"appellant": APPELLANT, "notes": f"联系电话{APPELLANT_PHONE}"},
    )
    appeal_conclude(
        case=rev,
        actor=clerk,
        result="upheld",
        concluded_on=_day("2020-05-06"),
        result_note=f"维持被申请人对{APPELLANT}作出的告知",
    )
    # a person's litigation brought directly, concluded with 纠正
    lit = litigation_register(
        agency=sfj,
        actor=clerk,
        court="示范县人民法院",
        appellant=PLAINTIFF,
        filed_on=_day("2019-11-04"),
        route="direct",
        case_number="（2019）示行初12号",
    )
    appeal_conclude(
        case=lit,
        actor=clerk,
        result="corrected",
        concluded_on=_day("2020-06-01"),
        result_note=f"判决撤销，原告{PLAINTIFF}（身份证{PLAINTIFF_ID}）的申请重新答复",
    )
    # an organisation's reconsideration about its own application: its name is not personal
    org = reconsideration_register(
        agency=sfj,
        actor=clerk,
        body="示范县人民政府",
        appellant=org_app.applicant_name,
        filed_on=_day("2020-03-10"),
        applications=[org_app],
    )
    appeal_conclude(case=org, actor=clerk, result="other", concluded_on=_day("2020-04-01"))
    # still pending since 2020
    pending = reconsideration_register(
        agency=sfj,
        actor=clerk,
        body="示范县人民政府",
        appellant=PENDING_APPELLANT,
        filed_on=_day("2020-04-01"),
    )
    # concluded in 2020, but a litigation brought after it is still pending
    blocked = reconsideration_register(
        agency=sfj,
        actor=clerk,
        body="示范县人民政府",
        appellant=BLOCKED_APPELLANT,
        filed_on=_day("2020-02-03"),
    )
    appeal_conclude(case=blocked, actor=clerk, result="upheld", concluded_on=_day("2020-04-02"))
    blocked.refresh_from_db()
    after = litigation_register(
        agency=sfj,
        actor=clerk,
        court="示范县人民法院",
        appellant=BLOCKED_APPELLANT,
        filed_on=_day("2020-05-02"),
        route="after_reconsideration",
        reconsideration=blocked,
    )
    # concluded in 2023: not due yet
    frozen("2023-06-01")
    recent = litigation_register(
        agency=sfj,
        actor=clerk,
        court="示范县人民法院",
        appellant=RECENT_PLAINTIFF,
        filed_on=_day("2023-01-05"),
        route="direct",
        notes=f"{RECENT_PLAINTIFF}的代理人",
    )
    appeal_conclude(case=recent, actor=clerk, result="upheld", concluded_on=_day("2023-05-05"))
    frozen("2026-03-02")
    return {
        "rev": rev,
        "lit": lit,
        "org": org,
        "pending": pending,
        "blocked": blocked,
        "after": after,
        "recent": recent,
    }


@pytest.fixture
def letters(sfj, people, frozen):
    """Messages replied in 2020 (due), one of 2020 replied late in 2023 and one of 2024."""
    clerk, head = people["sfj_clerk"], people["sfj_head"]

    def submit(name, contact, when, subject="咨询", body="请问如何申请？", agrees=False):
        return messages.message_submit(
            agency=sfj,
            writer_name=name,
            contact=contact,
            subject=subject,
            body=body,
            agrees_to_publish=agrees,
            now=when,
        )

    def reply(message, text, when):
        return messages.message_reply(actor=clerk, message=message, reply=text, now=when)

    frozen("2020-04-01")
    old = submit(
        WRITER,
        WRITER_PHONE,
        _at(2020, 3, 2, 9),
        subject=f"{WRITER}咨询法律援助",
        body=f"我是{WRITER}，电话{WRITER_PHONE}，邮箱{WRITER_EMAIL}，请问如何申请法律援助？",
        agrees=True,
    )
    old = reply(old, f"{WRITER}您好：请携带身份证到法律援助中心申请。", _at(2020, 3, 4, 15))
    messages.message_publish(actor=head, message=old, now=_at(2020, 3, 5, 9))
    again = reply(submit(WRITER, WRITER_PHONE, _at(2020, 6, 1, 9)), "您好。", _at(2020, 6, 9, 9))
    # the same person writes twice in 2020: one reply is old, the other was given in 2023
    repeat_old = reply(
        submit(*REPEAT_WRITER, _at(2020, 7, 1, 9)), "已转交有关科室。", _at(2020, 7, 2, 9)
    )
    repeat_late = submit(*REPEAT_WRITER, _at(2020, 8, 3, 9))
    unanswered = submit("上官未复", "13511110000", _at(2020, 9, 1, 9))
    frozen("2023-01-05")
    repeat_late = reply(repeat_late, "答复迟了，抱歉。", _at(2023, 1, 5, 9))
    frozen("2024-05-06")
    recent = reply(submit(*RECENT_WRITER, _at(2024, 5, 6, 9)), "您好，已收悉。", _at(2024, 5, 7, 9))
    frozen("2026-03-02")
    return {
        "old": old,
        "again": again,
        "repeat_old": repeat_old,
        "repeat_late": repeat_late,
        "unanswered": unanswered,
        "recent": recent,
    }


def _table4(agency) -> dict[int, dict]:
    return {year: table4(Scope(agency), year) for year in range(2018, 2027)}


def _figures(agency) -> dict[int, tuple]:
    return {
        year: (
            message_year_figures(agency=agency, year=year),
            message_year_figures(agency=agency, year=year, region=True),
            figures_for(agency=agency, region=False, year=year),
        )
        for year in range(2019, 2027)
    }


def _dump() -> str:
    return json.dumps(db_snapshot(), ensure_ascii=False, default=str)


def test_concluded_appeals_lose_their_appellants_and_table_4_stays(sfj, appeals):
    before = _table4(sfj)
    assert sum(sum(cells) for t4 in before.values() for cells in t4.values()) > 0
    assert all(secret in _dump() for secret in [APPELLANT, APPELLANT_PHONE, PLAINTIFF])
    # when
    result = anonymise_closed_cases(years=5)
    # then: the three cases concluded in 2020 without anything pending after them
    assert result.problems == []
    assert sorted(result.appeals["行政复议"]) == sorted([appeals["rev"].pk, appeals["org"].pk])
    assert result.appeals["行政诉讼"] == [appeals["lit"].pk]
    assert _table4(sfj) == before
    dump = _dump()
    assert [s for s in (APPELLANT, APPELLANT_PHONE, PLAINTIFF, PLAINTIFF_ID) if s in dump] == []
    rev = Reconsideration.objects.get(pk=appeals["rev"].pk)
    assert rev.appellant == ANONYMISED and rev.notes == ""
    assert rev.result_note == f"维持被申请人对{ANONYMISED}作出的告知"
    assert rev.anonymised_on == _day("2026-03-02")
    assert rev.case_number == "示府复〔2020〕3号" and rev.result == "upheld"
    lit = Litigation.objects.get(pk=appeals["lit"].pk)
    assert lit.appellant == ANONYMISED and "重新答复" in lit.result_note
    # an organisation keeps its name
    org = Reconsideration.objects.get(pk=appeals["org"].pk)
    assert org.appellant == appeals["org"].appellant and org.anonymised_on
    # the audit events of the case are scrubbed, its registration still readable
    events = AuditEvent.objects.filter(
        subject_type="appeals.reconsideration", subject_id=str(rev.pk)
    )
    edit = events.get(action="reconsideration.corrected")
    assert edit.data["after"]["appellant"] == ANONYMISED
    assert edit.data["after"]["notes"] == f"联系电话{ANONYMISED}"
    assert events.get(action="reconsideration.registered").data["after"]["case_number"]
    # pending, blocked and recent cases are untouched
    for key, name in (
        ("pending", PENDING_APPELLANT),
        ("blocked", BLOCKED_APPELLANT),
        ("after", BLOCKED_APPELLANT),
        ("recent", RECENT_PLAINTIFF),
    ):
        case = type(appeals[key]).objects.get(pk=appeals[key].pk)
        assert case.appellant == name and case.anonymised_on is None
    assert Litigation.objects.get(pk=appeals["recent"].pk).notes == f"{RECENT_PLAINTIFF}的代理人"
    summary = AuditEvent.objects.get(action="appeal.retention.anonymised")
    assert summary.data["after"]["cases"] == 3
    # a second run finds nothing left to do and changes nothing
    done = db_snapshot()
    again = anonymise_closed_cases(years=5)
    assert again.appeals_due == {"行政复议": 0, "行政诉讼": 0} and again.appeals_done == 0
    assert db_snapshot() == done


def test_replied_messages_lose_their_writers_and_the_figures_stay(sfj, letters):
    before = _figures(sfj)
    figures_2020 = before[2020][0]
    assert (figures_2020.messages, figures_2020.people, figures_2020.replied) == (5, 3, 4)
    assert all(secret in _dump() for secret in (WRITER, WRITER_PHONE, WRITER_EMAIL))
    received = AuditEvent.objects.get(
        action="public_message.received", subject_id=str(letters["old"].pk)
    )
    assert WRITER in received.data["after"]["subject"] and WRITER in received.subject_label
    # when
    result = anonymise_closed_cases(years=5)
    # then: the three messages replied to in 2020, and only them
    assert result.problems == []
    assert sorted(result.messages) == sorted(letters[k].pk for k in ("old", "again", "repeat_old"))
    assert _figures(sfj) == before
    dump = _dump()
    assert [s for s in (WRITER, WRITER_PHONE, WRITER_EMAIL) if s in dump] == []
    old = PublicMessage.objects.get(pk=letters["old"].pk)
    assert old.writer_name == ANONYMISED and old.contact == ""
    assert old.body == (
        f"我是{ANONYMISED}，电话{ANONYMISED}，邮箱{ANONYMISED}，请问如何申请法律援助？"
    )
    assert old.reply == f"{ANONYMISED}您好：请携带身份证到法律援助中心申请。"
    assert old.anonymised_on == _day("2026-03-02")
    # the published Q&A stays on the portal, scrubbed
    assert [m.pk for m in message_list_public()] == [old.pk]
    # its audit events are scrubbed
    received.refresh_from_db()
    assert received.data["after"]["subject"] == f"{ANONYMISED}咨询法律援助"
    assert WRITER not in received.subject_label
    # the same person's late-replied message of 2020, the unanswered one and 2024's stay
    repeat_late = PublicMessage.objects.get(pk=letters["repeat_late"].pk)
    assert (repeat_late.writer_name, repeat_late.contact) == REPEAT_WRITER
    assert PublicMessage.objects.get(pk=letters["unanswered"].pk).contact == "13511110000"
    recent = PublicMessage.objects.get(pk=letters["recent"].pk)
    assert (recent.writer_name, recent.contact) == RECENT_WRITER and recent.anonymised_on is None
    summary = AuditEvent.objects.get(action="public_message.retention.anonymised")
    assert summary.data["after"]["messages"] == 3
    # a second run finds nothing left to do and changes nothing
    done = db_snapshot()
    again = anonymise_closed_cases(years=5)
    assert again.messages_due == 0 and again.messages == []
    assert db_snapshot() == done


def test_the_command_counts_appeals_and_messages_on_a_dry_run(sfj, appeals, letters):
    snapshot = db_snapshot()
    out = io.StringIO()
    call_command("anonymise_closed_cases", "--years", "5", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "2021-03-02 以前审结的案件共 3 件待匿名化（行政复议 2 件，行政诉讼 1 件" in text
    assert "2021-03-02 以前答复的网民留言共 3 条待匿名化" in text
    assert db_snapshot() == snapshot
    call_command("anonymise_closed_cases", "--years", "5", stdout=out)
    text = out.getvalue()
    assert "以前审结的案件已匿名化 3 件" in text and "以前答复的网民留言已匿名化 3 条" in text
    assert [s for s in SECRETS if s in _dump()] == []
    done = db_snapshot()
    out = io.StringIO()
    call_command("anonymise_closed_cases", "--years", "5", stdout=out)
    assert "已匿名化 0 件" in out.getvalue() and "已匿名化 0 条" in out.getvalue()
    assert db_snapshot() == done
