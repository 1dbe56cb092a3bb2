"""Narrative with live figures: section templates whose ``{{占位符}}`` stay linked to the data.

A template is plain text in which ``{{本年新收申请}}`` stands for a figure. ``fill`` replaces
every placeholder from a figures mapping; an unknown placeholder is left visible and reported so
the office sees it. When the office freezes a section, its filled text is stored and no longer
follows the data. Pure Python (no Django), so it is easy to test.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

PLACEHOLDER = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")

# Figure name -> what it is (shown to the office as the list of placeholders it may use).
FIGURE_CATALOGUE: dict[str, str] = {
    "年度": "报告年度",
    "机关": "机关名称",
    "主动公开信息总数": "本年度主动公开信息条数（全部渠道）",
    "平台发布信息数": "通过政务公开平台（门户网站）发布的信息条数",
    "政务新媒体发布数": "政务微信、微博等新媒体发布的信息条数",
    "各渠道发布情况": "按渠道列出的发布条数（如：门户网站 120条、政务微信 80条）",
    "各类别发布情况": "按公开类别列出的发布条数",
    "制发规范性文件": "本年制发行政规范性文件件数（表二）",
    "现行有效规范性文件": "现行有效行政规范性文件件数（表二）",
    "本年新收申请": "本年新收政府信息公开申请件数（表三第一项总计）",
    "上年结转申请": "上年结转申请件数（表三第二项总计）",
    "各渠道申请情况": "按提交方式列出的申请件数（如：网络申请 2件、信函申请 4件）",
    "办结申请": "本年度办理完毕的申请件数（表三（七）总计）",
    "予以公开": "予以公开件数",
    "部分公开": "部分公开件数",
    "不予公开": "不予公开件数（（三）各项之和）",
    "无法提供": "无法提供件数（（四）各项之和）",
    "不予处理": "不予处理件数（（五）各项之和）",
    "其他处理": "其他处理件数（（六）各项之和）",
    "结转下年度": "结转下年度继续办理件数",
    "行政复议": "政府信息公开行政复议案件总数（表四）",
    "行政诉讼": "政府信息公开行政诉讼案件总数（表四）",
    "网民留言数": "本年度收到的网民留言条数",
    "留言人数": "留言人数",
    "留言答复率": "留言答复率（%）",
    "收费通知件数": "发出信息处理费收费通知件数",
    "实收信息处理费": "实际收取信息处理费金额（元）",
    "信息处理费说明": "信息处理费收取情况的一句话说明",
}


@dataclass(frozen=True)
class Filled:
    text: str
    unknown: tuple[str, ...]


def _format(value: object) -> str:
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    return str(value)


def fill(template: str, figures: Mapping[str, object]) -> Filled:
    """Replace placeholders by figures; unknown names stay as ``{{name}}`` and are listed."""
    unknown: list[str] = []

    def repl(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in figures and figures[name] is not None:
            return _format(figures[name])
        unknown.append(name)
        return match.group(0)

    return Filled(PLACEHOLDER.sub(repl, template), tuple(dict.fromkeys(unknown)))


def placeholders(template: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(PLACEHOLDER.findall(template)))


# Default templates in the style of published reports (the seed is one). Sections 二–四 are the
# tables; their text is a single sentence. Section 五 is never empty; section 六 always states
# the processing fees (rule M-03).
DEFAULT_TEMPLATES: dict[int, str] = {
    1: (
        "{{年度}}年，{{机关}}认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、"
        "不公开为例外，规范工作机制，提高公开质量，全力做好政府信息公开工作。\n"
        "（一）主动公开方面。{{年度}}年，共主动公开政府信息{{主动公开信息总数}}条。"
        "按发布渠道统计（同一条信息可在多个渠道发布）：{{各渠道发布情况}}。"
        "本年制发行政规范性文件{{制发规范性文件}}件，现行有效行政规范性文件{{现行有效规范性文件}}件。\n"
        "（二）依申请公开方面。{{年度}}年共收到政府信息公开申请{{本年新收申请}}件，"
        "其中{{各渠道申请情况}}；上年结转{{上年结转申请}}件。本年度办结{{办结申请}}件，"
        "结转下年度继续办理{{结转下年度}}件。\n"
        "（三）政府信息管理方面。严格落实信息发布“三审三校”和保密审查制度，规范信息公开行为，"
        "及时更新政府信息公开指南和目录。\n"
        "（四）平台建设方面。依托政务公开平台和政务新媒体开展信息公开，定期检查错字错链和栏目更新情况，"
        "确保平台运行安全。\n"
        "（五）监督保障方面。加强政府信息公开工作的组织领导和监督检查，及时回复网民留言，"
        "全年收到网民留言{{网民留言数}}条，答复率{{留言答复率}}%。"
    ),
    2: "本年度主动公开政府信息情况见下表。",
    3: "本年度收到和处理政府信息公开申请情况见下表。",
    4: "本年度政府信息公开行政复议、行政诉讼情况见下表。",
    5: (
        "{{年度}}年，我单位政府信息公开工作取得了一定成效，但仍存在一些不足：一是政策解读的形式"
        "还不够丰富；二是工作人员业务能力有待进一步提升。\n"
        "下一步，我单位将针对上述问题，加强政策解读，创新解读形式；加强业务培训，"
        "不断提升政府信息公开工作的规范化水平。"
    ),
    6: "{{信息处理费说明}}",
}
