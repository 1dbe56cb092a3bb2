"""A write interrupted midway — a database error, a killed process — leaves nothing half-written.

The services run in one transaction: the calendar change (CalendarDay + AuditEvent + the
recompute hooks that move open cases' due dates) and the annual report assembly (the report row
+ its audit event) either happen completely or not at all.
"""

from __future__ import annotations

import datetime as dt
import signal
import sqlite3
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection

from gongkai.core import audit
from gongkai.core import calendar as work_calendar
from gongkai.core.models import AuditEvent, CalendarDay
from gongkai.ledger.annual import services as annual
from gongkai.ledger.annual.models import AnnualReportRecord

from .conftest import PYTHON, ROOT, db_snapshot, subprocess_env

pytestmark = pytest.mark.django_db(transaction=True)

DAY = dt.date(2025, 3, 5)


def _user(name):
    return get_user_model().objects.get(username=name)


def _failing_sql(**kwargs):
    """A real database error, raised by the database itself (the transaction is then aborted)."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO gongkai_no_such_table (x) VALUES (1)")


def test_a_database_error_in_the_audit_write_undoes_the_calendar_change(platform, monkeypatch):
    # given
    before = db_snapshot()
    monkeypatch.setattr(audit, "record", _failing_sql)
    # when
    with pytest.raises(DatabaseError):
        work_calendar.calendar_day_set(
            actor=_user("xian_admin"), day=DAY, is_workday=False, source="测试通知"
        )
    # then: not the override, not anything else
    assert not CalendarDay.objects.filter(day=DAY).exists()
    assert db_snapshot() == before


def test_a_failing_recompute_hook_undoes_the_override_and_its_audit_event(platform, monkeypatch):
    def hook_that_fails(*, calendar, actor, reason):
        assert CalendarDay.objects.filter(day=DAY).exists()  # written before the hook ran
        _failing_sql()

    monkeypatch.setattr(work_calendar, "RECOMPUTE_HOOKS", ["tests.trust.test_faults.HOOK"])
    monkeypatch.setattr(f"{__name__}.HOOK", hook_that_fails, raising=False)
    before = db_snapshot()
    with pytest.raises(DatabaseError):
        work_calendar.calendar_day_set(
            actor=_user("xian_admin"), day=DAY, is_workday=False, source="测试通知"
        )
    assert not AuditEvent.objects.filter(action="calendar.day.set").exists()
    assert db_snapshot() == before


def test_a_database_error_while_assembling_leaves_no_report(platform, monkeypatch):
    monkeypatch.setattr(audit, "record", _failing_sql)
    with pytest.raises(DatabaseError):
        annual.annual_report_assemble(
            actor=_user("sfj_clerk"), agency=platform["shifanxian-sfj"], year=2025
        )
    assert not AnnualReportRecord.objects.exists()


def test_a_failed_reassembly_keeps_the_previous_report_intact(platform, monkeypatch):
    # given an assembled report
    annual.annual_report_assemble(
        actor=_user("sfj_clerk"), agency=platform["shifanxian-sfj"], year=2025
    )
    before = db_snapshot()
    # when reassembling fails after the row has been updated in the transaction
    monkeypatch.setattr(audit, "record", _failing_sql)
    with pytest.raises(DatabaseError):
        annual.annual_report_assemble(
            actor=_user("sfj_clerk"), agency=platform["shifanxian-sfj"], year=2025
        )
    # then the version, the data and the audit trail are those of the first assembly
    assert db_snapshot() == before


KILL_MIDWAY = """
import datetime as dt, os, signal
import django
django.setup()
from django.contrib.auth import get_user_model
from gongkai.core import calendar
from gongkai.core.models import CalendarDay, AuditEvent

def die(**kwargs):
    # the override and its audit event are written (not committed): the process is killed
    assert CalendarDay.objects.filter(day=dt.date(2025, 3, 5)).exists()
    assert AuditEvent.objects.filter(action="calendar.day.set").exists()
    os.kill(os.getpid(), signal.SIGKILL)

calendar._run_hooks = die
calendar.calendar_day_set(
    actor=get_user_model().objects.get(username="xian_admin"),
    day=dt.date(2025, 3, 5), is_workday=False, source="测试通知",
)
print("not killed")
"""


def test_a_killed_process_leaves_nothing_half_written(platform, tmp_path):
    # given a database the child process can open: the test database itself on PostgreSQL,
    # a file copy of it on SQLite (the test database is in memory)
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(data_dir / "gongkai.sqlite3")
        connection.connection.backup(target)
        target.close()
    # when the process is killed in the middle of the service
    result = subprocess.run(
        [PYTHON, "-c", KILL_MIDWAY],
        env=subprocess_env(data_dir),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    # then nothing of the change is in the database
    if connection.vendor == "sqlite":
        check = sqlite3.connect(Path(data_dir) / "gongkai.sqlite3")
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert check.execute("SELECT count(*) FROM core_calendarday").fetchone()[0] == 0
        assert (
            check.execute(
                "SELECT count(*) FROM core_auditevent WHERE action = 'calendar.day.set'"
            ).fetchone()[0]
            == 0
        )
        check.close()
    else:
        assert not CalendarDay.objects.exists()
        assert not AuditEvent.objects.filter(action="calendar.day.set").exists()
