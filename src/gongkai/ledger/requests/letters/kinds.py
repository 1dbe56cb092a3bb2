"""Letter types (spec §5) and their built-in texts. Pure Python.

A letter body is a ``string.Template``: one paragraph per line, ``${placeholder}`` fields from
``PLACEHOLDERS``. A line that becomes empty after substitution is dropped (optional parts); a
placeholder whose value has several lines (the quoted articles, the 补正 items) gives one
paragraph per line. Administrators may replace title and body per agency (``LetterTemplate``).
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from gongkai.ledger.requests.outcomes import REPLY_SPECS, ReplyType

__all__ = [
    "LETTER_KINDS",
    "PLACEHOLDERS",
    "LetterKind",
    "reply_kind",
    "template_problems",
]

# placeholder -> what it holds (shown to administrators next to the template editor)
PLACEHOLDERS: dict[str, str] = {
    "applicant": "申请人姓名或名称（主送）",
    "agency": "机关名称",
    "office": "政府信息公开工作机构名称",
    "registration_no": "登记编号",
    "description": "申请公开的信息（申请人的描述）",
    "document_number": "申请人提供的文号",
    "received_date": "收到申请之日（××××年×月×日）",
    "receipt_sentence": "收到申请之日及其依据（回执用）",
    "submitted_date": "提交日期",
    "tracking_sentence": "网上查询说明（网上申请时）",
    "today": "成文日期",
    "opening": "“经研究，现答复如下：”或“现告知如下：”",
    "amendment_recital": "补正情况（有补正时）",
    "decision_sentence": "答复类型对应的决定语句",
    "decision_text": "答复内容：提供的信息、获取方式和途径等（经办人填写）",
    "type_paragraph": "答复类型特有的内容（负责公开的机关、转送机关等）",
    "reasons_paragraph": "理由（经办人填写）",
    "legal_basis": "法律依据",
    "quoted_articles": "引用的条文（每条一段）",
    "remedy": "救济途径（行政复议机关、人民法院、60日、6个月）",
    "amendment_items": "需要补正的事项（每项一段）",
    "amendment_deadline": "补正期限",
    "extension_reason": "延期理由",
    "extension_days": "延长的工作日数",
    "new_due": "延长后的答复期限",
    "delayed_due": "第三十五条确定的答复期限",
    "party": "被征求意见的第三方或机关",
    "consult_subject": "征求意见的信息",
    "fee_method": "计收方式",
    "fee_explanation": "收费计算过程（每档一段）",
    "fee_amount": "收费金额",
    "fee_payment": "缴费方式",
    "contact_phone": "咨询电话",
    "contact_sentence": "联系方式语句",
}

REMEDY_TEMPLATE = (
    "如对本答复不服，可以自收到本答复之日起六十日内向{body}申请行政复议，"
    "或者自收到本答复之日起六个月内向{court}提起行政诉讼。"
)

_RECITAL = (
    "本机关于${received_date}收到您提出的政府信息公开申请（登记编号：${registration_no}），"
    "申请公开“${description}”。"
)

REPLY_BODY = "\n".join(
    [
        "${applicant}：",
        _RECITAL + "${amendment_recital}${opening}",
        "${decision_sentence}",
        "${decision_text}",
        "${type_paragraph}",
        "${reasons_paragraph}",
        "根据${legal_basis}的规定，作出上述答复。",
        "${quoted_articles}",
        "${remedy}",
        "${contact_sentence}",
    ]
)


@dataclass(frozen=True)
class LetterKind:
    code: str  # stored in Letter.kind / LetterTemplate.kind
    spec_code: str  # the spec §5 code (R-ACK …)
    label: str  # name in lists
    title: str
    body: str
    is_reply: bool = False  # served on the applicant as the reply (portal shows it)
    addressed_to_party: bool = False  # addressed to a third party / agency, not the applicant
    reply_type: ReplyType | None = None


def reply_kind(reply_type: ReplyType | str) -> str:
    return f"reply_{ReplyType(reply_type).value}"


_REPLY_CODES: dict[ReplyType, str] = {
    ReplyType.GRANTED: "R-GK",
    ReplyType.ALREADY_PUBLIC: "R-GK",
    ReplyType.PARTIAL: "R-BFGK",
    ReplyType.SPECIAL_QUERY: "R-TBGD",
    ReplyType.NOT_EXIST: "R-BCZ",
    ReplyType.NOT_RESPONSIBLE: "R-FBJG",
    ReplyType.TRANSFERRED: "R-FBJG",
    ReplyType.NEEDS_CREATION: "R-JG",
    ReplyType.PETITION: "R-XF",
    ReplyType.REPEAT: "R-CF",
    ReplyType.PUBLICATION: "R-CBW",
    ReplyType.EXCESSIVE: "R-BYCL",
    ReplyType.REISSUE: "R-BYCL",
    ReplyType.STILL_UNCLEAR: "R-BYCL",
    ReplyType.LAPSED_AMENDMENT: "R-ZZ",
    ReplyType.LAPSED_FEE: "R-ZZ",
    ReplyType.WITHDRAWN: "R-ZZ",
    ReplyType.OTHER: "R-ZZ",
}

_PROCEDURAL: tuple[LetterKind, ...] = (
    LetterKind(
        "receipt",
        "R-ACK",
        "接收回执",
        "政府信息公开申请接收回执",
        "\n".join(
            [
                "${applicant}：",
                "本机关已收到您提出的政府信息公开申请，登记编号为${registration_no}。"
                "您申请公开的政府信息为：“${description}”。",
                "${receipt_sentence}",
                "本机关将依照《中华人民共和国政府信息公开条例》的规定，自收到申请之日起20个工作日内"
                "予以答复；需要延长答复期限的，将另行书面告知。${tracking_sentence}",
                "${contact_sentence}",
            ]
        ),
    ),
    LetterKind(
        "amendment",
        "R-BZ",
        "补正告知书",
        "政府信息公开申请补正告知书",
        "\n".join(
            [
                "${applicant}：",
                _RECITAL + "经审查，您的申请内容不明确。根据《中华人民共和国政府信息公开条例》"
                "第三十条的规定，现一次性告知您对下列事项作出补正：",
                "${amendment_items}",
                "请您于${amendment_deadline}前作出补正，并将补正后的申请提交本机关。答复期限自本机关"
                "收到补正的申请之日起计算。",
                "您无正当理由逾期不补正的，视为放弃申请，本机关将不再处理该政府信息公开申请。",
                "如需了解如何补正，可联系本机关获得指导和释明。${contact_sentence}",
            ]
        ),
    ),
    LetterKind(
        "extension",
        "R-YQ",
        "延期答复告知书",
        "政府信息公开申请延期答复告知书",
        "\n".join(
            [
                "${applicant}：",
                _RECITAL + "因${extension_reason}，本机关不能在规定期限内作出答复。经本机关政府信息"
                "公开工作机构负责人同意，根据《中华人民共和国政府信息公开条例》第三十三条第二款的"
                "规定，答复期限延长${extension_days}个工作日，本机关将于${new_due}前作出答复。",
                "特此告知。",
            ]
        ),
    ),
    LetterKind(
        "consult_third_party",
        "R-ZQ3",
        "征求第三方意见书",
        "政府信息公开征求第三方意见书",
        "\n".join(
            [
                "${party}：",
                "本机关于${received_date}收到政府信息公开申请（登记编号：${registration_no}），申请"
                "公开的政府信息为：${consult_subject}。本机关认为该政府信息公开可能损害你方合法权益，"
                "根据《中华人民共和国政府信息公开条例》第三十二条的规定，现书面征求你方意见。",
                "请你方自收到本征求意见书之日起15个工作日内提出是否同意公开的书面意见；不同意公开的，"
                "请说明理由。逾期未提出意见的，由本机关依照《中华人民共和国政府信息公开条例》的规定"
                "决定是否公开。",
                "${contact_sentence}",
            ]
        ),
        addressed_to_party=True,
    ),
    LetterKind(
        "consult_co_agency",
        "R-ZQJ",
        "征求共同制作机关意见书",
        "政府信息公开征求意见书",
        "\n".join(
            [
                "${party}：",
                "本机关于${received_date}收到政府信息公开申请（登记编号：${registration_no}），申请"
                "公开的政府信息为：${consult_subject}。该政府信息由本机关与贵机关共同制作，根据"
                "《中华人民共和国政府信息公开条例》第三十四条的规定，现征求贵机关意见。",
                "请贵机关自收到本征求意见书之日起15个工作日内提出意见；逾期未提出意见的，视为同意"
                "公开。",
                "${contact_sentence}",
            ]
        ),
        addressed_to_party=True,
    ),
    LetterKind(
        "delayed_reply",
        "R-SMLY",
        "延迟答复告知书",
        "政府信息公开申请延迟答复告知书",
        "\n".join(
            [
                "${applicant}：",
                _RECITAL + "您申请公开政府信息的数量、频次明显超过合理范围，经审查，本机关认为您的"
                "申请理由合理，但无法在《中华人民共和国政府信息公开条例》第三十三条规定的期限内答复。"
                "根据该条例第三十五条的规定，本机关确定于${delayed_due}前作出答复。",
                "特此告知。",
            ]
        ),
    ),
    LetterKind(
        "fee_notice",
        "R-SF",
        "收费通知书",
        "政府信息公开信息处理费收费通知书",
        "\n".join(
            [
                "${applicant}：",
                _RECITAL
                + "根据《中华人民共和国政府信息公开条例》第四十二条和《政府信息公开信息处理费"
                "管理办法》（国办函〔2020〕109号）的规定，本机关决定对该申请收取信息处理费。",
                "计收方式：${fee_method}。",
                "${fee_explanation}",
                "收费金额：${fee_amount}。",
                "请您自收到本通知次日起20个工作日内，通过${fee_payment}缴纳上述费用。逾期未缴纳的，"
                "视为放弃申请，本机关将不再处理该政府信息公开申请。",
                "${contact_sentence}",
            ]
        ),
    ),
)


def _reply_kinds() -> tuple[LetterKind, ...]:
    out = []
    for rtype, spec in REPLY_SPECS.items():
        out.append(
            LetterKind(
                reply_kind(rtype),
                _REPLY_CODES.get(rtype, "R-BYGK"),
                f"{spec.letter_title.removeprefix('政府信息公开申请')}（{spec.label}）",
                spec.letter_title,
                REPLY_BODY,
                is_reply=True,
                reply_type=rtype,
            )
        )
    return tuple(out)


LETTER_KINDS: dict[str, LetterKind] = {k.code: k for k in (*_PROCEDURAL, *_reply_kinds())}


def template_problems(title: str, body: str) -> list[str]:
    """Problems of an administrator's template (unknown or malformed placeholders)."""
    problems = []
    for text in (title, body):
        try:
            names = {
                m.group("named") or m.group("braced")
                for m in string.Template.pattern.finditer(text)
                if m.group("invalid") is None and (m.group("named") or m.group("braced"))
            }
            invalid = [m for m in string.Template.pattern.finditer(text) if m.group("invalid")]
        except (ValueError, TypeError):  # pragma: no cover - the pattern never raises
            names, invalid = set(), []
        if invalid:
            problems.append("模板中有不完整的占位符（“$”后须为 {名称}）；如需显示“$”请写作“$$”。")
        unknown = sorted(n for n in names if n not in PLACEHOLDERS)
        if unknown:
            problems.append("未知的占位符：" + "、".join("${" + n + "}" for n in unknown))
    return problems
