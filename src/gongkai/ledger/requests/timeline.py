"""The case timeline: the audit events of one application, with Chinese labels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from gongkai.core.models import AuditEvent
from gongkai.ledger.requests.models import Application
from gongkai.ledger.requests.transitions import TRANSITIONS

ACTION_LABELS: dict[str, str] = {
    "application.registered": "登记申请",
    "application.submitted_online": "申请人网上提交申请",
    "application.received_by_transfer": "收到其他机关转送的申请",
    "application.clock.due_changed": "答复期限变更",
    "application.exported": "导出台账",
    "application.imported": "台账导入",
    "application.attachment_added": "上传附件",
    **{t.audit_code: t.label for t in TRANSITIONS.values()},
}


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    actor: str
    action: str
    label: str
    note: str
    details: dict[str, Any]


def timeline(application: Application) -> list[TimelineEntry]:
    events = AuditEvent.objects.filter(
        subject_type=application._meta.label_lower, subject_id=str(application.pk)
    ).order_by("occurred_at", "id")
    out = []
    for e in events:
        data = e.data or {}
        details = {}
        after = data.get("after") or {}
        before = data.get("before") or {}
        if e.action == "application.clock.due_changed":
            details = {"原期限": before.get("due_on"), "新期限": after.get("due_on")}
        out.append(
            TimelineEntry(
                at=e.occurred_at,
                actor=e.actor_label,
                action=e.action,
                label=ACTION_LABELS.get(e.action, e.action),
                note=str(data.get("note") or ""),
                details=details,
            )
        )
    return out
