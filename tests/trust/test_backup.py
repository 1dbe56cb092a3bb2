"""`gongkai backup` / `gongkai restore`: a restored copy is identical to the original (every row of
every table, every uploaded file); a corrupt or mismatched archive is refused before anything is
touched; a restore that fails midway leaves the database and the files as they were.

Runs on whichever database the suite uses (SQLite here, PostgreSQL under with-postgres.sh).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import stat
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from gongkai.cli import main as cli_main
from gongkai.core import backup
from gongkai.core import calendar as work_calendar
from gongkai.core.models import Agency, AuditEvent, CalendarDay
from gongkai.ledger.annual import services as annual

from .conftest import db_snapshot, media_snapshot

pytestmark = pytest.mark.django_db(transaction=True)

FILES = {
    "annual/imported/2024/示范县司法局2024年报告.pdf": b"%PDF-1.7\n" + bytes(range(256)) * 40,
    "publishing/2025/附件 一.docx": b"PK\x03\x04" + os.urandom(5000),
    "top.txt": "政府信息公开\n".encode(),
}


@pytest.fixture
def filled(platform, data_dirs):
    """The demo platform, a calendar override, an annual report and some uploaded files."""
    admin = get_user_model().objects.get(username="xian_admin")
    work_calendar.calendar_day_set(
        actor=admin, day=dt.date(2025, 3, 5), is_workday=False, name="测试", source="测试通知"
    )
    annual.annual_report_assemble(
        actor=get_user_model().objects.get(username="sfj_clerk"),
        agency=platform["shifanxian-sfj"],
        year=2025,
    )
    root = Path(data_dirs.MEDIA_ROOT)
    for name, content in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return root


def _mutate(root: Path) -> None:
    """Everything a day of work might change after the backup."""
    CalendarDay.objects.all().delete()
    Agency.objects.filter(slug="shifanxian-sfj").update(name="改名后的司法局")
    AuditEvent.objects.create(
        occurred_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        action="test.after_backup",
        subject_type="x",
        subject_id="1",
    )
    get_user_model().objects.create_user("new_after_backup", password="x-long-password-8")
    (root / "top.txt").write_bytes(b"changed")
    (root / "publishing/2025/附件 一.docx").unlink()
    (root / "new-after-backup.txt").write_bytes(b"new")


def test_a_restored_copy_is_identical_to_the_original(filled, tmp_path):
    # given a backup of a populated platform
    original_rows = db_snapshot()
    original_files = media_snapshot(filled)
    archive = tmp_path / "backup.tar.gz"
    result = backup.create_backup(archive)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600  # personal data inside
    manifest = result.manifest
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["gongkai_version"] and manifest["created_at"]
    assert {m["path"] for m in manifest["media"]} == set(FILES)
    assert manifest["database"]["tables"]["core_calendarday"] == 1
    # when the data changes and the backup is restored
    _mutate(filled)
    assert db_snapshot() != original_rows
    restored = backup.restore_backup(archive)
    # then every row of every table and every file is as it was
    assert db_snapshot() == original_rows
    assert media_snapshot(filled) == original_files
    assert restored.pending_migrations == ()
    # the database works normally afterwards (sequences restored too)
    AuditEvent.objects.create(
        occurred_at=dt.datetime(2026, 1, 2, tzinfo=dt.UTC),
        action="test.after_restore",
        subject_type="x",
        subject_id="2",
    )
    # and no staging directory is left behind
    assert not [p for p in filled.iterdir() if p.name.startswith(".gongkai-restore")]
    assert not [p for p in filled.parent.iterdir() if p.name.startswith(".gongkai-restore")]


def test_verify_reads_every_member_and_the_cli_reports_it(filled, tmp_path, capsys):
    archive = tmp_path / "b.tar.gz"
    assert cli_main(["backup", "-o", str(archive)]) == 0
    out = capsys.readouterr().out
    assert "备份完成" in out and "上传文件：3 个" in out
    assert cli_main(["restore", "--check", str(archive)]) == 0
    assert "备份文件完整" in capsys.readouterr().out
    # without --yes and without a terminal, nothing is restored
    assert cli_main(["restore", str(archive)]) == 1
    assert "--yes" in capsys.readouterr().err


def _rewrite(archive: Path, target: Path, change, extra: dict[str, bytes] | None = None) -> None:
    """Copy an archive member by member; ``change(name, data)`` returns ``(name, data)`` to keep
    (maybe altered) or ``None`` to drop a member; ``extra`` members are appended."""
    with tarfile.open(archive, "r:gz") as src, tarfile.open(target, "w:gz") as dst:
        members = [(m.name, src.extractfile(m).read()) for m in src.getmembers()]
        for name, data in [*members, *(extra or {}).items()]:
            kept = change(name, data) if name not in (extra or {}) else (name, data)
            if kept is None:
                continue
            info = tarfile.TarInfo(kept[0])
            info.size = len(kept[1])
            dst.addfile(info, io.BytesIO(kept[1]))


def _edit_manifest(edit):
    def change(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            edit(manifest)
            return name, json.dumps(manifest).encode()
        return name, data

    return change


def _assert_refused(archive: Path, root: Path, message: str) -> None:
    rows, files = db_snapshot(), media_snapshot(root)
    with pytest.raises(backup.BackupError) as refused:
        backup.restore_backup(archive)
    assert message in str(refused.value)
    assert db_snapshot() == rows and media_snapshot(root) == files
    assert not [p for p in root.iterdir() if p.name.startswith(".gongkai-restore")]


@pytest.fixture
def archive_and_changes(filled, tmp_path):
    archive = tmp_path / "good.tar.gz"
    backup.create_backup(archive)
    _mutate(filled)
    return archive, filled


def test_corrupt_or_truncated_archives_are_refused(archive_and_changes, tmp_path):
    archive, root = archive_and_changes
    data = archive.read_bytes()
    flipped = bytearray(data)
    for i in range(len(data) // 2, len(data) // 2 + 64):
        flipped[i] ^= 0xFF
    (tmp_path / "flipped.tar.gz").write_bytes(bytes(flipped))
    (tmp_path / "short.tar.gz").write_bytes(data[: len(data) * 2 // 3])
    (tmp_path / "empty.tar.gz").write_bytes(b"")
    for name in ("flipped", "short", "empty"):
        _assert_refused(tmp_path / f"{name}.tar.gz", root, "已损坏或不完整")
    _assert_refused(tmp_path / "missing.tar.gz", root, "找不到备份文件")


def test_a_member_changed_added_or_dropped_after_the_backup_is_refused(
    archive_and_changes, tmp_path
):
    archive, root = archive_and_changes
    target = tmp_path / "tampered.tar.gz"

    def tamper(name, data):
        return name, (b"X" + data[1:] if name == "media/top.txt" else data)

    _rewrite(archive, target, tamper)
    _assert_refused(target, root, "media/top.txt 的校验值不符")
    _rewrite(archive, target, lambda name, data: None if name == "media/top.txt" else (name, data))
    _assert_refused(target, root, "缺少 media/top.txt")
    _rewrite(archive, target, lambda name, data: (name, data), extra={"media/evil.sh": b"rm -rf /"})
    _assert_refused(target, root, "含有清单之外的内容：media/evil.sh")
    assert not (root / "evil.sh").exists()


def test_an_archive_from_another_database_vendor_is_refused(archive_and_changes, tmp_path):
    archive, root = archive_and_changes
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"

    def to_other(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["database"]["vendor"] = other
            manifest["database"]["member"] = backup.DB_MEMBERS[other]
            return name, json.dumps(manifest).encode()
        if name.startswith("database/"):
            return backup.DB_MEMBERS[other], data
        return name, data

    target = tmp_path / "other.tar.gz"
    _rewrite(archive, target, to_other)
    _assert_refused(target, root, f"该备份来自 {backup.VENDOR_NAMES[other]} 数据库")


def test_an_archive_from_a_newer_gongkai_is_refused(archive_and_changes, tmp_path):
    archive, root = archive_and_changes

    def newer(manifest):
        manifest["gongkai_version"] = "9.0.0"
        manifest["migrations"].append(["core", "0999_from_the_future"])

    target = tmp_path / "newer.tar.gz"
    _rewrite(archive, target, _edit_manifest(newer))
    _assert_refused(target, root, "该备份来自较新的 gongkai（9.0.0）")


def test_an_older_archive_restores_and_says_which_migrations_to_run(archive_and_changes, tmp_path):
    archive, root = archive_and_changes
    target = tmp_path / "older.tar.gz"

    def older(manifest):
        manifest["migrations"].remove(["core", "0005_login_lockout_and_totp"])

    _rewrite(archive, target, _edit_manifest(older))
    result = backup.restore_backup(target)
    assert result.pending_migrations == ("core.0005_login_lockout_and_totp",)


def test_paths_outside_the_media_directory_are_refused(archive_and_changes, tmp_path):
    archive, root = archive_and_changes
    for bad in ("../escaped.txt", "/etc/passwd", "a/../../b", ".gongkai-restore-x/y"):

        def evil(manifest, bad=bad):
            manifest["media"][0]["path"] = bad

        target = tmp_path / "evil.tar.gz"
        _rewrite(archive, target, _edit_manifest(evil))
        _assert_refused(target, root, "不合法的文件路径")
    assert not (root.parent / "escaped.txt").exists()


def test_not_a_gongkai_archive(archive_and_changes, tmp_path):
    _, root = archive_and_changes
    target = tmp_path / "other.tar.gz"
    with tarfile.open(target, "w:gz") as tar:
        info = tarfile.TarInfo("readme.txt")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"hi"))
    _assert_refused(target, root, "这不是 gongkai 的备份文件")


def test_a_restore_failing_at_the_swap_leaves_database_and_files_as_they_were(
    archive_and_changes, monkeypatch
):
    archive, root = archive_and_changes
    rows, files = db_snapshot(), media_snapshot(root)

    def broken(*args, **kwargs):
        raise OSError("disk full (injected)")

    monkeypatch.setattr(backup, "_sqlite_swap", broken)
    monkeypatch.setattr(backup._PgStaging, "swap", broken)
    with pytest.raises(OSError, match="injected"):
        backup.restore_backup(archive)
    assert db_snapshot() == rows
    assert media_snapshot(root) == files
    assert not [p for p in root.iterdir() if p.name.startswith(".gongkai-restore")]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_database WHERE datname LIKE %s", ["%_restore_%"]
            )
            assert cursor.fetchone()[0] == 0  # the staging database was dropped


def test_a_backup_inside_a_transaction_is_refused(filled, tmp_path):
    from django.db import transaction

    with transaction.atomic(), pytest.raises(backup.BackupError, match="事务"):
        backup.create_backup(tmp_path / "x.tar.gz")
