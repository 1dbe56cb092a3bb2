"""Publications: drafting and editing (with optimistic locking), channels, validity, and
importing already-published history. Status changes are *not* here: they are the action objects
in ``gongkai.ledger.publishing.actions``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core import audit, clock
from gongkai.core.models import Agency
from gongkai.ledger.publishing.access import require
from gongkai.ledger.publishing.errors import ActionRefused, StaleVersion
from gongkai.ledger.publishing.models import (
    Column,
    Publication,
    PublicationChannel,
    RegisterEntry,
    Topic,
)
from gongkai.ledger.publishing.services.index_numbers import index_number_allocate
from gongkai.ledger.publishing.services.search import search_index_add
from gongkai.ledger.publishing.text import plain_text, sanitize_body, search_text

Channel = PublicationChannel.Channel

EDITABLE_FIELDS = (
    "column",
    "title",
    "summary",
    "body",
    "category",
    "topic",
    "doc_type",
    "interprets",
    "document_number",
    "written_on",
    "issuing_body",
    "scheduled_at",
    "register_kind",
)
DEFAULT_CHANNELS = (Channel.PLATFORM,)


def _clean(publication: Publication, agency: Agency) -> None:
    """Validate and normalise the editable fields of ``publication`` (in place)."""
    publication.title = (publication.title or "").strip()
    if not publication.title:
        raise ValidationError("标题不能为空")
    column = publication.column
    if column.agency_id != agency.pk:
        raise ValidationError("栏目不属于该机关")
    if not column.is_active:
        raise ValidationError(f"栏目“{column.name}”已停用")
    publication.body = sanitize_body(publication.body)
    publication.summary = (publication.summary or "").strip()
    if (
        publication.topic_id
        and not Topic.objects.filter(pk=publication.topic_id, is_active=True).exists()
    ):
        raise ValidationError("主题分类不存在或已停用")
    if publication.doc_type == Publication.DocType.INTERPRETATION:
        target = publication.interprets
        if target is not None and (
            target.agency_id != agency.pk or target.doc_type != Publication.DocType.POLICY
        ):
            raise ValidationError("政策解读只能关联本机关的政策文件")
    else:
        publication.interprets = None
    if (
        publication.register_kind == Publication.RegisterKind.REGULATION
        and not agency.has_rulemaking_power
    ):
        raise ValidationError("本机关没有规章制定权，不能登记为规章")
    if not publication.issuing_body:
        publication.issuing_body = agency.name
    publication.search_text = search_text(
        publication.title,
        plain_text(publication.body),
        publication.document_number,
        publication.index_number,
    )


def _set_channels(
    publication: Publication, channels: Iterable[str], other_names: Iterable[str]
) -> list[str]:
    wanted: set[tuple[str, str]] = set()
    for value in channels:
        if value not in Channel.values:
            raise ValidationError(f"未知的发布渠道：{value}")
        if value != Channel.OTHER:
            wanted.add((value, ""))
    for name in other_names:
        name = name.strip()[:60]
        if name:
            wanted.add((Channel.OTHER, name))
    current = {(c.channel, c.name): c for c in publication.channels.all()}
    for key, row in current.items():
        if key not in wanted:
            row.delete()
    PublicationChannel.objects.bulk_create(
        [
            PublicationChannel(publication=publication, channel=c, name=n)
            for c, n in sorted(wanted - set(current))
        ]
    )
    on_platform = (Channel.PLATFORM, "") in wanted
    if publication.on_platform != on_platform:
        publication.on_platform = on_platform
        publication.updated_at = clock.now()  # the portal's pages change: new generation
        publication.save(update_fields=["on_platform", "updated_at"])
    return sorted(n or Channel(c).label for c, n in wanted)


def publication_create(
    *,
    actor: Any,
    column: Column,
    title: str,
    body: str = "",
    channels: Sequence[str] = DEFAULT_CHANNELS,
    other_channels: Sequence[str] = (),
    **fields: Any,
) -> Publication:
    """Create a draft in ``column``'s agency."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    agency = column.agency
    require(actor, agency, "draft_publication", "起草主动公开信息")
    now = clock.now()
    publication = Publication(
        agency=agency,
        column=column,
        title=title,
        body=body,
        created_by=actor,
        last_edited_by=actor,
        created_at=now,
        updated_at=now,
        **fields,
    )
    _clean(publication, agency)
    with transaction.atomic():
        publication.save()
        channel_labels = _set_channels(publication, channels, other_channels)
        audit.record(
            actor=actor,
            action="publication.created",
            subject=publication,
            after={
                "title": publication.title,
                "column": column.name,
                "category": publication.category,
                "channels": channel_labels,
            },
        )
    return publication


def _audit_value(name: str, value: Any) -> Any:
    if name == "body":
        return f"（正文 {len(plain_text(value or ''))} 字）"
    if isinstance(value, Column | Topic | Publication):
        return str(value)
    return value


def publication_update(
    *,
    actor: Any,
    publication: Publication,
    expected_version: int,
    channels: Sequence[str] | None = None,
    other_channels: Sequence[str] = (),
    **fields: Any,
) -> Publication:
    """Edit a draft. Refused with ``StaleVersion`` when someone saved it since
    ``expected_version`` was loaded, so nobody silently overwrites a colleague's edit."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    require(actor, publication.agency, "draft_publication", "修改主动公开信息")
    with transaction.atomic():
        locked = (
            Publication.objects.select_for_update()
            .select_related("agency", "column")
            .get(pk=publication.pk)
        )
        if locked.version != expected_version:
            raise StaleVersion(expected=expected_version, current=locked.version)
        if not locked.is_editable:
            raise ActionRefused(f"当前状态为“{locked.get_status_display()}”，只有草稿可以修改")
        before = {name: _audit_value(name, getattr(locked, name)) for name in fields}
        for name, value in fields.items():
            setattr(locked, name, value)
        _clean(locked, locked.agency)
        after = {name: _audit_value(name, getattr(locked, name)) for name in fields}
        changed = [n for n in fields if before[n] != after[n]]
        locked.version += 1
        locked.last_edited_by = actor
        locked.updated_at = clock.now()
        locked.save(
            update_fields=[
                *EDITABLE_FIELDS,
                "search_text",
                "version",
                "last_edited_by",
                "updated_at",
            ]
        )
        if channels is not None:
            after["channels"] = _set_channels(locked, channels, other_channels)
        audit.record(
            actor=actor,
            action="publication.updated",
            subject=locked,
            before={n: before[n] for n in changed},
            after={
                **{n: after[n] for n in changed},
                **({"channels": after["channels"]} if "channels" in after else {}),
                "version": locked.version,
            },
        )
    return locked


def publication_set_channels(
    *,
    actor: Any,
    publication: Publication,
    channels: Sequence[str],
    other_channels: Sequence[str] = (),
) -> Publication:
    """Record where a publication went (also after publishing: reposted to WeChat later…)."""
    require(actor, publication.agency, "draft_publication", "修改发布渠道")
    with transaction.atomic():
        locked = Publication.objects.select_for_update().get(pk=publication.pk)
        before = sorted(str(c) for c in locked.channels.all())
        after = _set_channels(locked, channels, other_channels)
        audit.record(
            actor=actor,
            action="publication.channels_changed",
            subject=locked,
            before={"channels": before},
            after={"channels": after},
        )
    return locked


def publication_set_validity(
    *,
    actor: Any,
    publication: Publication,
    validity: str,
    changed_on: dt.date | None,
    expected_version: int | None = None,
) -> Publication:
    """Mark a publication 有效 / 失效 / 废止 (with the date). A linked register entry follows:
    repealed or expired on that date, or back in force."""
    require(actor, publication.agency, "draft_publication", "修改有效性")
    if validity not in Publication.Validity.values:
        raise ValidationError("未知的有效性")
    if validity == Publication.Validity.EFFECTIVE:
        changed_on = None
    elif changed_on is None:
        raise ValidationError("请填写失效或废止日期")
    with transaction.atomic():
        locked = Publication.objects.select_for_update().get(pk=publication.pk)
        if expected_version is not None and locked.version != expected_version:
            raise StaleVersion(expected=expected_version, current=locked.version)
        before = {"validity": locked.validity, "changed_on": locked.validity_changed_on}
        locked.validity = validity
        locked.validity_changed_on = changed_on
        locked.version += 1
        locked.updated_at = clock.now()
        locked.save(update_fields=["validity", "validity_changed_on", "version", "updated_at"])
        entry = RegisterEntry.objects.filter(publication=locked).first()
        if entry is not None:
            if changed_on is not None and changed_on < entry.issued_on:
                raise ValidationError("废止日期不能早于制发日期")
            entry.repealed_on = changed_on
            entry.save(update_fields=["repealed_on"])
        audit.record(
            actor=actor,
            action="publication.validity_changed",
            subject=locked,
            before=before,
            after={
                "validity": validity,
                "changed_on": changed_on,
                "register_entry": entry.pk if entry else None,
            },
        )
    return locked


def apply_publish(publication: Publication, *, now: dt.datetime) -> Publication:
    """Make a locked publication public: 索引号, publish date, search index, register entry.

    Called by the publishing actions inside their transaction; not a service on its own.
    """
    on = timezone.localdate(now)
    publication.index_number = index_number_allocate(publication=publication, on=on)
    publication.published_at = now
    publication.status = Publication.Status.PUBLISHED
    publication.search_text = search_text(
        publication.title,
        plain_text(publication.body),
        publication.document_number,
        publication.index_number,
    )
    publication.version += 1
    publication.updated_at = now
    publication.save(
        update_fields=[
            "index_number",
            "published_at",
            "status",
            "search_text",
            "version",
            "updated_at",
        ]
    )
    search_index_add(publication)
    if (
        publication.register_kind
        and not RegisterEntry.objects.filter(publication=publication).exists()
    ):
        RegisterEntry.objects.create(
            agency=publication.agency,
            kind=publication.register_kind,
            title=publication.title,
            document_number=publication.document_number,
            issued_on=publication.written_on or on,
            publication=publication,
            created_by=None,
            created_at=now,
        )
    return publication


@dataclass
class ImportedPublication:
    """One already-published item brought in from an earlier platform (or the demo)."""

    column: Column
    title: str
    published_at: dt.datetime
    body: str = ""
    summary: str = ""
    category: str = "15"
    topic: Topic | None = None
    doc_type: str = Publication.DocType.ORDINARY
    document_number: str = ""
    written_on: dt.date | None = None
    channels: Sequence[str] = DEFAULT_CHANNELS
    other_channels: Sequence[str] = field(default_factory=tuple)


def publications_import(
    *, actor: Any, agency: Agency, items: Iterable[ImportedPublication], origin: str
) -> list[Publication]:
    """Record items that were published elsewhere, as published, with 索引号 and search index.

    One audit event for the batch (``publication.imported``) naming ``origin``.
    """
    require(actor, agency, "draft_publication", "导入主动公开信息")
    now = clock.now()
    rows = list(items)
    created: list[Publication] = []
    with transaction.atomic():
        for item in rows:
            if item.column.agency_id != agency.pk:
                raise ValidationError("栏目不属于该机关")
            publication = Publication(
                agency=agency,
                column=item.column,
                title=item.title,
                body=item.body,
                summary=item.summary,
                category=item.category,
                topic=item.topic,
                doc_type=item.doc_type,
                document_number=item.document_number,
                written_on=item.written_on,
                status=Publication.Status.DRAFT,
                origin=f"import:{origin}"[:60],
                created_by=actor,
                last_edited_by=actor,
                created_at=now,
                updated_at=now,
            )
            _clean(publication, agency)
            publication.save()
            _set_channels(publication, item.channels, item.other_channels)
            apply_publish(publication, now=item.published_at)
            created.append(publication)
        audit.record(
            actor=actor,
            action="publication.imported",
            subject=agency,
            agency=agency,
            after={"count": len(created), "origin": origin},
        )
    return created
