"""`gongkai render` through gongkai.cli.main."""

from __future__ import annotations

import json

import pytest

from gongkai.cli import main
from gongkai.statutory.report import AnnualReport


@pytest.fixture()
def report_json(tmp_path, seed_report):
    path = tmp_path / "report.json"
    path.write_text(seed_report.to_json(), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["docx", "html", "xlsx", "md", "json", "txt"])
def test_format_from_suffix(report_json, tmp_path, fmt, capsys):
    out = tmp_path / f"out.{fmt}"
    assert main(["render", str(report_json), "-o", str(out)]) == 0
    assert out.stat().st_size > 0
    assert "已生成" in capsys.readouterr().err


@pytest.mark.slow
def test_pdf(report_json, tmp_path):
    out = tmp_path / "report.pdf"
    assert main(["render", str(report_json), "--to", "pdf", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF-")


def test_to_overrides_suffix(report_json, tmp_path):
    out = tmp_path / "report.bin"
    assert main(["render", str(report_json), "--to", "md", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("# ")


def test_text_to_stdout(report_json, capsys, seed_report):
    assert main(["render", str(report_json), "--to", "json"]) == 0
    assert AnnualReport.from_json(capsys.readouterr().out) == seed_report


def test_xlsx_gets_findings_sheet_by_default(report_json, tmp_path):
    import openpyxl

    out = tmp_path / "r.xlsx"
    assert main(["render", str(report_json), "-o", str(out)]) == 0
    ws = openpyxl.load_workbook(out)["检查结果"]
    assert ws["A2"].value != "未运行检查"


def test_check_flag_adds_appendix(report_json, tmp_path):
    out = tmp_path / "r.html"
    assert main(["render", str(report_json), "-o", str(out)]) == 0
    assert "检查结果" not in out.read_text(encoding="utf-8")
    assert main(["render", str(report_json), "--check", "-o", str(out)]) == 0
    assert "检查结果" in out.read_text(encoding="utf-8")


def _bad(capsys, argv):
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误："), err
    assert "Traceback" not in err
    return lines[0]


def test_missing_file(capsys, tmp_path):
    assert "找不到文件" in _bad(capsys, ["render", str(tmp_path / "no.json"), "-o", "x.pdf"])


def test_invalid_json(capsys, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{bad", encoding="utf-8")
    assert "不是有效的 JSON" in _bad(capsys, ["render", str(path), "-o", str(tmp_path / "x.pdf")])


@pytest.mark.parametrize(
    "data",
    [
        [1, 2],
        {"agency": "x"},
        {"agency": "x", "year": 2024, "format_version": "2099"},
        {"agency": "x", "year": "2024", "format_version": "2021"},
        {"agency": "x", "year": 2024, "format_version": "2021", "table3": {"NEW": [1, 2]}},
        {"agency": "x", "year": 2024, "format_version": "2021", "table3": {"NOPE": [0] * 7}},
        {"agency": "x", "year": 2024, "format_version": "2021", "colour": "red"},
        {
            "agency": "x",
            "year": 2024,
            "format_version": "2021",
            "table2": {"admin_fee_amount": "x"},
        },
    ],
)
def test_schema_errors(capsys, tmp_path, data):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    line = _bad(capsys, ["render", str(path), "-o", str(tmp_path / "x.html")])
    assert "年度报告" in line


def test_unknown_suffix(capsys, report_json):
    assert "--to" in _bad(capsys, ["render", str(report_json), "-o", "report.abc"])


def test_binary_needs_output(capsys, report_json):
    assert "-o" in _bad(capsys, ["render", str(report_json), "--to", "docx"])
