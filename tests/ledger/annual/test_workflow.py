"""The annual report workspace: assemble, narrative, checks, sign-off, publication, lock."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core.models import AuditEvent
from gongkai.ledger.annual import services
from gongkai.ledger.annual.models import AnnualReportRecord
from gongkai.ledger.annual.narrative import fill, placeholders
from gongkai.statutory.checks import Severity
from gongkai.statutory.formats import Col, RowKey

pytestmark = pytest.mark.django_db


def _user(name):
    return get_user_model().objects.get(username=name)


@pytest.fixture
def record(platform):
    return services.annual_report_assemble(
        actor=_user("sfj_clerk"), agency=platform["shifanxian-sfj"], year=2025
    )


def test_fill_replaces_known_placeholders_and_reports_unknown_ones():
    filled = fill("收到申请{{本年新收申请}}件，{{没有这个}}。", {"本年新收申请": 6})
    assert filled.text == "收到申请6件，{{没有这个}}。"
    assert filled.unknown == ("没有这个",)
    assert placeholders("{{年度}}年{{ 机关 }}") == ("年度", "机关")


def test_assembling_builds_every_section_and_audits(record):
    report = services.report_of(record)
    assert report.year == 2025 and report.agency == "示范县司法局"
    assert all(report.section(n) for n in range(1, 7))
    assert "信息处理费" in report.section(6)
    assert "{{" not in report.narrative
    assert AuditEvent.objects.filter(action="annual.assembled", subject_id=str(record.pk)).exists()


def test_narrative_figures_agree_with_the_tables(record):
    """Rule M-05 stays quiet on the generated narrative."""
    assert [f for f in services.record_findings(record) if f.rule == "M-05"] == []


def test_reassembling_shows_what_changed(record, platform):
    data = dict(record.data)
    data["table3"] = {**data["table3"], "NEW": [9, 0, 0, 0, 0, 0, 9]}
    AnnualReportRecord.objects.filter(pk=record.pk).update(data=data)
    again = services.annual_report_assemble(
        actor=_user("sfj_clerk"), agency=platform["shifanxian-sfj"], year=2025
    )
    assert {
        "table": "table3",
        "key": "NEW",
        "before": [9, 0, 0, 0, 0, 0, 9],
        "after": data["table3"]["NEW"] and again.data["table3"]["NEW"],
    } in again.changes


def _plant_error(record):
    report = services.report_of(record).with_cell(RowKey.O1, Col.NP, 5)
    AnnualReportRecord.objects.filter(pk=record.pk).update(data=report.to_dict())
    record.refresh_from_db()


def test_an_error_blocks_review_and_sign_off(record):
    _plant_error(record)
    errors = [f for f in services.record_findings(record) if f.severity == Severity.ERROR]
    assert {f.rule for f in errors} >= {"A-01"}
    with pytest.raises(ValidationError):
        services.annual_report_review(actor=_user("sfj_clerk"), record=record)
    record.refresh_from_db()
    assert record.status == AnnualReportRecord.Status.DRAFT


def test_the_whole_way_to_publication(record, platform):
    clerk, head = _user("sfj_clerk"), _user("sfj_head")
    services.annual_report_review(actor=clerk, record=record)
    for finding in services.sign_off_state(record).unacknowledged:
        services.finding_acknowledge(
            actor=clerk,
            record=record,
            key=services.finding_key(finding),
            rule=finding.rule,
            reason="已核实",
        )
    with pytest.raises(PermissionDenied):
        services.annual_report_sign(actor=clerk, record=record)
    services.annual_report_sign(actor=head, record=record)
    services.annual_report_publish(actor=head, record=record)
    record.refresh_from_db()
    assert record.is_published and record.published_data["published_on"]
    assert services.year_is_locked(agency=platform["shifanxian-sfj"], year=2025)
    assert not services.year_is_locked(agency=platform["shifanxian-sfj"], year=2024)
    with pytest.raises(ValidationError):
        services.annual_report_assemble(actor=clerk, agency=platform["shifanxian-sfj"], year=2025)


def test_unacknowledged_warnings_block_signing(record, monkeypatch):
    from gongkai.statutory.checks import Finding

    warning = Finding(rule="Y-06", severity=Severity.WARNING, message="正文与上年高度相似")
    monkeypatch.setattr(services, "record_findings", lambda r: [warning])
    services.annual_report_review(actor=_user("sfj_clerk"), record=record)
    with pytest.raises(ValidationError, match="提示未确认"):
        services.annual_report_sign(actor=_user("sfj_head"), record=record)
    services.finding_acknowledge(
        actor=_user("sfj_clerk"),
        record=record,
        key=services.finding_key(warning),
        rule="Y-06",
        reason="工作延续",
    )
    services.annual_report_sign(actor=_user("sfj_head"), record=record)


def test_a_stale_edit_is_refused_and_nothing_is_overwritten(record):
    version = record.version
    services.annual_report_update_section(
        actor=_user("sfj_clerk"),
        record=record,
        number=5,
        template="第一次修改。",
        frozen=False,
        expected_version=version,
    )
    stale = AnnualReportRecord.objects.get(pk=record.pk)
    with pytest.raises(services.StaleEdit):
        services.annual_report_update_section(
            actor=_user("sfj_clerk"),
            record=stale,
            number=5,
            template="过期的修改。",
            frozen=False,
            expected_version=version,
        )
    record.refresh_from_db()
    assert record.narrative["5"]["template"] == "第一次修改。"


def test_a_frozen_section_no_longer_follows_the_data(record):
    services.annual_report_update_section(
        actor=_user("sfj_clerk"),
        record=record,
        number=1,
        template="共收到申请{{本年新收申请}}件。",
        frozen=True,
        expected_version=record.version,
    )
    assert record.narrative["1"]["text"] == "共收到申请0件。"
    data = dict(record.data)
    record.narrative["1"]["template"] = "共收到申请{{本年新收申请}}件。"
    again = services.annual_report_assemble(
        actor=_user("sfj_clerk"), agency=record.agency, year=2025
    )
    assert services.report_of(again).section(1) == "共收到申请0件。"
    assert data


def test_region_report_only_for_a_government(platform):
    with pytest.raises(ValidationError):
        services.annual_report_assemble(
            actor=_user("zwgkb"), agency=platform["shifanxian-sfj"], year=2025, scope="region"
        )


def test_deadline_is_31_january_for_departments_and_31_march_for_governments(platform):
    from gongkai.ledger.annual.selectors import annual_reminder

    bureau = annual_reminder(agency=platform["shifanxian-sfj"], today=dt.date(2026, 1, 20))
    assert bureau.deadline == dt.date(2026, 1, 31) and bureau.days_left == 11
    county = annual_reminder(agency=platform["shifanxian"], today=dt.date(2026, 1, 20))
    assert county.deadline == dt.date(2026, 3, 31)


def test_after_publication_the_reminder_moves_to_the_next_report(record, platform):
    from gongkai.ledger.annual.selectors import annual_reminder

    clerk, head = _user("sfj_clerk"), _user("sfj_head")
    services.annual_report_review(actor=clerk, record=record)
    for finding in services.sign_off_state(record).unacknowledged:
        services.finding_acknowledge(
            actor=clerk,
            record=record,
            key=services.finding_key(finding),
            rule=finding.rule,
            reason="已核实",
        )
    services.annual_report_sign(actor=head, record=record)
    services.annual_report_publish(actor=head, record=record)
    reminder = annual_reminder(agency=platform["shifanxian-sfj"], today=dt.date(2026, 3, 1))
    assert reminder.year == 2026 and reminder.deadline == dt.date(2027, 1, 31)
    assert reminder.status == "未生成"


@pytest.fixture
def demo_year(platform):
    """The demo ledger (applications and appeals) of the justice bureau."""
    import io

    from gongkai.ledger.appeals.demo import load as load_appeals
    from gongkai.ledger.requests.demo import load as load_requests

    load_requests(io.StringIO())
    load_appeals(io.StringIO())
    return platform["shifanxian-sfj"]


def test_the_demo_year_assembles_without_errors_and_its_narrative_matches(demo_year):
    record = services.annual_report_assemble(actor=_user("sfj_clerk"), agency=demo_year, year=2025)
    report = services.report_of(record)
    assert report.cell(RowKey.NEW, Col.TOT) > 100
    findings = services.record_findings(record)
    assert [f for f in findings if f.severity == Severity.ERROR] == []
    assert [f for f in findings if f.rule == "M-05"] == []
    text = report.section(1)
    assert f"收到政府信息公开申请{report.cell(RowKey.NEW, Col.TOT)}件" in text
    assert "网络申请" in text


def test_the_region_report_sums_its_agencies(demo_year, platform):
    county = platform["shifanxian"]
    region = services.annual_report_assemble(
        actor=_user("zwgkb"), agency=county, year=2025, scope="region"
    )
    parts = [
        services.report_of(
            services.annual_report_assemble(actor=_user("zwgkb"), agency=a, year=2025)
        )
        for a in platform.values()  # the government's own cases and every agency under it
    ]
    total = services.report_of(region).cell(RowKey.NEW, Col.TOT)
    assert total == sum(p.cell(RowKey.NEW, Col.TOT) for p in parts) > 0
