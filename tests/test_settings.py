"""Settings are safe by default and production mode fails fast with one line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(args, env_extra, tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GONGKAI_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC"))
    }
    env.update({"GONGKAI_DATA_DIR": str(tmp_path), **env_extra})
    return subprocess.run(
        [sys.executable, "-m", "gongkai.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_secret_key_exits_with_one_line(tmp_path):
    result = _run(["manage", "check"], {"GONGKAI_PRODUCTION": "1"}, tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "GONGKAI_SECRET_KEY" in lines[0]


def test_production_without_allowed_hosts_exits_with_one_line(tmp_path):
    result = _run(
        ["manage", "check"], {"GONGKAI_PRODUCTION": "1", "GONGKAI_SECRET_KEY": "x" * 60}, tmp_path
    )
    assert result.returncode == 2 and "GONGKAI_ALLOWED_HOSTS" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_deploy_is_clean_in_production_mode(tmp_path):
    env = {
        "GONGKAI_PRODUCTION": "1",
        "GONGKAI_SECRET_KEY": "k" * 20 + "-Zq8#vT1!pL0@wX7$mN4%bR2^cY6&" + "s" * 20,
        "GONGKAI_ALLOWED_HOSTS": "gongkai.example.gov.cn",
    }
    result = _run(["manage", "check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_is_off_by_default():
    from django.conf import settings

    assert settings.DEBUG is False
    assert settings.LANGUAGE_CODE == "zh-hans" and settings.TIME_ZONE == "Asia/Shanghai"
