"""Deciding and closing: draft → review → sign → serve; lapse; transfer; reopen.

The decision is one reply type (``outcomes.ReplyType``), which fixes the table-三 row; the
statistics fields (``outcome_row``, ``concluded_on``) are written once, at the first conclusion
(service of the reply, lapse, or notice of a transfer), and never change afterwards — a reopened
case keeps the row and year it was first counted in (docs/requests.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction

from gongkai.core import audit, clock
from gongkai.core.models import Agency
from gongkai.ledger.requests.letters.build import issue_letter
from gongkai.ledger.requests.letters.kinds import reply_kind
from gongkai.ledger.requests.models import Application, Letter
from gongkai.ledger.requests.outcomes import (
    WITHHOLDING_GROUNDS,
    ReplyType,
    legal_basis,
    spec_for,
)
from gongkai.ledger.requests.services.base import (
    ActionNotAllowed,
    ApplicationError,
    application_transition,
)
from gongkai.ledger.requests.services.handling import _not_future
from gongkai.ledger.requests.services.intake import create_application
from gongkai.ledger.requests.services.numbering import next_letter_number
from gongkai.ledger.requests.transitions import Action, Status
from gongkai.statutory.deadlines import Channel, ClockError, ServiceMethod

__all__ = [
    "application_close_lapsed",
    "application_draft_decision",
    "application_reopen",
    "application_return_decision",
    "application_review_decision",
    "application_serve_reply",
    "application_sign_decision",
    "application_transfer",
]

_DECISION_FIELDS = (
    "reply_type",
    "withheld_grounds",
    "legal_basis",
    "reasons",
    "decision_text",
    "responsible_agency_name",
    "responsible_agency_contact",
)


def _transition(**kwargs: Any) -> Application:
    try:
        return application_transition(**kwargs)
    except ClockError as exc:
        raise ApplicationError(str(exc)) from None


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _conclude(app: Application, day: date, reply_type: ReplyType) -> dict[str, Any]:
    """The statistics facts, written only at the first conclusion."""
    if app.concluded_on is not None:
        return {}
    return {"concluded_on": day, "outcome_row": spec_for(reply_type).row.value}


@transaction.atomic
def application_draft_decision(
    *,
    application: Application,
    actor: Any,
    reply_type: ReplyType | str,
    withheld_grounds: Iterable[str] = (),
    legal_basis_text: str = "",
    reasons: str = "",
    decision_text: str = "",
    responsible_agency_name: str = "",
    responsible_agency_contact: str = "",
    expected_version: int | None = None,
) -> Application:
    """拟写答复: the clerk chooses the statutory outcome; the legal basis is filled from it.

    A partial disclosure (第三十七条) must name the grounds of the withheld part; it still
    counts once, as 部分公开.
    """
    rtype = ReplyType(reply_type)
    spec = spec_for(rtype)
    if not spec.decidable:
        raise ActionNotAllowed(f"“{spec.label}”不能作为答复决定选择。")
    grounds = [ReplyType(g).value for g in withheld_grounds]
    if rtype is ReplyType.PARTIAL:
        if not grounds:
            raise ActionNotAllowed("部分公开须选择不予公开部分的理由类别。")
        bad = [g for g in grounds if ReplyType(g) not in WITHHOLDING_GROUNDS]
        if bad:
            raise ActionNotAllowed("不予公开部分的理由类别无效。")
    else:
        grounds = []
    withheld_kind = spec.row.value.startswith("O3") or rtype is ReplyType.PARTIAL
    if withheld_kind and not reasons.strip():
        raise ActionNotAllowed("不予公开（含部分公开中不予公开的部分）须说明理由。")
    if rtype is ReplyType.NOT_RESPONSIBLE and not responsible_agency_name.strip():
        responsible_agency_contact = ""
    now = clock.now()
    return _transition(
        application=application,
        action=Action.DRAFT_DECISION,
        actor=actor,
        expected_version=expected_version,
        changes={
            "reply_type": rtype.value,
            "withheld_grounds": grounds,
            "legal_basis": legal_basis_text.strip() or legal_basis(rtype, grounds),
            "reasons": reasons.strip(),
            "decision_text": decision_text.strip(),
            "responsible_agency_name": responsible_agency_name.strip(),
            "responsible_agency_contact": responsible_agency_contact.strip(),
            "decision_drafted_at": now,
            "decision_drafted_by": _user(actor),
            "decision_reviewed_at": None,
            "decision_reviewed_by": None,
        },
    )


@transaction.atomic
def application_review_decision(
    *, application: Application, actor: Any, note: str = "", expected_version: int | None = None
) -> Application:
    """审核通过: the reviewer passes the draft to the head for signature."""
    return _transition(
        application=application,
        action=Action.REVIEW_DECISION,
        actor=actor,
        expected_version=expected_version,
        changes={"decision_reviewed_at": clock.now(), "decision_reviewed_by": _user(actor)},
        note=note,
    )


@transaction.atomic
def application_return_decision(
    *, application: Application, actor: Any, note: str, expected_version: int | None = None
) -> Application:
    """退回修改: the reviewer or head sends the draft back to the clerk, with a note."""
    if not note.strip():
        raise ActionNotAllowed("请写明退回修改的意见。")
    return _transition(
        application=application,
        action=Action.RETURN_DECISION,
        actor=actor,
        expected_version=expected_version,
        note=note.strip(),
    )


@transaction.atomic
def application_sign_decision(
    *,
    application: Application,
    actor: Any,
    letter_date: date | None = None,
    expected_version: int | None = None,
) -> Application:
    """签发: the head signs; the reply letter is numbered and frozen."""
    day = letter_date or clock.today()
    _not_future(day, "签发日期")
    app = _transition(
        application=application,
        action=Action.SIGN_DECISION,
        actor=actor,
        expected_version=expected_version,
        changes={"decision_signed_at": clock.now(), "decision_signed_by": _user(actor)},
    )
    number = next_letter_number(agency=app.agency, year=day.year)
    issue_letter(app, reply_kind(app.reply_type), number=number, actor=actor, letter_date=day)
    return app


def _current_reply_letter(app: Application) -> Letter | None:
    return (
        app.letters.filter(is_reply=True, served_on__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )


@transaction.atomic
def application_serve_reply(
    *,
    application: Application,
    actor: Any,
    served_on: date,
    method: ServiceMethod | str,
    post_receipt_no: str = "",
    cash_on_delivery: bool = False,
    expected_version: int | None = None,
) -> Application:
    """送达 (国办公开办函〔2016〕235号): direct service = the signature date, post = the day handed
    to the postal enterprise. Stops the clock and concludes the case."""
    method = ServiceMethod(method)
    _not_future(served_on, "送达日期")
    if not application.reply_type:  # a stale form: the decision was withdrawn meanwhile
        raise ActionNotAllowed("该申请还没有签发的答复决定，不能送达。请刷新页面。")
    letter = _current_reply_letter(application)
    if letter is not None and served_on < letter.letter_date:
        raise ActionNotAllowed("送达日期不能早于答复书的成文日期。")
    if application.received_on and served_on < application.received_on:
        raise ActionNotAllowed("送达日期不能早于收到申请之日。")
    if method is ServiceMethod.POST and not post_receipt_no.strip():
        raise ActionNotAllowed("邮寄送达请填写邮件号码（交邮凭证）。")
    app = _transition(
        application=application,
        action=Action.SERVE_REPLY,
        actor=actor,
        expected_version=expected_version,
        changes={
            "served_on": served_on,
            "service_method": method.value,
            "post_receipt_no": post_receipt_no.strip(),
            "cash_on_delivery": cash_on_delivery,
            **_conclude(application, served_on, ReplyType(application.reply_type)),
        },
    )
    if letter is not None:
        letter.served_on = served_on
        letter.save(update_fields=["served_on"])
    app.attachments.filter(kind="released").update(released=True)
    return app


@transaction.atomic
def application_close_lapsed(
    *, application: Application, actor: Any, expected_version: int | None = None
) -> Application:
    """视为放弃申请: the 补正 or payment period passed (rows O6_1 / O6_2); concluded on the day
    after the period ended. Offered only when the clock says so; the clerk confirms."""
    from gongkai.ledger.requests.services.clock import application_recompute_clock

    application_recompute_clock(application, actor=actor, reason="检查是否逾期")
    if not application.lapse_row:
        raise ActionNotAllowed("补正或缴费期限尚未届满，不能视为放弃申请。")
    rtype = ReplyType.LAPSED_AMENDMENT if application.lapse_row == "O6_1" else ReplyType.LAPSED_FEE
    lapse_on = application.lapse_on or clock.today()
    app = _transition(
        application=application,
        action=Action.CLOSE_LAPSED,
        actor=actor,
        expected_version=expected_version,
        changes={
            "reply_type": rtype.value,
            "legal_basis": legal_basis(rtype),
            **_conclude(application, lapse_on, rtype),
        },
    )
    number = next_letter_number(agency=app.agency, year=clock.today().year)
    issue_letter(app, reply_kind(rtype), number=number, actor=actor)
    return app


@transaction.atomic
def application_transfer(
    *,
    application: Application,
    actor: Any,
    target: Agency,
    notified_on: date,
    method: ServiceMethod | str = ServiceMethod.ELECTRONIC,
    note: str = "",
    expected_version: int | None = None,
) -> Application:
    """Transfer to the competent agency on the platform (条例第三十六条（五）).

    The source concludes the case (row O4_1, 非本机关负责公开) on the day the applicant is told;
    the target gets a new application awaiting confirmation: its 收到申请之日 is the day it
    confirms receipt (国办公开办函〔2015〕207号 item 2 by analogy — a letter that reached the
    wrong office counts from the day the competent office actually receives it).
    """
    if target.pk == application.agency_id or not target.is_active:
        raise ActionNotAllowed("请选择平台上另一个负责公开该信息的机关。")
    _not_future(notified_on, "告知申请人日期")
    if application.received_on and notified_on < application.received_on:
        raise ActionNotAllowed("告知日期不能早于收到申请之日。")
    method = ServiceMethod(method)
    if application.received_on is None:
        # Never received here in law: confirm it today so that the case can be concluded.
        from gongkai.ledger.requests.services.intake import receipt_field

        setattr(application, receipt_field(application.channel), notified_on)
        application.save(update_fields=[receipt_field(application.channel)])
    app = _transition(
        application=application,
        action=Action.TRANSFER,
        actor=actor,
        expected_version=expected_version,
        changes={
            "reply_type": ReplyType.TRANSFERRED.value,
            "legal_basis": legal_basis(ReplyType.TRANSFERRED),
            "transferred_to": target,
            "served_on": notified_on,
            "service_method": method.value,
            **_conclude(application, notified_on, ReplyType.TRANSFERRED),
        },
        note=note,
        audit_extra={"target": target.name},
    )
    data = {
        f: getattr(app, f)
        for f in (
            "applicant_type",
            "applicant_name",
            "id_type",
            "id_number",
            "organisation_type",
            "uscc",
            "legal_representative",
            "contact_name",
            "phone",
            "email",
            "address",
            "postal_code",
            "description",
            "document_number",
            "form_requested",
            "delivery",
        )
    }
    data["notes"] = f"由{app.agency.name}转送（原登记编号：{app.registration_no}）。{note}".strip()
    new, _ = create_application(
        agency=target,
        actor=actor,
        data=data,
        channel=Channel(app.channel),
        dates={},
        source=Application.Source.TRANSFER,
        registered_on=notified_on,
        tracking=bool(app.tracking_code),
    )
    new.transferred_from = app
    new.query_password = app.query_password
    new.save(update_fields=["transferred_from", "query_password"])
    audit.record(
        actor=actor,
        action="application.received_by_transfer",
        subject=new,
        after={"from": app.agency.name, "registration_no": new.registration_no},
    )
    number = next_letter_number(agency=app.agency, year=notified_on.year)
    issue_letter(
        app, reply_kind(ReplyType.TRANSFERRED), number=number, actor=actor, letter_date=notified_on
    )
    app.letters.filter(is_reply=True, served_on__isnull=True).update(served_on=notified_on)
    return app


@transaction.atomic
def application_reopen(
    *,
    application: Application,
    actor: Any,
    reopened_on: date,
    reason: str,
    expected_version: int | None = None,
) -> Application:
    """Handle the application again after a corrective reconsideration or court decision.

    A fresh 20-working-day period runs from ``reopened_on`` (set a 第三十五条-style date if the
    decision fixed another one). The first conclusion stays in the statistics.
    """
    _not_future(reopened_on, "重新办理日期")
    if application.concluded_on and reopened_on < application.concluded_on:
        raise ActionNotAllowed("重新办理日期不能早于原办结日期。")
    if not reason.strip():
        raise ActionNotAllowed("请写明重新办理的依据（复议决定书或判决书）。")
    cleared = dict.fromkeys(_DECISION_FIELDS, "")
    cleared["withheld_grounds"] = []
    return _transition(
        application=application,
        action=Action.REOPEN,
        actor=actor,
        expected_version=expected_version,
        to=Status.IN_PROGRESS,
        changes={
            **cleared,
            "reopened_on": reopened_on,
            "reopen_count": application.reopen_count + 1,
            "served_on": None,
            "service_method": "",
            "post_receipt_no": "",
            "cash_on_delivery": False,
            "extension_state": Application.ExtensionState.NONE.value,
            "extension_decided_on": None,
            "extension_notified_on": None,
            "delayed_reply_due_on": None,
            "decision_signed_at": None,
            "decision_reviewed_at": None,
            "decision_drafted_at": None,
        },
        note=reason.strip(),
    )
