"""Scheduled jobs never run twice at once: ``job_lock`` (advisory lock on PostgreSQL, flock on
SQLite), released even when the holder is killed."""

from __future__ import annotations

import signal
import subprocess
import threading

import pytest

from gongkai.core.locks import JobLocked, job_lock, run_locked

from .conftest import PYTHON, ROOT, subprocess_env

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_second_holder_is_refused_until_the_first_is_done(data_dirs):
    held, release, outcome = threading.Event(), threading.Event(), {}

    def first():
        with job_lock("publish_scheduled"):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=first)
    thread.start()
    try:
        assert held.wait(10)
        with pytest.raises(JobLocked) as refused, job_lock("publish_scheduled"):
            pass
        assert "正在由另一个进程运行" in str(refused.value)
        # another job is not blocked
        with job_lock("linkcheck"):
            outcome["other"] = True
    finally:
        release.set()
        thread.join(10)
    with job_lock("publish_scheduled"):
        outcome["after"] = True
    assert outcome == {"other": True, "after": True}


def test_run_locked_skips_quietly_when_the_job_is_running(data_dirs, capsys):
    with job_lock("deadline_reminders"):
        assert run_locked("deadline_reminders", lambda: "ran") is None
    assert "本次跳过" in capsys.readouterr().err
    assert run_locked("deadline_reminders", lambda: "ran") == "ran"


def test_lock_names_are_checked():
    with pytest.raises(ValueError), job_lock("../etc/passwd"):
        pass


TWO_AT_ONCE = """
import os, sys, time
from pathlib import Path
import django
django.setup()
from gongkai.core.locks import JobLocked, job_lock

me, other, sync = sys.argv[1], sys.argv[2], Path(sys.argv[3])
(sync / f"ready-{me}").touch()
deadline = time.monotonic() + 60
while not (sync / f"ready-{other}").exists() and time.monotonic() < deadline:
    time.sleep(0.01)
try:
    with job_lock("linkcheck"):
        # hold the lock until the other process has tried and been refused
        while not (sync / f"done-{other}").exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        print("ran")
except JobLocked:
    print("skipped")
(sync / f"done-{me}").touch()
"""


def test_two_processes_started_together_run_the_job_once(data_dirs, tmp_path):
    sync = tmp_path / "sync"
    sync.mkdir()
    env = subprocess_env(data_dirs.DATA_DIR)
    children = [
        subprocess.Popen(
            [PYTHON, "-c", TWO_AT_ONCE, me, other, str(sync)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for me, other in (("a", "b"), ("b", "a"))
    ]
    outputs = [child.communicate(timeout=120) for child in children]
    assert [child.returncode for child in children] == [0, 0], outputs
    assert sorted(out.strip() for out, _ in outputs) == ["ran", "skipped"]


HOLD_AND_DIE = """
import os, signal, sys
import django
django.setup()
from gongkai.core.locks import job_lock

with job_lock("publish_scheduled"):
    print("holding", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_killed_holder_releases_the_lock(data_dirs):
    result = subprocess.run(
        [PYTHON, "-c", HOLD_AND_DIE],
        env=subprocess_env(data_dirs.DATA_DIR),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == -signal.SIGKILL and "holding" in result.stdout, result.stderr
    with job_lock("publish_scheduled", wait=5):
        pass
