"""Provider for the annual report (registered in ``ledger/annual/figures.py``): the year's
网民留言 figures."""

from __future__ import annotations

from gongkai.core.models import Agency
from gongkai.ledger.messages.selectors import message_year_figures


def figures_for(*, agency: Agency, region: bool, year: int) -> dict[str, object]:
    figures = message_year_figures(agency=agency, year=year, region=region)
    rate: object = 100  # no messages: nothing left unanswered
    if figures.reply_rate is not None:
        value = figures.reply_rate
        rate = int(value) if value == value.to_integral_value() else value
    return {"网民留言数": figures.messages, "留言人数": figures.people, "留言答复率": rate}
