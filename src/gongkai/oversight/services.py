"""The supervising office's actions: keep the register, collect reports, start checking, confirm
who a report belongs to. Every function checks access, runs in one transaction and writes an
audit event; checking in the background is handed to ``tasks.dispatch`` after the commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from gongkai.core import audit, clock
from gongkai.core.models import Agency
from gongkai.oversight import selectors, tasks
from gongkai.oversight.checking import dependants, item_check, recheck_items
from gongkai.oversight.intake import DEFAULT_LIMITS, Limits, Rejected, expand_uploads
from gongkai.oversight.models import AuditBatch, AuditItem, ReportingBody, SourceFile
from gongkai.oversight.registry import (
    RegisteredName,
    match_name,
    name_from_filename,
    normalise_name,
)

FIRST_YEAR = 2008  # the first year of statutory annual reports (条例 2007, in force 2008)

KIND_FROM_AGENCY = {
    Agency.Kind.GOVERNMENT: ReportingBody.Kind.GOVERNMENT,
    Agency.Kind.DEPARTMENT: ReportingBody.Kind.DEPARTMENT,
    Agency.Kind.TOWNSHIP: ReportingBody.Kind.TOWNSHIP,
    Agency.Kind.OTHER: ReportingBody.Kind.OTHER,
}


def _require(actor: Any, region: Agency) -> None:
    if not selectors.regions_for_user(actor).filter(pk=region.pk).exists():
        raise PermissionDenied("您没有审查该区域年度报告的权限。")


def _check_year(year: int, today: dt.date) -> None:
    if not FIRST_YEAR <= year <= today.year:
        raise ValidationError(f"报告年度应在{FIRST_YEAR}年至{today.year}年之间。")


# ---------------------------------------------------------------------------------------------
# Register of reporting bodies
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def body_create(
    *,
    actor: Any,
    region: Agency,
    name: str,
    kind: str,
    level: str,
    agency: Agency | None = None,
    has_rulemaking_power: bool = False,
) -> ReportingBody:
    """Register a body that must publish an annual report."""
    _require(actor, region)
    name = name.strip()
    if not name:
        raise ValidationError("请填写机关名称。")
    if kind not in ReportingBody.Kind.values or level not in Agency.Level.values:
        raise ValidationError("请选择机关类型和层级。")
    if agency is not None and not agency.path.startswith(region.path):
        raise ValidationError("该机关不在本区域内。")
    if ReportingBody.objects.filter(region=region, name=name).exists():
        raise ValidationError(f"“{name}”已在名录中。")
    body = ReportingBody.objects.create(
        region=region,
        name=name,
        kind=kind,
        level=level,
        agency=agency,
        has_rulemaking_power=has_rulemaking_power,
        created_at=clock.now(),
    )
    audit.record(
        actor=actor,
        action="oversight.body.created",
        subject=body,
        agency=region,
        after={"name": name, "kind": kind, "level": level, "on_platform": agency is not None},
    )
    return body


@transaction.atomic
def body_set_active(*, actor: Any, body: ReportingBody, active: bool) -> ReportingBody:
    """Take a body off (or back on) the list of bodies that must report (e.g. merged, dissolved)."""
    _require(actor, body.region)
    if body.is_active != active:
        body.is_active = active
        body.save(update_fields=["is_active"])
        audit.record(
            actor=actor,
            action="oversight.body.activated" if active else "oversight.body.deactivated",
            subject=body,
            agency=body.region,
            after={"is_active": active},
        )
    return body


@transaction.atomic
def register_sync_platform(*, actor: Any, region: Agency) -> list[ReportingBody]:
    """Register every agency of the region on the platform (not the region's government itself,
    whose report is the aggregate, nor internal units); returns the bodies added or linked."""
    _require(actor, region)
    changed: list[ReportingBody] = []
    agencies = Agency.objects.filter(path__startswith=region.path, is_active=True).exclude(
        pk=region.pk
    )
    for agency in agencies.exclude(kind=Agency.Kind.UNIT).order_by("path"):
        existing = ReportingBody.objects.filter(region=region, agency=agency).first()
        if existing is not None:
            continue
        by_name = ReportingBody.objects.filter(region=region, name=agency.name, agency=None).first()
        if by_name is not None:
            by_name.agency = agency
            by_name.save(update_fields=["agency"])
            changed.append(by_name)
            continue
        changed.append(
            ReportingBody.objects.create(
                region=region,
                name=agency.name,
                kind=KIND_FROM_AGENCY.get(agency.kind, ReportingBody.Kind.OTHER),
                level=agency.level,
                agency=agency,
                has_rulemaking_power=agency.has_rulemaking_power,
                created_at=clock.now(),
            )
        )
    if changed:
        audit.record(
            actor=actor,
            action="oversight.register.synced",
            subject=region,
            agency=region,
            after={"bodies": [b.name for b in changed]},
        )
    return changed


def _learn_alias(body: ReportingBody, *names: str) -> None:
    known = {normalise_name(n) for n in (body.name, *(body.aliases or ()))}
    added = False
    aliases = list(body.aliases or ())
    for name in names:
        key = normalise_name(name)
        if key and key not in known:
            aliases.append(name.strip()[:120])
            known.add(key)
            added = True
    if added:
        body.aliases = aliases
        body.save(update_fields=["aliases"])


# ---------------------------------------------------------------------------------------------
# Batches and intake
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def batch_create(
    *,
    actor: Any,
    region: Agency,
    year: int,
    title: str = "",
    include_platform: bool = True,
    department_deadline: dt.date | None = None,
    government_deadline: dt.date | None = None,
) -> AuditBatch:
    """Open a batch for the year's reports; platform agencies' reports join without upload."""
    _require(actor, region)
    _check_year(year, clock.today())
    batch = AuditBatch.objects.create(
        region=region,
        year=year,
        title=(title.strip() or f"{year}年度报告审查")[:120],
        department_deadline=department_deadline,
        government_deadline=government_deadline,
        created_by=actor,
        created_at=clock.now(),
    )
    added = _add_platform_items(batch, actor) if include_platform else 0
    audit.record(
        actor=actor,
        action="oversight.batch.created",
        subject=batch,
        agency=region,
        after={"year": year, "platform_reports": added},
    )
    return batch


def _add_platform_items(batch: AuditBatch, actor: Any) -> int:
    """Platform agencies' own reports of the batch's year (draft or published) not yet in it."""
    have = set(
        batch.items.filter(origin=AuditItem.Origin.PLATFORM).values_list("body_id", flat=True)
    )
    added = 0
    bodies = selectors.register_of(batch.region).filter(is_active=True, agency__isnull=False)
    for body in bodies.select_related("agency"):
        if body.pk in have:
            continue
        record = selectors.platform_record(body.agency, batch.year)
        if record is None:
            continue
        AuditItem.objects.create(
            batch=batch,
            origin=AuditItem.Origin.PLATFORM,
            record=record,
            filename=f"平台报告：{record}",
            name_hint=body.name,
            body=body,
            match=AuditItem.Match.EXACT,
            year=batch.year,
            uploaded_by=actor,
            created_at=clock.now(),
        )
        added += 1
    return added


@dataclass
class IntakeResult:
    """What happened to an upload: items added, duplicates recognised, files refused."""

    added: list[AuditItem] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    """(file name, where the same content already is)."""
    rejected: list[Rejected] = field(default_factory=list)

    @property
    def to_confirm(self) -> int:
        return sum(1 for i in self.added if i.needs_confirmation)


def _register(region: Agency) -> list[RegisteredName]:
    return [
        RegisteredName(b.pk, b.name, tuple(b.aliases or ()))
        for b in selectors.register_of(region).filter(is_active=True)
    ]


@transaction.atomic
def batch_add_files(
    *,
    actor: Any,
    batch: AuditBatch,
    uploads: Iterable[tuple[str, bytes]],
    body: ReportingBody | None = None,
    published_on: dt.date | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> IntakeResult:
    """Add report files (or ZIPs of them) to the batch.

    ``body``: all files belong to this body (confirmed). Otherwise each file name is matched
    against the register: exact names are taken, similar ones wait for confirmation (the name
    in the report's title is tried again after reading). The same content uploaded again
    (SHA-256) is recognised and not added twice.
    """
    _require(actor, batch.region)
    if batch.is_working:
        raise ValidationError("正在检查中，请等检查完成后再添加文件。")
    if body is not None and body.region_id != batch.region_id:
        raise ValidationError("该报告主体不属于本区域。")
    if published_on is not None and published_on > clock.today():
        raise ValidationError("发布日期不能晚于今天。")
    accepted, rejected = expand_uploads(uploads, limits)
    result = IntakeResult(rejected=list(rejected))
    register = _register(batch.region)
    now = clock.now()
    for incoming in accepted:
        source = (
            SourceFile.objects.defer("data", "text")
            .filter(region=batch.region, sha256=incoming.sha256)
            .first()
        )
        if source is not None:
            existing = source.items.select_related("batch").order_by("-id").first()
            if existing is not None:
                where = "本批次" if existing.batch_id == batch.pk else f"“{existing.batch.title}”"
                result.duplicates.append(
                    (incoming.name, f"与{where}中的《{existing.filename}》内容相同")
                )
                continue
        else:
            source = SourceFile.objects.create(
                region=batch.region,
                sha256=incoming.sha256,
                size=len(incoming.data),
                filename=incoming.name,
                data=incoming.data,
                uploaded_by=actor,
                uploaded_at=now,
            )
        hint = name_from_filename(incoming.name)
        if body is not None:
            chosen, match, candidates = body, AuditItem.Match.CONFIRMED, []
        else:
            found = match_name(hint, register)
            chosen = ReportingBody.objects.get(pk=found.exact) if found.exact is not None else None
            match = (
                AuditItem.Match.EXACT
                if chosen is not None
                else AuditItem.Match.SUGGESTED
                if found.candidates
                else AuditItem.Match.UNMATCHED
            )
            candidates = [
                {"id": c.id, "name": c.name, "score": c.score}
                for c in (found.candidates if chosen is None else ())
            ]
        try:
            with transaction.atomic():
                item = AuditItem.objects.create(
                    batch=batch,
                    origin=AuditItem.Origin.UPLOAD,
                    source=source,
                    filename=incoming.name,
                    name_hint=hint[:200],
                    body=chosen,
                    match=match,
                    candidates=candidates,
                    year=batch.year,
                    published_on=published_on,
                    published_on_entered=published_on is not None,
                    uploaded_by=actor,
                    created_at=now,
                )
        except IntegrityError:
            result.duplicates.append((incoming.name, "与本批次中的文件内容相同"))
            continue
        result.added.append(item)
    if batch.status == AuditBatch.Status.DONE and result.added:
        batch.status = AuditBatch.Status.OPEN
        batch.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action="oversight.files.added",
        subject=batch,
        agency=batch.region,
        after={
            "added": [i.filename for i in result.added],
            "duplicates": [name for name, _ in result.duplicates],
            "rejected": [r.name for r in result.rejected],
        },
    )
    return result


@transaction.atomic
def batch_start(*, actor: Any, batch: AuditBatch) -> AuditBatch:
    """Queue the batch's unchecked reports for checking in the background."""
    _require(actor, batch.region)
    batch = AuditBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.is_working:
        return batch
    _add_platform_items(batch, actor)
    if not batch.items.exists():
        raise ValidationError("批次中还没有报告，请先上传文件。")
    queued = batch.items.filter(status=AuditItem.Status.QUEUED).count()
    batch.status = AuditBatch.Status.QUEUED if queued else AuditBatch.Status.DONE
    batch.started_at = clock.now()
    batch.finished_at = None if queued else clock.now()
    batch.save(update_fields=["status", "started_at", "finished_at"])
    if not queued:
        recheck_items(batch.items.select_related("batch", "body", "body__agency"))
    audit.record(
        actor=actor,
        action="oversight.batch.started",
        subject=batch,
        agency=batch.region,
        after={"queued": queued},
    )
    if queued:
        batch_id = batch.pk
        transaction.on_commit(lambda: tasks.dispatch(batch_id))
    return batch


@transaction.atomic
def batch_reread(*, actor: Any, batch: AuditBatch) -> AuditBatch:
    """Read every file of the batch again (e.g. after the reader was improved)."""
    _require(actor, batch.region)
    if batch.is_working:
        raise ValidationError("正在检查中。")
    batch.items.update(status=AuditItem.Status.QUEUED, attempts=0, claimed_at=None)
    audit.record(actor=actor, action="oversight.batch.reread", subject=batch, agency=batch.region)
    return batch_start(actor=actor, batch=batch)


@transaction.atomic
def batch_recheck(*, actor: Any, batch: AuditBatch) -> int:
    """Re-run the checks on every read report of the batch (no re-reading)."""
    _require(actor, batch.region)
    n = recheck_items(batch.items.select_related("batch", "body", "body__agency"))
    audit.record(
        actor=actor,
        action="oversight.batch.rechecked",
        subject=batch,
        agency=batch.region,
        after={"items": n},
    )
    return n


# ---------------------------------------------------------------------------------------------
# Items
# ---------------------------------------------------------------------------------------------


def _after_change(item: AuditItem, fields: Sequence[str]) -> None:
    if item.status == AuditItem.Status.READ:
        fields = [*fields, *item_check(item)]
    item.save(update_fields=sorted(set(fields)))
    recheck_items(dependants(item))


@transaction.atomic
def item_confirm_body(*, actor: Any, item: AuditItem, body: ReportingBody) -> AuditItem:
    """A person confirms whose report this is; the file's and the title's names become aliases
    of the body, so next year's files match exactly."""
    _require(actor, item.batch.region)
    if body.region_id != item.batch.region_id:
        raise ValidationError("该报告主体不属于本区域。")
    if item.origin == AuditItem.Origin.PLATFORM:
        raise ValidationError("平台生成的报告不需要确认机关。")
    before = {"body": str(item.body) if item.body else None, "match": item.match}
    item.body = body
    item.match = AuditItem.Match.CONFIRMED
    item.candidates = []
    agency_as_read = (item.report or {}).get("agency") or ""
    _learn_alias(body, item.name_hint, agency_as_read)
    _after_change(item, ["body", "match", "candidates"])
    audit.record(
        actor=actor,
        action="oversight.item.confirmed",
        subject=item,
        agency=item.batch.region,
        before=before,
        after={"body": body.name, "match": item.match},
    )
    return item


@transaction.atomic
def item_register_body(
    *, actor: Any, item: AuditItem, name: str, kind: str, level: str
) -> AuditItem:
    """The report is from a body not yet in the register: register it and confirm."""
    body = body_create(actor=actor, region=item.batch.region, name=name, kind=kind, level=level)
    return item_confirm_body(actor=actor, item=item, body=body)


@transaction.atomic
def item_set_published_on(
    *, actor: Any, item: AuditItem, published_on: dt.date | None
) -> AuditItem:
    """Enter the date the report was published (timeliness, M-08); None = as read from the file."""
    _require(actor, item.batch.region)
    if item.origin == AuditItem.Origin.PLATFORM:
        raise ValidationError("平台生成的报告以平台上的发布日期为准。")
    if published_on is not None and published_on > clock.today():
        raise ValidationError("发布日期不能晚于今天。")
    before = {"published_on": item.published_on}
    if published_on is None:
        read = (item.report or {}).get("published_on")
        item.published_on = dt.date.fromisoformat(read) if read else None
        item.published_on_entered = False
    else:
        item.published_on = published_on
        item.published_on_entered = True
    _after_change(item, ["published_on", "published_on_entered"])
    audit.record(
        actor=actor,
        action="oversight.item.published_on",
        subject=item,
        agency=item.batch.region,
        before=before,
        after={"published_on": item.published_on},
    )
    return item


@transaction.atomic
def item_requeue(*, actor: Any, item: AuditItem) -> AuditItem:
    """Read the file again (e.g. after a failure)."""
    _require(actor, item.batch.region)
    batch = item.batch
    if batch.is_working:
        raise ValidationError("正在检查中。")
    item.status = AuditItem.Status.QUEUED
    item.attempts = 0
    item.save(update_fields=["status", "attempts"])
    audit.record(actor=actor, action="oversight.item.requeued", subject=item, agency=batch.region)
    batch_start(actor=actor, batch=batch)
    return item


@transaction.atomic
def item_remove(*, actor: Any, item: AuditItem) -> None:
    """Take a wrongly uploaded file out of the batch (the file itself is kept if used elsewhere)."""
    _require(actor, item.batch.region)
    if item.batch.is_working:
        raise ValidationError("正在检查中，请稍后再删除。")
    audit.record(
        actor=actor,
        action="oversight.item.removed",
        subject=item,
        agency=item.batch.region,
        before={"filename": item.filename, "body": str(item.body) if item.body else None},
    )
    source = item.source
    body_id, year = item.body_id, item.year
    item.delete()
    if source is not None and not source.items.exists():
        source.delete()
    if body_id is not None:
        recheck_items(
            AuditItem.objects.filter(
                body_id=body_id, year=year + 1, status=AuditItem.Status.READ
            ).select_related("batch", "body", "body__agency")
        )


def item_source_text(item: AuditItem) -> str:
    """The text of the source file as extracted (cached); platform reports: the rendered text."""
    if item.origin == AuditItem.Origin.PLATFORM or item.source_id is None:
        if not item.report:
            return ""
        from gongkai.rendering import render_text
        from gongkai.statutory.report import AnnualReport

        return render_text(AnnualReport.from_dict(item.report))
    cached = SourceFile.objects.filter(pk=item.source_id).values_list("text", flat=True).first()
    if cached:
        return cached
    from gongkai.reading.extract import detect_kind, extract

    source = SourceFile.objects.only("data", "filename").get(pk=item.source_id)
    try:
        data = bytes(source.data)
        text = extract(data, detect_kind(data, source.filename)).text
    except Exception as exc:  # noqa: BLE001 - the page still shows tables and findings
        return f"（无法提取文字：{type(exc).__name__}）"
    SourceFile.objects.filter(pk=source.pk).update(text=text)
    return text
