"""``gongkai check``: text and JSON output, exit status, directories, ``--prev``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from gongkai.cli import main as gongkai_main
from gongkai.reading.cli import main
from tests.reading.conftest import CORPUS, SEED


def test_text_output_shows_format_tables_and_findings(capsys: pytest.CaptureFixture[str]) -> None:
    status = main([str(SEED), "--no-color"])
    out = capsys.readouterr().out
    assert status in (0, 1)
    assert "2021年版格式" in out and "报告年度：2024" in out
    assert "表二 主动公开政府信息情况" in out
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" in out
    assert "表四" in out and "总计 1" in out
    assert "\x1b[" not in out


def test_json_document_per_file(capsys: pytest.CaptureFixture[str]) -> None:
    status = main([str(SEED), str(CORPUS / "reports" / "004.txt"), "--json"])
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2
    docs = [json.loads(line) for line in lines]
    seed = docs[0]
    assert seed["status"] == "read" and seed["format_version"] == "2021" and seed["year"] == 2024
    t3 = {row["key"]: row for row in seed["report"]["table3"]}
    assert len(t3) == 25
    assert t3["NEW"]["label"] == "一、本年新收政府信息公开申请数量"
    assert t3["NEW"]["values"] == [6, 0, 0, 0, 0, 0, 6]
    assert len(seed["report"]["table4"]) == 15
    t2 = {item["key"]: item for item in seed["report"]["table2"]}
    assert t2["normative_in_force"]["row"] == "行政规范性文件"
    assert t2["normative_in_force"]["value"] == 6
    assert (
        {"rule", "severity", "message", "location", "numbers"} <= set(docs[1]["findings"][0])
        if docs[1]["findings"]
        else True
    )
    assert status in (0, 1)


def test_source_errors_give_exit_status_1(capsys: pytest.CaptureFixture[str]) -> None:
    """027 prints a 部分公开 row whose total is wrong: an error finding (once rules exist)."""
    from gongkai.statutory import checks

    if not getattr(checks, "RULES", ()):
        pytest.skip("statutory.checks has no rules yet")
    assert main([str(CORPUS / "reports" / "027.txt"), "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert any(f["severity"] == "error" and f["rule"].startswith("A-") for f in doc["findings"])


def test_directory_with_progress_in_parallel(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("001", "004", "012"):
        shutil.copy(CORPUS / "reports" / f"{name}.txt", tmp_path / f"{name}.txt")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 broken")
    (tmp_path / "ignored.jpg").write_bytes(b"\xff\xd8")
    status = main([str(tmp_path), "--json", "--jobs", "2"])
    captured = capsys.readouterr()
    docs = [json.loads(line) for line in captured.out.splitlines()]
    assert [Path(d["file"]).name for d in docs] == ["001.txt", "004.txt", "012.txt", "broken.pdf"]
    assert docs[-1]["status"] == "unreadable"
    assert "检查中" in captured.err and "4/4" in captured.err
    assert status == 2


def test_prev_adds_cross_year_rules(capsys: pytest.CaptureFixture[str]) -> None:
    """031 (2021) carries 1 application forward; 008 (2022) carries 1 in: Y-01 holds."""
    status = main(
        [
            str(CORPUS / "reports" / "008.txt"),
            "--prev",
            str(CORPUS / "reports" / "031.txt"),
            "--json",
        ]
    )
    doc = json.loads(capsys.readouterr().out)
    assert doc["status"] == "read"
    assert not any(f["rule"] == "Y-01" for f in doc["findings"])
    assert status in (0, 1)


def test_registered_as_gongkai_check(capsys: pytest.CaptureFixture[str]) -> None:
    assert gongkai_main(["check", str(SEED), "--json"]) in (0, 1)
    assert json.loads(capsys.readouterr().out)["agency"].endswith("司法局")


def test_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["/nonexistent/report.pdf"]) == 2
    assert "无法打开文件" in capsys.readouterr().out
