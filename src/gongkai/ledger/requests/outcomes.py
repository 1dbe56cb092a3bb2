"""Decisions (条例第三十六条–第三十九条) → table-三 row, legal basis and reply letter (spec §1.7, §5).

One ``ReplySpec`` per reply type. The row is a ``formats.RowKey``; a partial disclosure
(区分处理, 第三十七条) is always ``O2`` — the grounds of the withheld part only add to the legal
basis quoted in the letter, never to another row. Pure Python, no Django.

The article texts are quoted from 《中华人民共和国政府信息公开条例》 (国务院令第711号). Articles
14–16 are quoted from the official text (the spec, §3.1, only summarises them).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from gongkai.statutory.formats import FIRST_2021_YEAR, RowKey

__all__ = [
    "ARTICLES",
    "REGULATION",
    "REPLY_SPECS",
    "WITHHOLDING_GROUNDS",
    "ReplySpec",
    "ReplyType",
    "basis_for",
    "report_row",
    "spec_for",
]

REGULATION = "《中华人民共和国政府信息公开条例》"
FEE_MEASURES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"

# Article texts quoted in letters (key → (citation, text)).
ARTICLES: dict[str, tuple[str, str]] = {
    "14": (
        "第十四条",
        "依法确定为国家秘密的政府信息，法律、行政法规禁止公开的政府信息，以及公开后可能危及国家安全、"
        "公共安全、经济安全、社会稳定的政府信息，不予公开。",
    ),
    "15": (
        "第十五条",
        "涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的政府信息，行政机关不得公开。但是，"
        "第三方同意公开或者行政机关认为不公开会对公共利益造成重大影响的，予以公开。",
    ),
    "16.1": (
        "第十六条第一款",
        "行政机关的内部事务信息，包括人事管理、后勤管理、内部工作流程等方面的信息，可以不予公开。",
    ),
    "16.2": (
        "第十六条第二款",
        "行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息以及"
        "行政执法案卷信息，可以不予公开。法律、法规、规章规定上述信息应当公开的，从其规定。",
    ),
    "30": (
        "第三十条",
        "政府信息公开申请内容不明确的，行政机关应当给予指导和释明，并自收到申请之日起7个工作日内一次性"
        "告知申请人作出补正，说明需要补正的事项和合理的补正期限。答复期限自行政机关收到补正的申请之日起"
        "计算。申请人无正当理由逾期不补正的，视为放弃申请，行政机关不再处理该政府信息公开申请。",
    ),
    "32": (
        "第三十二条",
        "依申请公开的政府信息公开会损害第三方合法权益的，行政机关应当书面征求第三方的意见。第三方应当"
        "自收到征求意见书之日起15个工作日内提出意见。第三方逾期未提出意见的，由行政机关依照本条例的规定"
        "决定是否公开。第三方不同意公开且有合理理由的，行政机关不予公开。行政机关认为不公开可能对公共"
        "利益造成重大影响的，可以决定予以公开，并将决定公开的政府信息内容和理由书面告知第三方。",
    ),
    "33.2": (
        "第三十三条第二款",
        "行政机关不能当场答复的，应当自收到申请之日起20个工作日内予以答复；需要延长答复期限的，应当经"
        "政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不得超过20个工作日。",
    ),
    "34": (
        "第三十四条",
        "申请公开的政府信息由两个以上行政机关共同制作的，牵头制作的行政机关收到政府信息公开申请后可以"
        "征求相关行政机关的意见，被征求意见机关应当自收到征求意见书之日起15个工作日内提出意见，逾期未"
        "提出意见的视为同意公开。",
    ),
    "35": (
        "第三十五条",
        "申请人申请公开政府信息的数量、频次明显超过合理范围，行政机关可以要求申请人说明理由。行政机关"
        "认为申请理由不合理的，告知申请人不予处理；行政机关认为申请理由合理，但是无法在本条例第三十三条"
        "规定的期限内答复申请人的，可以确定延迟答复的合理期限并告知申请人。",
    ),
    "36.1": (
        "第三十六条第（一）项",
        "所申请公开信息已经主动公开的，告知申请人获取该政府信息的方式、途径；",
    ),
    "36.2": (
        "第三十六条第（二）项",
        "所申请公开信息可以公开的，向申请人提供该政府信息，或者告知申请人获取该政府信息的方式、途径和"
        "时间；",
    ),
    "36.3": (
        "第三十六条第（三）项",
        "行政机关依据本条例的规定决定不予公开的，告知申请人不予公开并说明理由；",
    ),
    "36.4": ("第三十六条第（四）项", "经检索没有所申请公开信息的，告知申请人该政府信息不存在；"),
    "36.5": (
        "第三十六条第（五）项",
        "所申请公开信息不属于本行政机关负责公开的，告知申请人并说明理由；能够确定负责公开该政府信息的"
        "行政机关的，告知申请人该行政机关的名称、联系方式；",
    ),
    "36.6": (
        "第三十六条第（六）项",
        "行政机关已就申请人提出的政府信息公开申请作出答复、申请人重复申请公开相同政府信息的，告知申请人"
        "不予重复处理；",
    ),
    "36.7": (
        "第三十六条第（七）项",
        "所申请公开信息属于工商、不动产登记资料等信息，有关法律、行政法规对信息的获取有特别规定的，告知"
        "申请人依照有关法律、行政法规的规定办理。",
    ),
    "37": (
        "第三十七条",
        "申请公开的信息中含有不应当公开或者不属于政府信息的内容，但是能够作区分处理的，行政机关应当向"
        "申请人提供可以公开的政府信息内容，并对不予公开的内容说明理由。",
    ),
    "38": (
        "第三十八条",
        "行政机关向申请人提供的信息，应当是已制作或者获取的政府信息。除依照本条例第三十七条的规定能够作"
        "区分处理的外，需要行政机关对现有政府信息进行加工、分析的，行政机关可以不予提供。",
    ),
    "39.1": (
        "第三十九条第一款",
        "申请人以政府信息公开申请的形式进行信访、投诉、举报等活动，行政机关应当告知申请人不作为政府"
        "信息公开申请处理并可以告知通过相应渠道提出。",
    ),
    "39.2": (
        "第三十九条第二款",
        "申请人提出的申请内容为要求行政机关提供政府公报、报刊、书籍等公开出版物的，行政机关可以告知"
        "获取的途径。",
    ),
}


class ReplyType(StrEnum):
    GRANTED = "granted"
    ALREADY_PUBLIC = "already_public"
    PARTIAL = "partial"
    STATE_SECRET = "state_secret"
    LAW_PROHIBITED = "law_prohibited"
    THREE_SECURITY = "three_security"
    THIRD_PARTY = "third_party"
    INTERNAL_AFFAIRS = "internal_affairs"
    PROCESS_INFO = "process_info"
    ENFORCEMENT_FILE = "enforcement_file"
    SPECIAL_QUERY = "special_query"
    NOT_EXIST = "not_exist"
    NOT_RESPONSIBLE = "not_responsible"
    NEEDS_CREATION = "needs_creation"
    STILL_UNCLEAR = "still_unclear"
    PETITION = "petition"
    REPEAT = "repeat"
    PUBLICATION = "publication"
    EXCESSIVE = "excessive"
    REISSUE = "reissue"
    LAPSED_AMENDMENT = "lapsed_amendment"
    LAPSED_FEE = "lapsed_fee"
    TRANSFERRED = "transferred"
    WITHDRAWN = "withdrawn"
    OTHER = "other"

    @property
    def label(self) -> str:
        return REPLY_SPECS[self].label

    @property
    def spec(self) -> ReplySpec:
        return REPLY_SPECS[self]


@dataclass(frozen=True)
class ReplySpec:
    """One reply type: its report row, legal basis and letter."""

    type: ReplyType
    label: str  # shown in the decision form and the ledger
    row: RowKey
    articles: tuple[str, ...]  # keys of ARTICLES, cited in the letter
    letter_title: str
    decision_sentence: str  # the operative sentence of the letter (template text)
    decidable: bool = True  # chosen by a decision (False: set by lapse/transfer actions)
    appealable: bool = True  # the letter carries the remedy sentence
    is_withholding_ground: bool = False  # a ground a partial disclosure may cite

    @property
    def basis(self) -> str:
        """The citation, e.g. ``《中华人民共和国政府信息公开条例》第三十六条第（二）项``."""
        return basis_for(self.articles)

    @property
    def row_label(self) -> str:
        from gongkai.statutory.formats import LAYOUT_2021

        return LAYOUT_2021.table3_row(self.row).full_label


_R = ReplyType
_REPLY = "政府信息公开申请答复书"
_NOTICE = "政府信息公开申请告知书"

REPLY_SPECS: dict[ReplyType, ReplySpec] = {
    s.type: s
    for s in (
        ReplySpec(
            _R.GRANTED,
            "予以公开",
            RowKey.O1,
            ("36.2",),
            _REPLY,
            "经审查，您申请公开的政府信息属于可以公开的政府信息，本机关决定予以公开。",
        ),
        ReplySpec(
            _R.ALREADY_PUBLIC,
            "已主动公开（告知获取方式、途径）",
            RowKey.O1,
            ("36.1",),
            _REPLY,
            "经审查，您申请公开的政府信息本机关已经主动公开，现将获取该政府信息的方式、途径告知如下。",
        ),
        ReplySpec(
            _R.PARTIAL,
            "部分公开（区分处理）",
            RowKey.O2,
            ("37",),
            _REPLY,
            "经审查，您申请公开的信息中含有不应当公开的内容，本机关依法作区分处理，向您提供可以公开的"
            "政府信息内容，并对不予公开的内容说明理由。",
        ),
        ReplySpec(
            _R.STATE_SECRET,
            "不予公开：属于国家秘密",
            RowKey.O3_1,
            ("36.3", "14"),
            _REPLY,
            "经审查，您申请公开的政府信息属于依法确定为国家秘密的政府信息，本机关决定不予公开。",
            is_withholding_ground=True,
        ),
        ReplySpec(
            _R.LAW_PROHIBITED,
            "不予公开：其他法律行政法规禁止公开",
            RowKey.O3_2,
            ("36.3", "14"),
            _REPLY,
            "经审查，您申请公开的政府信息属于法律、行政法规禁止公开的政府信息，本机关决定不予公开。",
            is_withholding_ground=True,
        ),
        ReplySpec(
            _R.THREE_SECURITY,
            "不予公开：危及“三安全一稳定”",
            RowKey.O3_3,
            ("36.3", "14"),
            _REPLY,
            "经审查，您申请公开的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定，本机关"
            "决定不予公开。",
            is_withholding_ground=True,
        ),
        ReplySpec(
            _R.THIRD_PARTY,
            "不予公开：保护第三方合法权益",
            RowKey.O3_4,
            ("36.3", "15", "32"),
            _REPLY,
            "经审查，您申请公开的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害，"
            "本机关决定不予公开。",
            is_withholding_ground=True,
        ),
        ReplySpec(
            _R.INTERNAL_AFFAIRS,
            "不予公开：属于三类内部事务信息",
            RowKey.O3_5,
            ("36.3", "16.1"),
            _REPLY,
            "经审查，您申请公开的政府信息属于行政机关的内部事务信息，本机关决定不予公开。",
            is_withholding_ground=True,
        ),
        ReplySpec(
            _R.PROCESS_INFO,
            "不予公开：属于四类过程性信息",
            RowKey.O3_6,
            ("36.3", "16.2"),
            _REPLY,
            "经审查，您申请公开的政府信息属于行政机关在履行行政管理职能过程中形成的过程性信息，本机关"
            "决定不予公开。",
            is_withholding_ground=True,
        ),
        ReplySpec(
            _R.ENFORCEMENT_FILE,
            "不予公开：属于行政执法案卷",
            RowKey.O3_7,
            ("36.3", "16.2"),
            _REPLY,
            "经审查，您申请公开的政府信息属于行政执法案卷信息，本机关决定不予公开。",
            is_withholding_ground=True,
        ),
        ReplySpec(
            _R.SPECIAL_QUERY,
            "属于行政查询事项（依照有关法律、行政法规办理）",
            RowKey.O3_8,
            ("36.7",),
            _REPLY,
            "经审查，您申请获取的信息属于有关法律、行政法规对信息的获取有特别规定的信息，请您依照有关"
            "法律、行政法规的规定办理。",
            is_withholding_ground=True,
        ),
        ReplySpec(
            _R.NOT_EXIST,
            "信息不存在",
            RowKey.O4_1,
            ("36.4",),
            _REPLY,
            "经检索，本机关没有您申请公开的政府信息，该政府信息不存在。",
        ),
        ReplySpec(
            _R.NOT_RESPONSIBLE,
            "非本机关负责公开",
            RowKey.O4_1,
            ("36.5",),
            _REPLY,
            "经审查，您申请公开的政府信息不属于本机关负责公开。",
        ),
        ReplySpec(
            _R.NEEDS_CREATION,
            "没有现成信息需要另行制作",
            RowKey.O4_2,
            ("38",),
            _REPLY,
            "经审查，本机关没有现成的您所申请的信息，需要对现有政府信息进行加工、分析才能形成，本机关"
            "不予提供。",
        ),
        ReplySpec(
            _R.STILL_UNCLEAR,
            "补正后申请内容仍不明确",
            RowKey.O4_3,
            ("30",),
            _REPLY,
            "经补正，您的申请内容仍不明确，本机关无法确定您所申请公开的政府信息，无法向您提供。",
        ),
        ReplySpec(
            _R.PETITION,
            "信访举报投诉类申请",
            RowKey.O5_1,
            ("39.1",),
            _NOTICE,
            "经审查，您以政府信息公开申请的形式提出的事项属于信访、投诉、举报，本机关不作为政府信息"
            "公开申请处理，您可以通过相应渠道提出。",
        ),
        ReplySpec(
            _R.REPEAT,
            "重复申请（不予重复处理）",
            RowKey.O5_2,
            ("36.6",),
            _REPLY,
            "经审查，本机关已就您提出的政府信息公开申请作出答复，您再次申请公开相同的政府信息，本机关"
            "不予重复处理。",
        ),
        ReplySpec(
            _R.PUBLICATION,
            "要求提供公开出版物",
            RowKey.O5_3,
            ("39.2",),
            _NOTICE,
            "经审查，您申请的内容为要求提供政府公报、报刊、书籍等公开出版物，现将获取途径告知如下。",
        ),
        ReplySpec(
            _R.EXCESSIVE,
            "无正当理由大量反复申请",
            RowKey.O5_4,
            ("35",),
            _NOTICE,
            "您申请公开政府信息的数量、频次明显超过合理范围，经要求说明理由，本机关认为申请理由不合理，"
            "决定不予处理。",
        ),
        ReplySpec(
            _R.REISSUE,
            "要求行政机关确认或重新出具已获取信息",
            RowKey.O5_5,
            (),
            _NOTICE,
            "经审查，您的申请系要求本机关确认或者重新出具您已获取的信息，不属于政府信息公开申请的处理"
            "范围，本机关不予处理。",
        ),
        ReplySpec(
            _R.LAPSED_AMENDMENT,
            "逾期不补正，视为放弃申请",
            RowKey.O6_1,
            ("30",),
            _NOTICE,
            "您未在补正期限内作出补正，依法视为放弃申请，本机关不再处理该政府信息公开申请。",
            decidable=False,
        ),
        ReplySpec(
            _R.LAPSED_FEE,
            "逾期未缴纳信息处理费，视为放弃申请",
            RowKey.O6_2,
            (),
            _NOTICE,
            "您未在收费通知规定的期限内缴纳信息处理费，依法视为放弃申请，本机关不再处理该政府信息公开"
            "申请。",
            decidable=False,
        ),
        ReplySpec(
            _R.TRANSFERRED,
            "非本机关负责公开（已转送）",
            RowKey.O4_1,
            ("36.5",),
            _NOTICE,
            "经审查，您申请公开的政府信息不属于本机关负责公开，本机关已将您的申请转送负责公开该政府信息"
            "的行政机关办理。",
            decidable=False,
        ),
        ReplySpec(
            _R.WITHDRAWN,
            "申请人撤回申请",
            RowKey.O6_3,
            (),
            _NOTICE,
            "您已撤回该政府信息公开申请，本机关终止办理。",
            appealable=False,
        ),
        ReplySpec(
            _R.OTHER,
            "其他处理",
            RowKey.O6_3,
            (),
            _NOTICE,
            "本机关对您的申请作如下处理。",
        ),
    )
}

WITHHOLDING_GROUNDS: tuple[ReplyType, ...] = tuple(
    t for t, s in REPLY_SPECS.items() if s.is_withholding_ground
)
DECIDABLE: tuple[ReplyType, ...] = tuple(t for t, s in REPLY_SPECS.items() if s.decidable)

# FEE_MEASURES is the basis of the fee lapse; kept separate from the 条例 articles.
_EXTRA_BASIS = {ReplyType.LAPSED_FEE: FEE_MEASURES}


def spec_for(reply_type: ReplyType | str) -> ReplySpec:
    return REPLY_SPECS[ReplyType(reply_type)]


def basis_for(articles: tuple[str, ...] | list[str]) -> str:
    """``("36.3", "14")`` → ``《中华人民共和国政府信息公开条例》第三十六条第（三）项、第十四条``."""
    if not articles:
        return ""
    cites: list[str] = []
    for key in articles:
        cite = ARTICLES[key][0]
        if cite not in cites:
            cites.append(cite)
    return REGULATION + "、".join(cites)


def legal_basis(reply_type: ReplyType | str, grounds: tuple[str, ...] | list[str] = ()) -> str:
    """The default legal basis of a decision: its articles, plus the grounds of a partial
    disclosure's withheld part (e.g. 第三十七条 + 第十五条)."""
    spec = spec_for(reply_type)
    articles = list(spec.articles)
    for g in grounds:
        for a in spec_for(g).articles:
            if a not in articles and a != "36.3":
                articles.append(a)
    text = basis_for(tuple(articles))
    extra = _EXTRA_BASIS.get(spec.type)
    if extra:
        text = f"{text}、{extra}" if text else extra
    return text


def quoted_articles(
    reply_type: ReplyType | str, grounds: tuple[str, ...] | list[str] = ()
) -> list[str]:
    """The article texts to quote in the letter, each as ``第X条：text``."""
    spec = spec_for(reply_type)
    keys = list(spec.articles)
    for g in grounds:
        keys += [a for a in spec_for(g).articles if a not in keys and a != "36.3"]
    return [f"{ARTICLES[k][0]}：{ARTICLES[k][1]}" for k in keys]


def report_row(reply_type: ReplyType | str, year: int) -> RowKey:
    """The table-三 row for a reply in a report ``year`` (2019 layout folds （六） into ``O6``)."""
    row = spec_for(reply_type).row
    if year < FIRST_2021_YEAR and row in (RowKey.O6_1, RowKey.O6_2, RowKey.O6_3):
        return RowKey.O6
    return row
