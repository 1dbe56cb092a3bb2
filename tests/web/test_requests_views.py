"""Back office and portal views of 依申请公开 and appeals: permissions, wiring, messages."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.core.models import AuditEvent
from gongkai.ledger.requests.models import Application, LetterTemplate
from tests.ledger.requests.factories import (
    PERSON_ID,
    decide_and_serve,
    person_data,
    register,
    user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(settings):
    settings.GONGKAI_FROZEN_TODAY = "2026-03-02"
    cache.clear()


@pytest.fixture
def sfj(platform):
    from tests.ledger.requests.seed import ensure_reference_data

    ensure_reference_data()
    return platform["shifanxian-sfj"]


def test_work_list_is_scoped_and_case_pages_404_for_other_agencies(client, login, sfj, platform):
    mine = register(sfj)
    theirs = register(platform["shifanxian-zrzyj"], clerk="zrzyj_clerk", applicant_name="王五")
    login("sfj_clerk")
    body = client.get(reverse("backoffice:requests:list")).content.decode()
    assert mine.registration_no in body and "王五" not in body
    assert client.get(reverse("backoffice:requests:detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("backoffice:requests:detail", args=[99999])).status_code == 404


def test_roles_without_case_permissions_are_refused(client, login, sfj):
    login("sfj_secrecy")
    assert client.get(reverse("backoffice:requests:list")).status_code == 403


def test_list_filters(client, login, sfj):
    a = register(sfj)
    register(sfj, applicant_name="李四", description="示范县法律援助中心2025年度工作报告")
    login("sfj_clerk")
    url = reverse("backoffice:requests:list")
    assert "李四" not in client.get(url, {"q": a.registration_no}).content.decode()
    assert client.get(url, {"due": "overdue"}).context["total"] == 0
    assert client.get(url, {"due": "soon"}).context["total"] == 0
    assert (
        client.get(
            url, {"status": "open", "year": "2026", "category": "NP", "channel": "in_person"}
        ).context["total"]
        == 2
    )


def test_staff_register_through_the_form(client, login, sfj):
    login("sfj_clerk")
    data = person_data()
    data.update({"channel": "in_person", "submitted_on": "2026-03-02"})
    response = client.post(reverse("backoffice:requests:register"), data)
    assert response.status_code == 302
    app = Application.objects.get()
    assert app.registration_no == "依申请〔2026〕第0001号"
    bad = dict(data, id_number="410105198001011230")
    response = client.post(reverse("backoffice:requests:register"), bad)
    assert response.status_code == 200
    assert "校验位不正确" in response.content.decode()


def test_case_page_shows_only_the_actions_of_the_role(client, login, sfj):
    app = register(sfj)
    login("sfj_clerk")
    page = client.get(reverse("backoffice:requests:detail", args=[app.pk])).content.decode()
    assert "告知补正" in page and "批准延期答复" not in page and "签发答复" not in page
    assert "期限计算说明" in page and "登记申请" in page  # clock explanation and timeline
    login("sfj_head")
    page = client.get(reverse("backoffice:requests:detail", args=[app.pk])).content.decode()
    assert "告知补正" not in page


def test_action_post_changes_status_and_a_stale_form_is_refused(client, login, sfj):
    app = register(sfj)
    login("sfj_clerk")
    url = reverse("backoffice:requests:action", args=[app.pk, "request_amendment"])
    form = {
        "version": app.version,
        "items": "请写明年份",
        "notice_on": "2026-03-02",
        "period_end": "2026-03-16",
    }
    assert client.post(url, form).status_code == 302
    assert Application.objects.get(pk=app.pk).status == "awaiting_amendment"
    # the same (now stale) form again
    url2 = reverse("backoffice:requests:action", args=[app.pk, "receive_amendment"])
    response = client.post(url2, {"version": app.version, "received_on": "2026-03-02"})
    assert response.status_code == 409
    assert "已被其他人修改" in response.content.decode()
    assert Application.objects.get(pk=app.pk).status == "awaiting_amendment"


def test_letters_download_as_docx_and_pdf(client, login, sfj):
    app = register(sfj)
    receipt = app.letters.get(kind="receipt")
    login("sfj_clerk")
    docx = client.get(reverse("backoffice:requests:letter", args=[app.pk, receipt.pk, "docx"]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    pdf = client.get(reverse("backoffice:requests:letter", args=[app.pk, receipt.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"


def test_tables_page_links_each_cell_to_its_cases(client, login, sfj):
    app = register(sfj)
    decide_and_serve(
        app, reply_type="partial", grounds=("third_party",), served_on=date(2026, 3, 2)
    )
    login("sfj_clerk")
    response = client.get(reverse("backoffice:requests:tables"), {"year": 2026})
    assert response.status_code == 200
    body = response.content.decode()
    assert "部分公开（区分处理的，只计这一情形，不计其他情形）" in body
    link = re.search(r'href="([^"]*t3row=O2[^"]*t3col=NP[^"]*)"', body).group(1)
    listing = client.get(link.replace("&amp;", "&"))
    assert listing.context["total"] == 1
    assert (
        client.get(reverse("backoffice:requests:tables"), {"year": 2026, "format": "json"}).json()[
            "table3"
        ]["O2"][0]
        == 1
    )


def test_supervisor_sees_the_region_tables(client, login, platform):
    login("zwgkb")
    region = platform["shifanxian"]
    response = client.get(
        reverse("backoffice:requests:tables"), {"year": 2026, "agency": region.pk, "region": "1"}
    )
    assert response.status_code == 200 and "含所辖机关" in response.content.decode()


def test_export_masks_personal_data_for_clerks_and_is_audited(client, login, sfj):
    register(sfj)
    login("sfj_clerk")
    response = client.get(reverse("backoffice:requests:export"), {"year": 2026})
    ws = load_workbook(io.BytesIO(response.content))["台账"]
    header = [c.value for c in ws[1]]
    row = [c.value for c in ws[2]]
    assert row[header.index("身份证件号码")] == PERSON_ID[:6] + "*" * 8 + PERSON_ID[-4:]
    assert row[header.index("姓名或名称")] == "张*"
    assert AuditEvent.objects.filter(action="application.exported").count() == 1
    login("sfj_head")
    response = client.get(reverse("backoffice:requests:export"), {"year": 2026})
    ws = load_workbook(io.BytesIO(response.content))["台账"]
    assert [c.value for c in ws[2]][header.index("身份证件号码")] == PERSON_ID


def test_letter_templates_are_editable_by_administrators(client, login, sfj):
    login("sfj_clerk")
    assert client.get(reverse("backoffice:requests:letter_templates")).status_code == 403
    login("sfj_admin")
    url = reverse("backoffice:requests:letter_template", args=["receipt"])
    bad = client.post(url, {"title": "回执", "body": "${applicant}：${nonsense}"})
    assert "未知的占位符" in bad.content.decode()
    ok = client.post(url, {"title": "政府信息公开申请回执", "body": "${applicant}：\n已收到。"})
    assert ok.status_code == 302
    assert LetterTemplate.objects.get(agency=sfj, kind="receipt").body.endswith("已收到。")
    app = register(sfj)
    assert app.letters.get(kind="receipt").paragraphs == ["张三：", "已收到。"]


def test_dashboard_draws_charts(client, login, sfj):
    register(sfj)
    login("sfj_clerk")
    body = client.get(reverse("backoffice:requests:dashboard")).content.decode()
    assert "<svg" in body and "5个工作日内到期" in body


def test_appeals_register_and_conclude(client, login, sfj):
    app = decide_and_serve(register(sfj), served_on=date(2026, 3, 2))
    login("sfj_clerk")
    response = client.post(
        reverse("backoffice:appeals:create", args=["reconsideration"]),
        {
            "body": "示范县人民政府",
            "appellant": "张三",
            "filed_on": "2026-03-02",
            "applications": [app.pk],
        },
    )
    assert response.status_code == 302
    detail = response.url
    response = client.post(
        detail,
        {
            "version": 1,
            "result": "corrected",
            "concluded_on": "2026-03-02",
            "reopen_applications": "on",
        },
    )
    assert response.status_code == 302
    assert Application.objects.get(pk=app.pk).status == "in_progress"
    listing = client.get(
        reverse("backoffice:appeals:list"), {"year": 2026, "group": "REV", "cell": "CORRECT"}
    )
    assert len(listing.context["cases"]) == 1


# -- portal --------------------------------------------------------------------------------


def _apply(client, sfj, **overrides):
    page = client.get(reverse("portal:requests:apply", args=[sfj.slug]))
    token = page.context["form"]["submission_token"].value()
    data = person_data(**overrides)
    data["submission_token"] = token
    return client.post(reverse("portal:requests:apply", args=[sfj.slug]), data), data


def test_portal_application_shows_the_credentials_once(client, sfj):
    response, data = _apply(client, sfj)
    assert response.status_code == 302
    done = client.get(response.url).content.decode()
    app = Application.objects.get()
    assert app.tracking_code in done and "查询密码只显示这一次" in done
    assert "查询密码只显示这一次" not in client.get(response.url).content.decode()
    # the same form posted again does not create a second application
    again = client.post(reverse("portal:requests:apply", args=[sfj.slug]), data)
    assert again.status_code == 302 and Application.objects.count() == 1


def test_portal_form_validates_in_chinese(client, sfj):
    response, _ = _apply(client, sfj, id_number="410105198001011230", phone="12345")
    body = response.content.decode()
    assert response.status_code == 200
    assert "校验位不正确" in body and "联系电话格式不正确" in body
    assert Application.objects.count() == 0


def test_portal_credit_code_is_checked(client, sfj):
    from gongkai.ledger.requests.models import OrganisationType

    org = OrganisationType.objects.get(name="基金会")
    response, _ = _apply(
        client,
        sfj,
        applicant_type="organisation",
        applicant_name="示范基金会",
        organisation_type=org.pk,
        uscc="53410100MJ0000000X",
    )
    assert "统一社会信用代码" in response.content.decode()


def test_tracking_says_the_same_for_wrong_code_and_wrong_password(client, sfj):
    from gongkai.ledger.requests.services import application_submit_online

    app, password = application_submit_online(agency=sfj, data=person_data(), submission_token="t")
    url = reverse("portal:requests:track")
    wrong_code = client.post(url, {"code": "AAAA-BBBB-CCCC", "password": password})
    wrong_password = client.post(url, {"code": app.tracking_code, "password": "nope"})
    assert wrong_code.status_code == wrong_password.status_code == 404
    assert "查询码或查询密码不正确" in wrong_code.content.decode()
    assert "查询码或查询密码不正确" in wrong_password.content.decode()
    ok = client.post(url, {"code": app.tracking_code.lower(), "password": password})
    assert ok.status_code == 302
    assert "已提交，待工作机构确认收到" in client.get(ok.url).content.decode()


def test_tracking_is_rate_limited(client, sfj):
    url = reverse("portal:requests:track")
    codes = [
        client.post(url, {"code": f"AAAA-BBBB-CCC{i % 10}", "password": "x"}).status_code
        for i in range(12)
    ]
    assert codes[-1] == 429


def test_status_page_offers_the_reply_only_once_served(client, sfj):
    from gongkai.ledger.requests import services

    app, password = services.application_submit_online(
        agency=sfj, data=person_data(), submission_token="t"
    )
    app = services.application_confirm_receipt(
        application=app, actor=user("sfj_clerk"), confirmed_on=date(2026, 3, 2)
    )
    app = services.application_draft_decision(
        application=app, actor=user("sfj_clerk"), reply_type="granted"
    )
    app = services.application_sign_decision(application=app, actor=user("sfj_head"))
    client.post(reverse("portal:requests:track"), {"code": app.tracking_code, "password": password})
    status = client.get(reverse("portal:requests:status")).content.decode()
    reply = app.letters.get(is_reply=True)
    assert reply.title not in status
    assert client.get(reverse("portal:requests:letter", args=[reply.pk])).status_code == 404
    services.application_serve_reply(
        application=app, actor=user("sfj_clerk"), served_on=date(2026, 3, 2), method="electronic"
    )
    status = client.get(reverse("portal:requests:status")).content.decode()
    assert reply.title in status
    pdf = client.get(reverse("portal:requests:letter", args=[reply.pk]))
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"


def test_portal_agency_choice_lists_agencies(client, sfj):
    body = client.get(reverse("portal:requests:choose_agency")).content.decode()
    assert "示范县司法局" in body and reverse("portal:requests:apply", args=[sfj.slug]) in body


def test_import_page_reports_the_bad_row_and_imports_nothing(client, login, sfj):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.ledger.requests.test_xlsx import good_row, workbook

    data = workbook([good_row(), good_row(**{"联系电话": "12345"})])
    login("sfj_clerk")
    upload = SimpleUploadedFile("台账.xlsx", data)
    response = client.post(reverse("backoffice:requests:import"), {"file": upload})
    body = response.content.decode()
    assert response.status_code == 400
    assert "未导入任何数据" in body and "第3行" in body and "联系电话格式不正确" in body
    assert Application.objects.count() == 0
    upload = SimpleUploadedFile("台账.xlsx", workbook([good_row()]))
    response = client.post(reverse("backoffice:requests:import"), {"file": upload})
    assert response.status_code == 200 and Application.objects.count() == 1


def test_a_bad_table_cell_in_the_work_list_is_ignored_not_an_error(client, login, sfj):
    login("sfj_clerk")
    response = client.get(reverse("backoffice:requests:list") + "?t3row=NOPE&t3col=X&t3year=2025")
    assert response.status_code == 200


def test_tables_page_heads_table_four_with_the_statutory_labels(client, login, sfj):
    from gongkai.statutory.formats import TABLE4_CELL_LABELS

    login("sfj_clerk")
    body = client.get(reverse("backoffice:requests:tables") + "?year=2025").content.decode()
    assert all(label in body for label in TABLE4_CELL_LABELS.values())
