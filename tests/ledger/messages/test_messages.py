"""网民留言: receiving (due time), replying, publishing when agreed, closing, the year's figures;
every change audited without the writer's contact details."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gongkai.core.models import AuditEvent
from gongkai.ledger.messages import services
from gongkai.ledger.messages.models import PublicMessage
from gongkai.ledger.messages.selectors import message_list_public, message_year_figures
from gongkai.ledger.publishing.errors import ActionRefused, StaleVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def sfj(platform):
    return platform["shifanxian-sfj"]


@pytest.fixture
def users(platform):
    from django.contrib.auth import get_user_model

    return {u.username: u for u in get_user_model().objects.all()}


def _at(*args):
    return timezone.make_aware(dt.datetime(*args))


def _submit(sfj, contact="13800000001", when=None, agrees=True, **kw):
    return services.message_submit(
        agency=sfj,
        writer_name=kw.get("name", "刘先生"),
        contact=contact,
        subject=kw.get("subject", "法律援助"),
        body="请问如何申请？",
        agrees_to_publish=agrees,
        now=when or _at(2025, 3, 7, 10),
    )


def test_a_message_is_due_in_five_working_days(sfj):
    message = _submit(sfj, when=_at(2025, 3, 7, 10))  # a Friday
    assert message.reference.startswith("LY20250307")
    assert timezone.localtime(message.due_at) == _at(2025, 3, 14, 17, 30)
    event = AuditEvent.objects.get(action="public_message.received")
    assert event.actor is None and "13800000001" not in str(event.data)


def test_the_national_day_holiday_is_not_counted(sfj):
    message = _submit(sfj, when=_at(2025, 9, 30, 10))
    # 10/1–10/8 are holidays and Saturday 10/11 a make-up working day:
    # 10/9, 10/10, 10/11, 10/13, 10/14
    assert timezone.localtime(message.due_at).date() == dt.date(2025, 10, 14)


def test_required_fields(sfj):
    with pytest.raises(ValidationError):
        services.message_submit(
            agency=sfj, writer_name="", contact="x", subject="a", body="b", agrees_to_publish=False
        )


def test_reply_then_publish(sfj, users):
    message = _submit(sfj)
    with pytest.raises(ActionRefused, match="已答复"):
        services.message_publish(actor=users["sfj_head"], message=message)
    with pytest.raises(ActionRefused, match="权限"):
        services.message_reply(actor=users["sfj_secrecy"], message=message, reply="x")
    message = services.message_reply(
        actor=users["sfj_clerk"], message=message, reply="您好，……", expected_version=1
    )
    assert message.status == PublicMessage.Status.REPLIED and message.replied_at
    with pytest.raises(StaleVersion):
        services.message_reply(
            actor=users["sfj_clerk"], message=message, reply="改", expected_version=1
        )
    with pytest.raises(ActionRefused, match="权限"):
        services.message_publish(actor=users["sfj_clerk"], message=message)
    services.message_publish(actor=users["sfj_head"], message=message)
    assert list(message_list_public()) == [message]
    with pytest.raises(ActionRefused, match="取消公开"):
        services.message_reply(actor=users["sfj_clerk"], message=message, reply="再改")
    services.message_unpublish(actor=users["sfj_head"], message=message, reason="涉及个人信息")
    assert list(message_list_public()) == []
    codes = list(
        AuditEvent.objects.filter(subject_type="public_messages.publicmessage")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert codes == [
        "public_message.received",
        "public_message.replied",
        "public_message.published",
        "public_message.unpublished",
    ]


def test_a_message_is_published_only_if_the_writer_agreed(sfj, users):
    message = _submit(sfj, agrees=False)
    message = services.message_reply(actor=users["sfj_clerk"], message=message, reply="答复")
    with pytest.raises(ActionRefused, match="未同意公开"):
        services.message_publish(actor=users["sfj_head"], message=message)


def test_invalid_messages_are_closed_and_not_counted(sfj, users):
    message = _submit(sfj, contact="spam@example.com")
    services.message_close(actor=users["sfj_clerk"], message=message, reason="广告")
    assert message_year_figures(agency=sfj, year=2025).messages == 0
    with pytest.raises(ActionRefused):
        services.message_reply(actor=users["sfj_clerk"], message=message, reply="x")


def test_year_figures(sfj, users):
    clerk = users["sfj_clerk"]
    a = _submit(sfj, contact="138-0000-0001", when=_at(2025, 1, 6, 9))
    b = _submit(sfj, contact="13800000001", when=_at(2025, 2, 3, 9))  # same person
    c = _submit(sfj, contact="wang@example.com", when=_at(2025, 3, 3, 9))
    _submit(sfj, contact="13900000000", when=_at(2025, 4, 1, 9))  # unanswered
    _submit(sfj, contact="13700000000", when=_at(2024, 12, 31, 9))  # last year
    services.message_reply(actor=clerk, message=a, reply="1", now=_at(2025, 1, 6, 15))  # 6 h
    services.message_reply(actor=clerk, message=b, reply="2", now=_at(2025, 2, 4, 9))  # 24 h
    services.message_reply(actor=clerk, message=c, reply="3", now=_at(2025, 3, 31, 9))  # late
    figures = message_year_figures(agency=sfj, year=2025)
    assert (figures.messages, figures.people, figures.replied, figures.unanswered) == (4, 3, 3, 1)
    assert figures.replied_on_time == 2
    assert figures.reply_rate == Decimal("75.0")
    assert figures.median_reply_hours == Decimal("24.0") and figures.median_reply_days == Decimal(
        "1.0"
    )
    assert figures.narrative() == "2025年，共接受网民留言4件（3人），回复率为75%。"


def test_no_messages_no_rate(sfj):
    figures = message_year_figures(agency=sfj, year=2025)
    assert figures.reply_rate is None and figures.narrative() == "2025年，未收到网民留言。"
