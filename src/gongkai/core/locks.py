"""A lock for scheduled jobs, so that two runs of the same job never overlap.

    from gongkai.core.locks import JobLocked, job_lock

    with job_lock("publish_scheduled"):
        ...                                  # raises JobLocked if another run holds it

Cron or a systemd timer may start a job while the previous run is still going (a slow link
check, two servers with the same timer). The lock is held by the process, not written as a row
that could be left behind: a killed process releases it at once.

* PostgreSQL: a session-level advisory lock (``pg_try_advisory_lock``) on a connection of its
  own, so it works across every server using the same database.
* SQLite (one server): an exclusive ``flock`` on ``<data dir>/locks/<name>.lock``.

Management commands use ``run_locked`` to skip (exit status 0, one line on stderr) when the job
is already running.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.db import connections

T = TypeVar("T")


class JobLocked(Exception):
    """Another process is running the job."""

    def __init__(self, name: str) -> None:
        super().__init__(f"任务“{name}”正在由另一个进程运行，本次跳过。")
        self.name = name


def _key(name: str) -> int:
    """A stable signed 64-bit key for the advisory lock."""
    digest = hashlib.blake2b(f"gongkai-job:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _check(name: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_.\-]{1,100}", name):
        raise ValueError(f"job name must be letters, digits, _ . - : {name!r}")
    return name


@contextlib.contextmanager
def _pg_lock(name: str, wait: float, using: str) -> Iterator[None]:
    # A connection of our own: the job's code may close or reset Django's connection freely.
    wrapper = connections.create_connection(using)
    try:
        deadline = time.monotonic() + wait
        with wrapper.cursor() as cursor:
            while True:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [_key(name)])
                if cursor.fetchone()[0]:
                    break
                if time.monotonic() >= deadline:
                    raise JobLocked(name)
                time.sleep(0.2)
        try:
            yield
        finally:
            with wrapper.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_key(name)])
    finally:
        wrapper.close()


def lock_dir() -> Path:
    return Path(getattr(settings, "DATA_DIR", ".")) / "locks"


@contextlib.contextmanager
def _file_lock(name: str, wait: float) -> Iterator[None]:
    directory = lock_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o640)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise JobLocked(name) from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextlib.contextmanager
def job_lock(name: str, *, wait: float = 0, using: str = "default") -> Iterator[None]:
    """Hold the lock named ``name`` for the block; ``JobLocked`` if another process holds it
    (after waiting up to ``wait`` seconds)."""
    _check(name)
    if connections[using].vendor == "postgresql":
        with _pg_lock(name, wait, using):
            yield
    else:
        with _file_lock(name, wait):
            yield


def run_locked(name: str, job: Callable[[], T]) -> T | None:
    """Run ``job`` under the lock; if the job is already running, say so and return ``None``."""
    try:
        with job_lock(name):
            return job()
    except JobLocked as exc:
        print(str(exc), file=sys.stderr)  # noqa: T201 - the one line a cron mail shows
        return None
