"""Services of a case's life: each action changes status, the clock and the audit log together."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from gongkai.core.models import AuditEvent
from gongkai.ledger.requests import services
from gongkai.ledger.requests.models import Application, Letter
from gongkai.ledger.requests.services.base import available_actions
from gongkai.ledger.requests.transitions import Action
from gongkai.statutory.workdays import default_calendar

from .factories import company_data, decide_and_serve, person_data, register, user

pytestmark = pytest.mark.django_db

CAL = default_calendar()


def events(app, action=None):
    qs = AuditEvent.objects.filter(subject_type="requests.application", subject_id=str(app.pk))
    return list(qs.filter(action=action)) if action else list(qs)


def test_registering_numbers_the_application_and_starts_the_clock(frozen, sfj):
    # when
    app = register(sfj)
    second = register(sfj, applicant_name="李四", description="2025年行政复议案件统计数据")
    # then
    assert app.registration_no == "依申请〔2026〕第0001号"
    assert second.registration_no == "依申请〔2026〕第0002号"
    assert app.status == "in_progress"
    assert app.received_on == date(2026, 3, 2)
    assert app.due_on == CAL.add_workdays(date(2026, 3, 2), 20) == date(2026, 3, 30)
    assert app.category == "NP"
    receipt = app.letters.get(kind="receipt")
    assert receipt.number == app.registration_no and "2026年3月2日" in "".join(receipt.paragraphs)
    assert len(events(app, "application.registered")) == 1


def test_organisation_category_comes_from_the_configurable_table(frozen, sfj):
    from gongkai.ledger.requests.models import OrganisationType

    law_firm = OrganisationType.objects.get(name="律师事务所")
    app = services.application_register(
        agency=sfj,
        actor=user("sfj_clerk"),
        channel="registered_post",
        signed_on=date(2026, 2, 27),
        data=company_data(applicant_name="示范律师事务所", organisation_type=law_firm),
    )
    assert app.category == "LAW"
    assert app.received_on == date(2026, 2, 27)


def test_invalid_identity_numbers_are_refused_in_chinese(frozen, sfj):
    with pytest.raises(services.ApplicationError, match="校验位"):
        register(sfj, id_number="410105198001011230")


def test_only_registrars_may_register(frozen, sfj):
    with pytest.raises(services.ActionNotAllowed):
        register(sfj, clerk="sfj_reviewer")


def test_online_application_waits_for_confirmation_and_is_idempotent(frozen, sfj):
    # given
    data = person_data()
    # when
    app, password = services.application_submit_online(
        agency=sfj, data=data, submission_token="tok-1"
    )
    again, again_password = services.application_submit_online(
        agency=sfj, data=data, submission_token="tok-1"
    )
    # then
    assert again.pk == app.pk and again_password is None and password
    assert Application.objects.count() == 1
    assert app.status == "submitted" and app.received_on is None and app.due_on is None
    assert app.tracking_code and app.query_password != password
    frozen("2026-03-03")
    app = services.application_confirm_receipt(
        application=app, actor=user("sfj_clerk"), confirmed_on=date(2026, 3, 3)
    )
    assert app.status == "in_progress" and app.received_on == date(2026, 3, 3)
    assert app.due_on == CAL.add_workdays(date(2026, 3, 3), 20)


def test_amendment_restarts_the_reply_period(frozen, sfj):
    app = register(sfj)
    clerk = user("sfj_clerk")
    app = services.application_request_amendment(
        application=app,
        actor=clerk,
        items="请写明所需信息的年份\n请提供身份证明",
        period_end=date(2026, 3, 16),
    )
    assert app.status == "awaiting_amendment"
    letter = app.letters.get(kind="amendment")
    assert "1. 请写明所需信息的年份" in letter.paragraphs
    frozen("2026-03-10")
    app = services.application_receive_amendment(
        application=app, actor=clerk, received_on=date(2026, 3, 10)
    )
    assert app.status == "in_progress"
    assert app.due_on == CAL.add_workdays(date(2026, 3, 10), 20)
    assert [e.action for e in events(app)].count("application.clock.due_changed") >= 1


def test_head_approves_extensions_and_the_clerk_cannot(frozen, sfj):
    app = register(sfj)
    app = services.application_propose_extension(
        application=app, actor=user("sfj_clerk"), reason="需要调取档案"
    )
    assert Action.APPROVE_EXTENSION not in available_actions(app, user("sfj_clerk"))
    assert Action.APPROVE_EXTENSION in available_actions(app, user("sfj_head"))
    with pytest.raises(services.ActionNotAllowed):
        services.application_approve_extension(application=app, actor=user("sfj_clerk"))
    app = services.application_approve_extension(application=app, actor=user("sfj_head"))
    assert app.extended_due_on == CAL.add_workdays(date(2026, 3, 2), 40)
    assert app.due_on == app.extended_due_on
    assert app.letters.filter(kind="extension").exists()


def test_consultation_pauses_the_clock(frozen, sfj):
    app = register(sfj)
    clerk = user("sfj_clerk")
    frozen("2026-03-04")
    app = services.application_consult(
        application=app,
        actor=clerk,
        kind="third_party",
        party="示范商贸有限公司",
        sent_on=date(2026, 3, 4),
        party_received_on=date(2026, 3, 5),
    )
    assert app.status == "consulting"
    frozen("2026-03-11")
    consultation = app.consultations.get()
    app = services.application_record_consultation_reply(
        application=app,
        actor=clerk,
        consultation_id=consultation.pk,
        opinion="object",
        reply_on=date(2026, 3, 11),
    )
    assert app.status == "in_progress"
    # 3/5, 3/6, 3/9, 3/10, 3/11 are not counted: the due date moves by five working days
    assert app.due_on == CAL.add_workdays(date(2026, 3, 30), 5)
    letter = Letter.objects.get(kind="consult_third_party")
    assert letter.addressee == "示范商贸有限公司"


def test_fee_notice_uses_the_monthly_ordinal(frozen, sfj):
    for i in range(10):
        register(sfj, description=f"第{i}号行政许可决定书全文及附件清单")
    app = register(sfj, description="示范县2025年度普法宣传经费预算明细表")
    assert app.month_ordinal == 11
    app = services.application_issue_fee_notice(
        application=app, actor=user("sfj_clerk"), method="per_piece", served_on=date(2026, 3, 2)
    )
    assert app.status == "awaiting_fee" and app.fee_amount == Decimal("100.00")
    assert "100元" in "".join(app.letters.get(kind="fee_notice").paragraphs)


def test_partial_disclosure_counts_once_under_o2(frozen, sfj):
    app = register(sfj)
    frozen("2026-03-20")
    app = decide_and_serve(
        app, reply_type="partial", grounds=("third_party",), served_on=date(2026, 3, 20)
    )
    assert app.status == "closed"
    assert app.outcome_row == "O2" and app.concluded_on == date(2026, 3, 20)
    reply = app.letters.get(is_reply=True)
    text = "".join(reply.paragraphs)
    assert "第三十七条" in text and "第十五条" in text
    assert "六十日内向示范县人民政府申请行政复议" in text
    assert "六个月内向示范县人民法院提起行政诉讼" in text
    assert reply.served_on == date(2026, 3, 20)
    assert app.clock_state == "replied"


def test_partial_disclosure_needs_grounds_and_reasons(frozen, sfj):
    app = register(sfj)
    with pytest.raises(services.ActionNotAllowed, match="理由类别"):
        services.application_draft_decision(
            application=app, actor=user("sfj_clerk"), reply_type="partial", reasons="x"
        )


def test_a_stale_edit_is_refused_and_nothing_is_overwritten(frozen, sfj):
    # given two users who loaded the same version
    app = register(sfj)
    mine = Application.objects.get(pk=app.pk)
    theirs = Application.objects.get(pk=app.pk)
    services.application_update(
        application=theirs, actor=user("sfj_clerk"), data={"phone": "13900139000"}
    )
    # when the second saves from the old version
    with pytest.raises(services.StaleApplication, match="已被其他人修改"):
        services.application_update(
            application=mine, actor=user("sfj_clerk"), data={"phone": "13700137000"}
        )
    # then the first change stands
    assert Application.objects.get(pk=app.pk).phone == "13900139000"


def test_transfer_concludes_here_and_opens_there(frozen, sfj, platform):
    app = register(sfj, description="示范县2025年土地征收补偿安置方案")
    target = platform["shifanxian-zrzyj"]
    app = services.application_transfer(
        application=app, actor=user("sfj_clerk"), target=target, notified_on=date(2026, 3, 2)
    )
    assert app.status == "transferred" and app.outcome_row == "O4_1"
    moved = Application.objects.get(agency=target)
    assert moved.transferred_from_id == app.pk and moved.status == "submitted"
    assert moved.registration_no == "依申请〔2026〕第0001号"
    assert "示范县自然资源局" in "".join(app.letters.get(is_reply=True).paragraphs)


def test_lapse_after_the_amendment_period(frozen, sfj):
    app = register(sfj)
    app = services.application_request_amendment(
        application=app,
        actor=user("sfj_clerk"),
        items="请写明信息名称",
        period_end=date(2026, 3, 9),
    )
    with pytest.raises(services.ActionNotAllowed):
        services.application_close_lapsed(application=app, actor=user("sfj_clerk"))
    frozen("2026-03-12")
    app = services.application_close_lapsed(
        application=Application.objects.get(pk=app.pk), actor=user("sfj_clerk")
    )
    assert app.status == "lapsed" and app.outcome_row == "O6_1"
    assert app.concluded_on == date(2026, 3, 10)


def test_repeat_applications_are_flagged_not_decided(frozen, sfj):
    first = register(sfj, description="请公开2025年度示范县司法局部门预算及三公经费")
    second = register(sfj, description="申请公开示范县司法局2025年度部门预算及三公经费")
    assert second.possible_repeat_of_id == first.pk and second.repeat_similarity >= 0.6
    assert second.status == "in_progress"


def test_reconsideration_correction_reopens_the_application(frozen, sfj):
    from gongkai.ledger.appeals import services as appeals

    app = decide_and_serve(register(sfj), reply_type="not_exist", served_on=date(2026, 3, 2))
    case = appeals.reconsideration_register(
        agency=sfj,
        actor=user("sfj_clerk"),
        body="示范县人民政府",
        appellant="张三",
        filed_on=date(2026, 3, 2),
        applications=[app],
    )
    frozen("2026-04-01")
    appeals.appeal_conclude(
        case=case,
        actor=user("sfj_clerk"),
        result="corrected",
        concluded_on=date(2026, 4, 1),
        reopen_applications=True,
    )
    app.refresh_from_db()
    assert app.status == "in_progress" and app.reopen_count == 1
    # the first conclusion stays in the statistics
    assert app.outcome_row == "O4_1" and app.concluded_on == date(2026, 3, 2)
    assert app.due_on == CAL.add_workdays(date(2026, 4, 1), 20)
