"""Plausible annual reports for the demo and the tests: consistent tables, a narrative that
quotes them, and optional defects of the kinds supervising offices find. Pure Python."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace
from decimal import Decimal

from gongkai.statutory.formats import (
    PERIOD_TEMPLATE,
    Col,
    RowKey,
    T4Cell,
    T4Group,
    layout_for_year,
)
from gongkai.statutory.report import AnnualReport, StatisticsPeriod, make_report

__all__ = ["DEFECTS", "sample_report"]

DEFECTS = ("reconciliation", "copied_year", "row_total")
"""``reconciliation``: 结转下年度 off by one (A-03); ``copied_year``: a paragraph still says
last year (M-12); ``row_total``: a row total that does not add up (A-01)."""


def sample_report(
    agency: str,
    year: int,
    *,
    seed: int = 0,
    government: bool = False,
    published_on: dt.date | None = None,
    carried_in: int | None = None,
    defect: str | None = None,
) -> AnnualReport:
    """A report of ``agency`` for ``year`` whose sums hold (unless ``defect`` says otherwise)."""
    rng = random.Random(f"{agency}-{year}-{seed}")
    layout = layout_for_year(year)
    np_new = rng.randint(4, 40)
    biz_new = rng.randint(0, 6)
    carry_in_np = carried_in if carried_in is not None else rng.randint(0, 3)
    total_np = np_new + carry_in_np
    carry_out_np = rng.randint(0, min(3, total_np))
    handled_np = total_np - carry_out_np
    granted = handled_np // 2
    partial = handled_np // 5
    unable = handled_np - granted - partial
    rows: dict[RowKey | str, list[int | None]] = {}

    def row(np: int, biz: int = 0) -> list[int | None]:
        return [np, biz, 0, 0, 0, 0, np + biz]

    rows[RowKey.NEW] = row(np_new, biz_new)
    rows[RowKey.CARRY_IN] = row(carry_in_np)
    rows[RowKey.O1] = row(granted, biz_new)
    rows[RowKey.O2] = row(partial)
    rows[RowKey.O4_1] = row(unable)
    rows[RowKey.OTOT] = row(handled_np, biz_new)
    rows[RowKey.CARRY_OUT] = row(carry_out_np)
    reviews = rng.randint(0, 2)
    suits = rng.randint(0, 1)
    table4: dict[T4Group | str, list[int | None]] = {
        T4Group.REV: [reviews, 0, 0, 0, reviews],
        T4Group.LIT_DIRECT: [suits, 0, 0, 0, suits],
        T4Group.LIT_AFTER_REV: [0, 0, 0, 0, 0],
    }
    normative_issued = rng.randint(0, 5)
    table2: dict[str, object] = {}
    for key in layout.table2_keys:
        if key.value == "normative_issued":
            table2[key] = normative_issued
        elif key.value == "normative_in_force":
            table2[key] = normative_issued + rng.randint(5, 40)
        elif key.value.endswith("_decisions"):
            table2[key] = rng.randint(0, 300)
        elif key.value == "admin_fee_amount":
            table2[key] = Decimal(rng.randint(0, 5000)) / 100
        else:
            table2[key] = 0
    if defect == "reconciliation":
        rows[RowKey.CARRY_OUT] = row(carry_out_np + 1)
    elif defect == "row_total":
        rows[RowKey.O1] = [granted, biz_new, 0, 0, 0, 0, granted + biz_new + 1]
    new_total = np_new + biz_new
    opening = f"{year - 1 if defect == 'copied_year' else year}年，"
    sections = {
        1: (
            f"{year}年，{agency}认真贯彻落实《中华人民共和国政府信息公开条例》，"
            "坚持以公开为常态、不公开为例外，扎实推进政府信息公开工作。\n"
            "（一）主动公开。及时公开机构职能、政策文件和行政执法信息。\n"
            f"（二）依申请公开。全年新收政府信息公开申请{new_total}件，"
            f"办结{handled_np + biz_new}件，结转下年度{carry_out_np}件。\n"
            "（三）政府信息管理。严格落实保密审查和三审三校制度。\n"
            "（四）政府信息公开平台建设。依托政务公开云平台集约发布。\n"
            "（五）监督保障。"
            + (
                "将政务公开纳入工作考核，开展社会评议，落实责任追究制度。"
                if government
                else "健全工作机制，加强培训。"
            )
        ),
        2: f"{opening}本机关主动公开政府信息，制发行政规范性文件{normative_issued}件。",
        3: "本年度依法办理政府信息公开申请，办理情况见下表。",
        4: f"本年度因政府信息公开工作被申请行政复议{reviews}件，被提起行政诉讼{suits}件。",
        5: "存在的主要问题：公开内容的解读回应有待加强。改进情况：针对上年度问题，已完善政策解读机制。",
        6: "本年度未收取信息处理费。无其他需要报告的事项。",
    }
    report = make_report(
        agency=agency,
        year=year,
        version=layout.version,
        table2=table2,  # type: ignore[arg-type]
        table3=rows,
        table4=table4,
        sections=sections,
        title=f"{agency}{year}年政府信息公开工作年度报告",
        period=StatisticsPeriod(
            dt.date(year, 1, 1), dt.date(year, 12, 31), PERIOD_TEMPLATE.format(year=year)
        ),
        published_on=published_on,
    )
    assert report.cell(RowKey.NEW, Col.TOT) == new_total
    assert report.table4_value(T4Group.REV, T4Cell.TOTAL) == reviews
    return replace(report)
