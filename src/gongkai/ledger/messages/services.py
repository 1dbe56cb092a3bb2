"""网民留言: receiving a message, replying within the due time, publishing the Q&A when the
writer agreed, closing invalid messages. Every change is audited (without contact details)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.core import audit, clock
from gongkai.core.models import Agency
from gongkai.ledger.messages.models import PublicMessage
from gongkai.ledger.publishing.access import require
from gongkai.ledger.publishing.errors import ActionRefused, StaleVersion
from gongkai.statutory.workdays import WorkdayCalendar, add_workdays

REPLY_WORKDAYS = 5
"""Reply due within this many working days (local practice; the website inspection rules treat
messages unanswered for 3 months as a failure)."""
DUE_TIME = dt.time(17, 30)
MAX_BODY = 2000


def _calendar() -> WorkdayCalendar | None:
    try:  # the editable calendar (holiday overrides) when the platform has one
        from gongkai.core.calendar import current_calendar
    except ImportError:  # pragma: no cover - older platform
        return None
    return current_calendar()


def due_at_for(submitted_at: dt.datetime) -> dt.datetime:
    """End of the office day ``REPLY_WORKDAYS`` working days after the day of submission."""
    day = add_workdays(timezone.localdate(submitted_at), REPLY_WORKDAYS, _calendar())
    return dt.datetime.combine(day, DUE_TIME, tzinfo=timezone.get_current_timezone())


def writer_key_for(contact: str) -> str:
    """A stable digest of the normalised contact, to count distinct people."""
    normalised = re.sub(r"[\s\-()（）]", "", contact).lower()
    return hashlib.sha256(f"gongkai-message-writer:{normalised}".encode()).hexdigest()


def _new_reference(now: dt.datetime) -> str:
    return f"LY{timezone.localtime(now):%Y%m%d}{secrets.randbelow(10**6):06d}"


def message_submit(
    *,
    agency: Agency,
    writer_name: str,
    contact: str,
    subject: str,
    body: str,
    agrees_to_publish: bool,
    now: dt.datetime | None = None,
) -> PublicMessage:
    """Receive a message from the portal (no staff actor: audited as the public)."""
    if not agency.is_active:
        raise ValidationError("该机关未开通网民留言")
    writer_name, contact = writer_name.strip(), contact.strip()
    subject, body = subject.strip(), body.strip()
    if not (writer_name and contact and subject and body):
        raise ValidationError("姓名、联系方式、标题和留言内容均为必填项")
    if len(body) > MAX_BODY:
        raise ValidationError(f"留言内容不能超过 {MAX_BODY} 字")
    now = now or clock.now()
    for _ in range(5):
        try:
            with transaction.atomic():
                message = PublicMessage.objects.create(
                    agency=agency,
                    reference=_new_reference(now),
                    writer_name=writer_name,
                    contact=contact,
                    writer_key=writer_key_for(contact),
                    subject=subject,
                    body=body,
                    agrees_to_publish=agrees_to_publish,
                    submitted_at=now,
                    due_at=due_at_for(now),
                )
                audit.record(
                    actor=None,
                    action="public_message.received",
                    subject=message,
                    after={
                        "reference": message.reference,
                        "subject": subject,
                        "agrees_to_publish": agrees_to_publish,
                        "due_at": timezone.localtime(message.due_at),
                    },
                )
            return message
        except IntegrityError:  # reference collision: draw again
            continue
    raise RuntimeError("could not allocate a message reference")  # pragma: no cover


def _locked(message: PublicMessage, expected_version: int | None) -> PublicMessage:
    locked = PublicMessage.objects.select_for_update().get(pk=message.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion(expected=expected_version, current=locked.version)
    return locked


def message_reply(
    *,
    actor: Any,
    message: PublicMessage,
    reply: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> PublicMessage:
    """Answer a message (or amend the answer until the Q&A is published). ``now`` lets an
    import record when a reply was actually given."""
    require(actor, message.agency, "handle_application", "答复网民留言")
    reply = reply.strip()
    if not reply:
        raise ValidationError("答复内容不能为空")
    with transaction.atomic():
        locked = _locked(message, expected_version)
        if locked.status == PublicMessage.Status.CLOSED:
            raise ActionRefused("该留言已作为无效留言处理，不能答复")
        if locked.published_at is not None:
            raise ActionRefused("该留言及答复已公开，请先取消公开再修改答复")
        before = {"status": locked.status, "reply": locked.reply}
        now = now or clock.now()
        first = locked.status == PublicMessage.Status.RECEIVED
        locked.reply = reply
        locked.status = PublicMessage.Status.REPLIED
        if first:
            locked.replied_at = now
        locked.replied_by = actor
        locked.version += 1
        locked.save(update_fields=["reply", "status", "replied_at", "replied_by", "version"])
        audit.record(
            actor=actor,
            action="public_message.replied" if first else "public_message.reply_amended",
            subject=locked,
            before=before,
            after={
                "status": locked.status,
                "reply": reply,
                "on_time": locked.replied_at <= locked.due_at if locked.replied_at else None,
            },
        )
    return locked


def message_publish(
    *,
    actor: Any,
    message: PublicMessage,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> PublicMessage:
    """Publish the question and answer on the portal (only when the writer agreed)."""
    require(actor, message.agency, "review_publication", "公开网民留言")
    with transaction.atomic():
        locked = _locked(message, expected_version)
        if locked.status != PublicMessage.Status.REPLIED:
            raise ActionRefused("只有已答复的留言可以公开")
        if not locked.agrees_to_publish:
            raise ActionRefused("留言人未同意公开，不能公开")
        if locked.published_at is not None:
            raise ActionRefused("该留言已公开")
        locked.published_at = now or clock.now()
        locked.published_by = actor
        locked.version += 1
        locked.save(update_fields=["published_at", "published_by", "version"])
        audit.record(
            actor=actor,
            action="public_message.published",
            subject=locked,
            after={"published_at": timezone.localtime(locked.published_at)},
        )
    return locked


def message_unpublish(*, actor: Any, message: PublicMessage, reason: str) -> PublicMessage:
    """Take a published Q&A off the portal, with the reason."""
    require(actor, message.agency, "review_publication", "取消公开网民留言")
    if not reason.strip():
        raise ValidationError("请填写取消公开的原因")
    with transaction.atomic():
        locked = _locked(message, None)
        if locked.published_at is None:
            raise ActionRefused("该留言未公开")
        before = {"published_at": timezone.localtime(locked.published_at)}
        locked.published_at = None
        locked.published_by = None
        locked.version += 1
        locked.save(update_fields=["published_at", "published_by", "version"])
        audit.record(
            actor=actor,
            action="public_message.unpublished",
            subject=locked,
            before=before,
            note=reason.strip(),
        )
    return locked


def message_close(
    *, actor: Any, message: PublicMessage, reason: str, expected_version: int | None = None
) -> PublicMessage:
    """Close an invalid message (advertising, abuse, duplicates) without a reply."""
    require(actor, message.agency, "handle_application", "处理网民留言")
    reason = reason.strip()
    if not reason:
        raise ValidationError("请填写不予回复的原因")
    with transaction.atomic():
        locked = _locked(message, expected_version)
        if locked.status != PublicMessage.Status.RECEIVED:
            raise ActionRefused("只有待回复的留言可以作为无效留言处理")
        locked.status = PublicMessage.Status.CLOSED
        locked.closed_reason = reason[:300]
        locked.version += 1
        locked.save(update_fields=["status", "closed_reason", "version"])
        audit.record(
            actor=actor,
            action="public_message.closed",
            subject=locked,
            before={"status": PublicMessage.Status.RECEIVED},
            after={"status": locked.status},
            note=reason,
        )
    return locked
