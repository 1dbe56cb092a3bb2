"""Annual report pages: permissions, the workspace, exports and the portal."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from gongkai.ledger.annual import services
from gongkai.ledger.annual.models import AnnualReportRecord

pytestmark = pytest.mark.django_db


def _publish(record):
    users = get_user_model().objects
    clerk, head = users.get(username="sfj_clerk"), users.get(username="sfj_head")
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
    return record


@pytest.mark.parametrize(
    "username,status",
    [("sfj_clerk", 200), ("sfj_head", 200), ("sfj_secrecy", 403), ("sfj_admin", 403)],
)
def test_who_may_open_the_workspace(client, platform, login, username, status):
    login(username)
    assert client.get(reverse("backoffice:annual:list")).status_code == status


def test_assemble_then_open_the_report(client, platform, login):
    login("sfj_clerk")
    response = client.post(
        reverse("backoffice:annual:assemble"),
        {"year": 2025, "agency": platform["shifanxian-sfj"].pk, "scope": "agency"},
    )
    record = AnnualReportRecord.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "backoffice:annual:detail", args=[record.pk]
    )
    page = client.get(response.url).content.decode()
    assert "示范县司法局2025年政府信息公开工作年度报告" in page
    assert "检查结果" in page and "三、收到和处理政府信息公开申请情况" in page


def test_another_agencys_report_is_not_found(client, platform, login):
    record = services.annual_report_assemble(
        actor=get_user_model().objects.get(username="zrzyj_clerk"),
        agency=platform["shifanxian-zrzyj"],
        year=2025,
    )
    login("sfj_clerk")
    assert client.get(reverse("backoffice:annual:detail", args=[record.pk])).status_code == 404


@pytest.mark.parametrize(
    "fmt,magic", [("pdf", b"%PDF"), ("docx", b"PK"), ("xlsx", b"PK"), ("json", b"{")]
)
def test_exports(client, platform, login, fmt, magic):
    login("sfj_clerk")
    record = services.annual_report_assemble(
        actor=get_user_model().objects.get(username="sfj_clerk"),
        agency=platform["shifanxian-sfj"],
        year=2025,
    )
    response = client.get(reverse("backoffice:annual:export", args=[record.pk, fmt]))
    assert response.status_code == 200 and response.content.startswith(magic)
    assert "attachment" in response["Content-Disposition"]


def test_portal_shows_only_published_reports(client, platform):
    record = services.annual_report_assemble(
        actor=get_user_model().objects.get(username="sfj_clerk"),
        agency=platform["shifanxian-sfj"],
        year=2025,
    )
    assert client.get(reverse("portal:annual:detail", args=[record.pk])).status_code == 404
    assert "示范县司法局2025年" not in client.get(reverse("portal:annual:list")).content.decode()
    _publish(record)
    listing = client.get(reverse("portal:annual:list")).content.decode()
    assert "示范县司法局2025年政府信息公开工作年度报告" in listing
    pdf = client.get(reverse("portal:annual:download", args=[record.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_dashboard_counts_down_to_the_deadline(client, platform, login, settings):
    settings.GONGKAI_FROZEN_TODAY = "2026-01-20"
    login("sfj_clerk")
    body = client.get(reverse("backoffice:dashboard")).content.decode()
    assert "2025年度政府信息公开工作年度报告" in body and "还有 <strong>11</strong> 天" in body


def test_trends_show_years_side_by_side_from_generated_and_imported_reports(
    client, platform, login
):
    import io

    from gongkai.ledger.requests.demo import load as load_requests
    from gongkai.rendering import render_text
    from gongkai.statutory.report import make_report

    load_requests(io.StringIO())
    users = get_user_model().objects
    clerk = users.get(username="sfj_clerk")
    bureau = platform["shifanxian-sfj"]
    services.annual_report_assemble(actor=clerk, agency=bureau, year=2025)
    earlier = make_report(
        agency="示范县司法局",
        year=2024,
        table3={
            "NEW": [5, 1, 0, 0, 0, 0, 6],
            "O1": [5, 1, 0, 0, 0, 0, 6],
            "OTOT": [5, 1, 0, 0, 0, 0, 6],
        },
    )
    services.annual_report_import(
        actor=clerk,
        agency=bureau,
        year=2024,
        data=render_text(earlier).encode(),
        filename="2024.txt",
    )
    login("sfj_clerk")
    page = client.get(reverse("backoffice:annual:trends")).content.decode()
    for title in ("依申请公开申请数量", "申请人类别（本年新收）", "办理结果", "每月新收申请"):
        assert title in page
    assert "2024年" in page and "2025年" in page and "<svg" in page
