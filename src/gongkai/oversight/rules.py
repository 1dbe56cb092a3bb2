"""The audit's supplementary text rule (T-): a mistake in the narrative the statutory rules
(S-, V-, A-, Y-, M-) do not look for, but that supervising offices name in their circulars
("内容不准确", text pasted together, spec §2.10).

* T-01 — the numbering of the sub-headings jumps (（一）（二）（五）): a part was deleted or the
  text was pasted together.

A warning: a person reads the passage. Rules of this kind belong in ``statutory.checks`` once
they prove themselves (the year copied from last year's report and parts exceeding their total
started here and are now M-12 and M-11). Pure Python, no Django.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from gongkai.statutory.checks import Finding, Location, Rule, Severity
from gongkai.statutory.numerals import chinese_to_int
from gongkai.statutory.report import AnnualReport

__all__ = ["AUDIT_RULES", "text_findings"]

AUDIT_RULES: tuple[Rule, ...] = (
    Rule(
        "T-01",
        "小标题序号连续",
        Severity.WARNING,
        "同一部分中的小标题序号应连续（（一）（二）（三）……），跳号说明内容缺失或拼接有误。",
    ),
)

_CN = "一二三四五六七八九十"
_SUBHEADING = re.compile(r"(?<![第])[（(]([一二三四五六七八九十]{1,3})[)）](?![项条款])")


def text_findings(report: AnnualReport) -> list[Finding]:
    """Findings of the T- rules on the report's narrative."""
    out: list[Finding] = []
    for number in (1, 5):
        out.extend(_t01_numbering(report, number))
    return out


def _text(report: AnnualReport, number: int) -> str:
    return report.section(number) or ""


def _t01_numbering(report: AnnualReport, number: int) -> Iterator[Finding]:
    text = _text(report, number)
    previous = 0
    for m in _SUBHEADING.finditer(text):
        try:
            n = chinese_to_int(m.group(1))
        except (ValueError, KeyError):
            continue
        if n == 1 or n == previous + 1:
            previous = n
            continue
        if n > previous + 1 and previous > 0:
            missing = "".join(f"（{_cn(i)}）" for i in range(previous + 1, n))
            yield Finding(
                "T-01",
                Severity.WARNING,
                f"第{number}部分小标题由（{_cn(previous)}）直接跳到（{_cn(n)}），缺少{missing}，"
                "请核对是否漏写或编号有误。",
                Location(section=number),
                (previous, n),
            )
        previous = max(previous, n)


def _cn(n: int) -> str:
    if n <= 10:
        return _CN[n - 1]
    if n < 20:
        return "十" + (_CN[n - 11] if n > 10 else "")
    return str(n)
