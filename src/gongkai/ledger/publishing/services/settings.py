"""Agency settings of the catalogue: columns (栏目) and the 索引号 template. Administrators of the
agency (``manage_agency``) maintain them; every change is audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from gongkai.core import audit
from gongkai.core.models import Agency
from gongkai.ledger.publishing.access import require
from gongkai.ledger.publishing.models import Column, PublishingSettings
from gongkai.ledger.publishing.services.index_numbers import validate_index_template

SETTINGS_PERMISSION = "manage_agency"
COLUMN_FIELDS = ("name", "update_class", "disclosure_class", "position", "is_active")


def column_save(
    *, actor: Any, agency: Agency, column: Column | None = None, **fields: Any
) -> Column:
    """Create a column of ``agency`` or change one (columns are never deleted: deactivate)."""
    unknown = set(fields) - set(COLUMN_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    require(actor, agency, SETTINGS_PERMISSION, "维护栏目")
    if column is not None and column.agency_id != agency.pk:
        raise ValidationError("栏目不属于该机关")
    name = (fields.get("name") or (column.name if column else "")).strip()
    if not name:
        raise ValidationError("栏目名称不能为空")
    fields["name"] = name
    try:
        with transaction.atomic():
            if column is None:
                column = Column.objects.create(agency=agency, **fields)
                audit.record(
                    actor=actor, action="column.created", subject=column, after=dict(fields)
                )
            else:
                before = {k: getattr(column, k) for k in fields}
                for key, value in fields.items():
                    setattr(column, key, value)
                column.save(update_fields=list(fields))
                audit.record(
                    actor=actor,
                    action="column.updated",
                    subject=column,
                    before=before,
                    after=dict(fields),
                )
    except IntegrityError:
        raise ValidationError(f"本机关已有名为“{name}”的栏目") from None
    return column


def publishing_settings_save(
    *,
    actor: Any,
    agency: Agency,
    index_template: str,
    org_code: str = "",
    dept_code: str = "",
    interpretation_tolerance_days: int = 0,
) -> PublishingSettings:
    """Set the agency's 索引号 template and codes (numbers already given keep their value)."""
    require(actor, agency, SETTINGS_PERMISSION, "修改索引号规则")
    index_template = index_template.strip()
    validate_index_template(index_template)
    with transaction.atomic():
        settings, created = PublishingSettings.objects.select_for_update().get_or_create(
            agency=agency
        )
        fields = {
            "index_template": index_template,
            "org_code": org_code.strip(),
            "dept_code": dept_code.strip(),
            "interpretation_tolerance_days": interpretation_tolerance_days,
        }
        before = None if created else {k: getattr(settings, k) for k in fields}
        for key, value in fields.items():
            setattr(settings, key, value)
        settings.save()
        audit.record(
            actor=actor,
            action="publishing_settings.saved",
            subject=settings,
            agency=agency,
            before=before,
            after=fields,
        )
    return settings
