"""Handling an open application: 补正, consultations, extension, 第三十五条, fees, edits.

Each function is one action of ``transitions.TRANSITIONS``: atomic, goes through
``application_transition`` (status, role, guard, version, clock, audit) and issues the letter the
step needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction

from gongkai.core import clock
from gongkai.ledger.requests.letters.build import cn_date, issue_letter
from gongkai.ledger.requests.models import AmendmentRound, Application, Consultation
from gongkai.ledger.requests.services.base import (
    ActionNotAllowed,
    ApplicationError,
    application_transition,
)
from gongkai.ledger.requests.services.intake import (
    INTAKE_FIELDS,
    apply_intake_data,
    flag_repeat_and_volume,
    intake_problems,
)
from gongkai.ledger.requests.transitions import Action, Status
from gongkai.statutory import fees
from gongkai.statutory.deadlines import (
    MAX_EXTENSION_DAYS,
    ClockError,
    ConsultationKind,
)

__all__ = [
    "application_approve_extension",
    "application_consult",
    "application_issue_fee_notice",
    "application_notify_extension",
    "application_propose_extension",
    "application_receive_amendment",
    "application_record_consultation_reply",
    "application_record_payment",
    "application_reject_extension",
    "application_request_amendment",
    "application_set_delayed_reply",
    "application_update",
]


def _not_future(day: date, what: str) -> None:
    if day > clock.today():
        raise ActionNotAllowed(f"{what}不能晚于今天。")


def _not_before_receipt(app: Application, day: date, what: str) -> None:
    if app.received_on and day < app.received_on:
        raise ActionNotAllowed(f"{what}不能早于收到申请之日（{app.received_on.isoformat()}）。")


def _transition(**kwargs: Any) -> Application:
    try:
        return application_transition(**kwargs)
    except ClockError as exc:
        raise ApplicationError(str(exc)) from None


@transaction.atomic
def application_update(
    *,
    application: Application,
    actor: Any,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> Application:
    """Correct the applicant's details or the description of an open application (EDIT).

    Optimistic locking: a user editing a stale version gets ``StaleApplication`` and nothing is
    overwritten.
    """
    merged = {f: getattr(application, f) for f in INTAKE_FIELDS}
    merged.update({k: v for k, v in data.items() if k in INTAKE_FIELDS})
    problems = intake_problems(merged, require_phone=False)
    if problems:
        raise ApplicationError("；".join(problems.values()))
    probe = Application(agency=application.agency)
    apply_intake_data(probe, merged)
    fields = [*INTAKE_FIELDS, "category", "applicant_key"]
    changes = {f: getattr(probe, f) for f in fields if getattr(probe, f) != getattr(application, f)}
    app = _transition(
        application=application,
        action=Action.EDIT,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
    )
    if "applicant_key" in changes or "description" in changes:
        flag_repeat_and_volume(app)
        app.save(update_fields=["month_ordinal", "possible_repeat_of", "repeat_similarity"])
    return app


@transaction.atomic
def application_request_amendment(
    *,
    application: Application,
    actor: Any,
    items: str,
    period_end: date,
    notice_on: date | None = None,
    expected_version: int | None = None,
) -> Application:
    """告知补正 (第三十条): all items at once, with a reasonable period; issues the 补正告知书."""
    notice_on = notice_on or clock.today()
    items = items.strip()
    if not items:
        raise ActionNotAllowed("请逐项写明需要补正的事项（一次性告知）。")
    _not_future(notice_on, "告知补正日期")
    _not_before_receipt(application, notice_on, "告知补正日期")
    if period_end <= notice_on:
        raise ActionNotAllowed("补正期限应晚于告知补正的日期。")
    number = application.amendments.count() + 1
    AmendmentRound.objects.create(
        application=application,
        number=number,
        items=items,
        notice_on=notice_on,
        period_end=period_end,
    )
    app = _transition(
        application=application,
        action=Action.REQUEST_AMENDMENT,
        actor=actor,
        expected_version=expected_version,
        audit_extra={"round": number, "items": items, "period_end": period_end},
        note=f"第{number}次补正",
    )
    lines = [line.strip() for line in items.splitlines() if line.strip()]
    numbered = "\n".join(
        line if line[:1].isdigit() or line.startswith("（") else f"{i}. {line}"
        for i, line in enumerate(lines, start=1)
    )
    issue_letter(
        app,
        "amendment",
        actor=actor,
        letter_date=notice_on,
        extra={"amendment_items": numbered, "amendment_deadline": cn_date(period_end)},
    )
    return app


@transaction.atomic
def application_receive_amendment(
    *,
    application: Application,
    actor: Any,
    received_on: date,
    note: str = "",
    expected_version: int | None = None,
) -> Application:
    """收到补正: the reply period restarts from this day (第三十条)."""
    last = application.amendments.filter(received_on__isnull=True).order_by("-number").first()
    if last is None:
        raise ActionNotAllowed("没有待补正的记录。")
    _not_future(received_on, "收到补正日期")
    if received_on < last.notice_on:
        raise ActionNotAllowed("收到补正日期不能早于告知补正的日期。")
    last.received_on = received_on
    last.received_note = note.strip()
    last.save(update_fields=["received_on", "received_note"])
    return _transition(
        application=application,
        action=Action.RECEIVE_AMENDMENT,
        actor=actor,
        expected_version=expected_version,
        audit_extra={"round": last.number, "received_on": received_on},
        note=note,
    )


@transaction.atomic
def application_consult(
    *,
    application: Application,
    actor: Any,
    kind: ConsultationKind | str,
    party: str,
    sent_on: date,
    subject: str = "",
    party_address: str = "",
    party_received_on: date | None = None,
    expected_version: int | None = None,
) -> Application:
    """书面征求意见: third party (第三十二条) or co-producing agency (第三十四条); pauses the clock."""
    kind = ConsultationKind(kind)
    if not party.strip():
        raise ActionNotAllowed("请填写被征求意见的第三方或机关。")
    _not_future(sent_on, "发出征求意见书日期")
    _not_before_receipt(application, sent_on, "发出征求意见书日期")
    if party_received_on is not None and party_received_on < sent_on:
        raise ActionNotAllowed("对方收到日期不能早于发出日期。")
    Consultation.objects.create(
        application=application,
        kind=kind.value,
        party=party.strip(),
        party_address=party_address.strip(),
        subject=subject.strip(),
        sent_on=sent_on,
        party_received_on=party_received_on,
    )
    app = _transition(
        application=application,
        action=Action.CONSULT,
        actor=actor,
        expected_version=expected_version,
        audit_extra={"kind": kind.value, "party": party, "sent_on": sent_on},
    )
    letter_kind = (
        "consult_third_party" if kind is ConsultationKind.THIRD_PARTY else "consult_co_agency"
    )
    issue_letter(
        app,
        letter_kind,
        actor=actor,
        letter_date=sent_on,
        addressee=party.strip(),
        extra={"party": party.strip(), "consult_subject": subject.strip() or app.description},
    )
    return app


@transaction.atomic
def application_record_consultation_reply(
    *,
    application: Application,
    actor: Any,
    consultation_id: int,
    opinion: str,
    reply_on: date | None = None,
    party_received_on: date | None = None,
    opinion_text: str = "",
    expected_version: int | None = None,
) -> Application:
    """Record the party's opinion (or its silence after 15 working days); the pause ends."""
    try:
        c = application.consultations.get(pk=consultation_id, reply_on__isnull=True, opinion="")
    except Consultation.DoesNotExist:
        raise ActionNotAllowed("没有找到该项待反馈的征求意见。") from None
    if opinion not in Consultation.Opinion.values:
        raise ActionNotAllowed("请选择对方的意见。")
    if party_received_on is not None:
        if party_received_on < c.sent_on:
            raise ActionNotAllowed("对方收到日期不能早于发出日期。")
        c.party_received_on = party_received_on
    if opinion != Consultation.Opinion.NONE:
        if reply_on is None:
            raise ActionNotAllowed("请填写对方提出意见的日期。")
        _not_future(reply_on, "提出意见日期")
        if reply_on < c.sent_on:
            raise ActionNotAllowed("提出意见日期不能早于发出征求意见书的日期。")
    c.reply_on = reply_on
    c.opinion = opinion
    c.opinion_text = opinion_text.strip()
    c.save(update_fields=["reply_on", "opinion", "opinion_text", "party_received_on"])
    still_open = application.consultations.filter(reply_on__isnull=True, opinion="").exists()
    return _transition(
        application=application,
        action=Action.RECORD_CONSULTATION_REPLY,
        actor=actor,
        expected_version=expected_version,
        to=Status.CONSULTING if still_open else Status.IN_PROGRESS,
        audit_extra={"consultation": c.pk, "opinion": opinion, "reply_on": reply_on},
    )


@transaction.atomic
def application_propose_extension(
    *,
    application: Application,
    actor: Any,
    reason: str,
    days: int = MAX_EXTENSION_DAYS,
    expected_version: int | None = None,
) -> Application:
    """提请延期: the clerk asks the head (第三十三条第二款: at most 20 working days)."""
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ActionNotAllowed(f"延长的期限为1至{MAX_EXTENSION_DAYS}个工作日。")
    if not reason.strip():
        raise ActionNotAllowed("请写明延期理由。")
    return _transition(
        application=application,
        action=Action.PROPOSE_EXTENSION,
        actor=actor,
        expected_version=expected_version,
        changes={
            "extension_state": Application.ExtensionState.PROPOSED.value,
            "extension_days": days,
            "extension_reason": reason.strip(),
            "extension_proposed_on": clock.today(),
        },
    )


@transaction.atomic
def application_approve_extension(
    *,
    application: Application,
    actor: Any,
    decided_on: date | None = None,
    expected_version: int | None = None,
) -> Application:
    """The head approves the extension before the due date; issues the 延期答复告知书."""
    decided_on = decided_on or clock.today()
    _not_future(decided_on, "批准日期")
    if application.original_due_on and decided_on >= application.original_due_on:
        raise ActionNotAllowed(
            f"延期须在答复期限（{application.original_due_on.isoformat()}）届满前经负责人同意并告知"
            "申请人；期限届满后不能再延期。"
        )
    app = _transition(
        application=application,
        action=Action.APPROVE_EXTENSION,
        actor=actor,
        expected_version=expected_version,
        changes={
            "extension_state": Application.ExtensionState.APPROVED.value,
            "extension_decided_on": decided_on,
            "extension_decided_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    issue_letter(app, "extension", actor=actor, letter_date=decided_on)
    return app


@transaction.atomic
def application_reject_extension(
    *, application: Application, actor: Any, note: str = "", expected_version: int | None = None
) -> Application:
    return _transition(
        application=application,
        action=Action.REJECT_EXTENSION,
        actor=actor,
        expected_version=expected_version,
        changes={"extension_state": Application.ExtensionState.REJECTED.value},
        note=note,
    )


@transaction.atomic
def application_notify_extension(
    *,
    application: Application,
    actor: Any,
    notified_on: date,
    expected_version: int | None = None,
) -> Application:
    """Record the day the applicant was told of the extension (must be before the due date)."""
    _not_future(notified_on, "告知日期")
    if application.extension_decided_on and notified_on < application.extension_decided_on:
        raise ActionNotAllowed("告知日期不能早于批准延期的日期。")
    if application.original_due_on and notified_on >= application.original_due_on:
        raise ActionNotAllowed(
            f"延期须在答复期限（{application.original_due_on.isoformat()}）届满前告知申请人。"
        )
    return _transition(
        application=application,
        action=Action.NOTIFY_EXTENSION,
        actor=actor,
        expected_version=expected_version,
        changes={"extension_notified_on": notified_on},
    )


@transaction.atomic
def application_set_delayed_reply(
    *,
    application: Application,
    actor: Any,
    due_on: date,
    notified_on: date | None = None,
    expected_version: int | None = None,
) -> Application:
    """第三十五条: a reasonable later reply date for an abnormal volume; issues the notice."""
    if application.due_on and due_on <= application.due_on:
        raise ActionNotAllowed("延迟答复的期限应晚于现行答复期限。")
    app = _transition(
        application=application,
        action=Action.SET_DELAYED_REPLY,
        actor=actor,
        expected_version=expected_version,
        changes={"delayed_reply_due_on": due_on, "delayed_reply_notified_on": notified_on},
    )
    issue_letter(app, "delayed_reply", actor=actor)
    return app


@transaction.atomic
def application_issue_fee_notice(
    *,
    application: Application,
    actor: Any,
    method: fees.FeeMethod | str,
    served_on: date,
    pages: int | None = None,
    received_on: date | None = None,
    expected_version: int | None = None,
) -> Application:
    """收费通知 (国办函〔2020〕109号): amount from ``statutory.fees`` (per piece from the
    applicant's monthly ordinal, or per volume from the pages); issues the 收费通知书."""
    method = fees.FeeMethod(method)
    _not_future(served_on, "收费通知发出日期")
    _not_before_receipt(application, served_on, "收费通知发出日期")
    try:
        if method is fees.FeeMethod.PER_PIECE:
            quote = fees.quote_fee(ordinal=application.month_ordinal)
            pages = None
        elif method is fees.FeeMethod.PER_VOLUME:
            if not pages:
                raise ActionNotAllowed("按量计收须填写页数。")
            quote = fees.quote_fee(pages=pages, delivery=application.fee_delivery)
        else:
            raise ActionNotAllowed("请选择计收方式（按件或按量）。")
    except fees.FeeError as exc:
        raise ActionNotAllowed(str(exc)) from None
    if quote.amount <= 0:
        raise ActionNotAllowed(
            "按规定该申请不收费（" + "；".join(quote.explanation()[:2]) + "），无需发出收费通知。"
        )
    app = _transition(
        application=application,
        action=Action.ISSUE_FEE_NOTICE,
        actor=actor,
        expected_version=expected_version,
        changes={
            "fee_method": method.value,
            "fee_pages": pages,
            "fee_amount": quote.amount,
            "fee_notice_served_on": served_on,
            "fee_notice_received_on": received_on,
            "fee_paid_on": None,
        },
    )
    issue_letter(
        app,
        "fee_notice",
        actor=actor,
        letter_date=served_on,
        extra={"fee_explanation": "\n".join(quote.explanation()[:-2])},
    )
    return app


@transaction.atomic
def application_record_payment(
    *,
    application: Application,
    actor: Any,
    paid_on: date,
    notice_received_on: date | None = None,
    expected_version: int | None = None,
) -> Application:
    _not_future(paid_on, "缴费日期")
    if application.fee_notice_served_on and paid_on < application.fee_notice_served_on:
        raise ActionNotAllowed("缴费日期不能早于收费通知发出日期。")
    changes: dict[str, Any] = {"fee_paid_on": paid_on}
    if notice_received_on is not None:
        changes["fee_notice_received_on"] = notice_received_on
    return _transition(
        application=application,
        action=Action.RECORD_PAYMENT,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
    )
