"""``gongkai audit`` on the real corpus: one row per report, every inconsistency the truth files
note in the published sources is flagged (by rule, place and numbers), the workbook opens."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gongkai.cli import main
from gongkai.oversight.bulk import audit_paths
from gongkai.oversight.export import SHEET_FINDINGS, SHEET_RULES, SHEET_SUMMARY

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
REPORTS = CORPUS / "reports"

# truth file -> one entry per ``inconsistencies_in_source`` item (in order): the findings that
# must all be present, as (rule, row key, column key, numbers). Numbers: a set = must be among
# the finding's numbers; a tuple = the finding's numbers exactly.
EXPECTED = {
    "016": [[("A-01", "OTOT", "TOT", {1, 0}), ("A-02", "OTOT", "NP", {1})]],
    "021": [[("M-12", None, None, {2023}), ("M-11", None, None, {61, 5, 1, 7, 12, 51})]],
    "025": [[("M-05", None, None, {424, 89})]],
    "027": [
        [("A-01", "O2", "TOT", {8, 1})],
        [("A-01", "OTOT", "TOT", {19, 1})],
        [("A-03", None, "BIZ", {1, 0})],
    ],
    "031": [[("A-03", None, "TOT", (1, 0, 1, 1))]],
    "047": [[("M-13", None, None, (2, 5))]],
    "050": [[("A-02", "OTOT", "NP", {18}), ("A-02", "OTOT", "NPO", {2, 0})]],
}


def _truth(name: str) -> dict:
    return json.loads((CORPUS / "truth" / f"{name}.json").read_text(encoding="utf-8"))


def _matches(finding: dict, rule: str, row: str | None, col: str | None, numbers) -> bool:
    loc = finding["location"]
    if finding["rule"] != rule:
        return False
    if row is not None and loc["row_key"] != row:
        return False
    if col is not None and loc["col_key"] != col:
        return False
    got = finding["numbers"]
    if isinstance(numbers, tuple):
        return tuple(got) == numbers
    return numbers <= set(got)


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    """The CLI run once on the whole corpus (two processes), as JSON lines and a workbook."""
    out = tmp_path_factory.mktemp("audit") / "findings.xlsx"
    import contextlib
    import io

    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(io.StringIO()):
        status = main(
            ["audit", str(REPORTS), "--year", "2025", "--xlsx", str(out), "--json", "--jobs", "2"]
        )
    docs = [json.loads(line) for line in stdout.getvalue().splitlines()]
    return status, docs, out


def test_one_row_per_report(audited):
    """Every report file of the corpus gives exactly one row, all of them readable."""
    status, docs, _ = audited
    files = sorted(p.name for p in REPORTS.iterdir() if p.suffix == ".txt")
    assert [d["file"] for d in docs] == files
    assert all(d["status"] == "read" for d in docs)
    assert status == 1  # error findings exist (the sources' own arithmetic errors)


def test_other_years_are_noted_and_agencies_read(audited):
    _, docs, _ = audited
    by_file = {d["file"]: d for d in docs}
    assert by_file["012.txt"]["year"] == 2025 and not by_file["012.txt"]["notes"]
    assert "不是审查年度2025年" in by_file["001.txt"]["notes"][0]
    assert by_file["008.txt"]["agency"] == "平潭综合实验区公安局"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_source_inconsistency_is_flagged(audited, name):
    """Each noted inconsistency of the published source is found, at its place, with its numbers."""
    _, docs, _ = audited
    entries = _truth(name)["inconsistencies_in_source"]
    assert len(entries) == len(EXPECTED[name]), "map every truth entry in EXPECTED"
    doc = next(d for d in docs if d["file"] == f"{name}.txt")
    for entry, wanted in zip(entries, EXPECTED[name], strict=True):
        for rule, row, col, numbers in wanted:
            assert any(_matches(f, rule, row, col, numbers) for f in doc["findings"]), (
                name,
                entry,
                rule,
                [
                    (f["rule"], f["location"]["row_key"], f["location"]["col_key"], f["numbers"])
                    for f in doc["findings"]
                ],
            )


def test_every_truth_file_with_inconsistencies_is_mapped():
    noted = {
        p.stem
        for p in (CORPUS / "truth").glob("*.json")
        if _truth(p.stem).get("inconsistencies_in_source")
    }
    assert noted == set(EXPECTED)


def test_cross_year_rules_use_the_agencys_previous_report_in_the_folder(audited):
    """公安局 2022 (008) is checked against 公安局 2021 (031) found in the same folder."""
    _, docs, _ = audited
    by_file = {d["file"]: d for d in docs}
    assert by_file["008.txt"]["previous"] == "031.txt"
    assert by_file["004.txt"]["previous"] is None  # 2023 report of 平潭 not in the corpus


def test_the_workbook_opens_with_the_findings(audited):
    _, docs, path = audited
    wb = load_workbook(path)
    assert wb.sheetnames[:3] == [SHEET_SUMMARY, SHEET_FINDINGS, SHEET_RULES]
    summary = list(wb[SHEET_SUMMARY].iter_rows(min_row=2, values_only=True))
    rows = [r for r in summary if isinstance(r[0], int)]
    assert len(rows) == len(docs)
    assert {r[2] for r in rows} == {d["file"] for d in docs}
    findings = [r for r in wb[SHEET_FINDINGS].iter_rows(min_row=2, values_only=True)]
    assert len(findings) == sum(len(d["findings"]) for d in docs)
    messages = {r[8] for r in findings}
    assert any("勾稽关系" in m for m in messages)
    rules = {r[0]: r for r in wb[SHEET_RULES].iter_rows(min_row=2, values_only=True)}
    assert rules["A-03"][3] == 4  # four reports break the 勾稽 identity
    late = {r[2]: r[7] for r in rows}
    assert late["012.txt"] == 0


def test_one_and_two_processes_agree():
    files = sorted(str(p) for p in REPORTS.iterdir() if p.suffix == ".txt")
    one = audit_paths(files, jobs=1)
    two = audit_paths(files, jobs=2)
    assert [(r.file, [f.rule for f in r.findings], r.previous) for r in one] == [
        (r.file, [f.rule for f in r.findings], r.previous) for r in two
    ]


def test_an_unreadable_file_becomes_a_row_with_the_reason(tmp_path):
    (tmp_path / "a.txt").write_bytes((REPORTS / "028.txt").read_bytes())
    (tmp_path / "b.txt").write_text("会议通知：请各单位准时参会。", encoding="utf-8")
    (tmp_path / "c.pdf").write_bytes(b"%PDF-1.4 broken")
    rows = audit_paths(sorted(str(p) for p in tmp_path.iterdir()), jobs=2)
    assert [r.readable for r in rows] == [True, False, False]
    assert "不是年度报告" in rows[1].error or "没有找到" in rows[1].error
    assert rows[2].error  # Chinese message from the reader


def test_cli_without_files_says_so(tmp_path, capsys):
    assert main(["audit", str(tmp_path)]) == 2
    assert "没有找到" in capsys.readouterr().err
