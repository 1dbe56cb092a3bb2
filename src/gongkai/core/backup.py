"""Backups: the database and the uploaded files in one archive, and a restore that checks first.

An archive (``.tar.gz``, mode 0600: it holds applicants' personal data) contains, in this order:

* ``manifest.json`` — format, gongkai version, date, database vendor and server version, the
  applied migrations, every table's row count, and the size and SHA-256 of every other member;
* ``database/db.sqlite3`` (SQLite's online backup API, a consistent copy while the site runs) or
  ``database/db.pgdump`` (``pg_dump -Fc`` in a snapshot whose row counts are the manifest's);
* ``media/…`` — every uploaded file under ``MEDIA_ROOT``.

``restore_backup`` refuses an archive that is corrupt (checksums, truncation), from another
database vendor, or from a newer gongkai (migrations this code does not know), before anything is
touched. It then restores into a staging copy (an SQLite file / a temporary PostgreSQL database),
checks it (integrity, every table's row count), and only then swaps it in:

* SQLite: the staged file is copied into the live database with the backup API in one step —
  one write transaction, so a crash leaves the old database, never a mix;
* PostgreSQL: the live database is renamed away and the staged one renamed in its place (the
  database user needs ``CREATEDB``), then the old one is dropped;
* media: the files are extracted next to the live ones (same file system) and swapped by
  renames; if the database swap fails, the old files are put back.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import hashlib
import io
import json
import os
import re
import secrets
import shutil
import sqlite3

# pg_dump / pg_restore / pg_config run with argument lists, never through a shell.
import subprocess  # nosec B404
import tarfile
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

import gongkai
from gongkai.core import clock

FORMAT = "gongkai-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DB_MEMBERS = {"sqlite": "database/db.sqlite3", "postgresql": "database/db.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
MEDIA_PREFIX = "media/"
# Staging directories inside MEDIA_ROOT (same file system, so the swap is made of renames).
STAGING_PREFIX = ".gongkai-restore-"
CHUNK = 1 << 20
MAX_MANIFEST_BYTES = 64 << 20


class BackupError(Exception):
    """A backup or a restore that cannot be done; the message (Chinese) says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict[str, Any]


@dataclass(frozen=True)
class RestoreResult:
    manifest: dict[str, Any]
    # Migrations of this code that the restored database has not applied yet (an older backup).
    pending_migrations: tuple[str, ...] = ()


# —— helpers ————————————————————————————————————————————————————————————————————————————


def _vendor(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in DB_MEMBERS:
        raise BackupError(f"不支持备份 {connection.vendor} 数据库（只支持 SQLite 和 PostgreSQL）。")
    return str(connection.vendor)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _media_files(root: Path) -> list[tuple[str, Path]]:
    """Every regular file under ``root`` (not following links, not our staging directories)."""
    found: list[tuple[str, Path]] = []
    if not root.is_dir():
        return found
    for directory, dirnames, filenames in os.walk(root):
        base = Path(directory)
        if base == root:
            dirnames[:] = [d for d in dirnames if not d.startswith(STAGING_PREFIX)]
        dirnames.sort()
        for name in sorted(filenames):
            path = base / name
            if path.is_symlink() or not path.is_file():
                continue
            found.append((path.relative_to(root).as_posix(), path))
    return found


def _safe_media_path(value: object) -> str:
    """A manifest's media path, refused unless it is a plain relative path under MEDIA_ROOT."""
    if not isinstance(value, str) or not value or "\x00" in value or "\\" in value:
        raise BackupError("备份文件无效：清单中有不合法的文件路径。")
    path = PurePosixPath(value)
    if (
        path.is_absolute()
        or str(path) != value
        or any(part in ("", ".", "..") for part in path.parts)
        or path.parts[0].startswith(STAGING_PREFIX)
    ):
        raise BackupError(f"备份文件无效：清单中有不合法的文件路径“{value}”。")
    return value


def default_backup_path(now: dt.datetime | None = None) -> Path:
    stamp = timezone.localtime(now or clock.now()).strftime("%Y%m%d-%H%M%S")
    return Path(settings.DATA_DIR) / "backups" / f"gongkai-backup-{stamp}.tar.gz"


def applied_migrations_on_disk() -> set[tuple[str, str]]:
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True, load=False)
    loader.load_disk()  # names only: no graph, no database
    return set(loader.disk_migrations)


# —— PostgreSQL client programs ————————————————————————————————————————————————————————


def pg_bindir() -> Path:
    """The directory of pg_dump / pg_restore: ``GONGKAI_PG_BINDIR``, ``pg_config --bindir``,
    the newest ``/usr/lib/postgresql/*/bin``, or wherever ``pg_dump`` is on the PATH."""
    configured = os.environ.get("GONGKAI_PG_BINDIR", "")
    candidates: list[Path] = [Path(configured)] if configured else []
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(  # nosec B603
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=True
            ).stdout.strip()
            candidates.append(Path(out))

    def version_key(path: Path) -> tuple[int, ...]:
        return tuple(int(x) for x in re.findall(r"\d+", path.parent.name))

    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=version_key, reverse=True)
    on_path = shutil.which("pg_dump")
    if on_path:
        candidates.append(Path(on_path).parent)
    for candidate in candidates:
        if (candidate / "pg_dump").is_file() and (candidate / "pg_restore").is_file():
            return candidate
    raise BackupError(
        "找不到 PostgreSQL 客户端程序（pg_dump、pg_restore）。请安装 postgresql-client，"
        "或用 GONGKAI_PG_BINDIR 指明其目录。"
    )


_LIBPQ_OPTIONS = {
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "connect_timeout",
    "application_name",
    "options",
    "target_session_attrs",
    "passfile",
    "service",
}


def _pg_params(settings_dict: dict[str, Any], dbname: str | None = None) -> dict[str, str]:
    params = {
        "dbname": dbname or settings_dict.get("NAME") or "",
        "host": settings_dict.get("HOST") or "",
        "port": str(settings_dict.get("PORT") or ""),
        "user": settings_dict.get("USER") or "",
        "password": settings_dict.get("PASSWORD") or "",
    }
    for key, value in (settings_dict.get("OPTIONS") or {}).items():
        if key in _LIBPQ_OPTIONS and value is not None:
            params[key] = str(value)
    return {k: v for k, v in params.items() if v}


# Connection parameter -> the libpq environment variable pg_dump / pg_restore read.
_PG_ENV_NAMES = (
    ("dbname", "PGDATABASE"),
    ("host", "PGHOST"),
    ("port", "PGPORT"),
    ("user", "PGUSER"),
    ("password", "PGPASSWORD"),
    ("sslmode", "PGSSLMODE"),
    ("sslrootcert", "PGSSLROOTCERT"),
    ("sslcert", "PGSSLCERT"),
    ("sslkey", "PGSSLKEY"),
    ("connect_timeout", "PGCONNECT_TIMEOUT"),
    ("application_name", "PGAPPNAME"),
    ("options", "PGOPTIONS"),
    ("target_session_attrs", "PGTARGETSESSIONATTRS"),
    ("passfile", "PGPASSFILE"),
    ("service", "PGSERVICE"),
)


def _pg_env(params: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update({name: params[key] for key, name in _PG_ENV_NAMES if key in params})
    return env


def _run_pg(program: str, args: list[str], params: dict[str, str]) -> None:
    executable = pg_bindir() / program
    result = subprocess.run(  # nosec B603
        [str(executable), *args],
        env=_pg_env(params),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(f"{program} 执行失败：{' '.join(detail[-3:]) or result.returncode}")


def _pg_connect(params: dict[str, str], *, autocommit: bool = False) -> Any:
    import psycopg
    from psycopg.conninfo import make_conninfo

    return psycopg.connect(make_conninfo(**params), autocommit=autocommit)


def _pg_tables(cursor: Any) -> list[tuple[str, str]]:
    cursor.execute(
        "SELECT schemaname, tablename FROM pg_tables "
        "WHERE schemaname = ANY(current_schemas(false)) ORDER BY schemaname, tablename"
    )
    return [(row[0], row[1]) for row in cursor.fetchall()]


def _pg_inventory(cursor: Any) -> tuple[dict[str, int], list[list[str]]]:
    from psycopg import sql

    counts: dict[str, int] = {}
    tables = _pg_tables(cursor)
    for schema, table in tables:
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(schema, table)))
        counts[table] = int(cursor.fetchone()[0])
    migrations: list[list[str]] = []
    if any(table == "django_migrations" for _, table in tables):
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        migrations = [[row[0], row[1]] for row in cursor.fetchall()]
    return counts, migrations


def _pg_dump(connection: BaseDatabaseWrapper, dest: Path) -> dict[str, Any]:
    params = _pg_params(connection.settings_dict)
    with _pg_connect(params) as conn, conn.cursor() as cursor:
        # Count the rows in the very snapshot pg_dump copies, so the manifest's counts are exact.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts, migrations = _pg_inventory(cursor)
        server_version = conn.info.server_version
        _run_pg(
            "pg_dump",
            [
                "--format=custom",
                "--no-owner",
                "--no-acl",
                f"--snapshot={snapshot}",
                f"--file={dest}",
            ],
            params,
        )
        conn.rollback()
    return {"server_version": str(server_version), "tables": counts, "migrations": migrations}


# —— SQLite ——————————————————————————————————————————————————————————————————————————————


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _sqlite_inventory(path: Path) -> tuple[dict[str, int], list[list[str]], str]:
    conn = sqlite3.connect(path)
    try:
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        names = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "ORDER BY name"
            )
        ]
        counts = {
            # table names come from sqlite_master and are quoted
            name: int(conn.execute(f"SELECT count(*) FROM {_quote(name)}").fetchone()[0])  # nosec B608
            for name in names
        }
        migrations: list[list[str]] = []
        if "django_migrations" in counts:
            migrations = [
                [app, name]
                for app, name in conn.execute(
                    "SELECT app, name FROM django_migrations ORDER BY app, name"
                )
            ]
        return counts, migrations, str(check)
    finally:
        conn.close()


def _sqlite_raw(connection: BaseDatabaseWrapper) -> sqlite3.Connection:
    connection.ensure_connection()
    raw = connection.connection
    if not isinstance(raw, sqlite3.Connection):
        raise BackupError("数据库连接不是 SQLite。")
    return raw


def _sqlite_dump(connection: BaseDatabaseWrapper, dest: Path) -> dict[str, Any]:
    target = sqlite3.connect(dest)
    try:
        _sqlite_raw(connection).backup(target)
    finally:
        target.close()
    counts, migrations, check = _sqlite_inventory(dest)
    if check != "ok":
        raise BackupError(f"数据库完整性检查未通过（{check}），备份已停止。")
    return {"server_version": sqlite3.sqlite_version, "tables": counts, "migrations": migrations}


# —— writing an archive ————————————————————————————————————————————————————————————————


class _HashingReader(io.RawIOBase):
    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _tarinfo(name: str, size: int, mtime: float) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    info.mtime = int(mtime)
    return info


def _add_file(tar: tarfile.TarFile, name: str, path: Path, size: int, sha256: str) -> None:
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise BackupError(f"文件在备份过程中被删除或无法读取：{name}，请重试。") from exc
    with handle:
        reader = _HashingReader(handle)
        try:
            tar.addfile(_tarinfo(name, size, path.stat().st_mtime), reader)
        except OSError as exc:
            raise BackupError(f"文件在备份过程中被修改：{name}，请重试。") from exc
    if reader.digest.hexdigest() != sha256:
        raise BackupError(f"文件在备份过程中被修改：{name}，请重试。")


def create_backup(output: Path | str | None = None, *, using: str = "default") -> BackupResult:
    """Write the database and every uploaded file to ``output`` (a new ``.tar.gz``)."""
    connection = connections[using]
    vendor = _vendor(connection)
    if connection.in_atomic_block:
        raise BackupError("不能在数据库事务中备份（未提交的修改不会进入备份）。")
    path = Path(output) if output else default_backup_path()
    path = path.expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_dir():
        raise BackupError(f"{path} 是一个目录，请给出备份文件名。")
    with tempfile.TemporaryDirectory(prefix=".gongkai-backup-", dir=path.parent) as tmp:
        db_file = Path(tmp) / "database"
        info = (
            _sqlite_dump(connection, db_file)
            if vendor == "sqlite"
            else _pg_dump(connection, db_file)
        )
        root = media_root()
        media: list[dict[str, Any]] = []
        for rel, file in _media_files(root):
            media.append({"path": rel, "size": file.stat().st_size, "sha256": _sha256(file)})
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "gongkai_version": gongkai.__version__,
            "created_at": clock.now().isoformat(),
            "database": {
                "vendor": vendor,
                "member": DB_MEMBERS[vendor],
                "server_version": info["server_version"],
                "size": db_file.stat().st_size,
                "sha256": _sha256(db_file),
                "tables": info["tables"],
            },
            "migrations": info["migrations"],
            "media": media,
        }
        partial = path.with_name(f".{path.name}.partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with (
                os.fdopen(fd, "wb") as raw,
                tarfile.open(fileobj=raw, mode="w:gz", format=tarfile.PAX_FORMAT) as tar,
            ):
                body = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
                tar.addfile(_tarinfo(MANIFEST, len(body), time.time()), io.BytesIO(body))
                database = manifest["database"]
                _add_file(tar, DB_MEMBERS[vendor], db_file, database["size"], database["sha256"])
                for entry in media:
                    _add_file(
                        tar,
                        MEDIA_PREFIX + entry["path"],
                        root / entry["path"],
                        entry["size"],
                        entry["sha256"],
                    )
            os.replace(partial, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                partial.unlink()
    return BackupResult(path=path, manifest=manifest)


# —— reading an archive —————————————————————————————————————————————————————————————————

CORRUPT = "备份文件已损坏或不完整（{detail}）。请换用另一份备份。"


@contextlib.contextmanager
def _open_archive(path: Path) -> Iterator[tarfile.TarFile]:
    if not path.is_file():
        raise BackupError(f"找不到备份文件：{path}")
    try:
        with tarfile.open(path, mode="r|gz") as tar:
            yield tar
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise BackupError(CORRUPT.format(detail=str(exc) or type(exc).__name__)) from exc


def _load_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    member = tar.next()
    if member is None or member.name != MANIFEST or not member.isreg():
        raise BackupError("这不是 gongkai 的备份文件（缺少备份清单 manifest.json）。")
    if member.size > MAX_MANIFEST_BYTES:
        raise BackupError("备份文件无效：备份清单过大。")
    handle = tar.extractfile(member)
    if handle is None:
        raise BackupError(CORRUPT.format(detail=f"{member.name} 无法读取"))
    try:
        manifest = json.loads(handle.read().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BackupError(CORRUPT.format(detail="备份清单无法读取")) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("这不是 gongkai 的备份文件（备份清单格式不符）。")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"备份格式版本 {manifest.get('format_version')} 不受本程序支持"
            f"（本程序支持版本 {FORMAT_VERSION}）。请使用生成该备份的 gongkai 版本恢复。"
        )
    try:
        database = manifest["database"]
        if (
            database["vendor"] not in DB_MEMBERS
            or database["member"] != DB_MEMBERS[database["vendor"]]
        ):
            raise BackupError("备份文件无效：数据库类型不明。")
        int(database["size"])
        str(database["sha256"])
        dict(database["tables"])
        for entry in manifest["media"]:
            _safe_media_path(entry["path"])
            int(entry["size"])
            str(entry["sha256"])
        [tuple(pair) for pair in manifest["migrations"]]
    except (KeyError, TypeError, ValueError):
        raise BackupError("备份文件无效：备份清单内容不完整。") from None
    return manifest


def _check_compatible(manifest: dict[str, Any], vendor: str) -> tuple[str, ...]:
    """Refuse an archive this installation cannot take; return the migrations still to apply."""
    source = manifest["database"]["vendor"]
    if source != vendor:
        raise BackupError(
            f"该备份来自 {VENDOR_NAMES[source]} 数据库，而当前配置的是 {VENDOR_NAMES[vendor]}，"
            "不能直接恢复。请在相同类型的数据库上恢复（数据库由 DATABASE_URL 指定）。"
        )
    on_disk = applied_migrations_on_disk()
    in_archive = {(app, name) for app, name in manifest["migrations"]}
    unknown = sorted(in_archive - on_disk)
    if unknown:
        listed = "、".join(f"{app}.{name}" for app, name in unknown[:5])
        more = f" 等 {len(unknown)} 个" if len(unknown) > 5 else ""
        raise BackupError(
            f"该备份来自较新的 gongkai（{manifest.get('gongkai_version', '未知版本')}），"
            f"包含本程序没有的数据库迁移：{listed}{more}。请先把 gongkai 升级到该版本或更新版本，"
            "再恢复。"
        )
    return tuple(sorted(f"{app}.{name}" for app, name in on_disk - in_archive))


def _copy_member(
    tar: tarfile.TarFile, member: tarfile.TarInfo, dest: Path | None, size: int, sha256: str
) -> None:
    if not member.isreg() or member.size != size:
        raise BackupError(CORRUPT.format(detail=f"{member.name} 的大小与清单不符"))
    handle = tar.extractfile(member)
    if handle is None:
        raise BackupError(CORRUPT.format(detail=f"{member.name} 无法读取"))
    digest = hashlib.sha256()
    out = None
    if dest is not None:
        dest.parent.mkdir(parents=True, exist_ok=True, mode=0o750)
        out = dest.open("xb")
    try:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
            if out is not None:
                out.write(chunk)
    finally:
        if out is not None:
            out.close()
    if digest.hexdigest() != sha256:
        raise BackupError(CORRUPT.format(detail=f"{member.name} 的校验值不符"))
    if dest is not None:
        dest.chmod(0o640 if member.name.startswith(MEDIA_PREFIX) else 0o600)


def _read_members(
    tar: tarfile.TarFile,
    manifest: dict[str, Any],
    destination: Callable[[str], Path | None],
) -> None:
    """Check every member against the manifest (and write it where ``destination`` says)."""
    database = manifest["database"]
    expected: dict[str, tuple[int, str]] = {
        database["member"]: (int(database["size"]), str(database["sha256"]))
    }
    for entry in manifest["media"]:
        expected[MEDIA_PREFIX + entry["path"]] = (int(entry["size"]), str(entry["sha256"]))
    while (member := tar.next()) is not None:  # after the manifest, which was read already
        if member.name not in expected:
            raise BackupError(CORRUPT.format(detail=f"含有清单之外的内容：{member.name}"))
        size, sha256 = expected.pop(member.name)
        _copy_member(tar, member, destination(member.name), size, sha256)
    if expected:
        missing = next(iter(expected))
        raise BackupError(CORRUPT.format(detail=f"缺少 {missing}，共缺 {len(expected)} 项"))


def read_manifest(path: Path | str) -> dict[str, Any]:
    """The manifest of an archive (only the first member is read)."""
    with _open_archive(Path(path)) as tar:
        return _load_manifest(tar)


def verify_backup(path: Path | str) -> dict[str, Any]:
    """Check every member's checksum without writing anything; returns the manifest."""
    with _open_archive(Path(path)) as tar:
        manifest = _load_manifest(tar)
        _read_members(tar, manifest, lambda name: None)
    return manifest


# —— restoring ————————————————————————————————————————————————————————————————————————


@dataclass
class _MediaSwap:
    """Swap MEDIA_ROOT's contents with a staged tree by renames, and undo it on failure."""

    root: Path
    new: Path
    old: Path
    moved_out: list[str] = field(default_factory=list)
    moved_in: list[str] = field(default_factory=list)

    def apply(self) -> None:
        self.old.mkdir(mode=0o700)
        for entry in sorted(self.root.iterdir()):
            if entry.name.startswith(STAGING_PREFIX):
                continue
            os.rename(entry, self.old / entry.name)
            self.moved_out.append(entry.name)
        for entry in sorted(self.new.iterdir()):
            os.rename(entry, self.root / entry.name)
            self.moved_in.append(entry.name)

    def undo(self) -> None:
        for name in reversed(self.moved_in):
            os.rename(self.root / name, self.new / name)
        for name in reversed(self.moved_out):
            os.rename(self.old / name, self.root / name)
        self.moved_in.clear()
        self.moved_out.clear()


def _check_counts(actual: dict[str, int], manifest: dict[str, Any]) -> None:
    expected = {str(k): int(v) for k, v in manifest["database"]["tables"].items()}
    if actual != expected:
        differing = sorted(
            name for name in set(actual) | set(expected) if actual.get(name) != expected.get(name)
        )
        raise BackupError(
            "恢复出的数据库与备份清单不符（表：" + "、".join(differing[:5]) + "），已放弃恢复，"
            "现有数据未改动。"
        )


def _sqlite_swap(connection: BaseDatabaseWrapper, staged: Path) -> None:
    source = sqlite3.connect(staged)
    try:
        # All pages in one step: one write transaction on the live database.
        source.backup(_sqlite_raw(connection), pages=-1)
    finally:
        source.close()
    connection.close()


class _PgStaging:
    """A temporary database on the same server holding the restored copy until the swap."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.settings_dict = connection.settings_dict
        self.live = str(self.settings_dict["NAME"])
        self.temp = f"{self.live[:40]}_restore_{secrets.token_hex(4)}"
        self.created = False

    def _admin(self) -> Any:
        import psycopg

        last: Exception | None = None
        for dbname in ("postgres", "template1"):
            try:
                return _pg_connect(_pg_params(self.settings_dict, dbname), autocommit=True)
            except psycopg.OperationalError as exc:
                last = exc
        raise BackupError(f"无法连接 PostgreSQL 维护数据库：{last}")

    def prepare(self, dump: Path, manifest: dict[str, Any]) -> None:
        import psycopg
        from psycopg import sql

        with self._admin() as admin:
            row = admin.execute(
                "SELECT pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database "
                "WHERE datname = %s",
                [self.live],
            ).fetchone()
            encoding, collate, ctype = row if row else ("UTF8", "C.UTF-8", "C.UTF-8")
            try:
                admin.execute(
                    sql.SQL(
                        "CREATE DATABASE {} TEMPLATE template0 ENCODING {} LC_COLLATE {} LC_CTYPE {}"
                    ).format(
                        sql.Identifier(self.temp),
                        sql.Literal(encoding),
                        sql.Literal(collate),
                        sql.Literal(ctype),
                    )
                )
            except psycopg.errors.InsufficientPrivilege:
                raise BackupError(
                    "数据库用户没有建库权限，无法先在临时数据库中恢复再替换。请由数据库管理员执行 "
                    f"ALTER ROLE {self.settings_dict.get('USER') or '<用户>'} CREATEDB; 后重试。"
                ) from None
            except psycopg.Error as exc:
                raise BackupError(f"无法创建临时数据库 {self.temp}：{exc}") from None
            self.created = True
        params = _pg_params(self.settings_dict, self.temp)
        _run_pg(
            "pg_restore",
            [
                "--no-owner",
                "--no-acl",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={self.temp}",
                str(dump),
            ],
            params,
        )
        with _pg_connect(params) as conn, conn.cursor() as cursor:
            counts, _ = _pg_inventory(cursor)
        _check_counts(counts, manifest)

    def swap(self, connection: BaseDatabaseWrapper) -> None:
        import psycopg
        from psycopg import sql

        old = f"{self.live[:40]}_before_restore_{secrets.token_hex(4)}"
        connection.close()
        with self._admin() as admin:
            for attempt in range(10):
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()",
                    [self.live],
                )
                try:
                    admin.execute(
                        sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                            sql.Identifier(self.live), sql.Identifier(old)
                        )
                    )
                    break
                except psycopg.errors.ObjectInUse:
                    if attempt == 9:
                        raise BackupError(
                            "数据库仍在被其他程序使用，无法替换。请先停止 gongkai 的所有服务进程再恢复。"
                        ) from None
                    time.sleep(0.5)
            try:
                admin.execute(
                    sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                        sql.Identifier(self.temp), sql.Identifier(self.live)
                    )
                )
            except Exception:
                admin.execute(
                    sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                        sql.Identifier(old), sql.Identifier(self.live)
                    )
                )
                raise
            self.created = False
            with contextlib.suppress(psycopg.Error):
                admin.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(old)))

    def cleanup(self) -> None:
        if not self.created:
            return
        from psycopg import sql

        with contextlib.suppress(Exception), self._admin() as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(self.temp)))
        self.created = False


def restore_backup(path: Path | str, *, using: str = "default") -> RestoreResult:
    """Replace the database and the uploaded files by the archive's, all or nothing."""
    archive = Path(path).expanduser().resolve()
    connection = connections[using]
    vendor = _vendor(connection)
    if connection.in_atomic_block:
        raise BackupError("不能在数据库事务中恢复。")
    root = media_root()
    root.mkdir(parents=True, exist_ok=True)
    data_dir = Path(settings.DATA_DIR)
    data_dir.mkdir(parents=True, exist_ok=True)
    db_staging = Path(tempfile.mkdtemp(prefix=".gongkai-restore-db-", dir=data_dir))
    media_staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
    new_media = media_staging / "new"
    new_media.mkdir()
    staged_db = db_staging / "database"
    pg: _PgStaging | None = None
    try:
        with _open_archive(archive) as tar:
            manifest = _load_manifest(tar)
            pending = _check_compatible(manifest, vendor)
            member = manifest["database"]["member"]

            def destination(name: str) -> Path:
                if name == member:
                    return staged_db
                return new_media / name[len(MEDIA_PREFIX) :]

            _read_members(tar, manifest, destination)
        if vendor == "sqlite":
            counts, _, check = _sqlite_inventory(staged_db)
            if check != "ok":
                raise BackupError(CORRUPT.format(detail=f"数据库完整性检查未通过：{check}"))
            _check_counts(counts, manifest)
        else:
            pg = _PgStaging(connection)
            pg.prepare(staged_db, manifest)
        swap = _MediaSwap(root=root, new=new_media, old=media_staging / "old")
        try:
            swap.apply()
            if vendor == "sqlite":
                _sqlite_swap(connection, staged_db)
            else:
                pg.swap(connection)  # type: ignore[union-attr]
        except BaseException:
            swap.undo()
            raise
    finally:
        if pg is not None:
            pg.cleanup()
        shutil.rmtree(db_staging, ignore_errors=True)
        shutil.rmtree(media_staging, ignore_errors=True)
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    return RestoreResult(manifest=manifest, pending_migrations=pending)
