"""索引号: rendering an agency's template and allocating the running number safely.

Template tokens (spec §6): ``{org_code} {uscc} {region} {dept} {category} {year} {yyyymm}
{yyyymmdd} {seq:N}`` — ``{seq:05}`` is the running number padded to 5 digits. The running number
restarts whenever the rest of the number changes: with ``{year}`` in the template it restarts
every year, with ``{category}`` it runs per category. Allocation locks the sequence row
(``SELECT … FOR UPDATE`` on PostgreSQL; SQLite serialises writers), so two publications
published at the same moment never get the same number; a unique constraint backs it up.
"""

from __future__ import annotations

import datetime as dt
import string
from typing import Any

from django.core.exceptions import ValidationError

from gongkai.core.models import Agency
from gongkai.ledger.publishing.models import (
    DEFAULT_INDEX_TEMPLATE,
    IndexSequence,
    Publication,
    PublishingSettings,
)

TOKENS = ("org_code", "uscc", "region", "dept", "category", "year", "yyyymm", "yyyymmdd", "seq")


class _SeqMarker:
    """Stands in for ``{seq}`` when computing the template's scope."""

    def __format__(self, spec: str) -> str:
        return "{seq}"


def validate_index_template(template: str) -> None:
    """Raise ``ValidationError`` unless the template uses known tokens and ``{seq}`` once."""
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as exc:
        raise ValidationError(f"索引号模板格式错误：{exc}") from None
    unknown = sorted({f for f in fields if f not in TOKENS})
    if unknown:
        raise ValidationError(
            "索引号模板含有未知字段："
            + "、".join("{" + f + "}" for f in unknown)
            + "；可用字段："
            + " ".join("{" + t + "}" for t in TOKENS)
        )
    if fields.count("seq") != 1:
        raise ValidationError("索引号模板必须且只能含有一个流水号字段 {seq}，例如 {seq:05}")
    try:
        render_index_number(template, _sample_values(), seq=1)
    except (ValueError, TypeError) as exc:
        raise ValidationError(f"索引号模板格式错误：{exc}") from None


def _sample_values() -> dict[str, Any]:
    return token_values_for(
        agency=Agency(uscc="11410000MB00000036", region_code="419001"),
        settings=PublishingSettings(),
        category="01",
        on=dt.date(2025, 1, 1),
    )


def settings_for(agency: Agency) -> PublishingSettings:
    """The agency's publishing settings (defaults when none were saved)."""
    try:
        return agency.publishing_settings
    except PublishingSettings.DoesNotExist:
        return PublishingSettings(agency=agency, index_template=DEFAULT_INDEX_TEMPLATE)


def org_code_of(agency: Agency, settings: PublishingSettings) -> str:
    """组织机构代码: the configured one, else characters 9–17 of the USCC."""
    if settings.org_code:
        return settings.org_code
    return agency.uscc[8:17] if len(agency.uscc) == 18 else ""


def token_values_for(
    *, agency: Agency, settings: PublishingSettings, category: str, on: dt.date
) -> dict[str, Any]:
    return {
        "org_code": org_code_of(agency, settings),
        "uscc": agency.uscc,
        "region": agency.region_code,
        "dept": settings.dept_code,
        "category": category,
        "year": on.year,
        "yyyymm": f"{on:%Y%m}",
        "yyyymmdd": f"{on:%Y%m%d}",
    }


def render_index_number(template: str, values: dict[str, Any], *, seq: Any) -> str:
    return template.format(**values, seq=seq)


def index_number_allocate(*, publication: Publication, on: dt.date) -> str:
    """Hand out the next 索引号 for ``publication`` (call inside the publishing transaction)."""
    agency = publication.agency
    settings = settings_for(agency)
    template = settings.index_template or DEFAULT_INDEX_TEMPLATE
    values = token_values_for(
        agency=agency, settings=settings, category=publication.category, on=on
    )
    scope = render_index_number(template, values, seq=_SeqMarker())[:200]
    IndexSequence.objects.bulk_create(
        [IndexSequence(agency=agency, scope=scope, last=0)], ignore_conflicts=True
    )
    sequence = IndexSequence.objects.select_for_update().get(agency=agency, scope=scope)
    while True:
        sequence.last += 1
        number = render_index_number(template, values, seq=sequence.last)
        # A template changed back and forth could meet numbers handed out before: skip them.
        if not Publication.objects.filter(index_number=number).exists():
            break
    sequence.save(update_fields=["last"])
    return number
