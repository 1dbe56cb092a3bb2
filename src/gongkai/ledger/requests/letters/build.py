"""Build a letter for a case: pick the template, fill it from the case, freeze it as a ``Letter``."""

from __future__ import annotations

import string
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db.models import Q

from gongkai.core import clock
from gongkai.core.models import Agency
from gongkai.ledger.requests.letters.kinds import LETTER_KINDS, REMEDY_TEMPLATE, LetterKind
from gongkai.ledger.requests.models import Application, Letter, LetterTemplate, RequestSettings
from gongkai.ledger.requests.outcomes import ReplyType, quoted_articles, spec_for
from gongkai.statutory import fees

__all__ = [
    "cn_date",
    "issue_letter",
    "letter_context",
    "preview_letter",
    "remedy_sentence",
    "render_paragraphs",
    "template_for",
]

MISSING_BODY = "〔请在机关设置中填写行政复议机关〕"
MISSING_COURT = "〔请在机关设置中填写管辖人民法院〕"


def cn_date(day: date | None) -> str:
    """``2026年3月5日`` (GB/T 9704: Arabic numerals, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日" if day else "____年__月__日"


def settings_for(agency: Agency) -> RequestSettings:
    try:
        return agency.request_settings
    except RequestSettings.DoesNotExist:
        return RequestSettings(agency=agency)


def remedy_sentence(agency: Agency) -> str:
    """The 救济途径 sentence with the agency's configured reconsideration body and court."""
    return REMEDY_TEMPLATE.format(
        body=agency.reconsideration_body or MISSING_BODY,
        court=agency.competent_court or MISSING_COURT,
    )


def template_for(agency: Agency, kind: str) -> tuple[str, str]:
    """(title, body): the agency's template, else the platform's, else the built-in text."""
    rows = list(
        LetterTemplate.objects.filter(kind=kind).filter(Q(agency=agency) | Q(agency__isnull=True))
    )
    chosen = next((t for t in rows if t.agency_id == agency.pk), None) or next(
        (t for t in rows if t.agency_id is None), None
    )
    if chosen is not None:
        return chosen.title, chosen.body
    spec = LETTER_KINDS[kind]
    return spec.title, spec.body


def render_paragraphs(body: str, context: Mapping[str, str]) -> list[str]:
    """Fill ``body`` line by line; empty lines vanish, multi-line values give several paragraphs."""
    out: list[str] = []
    for line in body.splitlines():
        if not line.strip():
            continue
        filled = string.Template(line).safe_substitute(context)
        for part in filled.split("\n"):
            part = part.strip()
            if part and part != "：":
                out.append(part)
    return out


def _contact_sentence(agency: Agency, st: RequestSettings) -> str:
    phone = st.contact_phone or agency.phone
    address = st.contact_address or agency.address
    bits = []
    if phone:
        bits.append(f"联系电话：{phone}")
    if address:
        bits.append(f"通信地址：{address}")
    return "；".join(bits) + "。" if bits else ""


def _receipt_sentence(app: Application) -> str:
    from gongkai.ledger.requests.services.clock import events_for
    from gongkai.statutory.deadlines import Channel, receipt_date

    if app.received_on:
        _, how, basis = receipt_date(events_for(app))
        return (
            f"收到申请之日为{cn_date(app.received_on)}（{how}，《中华人民共和国政府信息公开"
            f"条例》{basis.removeprefix('条例')}）。"
        )
    if Channel(app.channel) in (
        Channel.ONLINE,
        Channel.FAX,
        Channel.EMAIL,
        Channel.ORDINARY_LETTER,
    ):
        return (
            f"您于{cn_date(app.submitted_on or app.created_at.date())}提交申请。收到申请之日以"
            "本机关与您确认之日为准（《中华人民共和国政府信息公开条例》第三十一条）。"
        )
    return "收到申请之日以本机关签收之日为准（《中华人民共和国政府信息公开条例》第三十一条）。"


def _type_paragraph(app: Application) -> str:
    if not app.reply_type:
        return ""
    rtype = ReplyType(app.reply_type)
    if rtype is ReplyType.NOT_RESPONSIBLE and app.responsible_agency_name:
        contact = (
            f"，联系方式：{app.responsible_agency_contact}"
            if app.responsible_agency_contact
            else ""
        )
        return f"负责公开该政府信息的行政机关为{app.responsible_agency_name}{contact}。"
    if rtype is ReplyType.TRANSFERRED and app.transferred_to_id:
        target = app.transferred_to
        phone = f"，联系电话：{target.phone}" if target and target.phone else ""
        return f"本机关已将您的申请转送{target}办理{phone}，该机关将依法答复您。"
    if rtype is ReplyType.PARTIAL and app.withheld_grounds:
        grounds = "、".join(
            spec_for(g).label.removeprefix("不予公开：") for g in app.withheld_grounds
        )
        return f"不予公开的部分属于以下情形：{grounds}。"
    return ""


def letter_context(
    application: Application,
    *,
    extra: Mapping[str, Any] | None = None,
    today: date | None = None,
) -> dict[str, str]:
    """Every placeholder's value for ``application`` (``extra`` adds or overrides)."""
    app = application
    agency = app.agency
    st = settings_for(agency)
    spec = app.reply_spec
    letter_kind_is_notice = spec is not None and spec.letter_title.endswith("告知书")
    amendment_recital = ""
    rounds = [r for r in app.amendments.all() if r.received_on]
    if rounds:
        amendment_recital = f"本机关告知补正后，于{cn_date(rounds[-1].received_on)}收到您的补正。"
    grounds = tuple(app.withheld_grounds or ())
    ctx: dict[str, str] = {
        "applicant": app.applicant_name,
        "agency": agency.name,
        "office": st.office_name or agency.name,
        "registration_no": app.registration_no,
        "description": app.description.strip(),
        "document_number": app.document_number,
        "received_date": cn_date(app.received_on or app.submitted_on),
        "receipt_sentence": _receipt_sentence(app),
        "submitted_date": cn_date(app.submitted_on),
        "tracking_sentence": (
            f"您可以凭查询码 {app.tracking_code} 和查询密码在网上查询办理进度。"
            if app.tracking_code
            else ""
        ),
        "today": cn_date(today or clock.today()),
        "opening": "现告知如下：" if letter_kind_is_notice else "经研究，现答复如下：",
        "amendment_recital": amendment_recital,
        "decision_sentence": spec.decision_sentence if spec else "",
        "decision_text": app.decision_text.strip(),
        "type_paragraph": _type_paragraph(app),
        "reasons_paragraph": f"理由：{app.reasons.strip()}" if app.reasons.strip() else "",
        "legal_basis": app.legal_basis or (spec.basis if spec else ""),
        "quoted_articles": "\n".join(
            f"附：{a}" if i == 0 else a
            for i, a in enumerate(quoted_articles(app.reply_type, grounds) if spec else [])
        ),
        "remedy": remedy_sentence(agency) if spec is None or spec.appealable else "",
        "contact_sentence": _contact_sentence(agency, st),
        "contact_phone": st.contact_phone or agency.phone,
        "extension_reason": app.extension_reason or "情况复杂",
        "extension_days": str(app.extension_days),
        "new_due": cn_date(app.extended_due_on),
        "delayed_due": cn_date(app.delayed_reply_due_on),
        "fee_method": fees.FeeMethod(app.fee_method).label,
        "fee_amount": fees.format_yuan(app.fee_amount) if app.fee_amount is not None else "",
        "fee_payment": "本机关指定的缴费渠道（详见缴款通知）",
        "fee_explanation": "",
        "amendment_items": "",
        "amendment_deadline": "",
        "party": "",
        "consult_subject": app.description.strip(),
    }
    for key, value in (extra or {}).items():
        ctx[key] = "" if value is None else str(value)
    return ctx


def _build(
    application: Application,
    kind: str,
    *,
    number: str = "",
    addressee: str | None = None,
    extra: Mapping[str, Any] | None = None,
    letter_date: date | None = None,
    actor: Any = None,
) -> Letter:
    spec: LetterKind = LETTER_KINDS[kind]
    day = letter_date or clock.today()
    title, body = template_for(application.agency, kind)
    ctx = letter_context(application, extra=extra, today=day)
    paragraphs = render_paragraphs(body, ctx)
    who = addressee if addressee is not None else application.applicant_name
    return Letter(
        application=application,
        kind=kind,
        number=number,
        title=string.Template(title).safe_substitute(ctx),
        addressee=who,
        paragraphs=paragraphs,
        signature=application.agency.name,
        letter_date=day,
        is_reply=spec.is_reply,
        created_at=clock.now(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def preview_letter(application: Application, kind: str, **kwargs: Any) -> Letter:
    """The letter as it would be issued now (not saved)."""
    return _build(application, kind, **kwargs)


def issue_letter(application: Application, kind: str, **kwargs: Any) -> Letter:
    """Build and save the letter (call inside the service's transaction)."""
    letter = _build(application, kind, **kwargs)
    letter.save()
    return letter
