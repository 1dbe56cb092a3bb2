"""Background checking of a batch: a small queue kept in the database (the items themselves).

Why not a task library: the platform runs embedded (one process, SQLite) as well as behind a
proxy with PostgreSQL, and must not need a broker; the items' own ``status`` column is the
queue. A worker *claims* an item with a conditional UPDATE (``queued`` -> ``running``), which is
atomic on SQLite and PostgreSQL alike, so several workers never read the same file. Items left
``running`` by a worker that died are re-queued after ``STALE_AFTER``; one that keeps failing is
given up after ``MAX_ATTEMPTS`` with a message. One file never stops the batch.

Who runs the queue (``GONGKAI_OVERSIGHT_RUNNER``; read when a batch is started):

* ``thread`` (default) — a daemon thread in the web process that started the batch; right for
  the embedded installation and good enough for a few hundred files.
* ``command`` — nothing in the web process; ``gongkai manage oversight_process --loop`` (a
  systemd service, or cron without ``--loop``) works the queue, reading files in parallel
  processes (``--jobs``).
* ``eager`` — at once, in the caller (tests, demo data).

The progress page polls ``selectors.progress_of``; if nothing has moved for a while it asks
``ensure_running`` to start a thread again (self-healing after a restart).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any

from django.conf import settings
from django.db import OperationalError, close_old_connections, connections, transaction
from django.db.models import F, Q

from gongkai.core import clock
from gongkai.oversight.checking import dependants, item_check, recheck_items
from gongkai.oversight.engine import note_to_dict, parse_notes_to_dict, read_document
from gongkai.oversight.models import AuditBatch, AuditItem, ReportingBody
from gongkai.oversight.registry import RegisteredName, best_of, match_name
from gongkai.oversight.selectors import platform_record, record_data
from gongkai.reading.api import MAX_BYTES

logger = logging.getLogger(__name__)

STALE_AFTER = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 3
RUNNERS = ("thread", "command", "eager")

_threads: dict[int, threading.Thread] = {}
_threads_lock = threading.Lock()


def runner_mode() -> str:
    mode = getattr(settings, "GONGKAI_OVERSIGHT_RUNNER", "") or "thread"
    return mode if mode in RUNNERS else "thread"


# ---------------------------------------------------------------------------------------------
# Dispatch
# ---------------------------------------------------------------------------------------------


def dispatch(batch_id: int) -> None:
    """Have the batch worked on, as configured (call after the transaction commits)."""
    mode = runner_mode()
    if mode == "eager":
        process_batch(batch_id)
    elif mode == "thread":
        _start_thread(batch_id)


def _start_thread(batch_id: int) -> bool:
    with _threads_lock:
        running = _threads.get(batch_id)
        if running is not None and running.is_alive():
            return False
        thread = threading.Thread(
            target=_thread_main, args=(batch_id,), name=f"oversight-batch-{batch_id}", daemon=True
        )
        _threads[batch_id] = thread
        thread.start()
        return True


def _thread_main(batch_id: int) -> None:
    try:
        process_batch(batch_id)
    except Exception:
        logger.exception("oversight: batch %s worker failed", batch_id)
    finally:
        with _threads_lock:
            _threads.pop(batch_id, None)
        connections.close_all()


def ensure_running(batch: AuditBatch) -> None:
    """Restart the work on a batch nobody is working on (e.g. after the server restarted)."""
    if not batch.is_working or runner_mode() != "thread":
        return
    requeue_stale(batch_id=batch.pk)
    if (
        batch.items.filter(status=AuditItem.Status.QUEUED).exists()
        or not batch.items.filter(status=AuditItem.Status.RUNNING).exists()
    ):
        _start_thread(batch.pk)


# ---------------------------------------------------------------------------------------------
# The queue
# ---------------------------------------------------------------------------------------------


def requeue_stale(*, batch_id: int | None = None, now: dt.datetime | None = None) -> int:
    """Put items claimed too long ago back in the queue (their worker died)."""
    now = now or clock.now()
    stale = AuditItem.objects.filter(
        status=AuditItem.Status.RUNNING, claimed_at__lt=now - STALE_AFTER
    )
    if batch_id is not None:
        stale = stale.filter(batch_id=batch_id)
    given_up = list(stale.filter(attempts__gte=MAX_ATTEMPTS).values_list("pk", flat=True))
    if given_up:
        AuditItem.objects.filter(pk__in=given_up, status=AuditItem.Status.RUNNING).update(
            status=AuditItem.Status.UNREADABLE,
            error_code="gave_up",
            error_message=f"检查了 {MAX_ATTEMPTS} 次都没有完成（文件可能过于复杂），请联系管理员。",
            processed_at=now,
        )
    return stale.exclude(pk__in=given_up).update(status=AuditItem.Status.QUEUED)


def claim(batch_id: int | None, *, limit: int = 1) -> list[AuditItem]:
    """Claim up to ``limit`` queued items (older report years first, so last year's report is
    read before this year's); safe with several workers."""
    now = clock.now()
    queued = AuditItem.objects.filter(status=AuditItem.Status.QUEUED)
    if batch_id is not None:
        queued = queued.filter(batch_id=batch_id)
    claimed: list[int] = []
    for pk in queued.order_by("year", "id").values_list("pk", flat=True)[: limit * 4]:
        n = AuditItem.objects.filter(pk=pk, status=AuditItem.Status.QUEUED).update(
            status=AuditItem.Status.RUNNING, claimed_at=now, attempts=F("attempts") + 1
        )
        if n:
            claimed.append(pk)
            if len(claimed) >= limit:
                break
    if not claimed:
        return []
    items = AuditItem.objects.filter(pk__in=claimed).select_related(
        "batch", "body", "body__agency", "source", "record"
    )
    return sorted(items, key=lambda i: (i.year, i.pk))


def _retrying(func: Callable[[], Any], *, attempts: int = 5) -> Any:
    """Run ``func``, retrying a few times when the database is momentarily locked (SQLite
    under concurrent writers: the web request and the worker)."""
    for attempt in range(attempts):
        try:
            return func()
        except OperationalError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.1 * 2**attempt)
    return None


def _mark_running(batch_id: int) -> None:
    AuditBatch.objects.filter(pk=batch_id, status=AuditBatch.Status.QUEUED).update(
        status=AuditBatch.Status.RUNNING, started_at=clock.now()
    )


def finish_if_done(batch_id: int) -> bool:
    """Close the batch when no item is waiting or running; re-check everything once, so
    cross-year pairs read in any order get their year-over-year findings."""
    busy = AuditItem.objects.filter(
        batch_id=batch_id, status__in=(AuditItem.Status.QUEUED, AuditItem.Status.RUNNING)
    )
    if busy.exists():
        return False
    batch = AuditBatch.objects.filter(pk=batch_id).first()
    if batch is None or not batch.is_working:
        return False
    _retrying(lambda: recheck_items(batch.items.select_related("batch", "body", "body__agency")))
    _retrying(
        lambda: AuditBatch.objects.filter(
            pk=batch_id, status__in=(AuditBatch.Status.QUEUED, AuditBatch.Status.RUNNING)
        ).update(status=AuditBatch.Status.DONE, finished_at=clock.now())
    )
    return True


def process_batch(batch_id: int, *, jobs: int = 1) -> int:
    """Work the batch's queue until it is empty; returns the number of items processed."""
    _retrying(lambda: _mark_running(batch_id))
    _retrying(lambda: requeue_stale(batch_id=batch_id))
    done = work_queue(batch_id=batch_id, jobs=jobs)
    finish_if_done(batch_id)
    return done


def work_queue(*, batch_id: int | None = None, jobs: int = 1, max_items: int | None = None) -> int:
    """Claim and process items (of one batch, or of all) until none is left."""
    pool: Executor | None = ProcessPoolExecutor(max_workers=jobs) if jobs > 1 else None
    done = 0
    try:
        while max_items is None or done < max_items:
            items = _retrying(lambda: claim(batch_id, limit=max(1, jobs * 2)))
            if not items:
                break
            for item in items:
                if item.batch.status == AuditBatch.Status.QUEUED:
                    _mark_running(item.batch_id)
            _process_many(items, pool)
            done += len(items)
    finally:
        if pool is not None:
            pool.shutdown()
    return done


# ---------------------------------------------------------------------------------------------
# One item
# ---------------------------------------------------------------------------------------------


def _read_upload(data: bytes, filename: str) -> dict[str, Any]:
    """Read one uploaded file (in a worker process); a JSON-ready result."""
    outcome = read_document(data, filename, max_bytes=MAX_BYTES)
    if outcome.result is None:
        return {"ok": False, "code": outcome.error_code, "message": outcome.error_message}
    result = outcome.result
    return {
        "ok": True,
        "report": result.report.to_dict(),
        "notes": [note_to_dict(n) for n in result.notes],
        "parse_notes": parse_notes_to_dict(result.context.notes),
        "source_kind": result.source_kind.value,
    }


def _process_many(items: list[AuditItem], pool: Executor | None) -> None:
    uploads = [i for i in items if i.origin == AuditItem.Origin.UPLOAD and i.source is not None]
    results: dict[int, Any] = {}
    if pool is not None and len(uploads) > 1:
        futures = {
            i.pk: pool.submit(_read_upload, bytes(i.source.data), i.filename) for i in uploads
        }
        for pk, fut in futures.items():
            try:
                results[pk] = fut.result()
            except Exception as exc:  # noqa: BLE001 - a crashed worker process
                results[pk] = {
                    "ok": False,
                    "code": "worker",
                    "message": f"读取进程出错（{type(exc).__name__}）。",
                }
    for item in items:
        try:
            if item.origin == AuditItem.Origin.UPLOAD:
                result = results.get(item.pk)
                if result is None:
                    result = _read_upload(bytes(item.source.data), item.filename)
                _retrying(lambda item=item, result=result: _store_reading(item, result))
            else:
                _retrying(lambda item=item: _store_platform(item))
        except Exception as exc:  # noqa: BLE001 - one file never stops the batch
            logger.exception("oversight: item %s failed", item.pk)
            _retrying(lambda item=item, exc=exc: _store_failure(item, exc))


def process_item(item: AuditItem) -> None:
    """Read (or load) and check one claimed item."""
    _process_many([item], None)


def _common_done(item: AuditItem) -> None:
    item.processed_at = clock.now()
    item.claimed_at = None


_DONE_FIELDS = ["status", "processed_at", "claimed_at", "error_code", "error_message"]


def _store_failure(item: AuditItem, exc: Exception) -> None:
    item.status = AuditItem.Status.UNREADABLE
    item.error_code = "failed"
    item.error_message = f"检查时出错（{type(exc).__name__}），可重新检查；如仍出错请联系管理员。"
    _common_done(item)
    AuditItem.objects.filter(pk=item.pk).update(
        **{name: getattr(item, name) for name in _DONE_FIELDS}
    )


def _store_reading(item: AuditItem, result: dict[str, Any]) -> None:
    fields = list(_DONE_FIELDS)
    _common_done(item)
    if not result["ok"]:
        item.status = AuditItem.Status.UNREADABLE
        item.error_code = result["code"][:20]
        item.error_message = result["message"]
        item.report = None
        item.findings = []
        item.errors = item.warnings = item.infos = 0
        fields += ["report", "findings", "errors", "warnings", "infos"]
        with transaction.atomic():
            item.save(update_fields=fields)
        return
    report = result["report"]
    item.status = AuditItem.Status.READ
    item.error_code = item.error_message = ""
    item.report = report
    item.read_notes = result["notes"]
    item.parse_notes = result["parse_notes"]
    item.source_kind = result["source_kind"]
    fields += ["report", "read_notes", "parse_notes", "source_kind"]
    # The report's own year wins (a file of last year in this year's batch serves as the
    # previous-year report), unless the reader had to guess it.
    guessed = any(n["code"] == "year-unknown" for n in result["notes"])
    if report.get("year") and not guessed and int(report["year"]) != item.year:
        item.year = int(report["year"])
        fields.append("year")
    if not item.published_on_entered:
        published = report.get("published_on")
        item.published_on = dt.date.fromisoformat(published) if published else None
        fields.append("published_on")
    fields += _rematch(item, report.get("agency") or "")
    fields += item_check(item)
    with transaction.atomic():
        item.save(update_fields=sorted(set(fields)))
        _recheck_dependants(item)


def _rematch(item: AuditItem, agency_as_read: str) -> list[str]:
    """Use the name in the report's title when the file name did not settle the body. Only an
    exact match (name or confirmed alias) is taken without a person; similar names wait for
    confirmation."""
    if item.match in (AuditItem.Match.EXACT, AuditItem.Match.CONFIRMED) or not agency_as_read:
        return []
    register = [
        RegisteredName(b.pk, b.name, tuple(b.aliases or ()))
        for b in ReportingBody.objects.filter(region_id=item.batch.region_id, is_active=True)
    ]
    found = best_of([match_name(agency_as_read, register), match_name(item.name_hint, register)])
    if found.exact is not None:
        item.body_id = found.exact
        item.body = ReportingBody.objects.get(pk=found.exact)
        item.match = AuditItem.Match.EXACT
        item.candidates = []
    elif found.candidates:
        item.match = AuditItem.Match.SUGGESTED
        item.candidates = [{"id": c.id, "name": c.name, "score": c.score} for c in found.candidates]
    return ["body", "match", "candidates"]


def _store_platform(item: AuditItem) -> None:
    fields = list(_DONE_FIELDS)
    _common_done(item)
    record = item.record
    if record is None and item.body is not None and item.body.agency is not None:
        record = platform_record(item.body.agency, item.year)
    data = record_data(record) if record is not None else None
    if not data:
        item.status = AuditItem.Status.UNREADABLE
        item.error_code = "no_record"
        item.error_message = "平台上没有该机关本年度的报告（尚未生成）。"
        item.save(update_fields=fields)
        return
    item.record = record
    item.status = AuditItem.Status.READ
    item.report = data
    item.parse_notes = None
    item.source_kind = "platform"
    item.published_on = record.published_on
    item.published_on_entered = False
    fields += [
        "record",
        "report",
        "parse_notes",
        "source_kind",
        "published_on",
        "published_on_entered",
    ]
    fields += item_check(item)
    with transaction.atomic():
        item.save(update_fields=sorted(set(fields)))
        _recheck_dependants(item)


def _recheck_dependants(item: AuditItem) -> None:
    recheck_items(dependants(item))


def pending_batches() -> list[int]:
    """Batches with work waiting (for the worker command)."""
    return list(
        AuditItem.objects.filter(
            Q(status=AuditItem.Status.QUEUED)
            | Q(status=AuditItem.Status.RUNNING, claimed_at__lt=clock.now() - STALE_AFTER)
        )
        .values_list("batch_id", flat=True)
        .distinct()
    )


def run_worker(
    *,
    jobs: int = 1,
    once: bool = True,
    sleep: Callable[[float], None] | None = None,
    idle: float = 5.0,
) -> int:
    """The worker command's loop: work every waiting batch; with ``once=False`` keep polling."""
    import time

    sleeper = sleep or time.sleep
    total = 0
    while True:
        if not once:
            close_old_connections()  # a long-running worker: drop broken or old connections
        requeue_stale()
        for batch_id in pending_batches():
            _mark_running(batch_id)
            total += work_queue(batch_id=batch_id, jobs=jobs)
            finish_if_done(batch_id)
        for batch_id in AuditBatch.objects.filter(
            status__in=(AuditBatch.Status.QUEUED, AuditBatch.Status.RUNNING)
        ).values_list("pk", flat=True):
            finish_if_done(batch_id)
        if once:
            return total
        sleeper(idle)
