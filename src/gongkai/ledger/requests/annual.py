"""What the application ledger gives the annual report: tables 三 and 四, the fee figures
(section 六) and the narrative's figures (applications by channel). Registered in
``gongkai.ledger.annual.figures``."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from gongkai.core.models import Agency
from gongkai.ledger.requests.aggregation import (
    Scope,
    ledger_report,
    population,
    row_condition,
    scoped,
)
from gongkai.statutory.deadlines import Channel
from gongkai.statutory.formats import RowKey

# How reports name the channels in their narrative ("网络申请 2件、信函申请 4件").
CHANNEL_PHRASES: tuple[tuple[str, tuple[Channel, ...]], ...] = (
    ("网络申请", (Channel.ONLINE, Channel.EMAIL)),
    ("信函申请", (Channel.REGISTERED_POST, Channel.ORDINARY_LETTER)),
    ("当面申请", (Channel.IN_PERSON, Channel.ORAL)),
    ("传真申请", (Channel.FAX,)),
)


def tables_for(*, agency: Agency, region: bool, year: int) -> dict[str, Any]:
    result = ledger_report(Scope(agency, region=region), year)
    return {"table3": result.table3, "table4": result.table4, "processing_fees": result.fees}


def channel_counts(*, agency: Agency, region: bool, year: int) -> dict[str, int]:
    """New applications of ``year`` by narrative channel phrase (zero phrases omitted)."""
    rows = (
        scoped(Scope(agency, region=region))
        .filter(population(year))
        .filter(row_condition(RowKey.NEW, year))
        .values("channel")
        .annotate(n=Count("pk"))
    )
    by_channel = {row["channel"]: row["n"] for row in rows}
    out: dict[str, int] = {}
    for phrase, channels in CHANNEL_PHRASES:
        n = sum(by_channel.get(c.value, 0) for c in channels)
        if n:
            out[phrase] = n
    return out


def figures_for(*, agency: Agency, region: bool, year: int) -> dict[str, object]:
    counts = channel_counts(agency=agency, region=region, year=year)
    text = "、".join(f"{phrase}{n}件" for phrase, n in counts.items())
    return {"各渠道申请情况": text or "无"}
