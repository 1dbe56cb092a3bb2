"""Shared helpers for the trust tests: a private data and media directory, database snapshots."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def data_dirs(settings, tmp_path):
    """DATA_DIR and MEDIA_ROOT in the test's own temporary directory."""
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "data" / "media"
    settings.DATA_DIR.mkdir()
    settings.MEDIA_ROOT.mkdir()
    return settings


def _plain(value):
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def db_snapshot() -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order (raw SQL, no model code involved)."""
    snapshot = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = [tuple(_plain(v) for v in row) for row in cursor.fetchall()]
            snapshot[table] = sorted(rows, key=repr)
    return snapshot


def media_snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.relative_to(root).parts[0].startswith(".gongkai-restore-")
    }


def subprocess_env(data_dir: Path | None = None) -> dict[str, str]:
    """The environment for a child ``python`` that uses the test database (PostgreSQL) or the
    given data directory (SQLite file)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GONGKAI_", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"))
    }
    env["DJANGO_SETTINGS_MODULE"] = "gongkai.config.settings"
    env["PYTHONPATH"] = str(ROOT / "src")
    if data_dir is not None:
        env["GONGKAI_DATA_DIR"] = str(data_dir)
    if connection.vendor == "postgresql":
        sd = connection.settings_dict
        auth = sd["USER"] + (f":{sd['PASSWORD']}" if sd.get("PASSWORD") else "")
        env["DATABASE_URL"] = f"postgres://{auth}@{sd['HOST']}:{sd['PORT']}/{sd['NAME']}"
    return env


PYTHON = sys.executable
