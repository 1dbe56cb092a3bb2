"""Providers for the annual report (registered by dotted path in ``ledger/annual/figures.py``):
table 二 from the registers and the narrative figures of proactive disclosure."""

from __future__ import annotations

from typing import Any

from gongkai.core.models import Agency
from gongkai.ledger.publishing.selectors import channel_figures, table2_values


def table2_for(*, agency: Agency, region: bool, year: int) -> dict[str, Any]:
    """``{"table2": {T2Key: value}}`` of the agency (or its region) for ``year``."""
    return {"table2": table2_values(agency=agency, year=year, region=region)}


def _listing(counts: dict[str, int]) -> str:
    return "、".join(f"{label}{count}条" for label, count in counts.items()) or "无"


def figures_for(*, agency: Agency, region: bool, year: int) -> dict[str, object]:
    """Narrative figures: items published overall, per channel, per class."""
    figures = channel_figures(agency=agency, year=year, region=region)
    return {
        "主动公开信息总数": figures.total,
        "平台发布信息数": figures.platform,
        "政务新媒体发布数": figures.new_media,
        "各渠道发布情况": _listing(figures.by_channel),
        "各类别发布情况": _listing(figures.class_totals),
    }
