"""Once a year's annual report is published, changing that year's figures needs a correction
note, which is recorded; ordinary work on later years is not affected (issue 8)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from gongkai.ledger.annual import services as annual
from gongkai.ledger.annual.models import AnnualReportRecord, YearCorrection
from gongkai.ledger.requests import services
from tests.ledger.requests.factories import company_data, register, user

pytestmark = pytest.mark.django_db


def _publish(agency, year):
    users = get_user_model().objects
    clerk, head = users.get(username="sfj_clerk"), users.get(username="sfj_head")
    record = annual.annual_report_assemble(actor=clerk, agency=agency, year=year)
    annual.annual_report_review(actor=clerk, record=record)
    for finding in annual.sign_off_state(record).unacknowledged:
        annual.finding_acknowledge(
            actor=clerk,
            record=record,
            key=annual.finding_key(finding),
            rule=finding.rule,
            reason="已核实",
        )
    annual.annual_report_sign(actor=head, record=record)
    annual.annual_report_publish(actor=head, record=record)
    return record


@pytest.fixture
def carried_case(sfj, frozen):
    """Received in late December 2025, still open when 2025's report is published."""
    frozen("2025-12-22")
    app = register(sfj, submitted_on=dt.date(2025, 12, 22))
    frozen("2026-01-20")
    _publish(sfj, 2025)
    return app


def test_changing_a_published_years_figure_needs_a_correction_note(carried_case):
    app = carried_case
    as_company = company_data()
    with pytest.raises(services.ActionNotAllowed, match="更正说明"):
        services.application_update(application=app, actor=user("sfj_clerk"), data=as_company)
    app.refresh_from_db()
    assert app.applicant_name == "张三" and not YearCorrection.objects.exists()
    with services.correction_note("申请人系企业，登记时误选为自然人，据申请原件更正"):
        app = services.application_update(application=app, actor=user("sfj_clerk"), data=as_company)
    assert app.category == "BIZ"
    assert YearCorrection.objects.get().year == 2025


def test_with_a_note_the_change_is_made_and_recorded(carried_case):
    app = carried_case
    with services.correction_note("申请人类别登记有误，据原件更正"):
        services.application_update(
            application=app, actor=user("sfj_clerk"), data={"applicant_name": "张三丰"}
        )
    # the name is not a table fact: no correction needed, none recorded
    assert not YearCorrection.objects.exists()


def test_concluding_a_carried_case_in_the_next_year_needs_no_note(carried_case):
    from tests.ledger.requests.factories import decide_and_serve

    app = decide_and_serve(carried_case, served_on=dt.date(2026, 1, 20))
    assert app.concluded_on == dt.date(2026, 1, 20)
    assert not YearCorrection.objects.exists()


def test_backdating_a_conclusion_into_the_published_year_is_refused_without_a_note(
    carried_case, frozen
):
    frozen("2025-12-29")  # the decision was in fact made then; the clerk records it late
    app = services.application_draft_decision(
        application=carried_case,
        actor=user("sfj_clerk"),
        reply_type="granted",
        withheld_grounds=(),
        reasons="",
        decision_text="现将有关信息提供给您。",
    )
    app = services.application_sign_decision(application=app, actor=user("sfj_head"))

    def serve():
        return services.application_serve_reply(
            application=app,
            actor=user("sfj_clerk"),
            served_on=dt.date(2025, 12, 29),
            method="direct",
        )

    with pytest.raises(services.ActionNotAllowed, match="2025年度"):
        serve()
    app.refresh_from_db()
    assert app.concluded_on is None
    with services.correction_note("送达回证漏登，补录"):
        app = serve()
    assert app.concluded_on == dt.date(2025, 12, 29)
    correction = YearCorrection.objects.get()
    assert correction.year == 2025 and "补录" in correction.note
    # and the published report now shows that the ledger moved since publication
    record = AnnualReportRecord.objects.get(year=2025)
    assert annual.ledger_drift(record)
