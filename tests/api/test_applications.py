"""Applications through the API: the back office's scoping, permissions, masking and services."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.core.models import AuditEvent
from gongkai.ledger.requests.models import Application
from tests.ledger.requests.factories import PERSON_ID, person_data, register

pytestmark = pytest.mark.django_db

LIST = "/api/applications/"


def detail_url(app) -> str:
    return reverse("api:application-detail", args=[app.pk])


def action_url(app, action: str) -> str:
    return reverse(f"api:application-{action}", args=[app.pk])


def test_the_list_shows_only_the_users_agencies(api, case, platform):
    """A clerk sees their bureau's cases; a clerk of another bureau sees none of them."""
    # given
    other = register(platform["shifanxian-zrzyj"], clerk="zrzyj_clerk")
    # when
    own = api("sfj_clerk").get(LIST).json()
    theirs = api("zrzyj_clerk").get(LIST).json()
    # then
    assert [row["id"] for row in own["results"]] == [case.pk]
    assert [row["id"] for row in theirs["results"]] == [other.pk]
    assert own["count"] == 1 and own["results"][0]["registration_no"] == case.registration_no


def test_the_supervising_office_sees_the_region_with_masked_names(api, case):
    body = api("zwgkb").get(LIST).json()
    assert body["results"][0]["applicant_name"] == "张*"
    assert api("sfj_clerk").get(LIST).json()["results"][0]["applicant_name"] == "张三"


def test_list_filters_are_the_work_lists(api, case, sfj):
    # given: a second case, about something else, already answered
    register(sfj, description="2024年度行政复议案件统计表")
    client = api("sfj_clerk")
    # when / then
    found = client.get(LIST, {"q": "法律援助"}).json()
    assert [r["id"] for r in found["results"]] == [case.pk]
    assert client.get(LIST, {"status": "closed"}).json()["count"] == 0
    assert client.get(LIST, {"status": "open", "year": case.received_on.year}).json()["count"] == 2


def test_an_invalid_filter_is_a_400_in_chinese(api, case):
    response = api("sfj_clerk").get(LIST, {"status": "nonsense", "t3col": "XX"})
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "提交的数据有误，请按提示修改。"
    assert "不是合法选项" in body["errors"]["status"][0]


def test_roles_without_case_access_are_refused(api, case):
    assert api("sfj_secrecy").get(LIST).status_code == 403
    assert api("sfj_admin").get(detail_url(case)).status_code == 403
    assert api("sfj_secrecy").get(LIST).json()["detail"] == "您没有执行此操作的权限。"


def test_a_foreign_case_and_a_missing_case_get_the_same_404(api, case):
    client = api("zrzyj_clerk")
    foreign = client.get(detail_url(case))
    missing = client.get(reverse("api:application-detail", args=[case.pk + 10_000]))
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json() == {"detail": "未找到该申请"}


def test_personal_data_is_masked_unless_the_user_may_see_it(api, case):
    clerk = api("sfj_clerk").get(detail_url(case)).json()
    head = api("sfj_head").get(detail_url(case)).json()
    assert clerk["personal_data_masked"] is True
    assert clerk["id_number"] == PERSON_ID[:6] + "********" + PERSON_ID[-4:]
    assert clerk["phone"] == "138****8000"
    assert clerk["email"] == "z***@example.cn"
    assert clerk["address"] == "示范县****"
    assert head["personal_data_masked"] is False
    assert head["id_number"] == PERSON_ID and head["phone"] == "13800138000"
    assert "request_amendment" in clerk["available_actions"]
    assert "approve_extension" not in clerk["available_actions"]


def test_registering_goes_through_the_service(api, sfj):
    # when
    response = api("sfj_clerk").post(LIST, {**person_data(), "channel": "in_person"}, format="json")
    # then
    assert response.status_code == 201, response.json()
    app = Application.objects.get(pk=response.json()["id"])
    assert response["Location"].endswith(detail_url(app))
    assert app.status == "in_progress" and app.source == "staff"
    assert app.letters.filter(kind="receipt").exists()
    assert AuditEvent.objects.filter(
        action="application.registered", subject_id=str(app.pk)
    ).exists()


def test_registration_errors_are_field_by_field_in_chinese(api, sfj):
    bad = {**person_data(id_number="410105198001011230"), "channel": "in_person"}
    bad.pop("description")
    response = api("sfj_clerk").post(LIST, bad, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["description"] == ["这个字段是必填项。"]
    response = api("sfj_clerk").post(
        LIST, {**person_data(id_number="410105198001011230"), "channel": "in_person"}, format="json"
    )
    assert response.json()["errors"]["id_number"] == [
        "居民身份证号码校验位不正确，请核对后重新填写。"
    ]
    assert Application.objects.count() == 0


def test_only_roles_that_register_may_register(api, sfj):
    payload = {**person_data(), "channel": "in_person"}
    assert api("sfj_reviewer").post(LIST, payload, format="json").status_code == 403
    refused = api("platform_admin").post(LIST, payload, format="json")
    assert refused.status_code == 403
    assert "平台管理员" in refused.json()["detail"]


def test_an_action_moves_the_case_and_a_stale_version_is_a_409(api, case):
    # given
    client = api("sfj_clerk")
    payload = {
        "version": case.version,
        "items": "请提供身份证明复印件",
        "period_end": "2099-01-01",
    }
    # when
    done = client.post(action_url(case, "request-amendment"), payload, format="json")
    stale = client.post(
        action_url(case, "propose-extension"),
        {"version": case.version, "reason": "需要调阅档案"},
        format="json",
    )
    # then
    assert done.status_code == 200, done.json()
    assert done.json()["status"] == "awaiting_amendment"
    assert done.json()["version"] == case.version + 1
    assert stale.status_code == 409
    assert "已被其他人修改" in stale.json()["detail"]
    case.refresh_from_db()
    assert case.extension_state == "none"


def test_an_action_in_the_wrong_status_is_a_400_in_chinese(api, case):
    response = api("sfj_clerk").post(
        action_url(case, "serve-reply"),
        {"version": case.version, "served_on": case.received_on.isoformat(), "method": "direct"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "当前状态“办理中”下不能执行“登记送达”。"


def test_an_action_needs_its_transition_permission(api, case):
    response = api("sfj_clerk").post(
        action_url(case, "approve-extension"), {"version": case.version}, format="json"
    )
    assert response.status_code == 403
    missing_version = api("sfj_head").post(action_url(case, "approve-extension"), {}, format="json")
    assert missing_version.status_code == 400
    assert missing_version.json()["errors"]["version"] == ["这个字段是必填项。"]


def test_a_case_can_be_decided_and_served_through_the_api(api, case):
    clerk, head = api("sfj_clerk"), api("sfj_head")
    body = clerk.post(
        action_url(case, "draft-decision"),
        {"version": case.version, "reply_type": "granted", "decision_text": "现予以公开。"},
        format="json",
    ).json()
    assert body["status"] == "decision_review"
    body = head.post(
        action_url(case, "sign-decision"), {"version": body["version"]}, format="json"
    ).json()
    assert body["status"] == "decided"
    served = clerk.post(
        action_url(case, "serve-reply"),
        {"version": body["version"], "served_on": body["received_on"], "method": "direct"},
        format="json",
    )
    assert served.status_code == 200, served.json()
    assert served.json()["status"] == "closed" and served.json()["outcome_row"] == "O1"


def test_patch_edits_the_applicant_with_optimistic_locking(api, case):
    client = api("sfj_clerk")
    ok = client.patch(
        detail_url(case), {"version": case.version, "phone": "13900139000"}, format="json"
    )
    assert ok.status_code == 200, ok.json()
    case.refresh_from_db()
    assert case.phone == "13900139000"
    stale = client.patch(detail_url(case), {"version": 1, "phone": "13700137000"}, format="json")
    assert stale.status_code == 409
    assert client.patch(detail_url(case), {"phone": "1"}, format="json").status_code == 400
    assert api("sfj_reviewer").patch(detail_url(case), {"version": 2}).status_code == 403
