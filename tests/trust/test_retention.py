"""Retention: closed cases lose their personal data after N years; the statistics do not move."""

from __future__ import annotations

import datetime as dt
import io
import json
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from gongkai.core.locks import job_lock
from gongkai.core.models import AuditEvent
from gongkai.ledger.requests import services
from gongkai.ledger.requests.aggregation import Scope, ledger_report
from gongkai.ledger.requests.models import Application, Attachment
from gongkai.ledger.requests.retention import (
    ANONYMISED,
    anonymise_closed_cases,
    scrub_text,
)
from gongkai.ledger.requests.validators import make_id_number
from tests.ledger.requests.factories import company_data, decide_and_serve, person_data, user
from tests.trust.conftest import db_snapshot

pytestmark = pytest.mark.django_db

# The old applicant's personal data: none of it may be left anywhere once the job has run.
OLD_ID = make_id_number("41010519700505771")
OLD = {
    "applicant_name": "欧阳明远",
    "id_number": OLD_ID,
    "phone": "13911112222",
    "email": "ouyang.mingyuan@example.cn",
    "address": "示范县幸福路88号3单元",
    "postal_code": "419001",
    "description": f"本人（身份证{OLD_ID}，电话13911112222）房屋征收补偿决定",
}
THIRD_PARTY = ("司马青云", "示范县和平街6号")
SECRETS = [
    OLD["applicant_name"],
    OLD_ID,
    OLD["phone"],
    OLD["email"],
    OLD["address"],
    THIRD_PARTY[0],
    THIRD_PARTY[1],
    "赵法人",
    "钱联系",
]


@pytest.fixture
def frozen(settings):
    """Move the platform's clock to a given day."""

    def _set(day: str) -> None:
        settings.GONGKAI_FROZEN_TODAY = day

    return _set


@pytest.fixture
def sfj(platform):
    from tests.ledger.requests.seed import ensure_reference_data

    ensure_reference_data()
    return platform["shifanxian-sfj"]


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.fixture
def ledger(sfj, frozen, data_dirs):
    """Cases of 2020 (closed: due in 2026 with 5 years), one of 2023, one still open."""
    frozen("2020-03-02")
    clerk = user("sfj_clerk")
    day = _day("2020-03-02")
    # a person, with an attachment, a third-party consultation and a 补正 round
    old = services.application_register(
        agency=sfj,
        actor=clerk,
        data=person_data(**OLD),
        channel="in_person",
        attachments=[SimpleUploadedFile("欧阳明远身份证.pdf", b"%PDF-1.4 id card scan")],
    )
    old = services.application_request_amendment(
        application=old,
        actor=clerk,
        items=f"请补充提供身份证复印件（{OLD_ID}）",
        period_end=_day("2020-03-16"),
    )
    old = services.application_receive_amendment(
        application=old, actor=clerk, received_on=day, note="欧阳明远当面补交"
    )
    old = services.application_consult(
        application=old,
        actor=clerk,
        kind="third_party",
        party=THIRD_PARTY[0],
        party_address=THIRD_PARTY[1],
        sent_on=day,
    )
    old = services.application_record_consultation_reply(
        application=old,
        actor=clerk,
        consultation_id=old.consultations.get().pk,
        opinion="agree",
        reply_on=day,
        opinion_text="司马青云同意公开",
    )
    old = decide_and_serve(old, served_on=day)
    # an organisation, and a portal application with a query password
    org = decide_and_serve(
        services.application_register(
            agency=sfj,
            actor=clerk,
            data=company_data(legal_representative="赵法人", contact_name="钱联系"),
            channel="in_person",
        ),
        served_on=day,
    )
    # a reconsideration of 2020 about the organisation's case (table 四)
    from gongkai.ledger.appeals.services import appeal_conclude, reconsideration_register

    appeal = reconsideration_register(
        agency=sfj,
        actor=clerk,
        body="示范县人民政府",
        appellant="示范科技有限公司",
        filed_on=day,
        applications=[org],
    )
    appeal_conclude(case=appeal, actor=clerk, result="upheld", concluded_on=day)
    online, password = services.application_submit_online(
        agency=sfj, data=person_data(**OLD), submission_token="old-online"
    )
    online = services.application_confirm_receipt(application=online, actor=clerk, confirmed_on=day)
    online = decide_and_serve(online, served_on=day, reply_type="not_exist")
    # a case of 2023 (not due yet) and one still open
    frozen("2023-06-01")
    recent = decide_and_serve(
        services.application_register(
            agency=sfj, actor=clerk, data=person_data(), channel="in_person"
        ),
        served_on=_day("2023-06-01"),
    )
    frozen("2026-03-02")
    still_open = services.application_register(
        agency=sfj, actor=clerk, data=person_data(), channel="in_person"
    )
    return {
        "old": old,
        "org": org,
        "online": (online, password),
        "recent": recent,
        "open": still_open,
    }


def _statistics(agency) -> dict[int, tuple]:
    """Tables 三 and 四 and the fee figures of every year the ledger touches."""
    out = {}
    for year in range(2019, 2027):
        tables = ledger_report(Scope(agency), year)
        out[year] = (tables.table3, tables.table4, tables.fees)
    return out


def _dump() -> str:
    return json.dumps(db_snapshot(), ensure_ascii=False, default=str)


def test_closed_cases_lose_every_personal_detail_and_the_statistics_stay(
    sfj, ledger, data_dirs, django_capture_on_commit_callbacks
):
    # given (the selectors module hashes a password when imported: import it once the test
    # settings' fast hasher is in place)
    from gongkai.ledger.requests.selectors import application_for_tracking

    old, org = ledger["old"], ledger["org"]
    online, password = ledger["online"]
    assert application_for_tracking(online.tracking_code, password) is not None
    files = [a.file.path for a in Attachment.objects.filter(application=old)]
    before = _statistics(sfj)
    assert any(sum(sum(row) for row in t4.values()) for _, t4, _ in before.values())
    assert all(secret in _dump() for secret in SECRETS)
    # when (the files are deleted once the case's transaction has committed)
    with django_capture_on_commit_callbacks(execute=True):
        result = anonymise_closed_cases(years=5)
    # then: the three cases of 2020, and only them
    assert sorted(result.anonymised) == sorted([old.pk, org.pk, online.pk])
    assert result.problems == []
    # the statistics of every year are unchanged
    assert _statistics(sfj) == before
    # nothing personal is left anywhere in the database
    dump = _dump()
    assert [s for s in SECRETS if s in dump] == []
    old.refresh_from_db()
    org.refresh_from_db()
    assert old.applicant_name == ANONYMISED and old.id_number == "" and old.phone == ""
    assert "房屋征收补偿决定" in old.description  # what was asked for stays
    assert org.applicant_name == "示范科技有限公司" and org.uscc  # not personal data
    assert org.legal_representative == "" and org.contact_name == ""
    # the files are gone, a placeholder row stays
    assert files and not any(os.path.exists(f) for f in files)
    placeholder = Attachment.objects.get(application=old)
    assert "保存期限" in placeholder.file.read().decode()
    # the portal lookup finds nothing any more
    assert application_for_tracking(online.tracking_code, password) is None
    # later and open cases are untouched
    assert (
        ledger["recent"].applicant_name
        == Application.objects.get(pk=ledger["recent"].pk).applicant_name
    )
    assert Application.objects.get(pk=ledger["open"].pk).phone == "13800138000"
    # one summary event
    summary = AuditEvent.objects.get(action="application.retention.anonymised")
    assert summary.data["after"]["applications"] == 3
    assert summary.data["after"]["by_agency"] == {"示范县司法局": 3}


def test_the_command_counts_on_a_dry_run_waits_for_the_lock_and_runs_once(
    sfj, ledger, data_dirs, settings, capsys
):
    snapshot = db_snapshot()
    # another run holds the lock: this one says so and does nothing
    with job_lock("anonymise_closed_cases"):
        call_command("anonymise_closed_cases", "--years", "5")
    assert "正在由另一个进程运行" in capsys.readouterr().err
    # a dry run only counts
    out = io.StringIO()
    call_command("anonymise_closed_cases", "--years", "5", "--dry-run", stdout=out)
    assert "共 3 件待匿名化" in out.getvalue() and "示范县司法局：3 件" in out.getvalue()
    assert db_snapshot() == snapshot
    # the period comes from the settings unless given
    settings.GONGKAI_RETENTION_YEARS = 7
    call_command("anonymise_closed_cases", stdout=out)
    assert "保存期限 7 年：2019-03-02 以前办结的申请已匿名化 0 件" in out.getvalue()
    assert db_snapshot() == snapshot
    settings.GONGKAI_RETENTION_YEARS = 2
    call_command("anonymise_closed_cases", stdout=out)
    assert Application.objects.filter(applicant_key__startswith="anonymised:").count() == 4
    # a second run finds nothing left to do and changes nothing
    done = db_snapshot()
    again = anonymise_closed_cases(years=2)
    assert again.anonymised == [] and again.due == 0
    assert db_snapshot() == done


def test_a_pending_appeal_keeps_the_case(sfj, ledger, data_dirs):
    from gongkai.ledger.appeals.services import reconsideration_register

    old = ledger["old"]
    reconsideration_register(
        agency=sfj,
        actor=user("sfj_clerk"),
        body="示范县人民政府",
        appellant="欧阳明远",
        filed_on=dt.date(2026, 2, 2),
        applications=[old],
    )
    result = anonymise_closed_cases(years=5)
    assert old.pk not in result.anonymised and len(result.anonymised) == 2


def test_scrubbing_free_text():
    text = "张三丰（110101199003071234，13812345678，zs@example.cn）住人民路1号"
    assert scrub_text(text, ["张三丰", "人民路1号"]) == (
        f"{ANONYMISED}（{ANONYMISED}，{ANONYMISED}，{ANONYMISED}）住{ANONYMISED}"
    )
