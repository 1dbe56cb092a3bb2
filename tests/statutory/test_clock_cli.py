"""`gongkai deadline` and `gongkai fee` through the console entry point."""

from __future__ import annotations

import json

import pytest

from gongkai.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def test_deadline_prints_the_due_dates(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, err = run(capsys, "deadline", "--received", "2024-02-06", "--today", "2024-02-20")
    assert rc == 0 and err == ""
    assert "收到申请之日：2024-02-06（星期二）" in out
    assert "补正告知期限：2024-02-21（星期三）" in out
    assert "答复期限：2024-03-11（星期一）" in out
    assert "已用工作日：6个；剩余14个工作日" in out
    assert "计算过程" not in out


def test_deadline_explain(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = run(
        capsys, "deadline", "--received", "2024-02-06", "--today", "2024-02-20", "--explain"
    )
    assert rc == 0
    assert "2024-02-07 答复期限第1个工作日（星期三）" in out
    assert "春节放假" in out
    assert "调休上班日" in out
    assert "条例第三十一条（一）" in out


def test_deadline_with_amendment_and_extension(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = run(
        capsys,
        "deadline",
        "--received",
        "2024-12-20",
        "--extension",
        "2025-01-10",
        "--today",
        "2025-01-15",
    )
    assert rc == 0
    assert "答复期限：2025-01-20（星期一）" in out
    assert "延长后答复期限：2025-02-21（星期五）" in out
    rc, out, _ = run(
        capsys,
        "deadline",
        "--received",
        "2024-02-06",
        "--amendment-notice",
        "2024-02-08",
        "--amendment-received",
        "2024-02-26",
        "--today",
        "2024-03-01",
    )
    assert rc == 0
    assert "答复期限起算日（收到补正）：2024-02-26" in out
    assert "答复期限：2024-03-25（星期一）" in out


def test_deadline_refused_extension(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = run(
        capsys,
        "deadline",
        "--received",
        "2024-02-06",
        "--extension",
        "2024-03-11",
        "--today",
        "2024-03-12",
    )
    assert rc == 0
    assert "延期：无效" in out
    assert "[D-03] 错误" in out


def test_deadline_json(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = run(
        capsys,
        "deadline",
        "--received",
        "2025-01-24",
        "--channel",
        "online",
        "--consultation",
        "2025-02-05,2025-02-12",
        "--today",
        "2025-02-13",
        "--json",
    )
    assert rc == 0
    data = json.loads(out)
    assert data["received_on"] == "2025-01-24"
    assert data["amendment_notice_due"] == "2025-02-10"
    # 6 working days paused: 2/6, 2/7, 2/8 (make-up Saturday), 2/10, 2/11, 2/12
    assert data["original_due"] == "2025-03-07"
    assert "explanation" not in data


def test_deadline_into_2027_is_marked_provisional(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = run(capsys, "deadline", "--received", "2026-12-15", "--today", "2026-12-16")
    assert rc == 0
    assert "暂定结果" in out and "2027年" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["deadline", "--received", "2024-13-01"],
        ["deadline", "--received", "2024-02-30"],
        ["deadline", "--received", "明天"],
        ["deadline"],
        ["deadline", "--received", "2024-02-06", "--today", "20240230"],
        [
            "deadline",
            "--received",
            "2024-02-06",
            "--extension",
            "2024-02-08",
            "--extension-days",
            "x",
        ],
        ["deadline", "--received", "2024-02-06", "--consultation", "2024-02-08,2024-02-07"],
        ["fee"],
        ["fee", "--pages", "-3"],
        ["fee", "--pages", "abc"],
        ["fee", "--per-piece", "45", "--pages", "10"],
        ["fee", "--pages", "100", "--delivery", "online"],
    ],
)
def test_bad_input_gives_one_chinese_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    rc, out, err = run(capsys, *argv)
    assert rc == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("错误：")
    assert "Traceback" not in err


def test_fee_per_piece(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = run(capsys, "fee", "--per-piece", "45")
    assert rc == 0
    assert out.startswith("信息处理费：5,500元")
    assert "其中第45件申请的费用：300元" in out


def test_fee_pages(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = run(capsys, "fee", "--pages", "2219")
    assert rc == 0
    assert "信息处理费：83,460元" in out
    rc, out, _ = run(capsys, "fee", "--pages", "2219", "--delivery", "paper", "--json")
    assert json.loads(out)["amount"] == "83460.00"
