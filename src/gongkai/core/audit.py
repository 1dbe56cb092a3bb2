"""Writing audit events. Every service calls ``record`` inside its own transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models

from gongkai.core import clock
from gongkai.core.models import Agency, AuditEvent

# Keys whose values are personal data: never stored in clear in the audit log.
SENSITIVE_KEYS = frozenset(
    {
        "id_number",
        "id_no",
        "identity_number",
        "phone",
        "mobile",
        "telephone",
        "address",
        "email",
        "password",
        "query_password",
        "password_hash",
        "postal_address",
        "contact",
    }
)
REDACTED = "［已脱敏］"


def redact(data: Any) -> Any:
    """Replace the values of personal-data keys, at any depth, by a marker."""
    if isinstance(data, Mapping):
        return {
            key: (
                REDACTED
                if str(key).lower() in SENSITIVE_KEYS and value not in ("", None)
                else redact(value)
            )
            for key, value in data.items()
        }
    if isinstance(data, list | tuple):
        return [redact(item) for item in data]
    return data


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def record(
    *,
    actor: Any,
    action: str,
    subject: models.Model,
    agency: Agency | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    """Write one audit event about ``subject`` (call inside the service's transaction)."""
    data: dict[str, Any] = {}
    if before is not None:
        data["before"] = redact(_jsonable(before))
    if after is not None:
        data["after"] = redact(_jsonable(after))
    if note:
        data["note"] = note
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    if agency is None:
        agency = subject if isinstance(subject, Agency) else getattr(subject, "agency", None)
    return AuditEvent.objects.create(
        occurred_at=clock.now(),
        actor=actor if authenticated else None,
        actor_label=(actor.get_full_name() or actor.get_username()) if authenticated else "系统",
        agency=agency,
        action=action,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        subject_label=str(subject)[:200],
        data=data,
    )
