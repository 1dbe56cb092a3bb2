"""The oversight modules that need no database: name matching, safe intake, findings,
serialisation, charts — and that they (and the CLI) never import Django."""

from __future__ import annotations

import ast
import io
import zipfile
from pathlib import Path

import pytest

from gongkai.oversight.charts import bar_chart
from gongkai.oversight.engine import (
    audit_findings,
    finding_from_dict,
    finding_to_dict,
    parse_notes_from_dict,
    parse_notes_to_dict,
    read_document,
)
from gongkai.oversight.intake import Limits, expand_uploads
from gongkai.oversight.registry import RegisteredName, match_name, name_from_filename
from gongkai.oversight.samples import sample_report

SRC = Path(__file__).resolve().parents[2] / "src" / "gongkai" / "oversight"
PURE_MODULES = [
    "engine",
    "registry",
    "intake",
    "export",
    "bulk",
    "cli",
    "charts",
    "samples",
]
REPORTS = Path(__file__).resolve().parents[1] / "data" / "corpus" / "reports"


@pytest.mark.parametrize("module", PURE_MODULES)
def test_pure_modules_do_not_import_django(module):
    tree = ast.parse((SRC / f"{module}.py").read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    allowed_gongkai = {"oversight", "reading", "statutory", "rendering"}
    bad = [
        n
        for n in names
        if n.split(".")[0] == "django"
        or (n.startswith("gongkai.") and n.split(".")[1] not in allowed_gongkai)
    ]
    assert bad == []
    # and within oversight, only other pure modules
    assert all(n.split(".")[2] in PURE_MODULES for n in names if n.startswith("gongkai.oversight."))


def test_the_package_import_stays_django_free():
    assert (SRC / "__init__.py").read_text(encoding="utf-8").strip() == ""


# --- names ------------------------------------------------------------------------------------

REGISTER = [
    RegisteredName(1, "示范县司法局"),
    RegisteredName(2, "示范县自然资源局"),
    RegisteredName(3, "示范县城关镇人民政府"),
    RegisteredName(4, "沭阳县人民政府"),
    RegisteredName(5, "示范县卫生健康委员会", ("县卫健委",)),
]


@pytest.mark.parametrize(
    ("filename", "stem"),
    [
        ("03-示范县司法局2025年政府信息公开工作年度报告.pdf", "示范县司法局"),
        ("关于印发示范县司法局2025年度政府信息公开工作年度报告的通知.docx", "示范县司法局"),
        ("县司法局2025年度报告（定稿）.txt", "县司法局"),
        ("a/b\\城关镇政府信息公开工作年度报告.html", "城关镇"),
    ],
)
def test_names_from_file_names(filename, stem):
    assert name_from_filename(filename) == stem


def test_exact_names_and_confirmed_aliases_match_without_a_person():
    assert match_name("示范县司法局", REGISTER).exact == 1
    assert match_name("县卫健委", REGISTER).exact == 5  # alias learnt from a confirmation


@pytest.mark.parametrize(
    ("hint", "best"),
    [("县司法局", 1), ("示范县自然资源和规划局", 2), ("城关镇", 3), ("沐阳县人民政府", 4)],
)
def test_similar_names_are_suggested_not_taken(hint, best):
    found = match_name(hint, REGISTER)
    assert found.exact is None
    assert found.best is not None and found.best.id == best
    assert found.best.score >= 0.7


def test_unrelated_names_give_no_candidate():
    assert match_name("示范县教育局", REGISTER).candidates == ()
    assert match_name("report", REGISTER).candidates == ()


# --- intake -----------------------------------------------------------------------------------


def _zip(members: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


REPORT = "二〇二五年度政府信息公开工作年度报告".encode()


def test_plain_files_are_taken_and_hashed():
    got, bad = expand_uploads([("a.txt", REPORT), ("b.exe", b"MZ"), ("c.pdf", b"")])
    assert [g.name for g in got] == ["a.txt"]
    assert len(got[0].sha256) == 64
    assert [r.name for r in bad] == ["b.exe", "c.pdf"]


def test_zip_members_are_read_in_memory_and_unsafe_paths_refused():
    data = _zip(
        {
            "reports/司法局.txt": REPORT,
            "../../etc/passwd.txt": b"x",
            "/abs/path.txt": b"x",
            "nested.zip": b"PK",
            "__MACOSX/._a.txt": b"x",
            "readme.exe": b"x",
        }
    )
    got, bad = expand_uploads([("批量.zip", data)])
    assert [(g.name, g.archive) for g in got] == [("司法局.txt", "批量.zip")]
    reasons = {r.name: r.reason for r in bad}
    assert "不安全" in reasons["批量.zip/../../etc/passwd.txt"]
    assert "不安全" in reasons["批量.zip/abs/path.txt"]
    assert "压缩包中的压缩包" in reasons["批量.zip/nested.zip"]
    assert "不支持" in reasons["批量.zip/readme.exe"]


def test_zip_bombs_are_refused():
    bomb = _zip({"bomb.txt": b"0" * (30 * 1024 * 1024)})
    got, bad = expand_uploads([("bomb.zip", bomb)])
    assert got == [] and ("压缩炸弹" in bad[0].reason or "超过" in bad[0].reason)
    # a member whose declared size lies is still cut off at the limit
    small = Limits(file_bytes=1000, max_ratio=10**9)
    got, bad = expand_uploads([("x.zip", _zip({"big.txt": b"1" * 5000}))], small)
    assert got == [] and "超过" in bad[0].reason


def test_too_many_members_and_total_size_are_limited():
    many = _zip({f"{i}.txt": REPORT for i in range(12)})
    got, bad = expand_uploads([("m.zip", many)], Limits(archive_members=10))
    assert got == [] and "超过 10 个" in bad[0].reason
    got, bad = expand_uploads(
        [("t.zip", _zip({f"{i}.txt": b"2" * 400 for i in range(5)}))],
        Limits(archive_total_bytes=1000, max_ratio=10**9),
    )
    assert len(got) == 2 and "其余文件未读取" in bad[0].reason


def test_gbk_member_names_from_chinese_windows_are_decoded():
    """Windows archivers store GBK names without the UTF-8 flag; they are shown correctly."""
    gbk = "司法局.txt".encode("gbk")
    placeholder = b"x" * (len(gbk) - 4) + b".txt"
    data = _zip({placeholder.decode(): REPORT}).replace(placeholder, gbk)
    got, bad = expand_uploads([("win.zip", data)])
    assert [g.name for g in got] == ["司法局.txt"], bad


def test_corrupt_archives_are_refused():
    got, bad = expand_uploads([("x.zip", b"PK\x03\x04 not really")])
    assert got == [] and "损坏" in bad[0].reason


# --- findings and serialisation -------------------------------------------------------------


def test_subheading_numbering_gaps_are_flagged_once():
    """The sub-heading rule (once T-01 here, now M-13 in ``check_report``) reaches the audit
    through the statutory checks, and only once."""
    report = sample_report("示范县教育局", 2025)
    text = report.section(1).replace("（三）", "（五）", 1)
    found = [f for f in audit_findings(report.with_section(1, text), None) if f.rule == "M-13"]
    assert len(found) == 1 and found[0].numbers == (2, 5)
    assert [f for f in audit_findings(report, None) if f.rule == "M-13"] == []


def test_findings_and_parse_notes_survive_json():
    result = read_document((REPORTS / "027.txt").read_bytes(), "027.txt").result
    notes = result.context.notes
    assert parse_notes_from_dict(parse_notes_to_dict(notes)) == notes
    findings = audit_findings(result.report, notes)
    assert [finding_from_dict(finding_to_dict(f)) for f in findings] == findings


def test_read_document_never_raises():
    outcome = read_document(b"\x00\x01\x02" * 100, "x.pdf")
    assert not outcome.ok and outcome.error_message


def test_bar_chart_is_plain_svg_without_inline_style():
    svg = bar_chart([("A-03 勾稽<关系>", 4), ("V-02", 0)], title="t", ident="c")
    assert svg.startswith("<svg") and "style=" not in svg and "<script" not in svg
    assert "&lt;关系&gt;" in svg
