"""Reads of 网民留言: staff lists through the scoping function, the portal through one
published selector, and the year's figures for the annual report."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from gongkai.core.models import Agency
from gongkai.core.scoping import scope_to_user
from gongkai.ledger.messages.models import PublicMessage

Status = PublicMessage.Status


def message_list_for_user(user: Any) -> QuerySet[PublicMessage]:
    return scope_to_user(PublicMessage.objects.select_related("agency", "replied_by"), user)


def message_get_for_user(*, user: Any, message_id: int) -> PublicMessage:
    try:
        return message_list_for_user(user).get(pk=message_id)
    except PublicMessage.DoesNotExist:
        raise Http404("未找到该留言") from None


def message_list_public() -> QuerySet[PublicMessage]:
    """THE portal selector of messages: published Q&A of active agencies, newest first.
    Contact details are never selected."""
    return (
        PublicMessage.objects.filter(
            published_at__isnull=False,
            status=Status.REPLIED,
            agrees_to_publish=True,
            agency__is_active=True,
        )
        .select_related("agency")
        .defer("contact", "writer_key")
        .order_by("-published_at", "-pk")
    )


def message_get_public(message_id: int) -> PublicMessage:
    try:
        return message_list_public().get(pk=message_id)
    except PublicMessage.DoesNotExist:
        raise Http404("未找到该留言") from None


@dataclass(frozen=True)
class MessageYearFigures:
    """The year's 网民留言 figures of an agency (invalid messages excluded).

    ``reply_rate`` is a percentage (one decimal); ``median_reply_hours`` / ``median_reply_days``
    are over the messages replied to; ``replied_on_time`` within the due time.
    """

    agency: str
    year: int
    messages: int
    people: int
    replied: int
    replied_on_time: int
    unanswered: int
    reply_rate: Decimal | None
    median_reply_hours: Decimal | None

    @property
    def median_reply_days(self) -> Decimal | None:
        if self.median_reply_hours is None:
            return None
        return (self.median_reply_hours / 24).quantize(Decimal("0.1"), ROUND_HALF_UP)

    def narrative(self) -> str:
        """The figures as the annual report usually states them."""
        if not self.messages:
            return f"{self.year}年，未收到网民留言。"
        rate = f"{self.reply_rate.normalize():f}%" if self.reply_rate is not None else "—"
        return (
            f"{self.year}年，共接受网民留言{self.messages}件（{self.people}人），回复率为{rate}。"
        )


def message_year_figures(*, agency: Agency, year: int, region: bool = False) -> MessageYearFigures:
    """Messages received in ``year`` (local time) by ``agency`` (or, with ``region``, by every
    agency in its subtree): counts, people, reply rate and the median reply time."""
    zone = timezone.get_current_timezone()
    start = dt.datetime(year, 1, 1, tzinfo=zone)
    end = dt.datetime(year + 1, 1, 1, tzinfo=zone)
    where = Q(agency__path__startswith=agency.path) if region else Q(agency=agency)
    rows = PublicMessage.objects.filter(
        where, submitted_at__gte=start, submitted_at__lt=end
    ).exclude(status=Status.CLOSED)
    totals = rows.aggregate(
        messages=Count("pk"),
        people=Count("writer_key", distinct=True),
        replied=Count("pk", filter=Q(status=Status.REPLIED)),
    )
    durations = [
        (replied_at - submitted_at).total_seconds() / 3600
        for submitted_at, replied_at in rows.filter(status=Status.REPLIED).values_list(
            "submitted_at", "replied_at"
        )
    ]
    on_time = rows.filter(status=Status.REPLIED).filter(replied_at__lte=F("due_at")).count()
    messages = totals["messages"]
    rate = None
    if messages:
        rate = (Decimal(totals["replied"]) * 100 / messages).quantize(Decimal("0.1"), ROUND_HALF_UP)
    median = None
    if durations:
        median = Decimal(str(statistics.median(durations))).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return MessageYearFigures(
        agency=agency.name,
        year=year,
        messages=messages,
        people=totals["people"],
        replied=totals["replied"],
        replied_on_time=on_time,
        unanswered=messages - totals["replied"],
        reply_rate=rate,
        median_reply_hours=median,
    )
