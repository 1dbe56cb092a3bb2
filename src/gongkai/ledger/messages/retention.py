"""Retention of 网民留言: messages replied to more than N years ago lose their writer's
personal data.

Run by ``gongkai manage anonymise_closed_cases`` together with the applications (see
``gongkai.ledger.requests.retention``, whose constant and scrubbing helpers this module uses).

A message is due when it was replied to before the cut-off day (local midnight) and is not
anonymised yet (``anonymised_on`` is empty). For each due message, in its own transaction:

* the writer's name becomes ``［已匿名］`` and the contact (phone, e-mail, address) goes;
* the subject, the question, the reply and the reason for not replying keep their content with
  the writer's name and contact (as written and as bare digits) and every ID number, mobile
  number and e-mail address replaced — a published Q&A stays published, scrubbed;
* the message's audit events are scrubbed the same way, and so is their label;
* ``anonymised_on`` records the day (and marks the message as done).

``writer_key`` stays: it is already a pseudonymous digest (never the contact itself) and the
year's figures count people by it, so 网民留言数、留言人数、答复率 and the median reply time of
every year (``selectors.message_year_figures``) stay the same.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from gongkai.core import clock
from gongkai.ledger.messages.models import PublicMessage
from gongkai.ledger.requests.retention import (
    ANONYMISED,
    retention_cutoff,
    scrub_audit_events,
    scrub_text,
)

__all__ = ["SUBJECT_TYPE", "message_anonymise", "messages_due_for_anonymisation"]

SUBJECT_TYPE = PublicMessage._meta.label_lower


def messages_due_for_anonymisation(
    *, years: int, today: dt.date | None = None
) -> QuerySet[PublicMessage]:
    """The messages replied to before the cut-off whose writer's data is due to go."""
    cutoff = retention_cutoff(years=years, today=today or clock.today())
    start = dt.datetime.combine(cutoff, dt.time(), tzinfo=timezone.get_current_timezone())
    return PublicMessage.objects.filter(
        status=PublicMessage.Status.REPLIED,
        replied_at__lt=start,
        anonymised_on__isnull=True,
    ).order_by("pk")


def personal_values(message: PublicMessage) -> list[str]:
    """The writer's own words to look for in free text, longest first."""
    values = {message.writer_name.strip(), message.contact.strip()}
    digits = re.sub(r"\D", "", message.contact)
    if len(digits) >= 5:
        values.add(digits)
    values.discard(ANONYMISED)
    return sorted((v for v in values if len(v) >= 2), key=len, reverse=True)


@dataclass
class MessageResult:
    audit_events: int = 0


@transaction.atomic
def message_anonymise(*, message: PublicMessage, today: dt.date | None = None) -> MessageResult:
    """Remove the writer's personal data of one replied message (idempotent)."""
    fresh = PublicMessage.objects.select_for_update().get(pk=message.pk)
    if fresh.anonymised_on is not None:
        return MessageResult()
    values = personal_values(fresh)
    fresh.writer_name = ANONYMISED
    fresh.contact = ""
    for name in ("subject", "body", "reply", "closed_reason"):
        setattr(fresh, name, scrub_text(getattr(fresh, name), values))
    fresh.anonymised_on = today or clock.today()
    fresh.version += 1
    fresh.save(
        update_fields=[
            "writer_name",
            "contact",
            "subject",
            "body",
            "reply",
            "closed_reason",
            "anonymised_on",
            "version",
        ]
    )
    result = MessageResult()
    result.audit_events = scrub_audit_events(SUBJECT_TYPE, fresh.pk, values)
    return result
