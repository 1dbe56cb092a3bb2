"""HTML: a self-contained A4 document with the official merged header cells."""

from __future__ import annotations

import re

import lxml.html
import pytest

from gongkai.rendering.document import report_title
from gongkai.rendering.html import render_html, render_html_fragment, stylesheet
from gongkai.statutory import formats

from .labels import collapse, statutory_labels


@pytest.fixture(scope="module")
def html_page(seed_report):
    return render_html(seed_report)


@pytest.fixture(scope="module")
def tree(html_page):
    return lxml.html.document_fromstring(html_page)


def _table(tree, key):
    return tree.get_element_by_id(f"gk-{key}")


def _spans(table):
    out = {}
    for cell in table.iter("th", "td"):
        out.setdefault(collapse(cell.text_content()), []).append(
            (int(cell.get("rowspan", 1)), int(cell.get("colspan", 1)))
        )
    return out


def test_complete_printable_document(html_page, tree, seed_report):
    assert html_page.startswith("<!DOCTYPE html>")
    assert tree.get("lang") == "zh-CN"
    title = report_title(seed_report)
    assert tree.findtext(".//title") == title
    assert collapse(tree.find(".//h1").text_content()) == title
    css = tree.findtext(".//style")
    assert re.search(r"@page\s*{[^}]*size:\s*A4", css)
    assert "统计期限为2024年1月1日至2024年12月31日" in tree.find(".//p").text_content()


def test_no_external_assets(html_page):
    assert not re.search(r"""(src|href)\s*=|@import|url\(|<link|<script""", html_page)


def test_every_statutory_label_is_present(tree, seed_report):
    text = tree.text_content()
    missing = [label for label in statutory_labels(seed_report.layout) if label not in text]
    assert missing == []


def test_sections_in_order_with_narrative(tree, seed_report):
    headings = [collapse(h.text_content()) for h in tree.iter("h2")]
    assert headings == [s.heading for s in formats.SECTIONS]
    assert "757条" in tree.text_content()


def test_table3_merged_header_cells(tree):
    table = _table(tree, "table3")
    s = _spans(table)
    assert s[formats.TABLE3_NOTE] == [(3, 3)]
    assert s[formats.TABLE3_HEADER_TOP] == [(1, 7)]
    assert s[formats.TABLE3_COLUMNS[0].label] == [(2, 1)]
    assert s[formats.TABLE3_ORG_GROUP_LABEL] == [(1, 5)]
    assert s[formats.TABLE3_COLUMNS[-1].label] == [(2, 1)]
    labels = formats.OUTCOME_GROUP_LABELS
    assert s[formats.OUTCOME_BAND_LABEL] == [(22, 1)]
    assert s[labels[formats.OutcomeGroup.WITHHELD]] == [(8, 1)]
    assert s[labels[formats.OutcomeGroup.UNABLE]] == [(3, 1)]
    assert s[labels[formats.OutcomeGroup.NOT_PROCESSED]] == [(5, 1)]
    assert s[labels[formats.OutcomeGroup.OTHER]] == [(3, 1)]
    assert len(table.find("thead").findall("tr")) == 3
    body_rows = table.find("tbody").findall("tr")
    assert len(body_rows) == 25
    # every body row covers 10 grid columns once spans are taken into account
    assert collapse(table.find("caption").text_content()) == formats.SECTIONS[2].heading


def test_table3_cells_add_up_to_a_rectangle(tree):
    table = _table(tree, "table3")
    rows = table.findall(".//tr")
    occupied: dict[tuple[int, int], bool] = {}
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr.iter("th", "td"):
            while occupied.get((r, c)):
                c += 1
            rs, cs = int(cell.get("rowspan", 1)), int(cell.get("colspan", 1))
            for dr in range(rs):
                for dc in range(cs):
                    assert not occupied.get((r + dr, c + dc))
                    occupied[(r + dr, c + dc)] = True
            c += cs
    assert len(occupied) == len(rows) * 10


def test_table4_header(tree, seed_report):
    table = _table(tree, "table4")
    s = _spans(table)
    assert s[formats.TABLE4_REVIEW_LABEL] == [(1, 5)]
    assert s[formats.TABLE4_LITIGATION_LABEL] == [(1, 10)]
    for g in formats.TABLE4_GROUPS[1:]:
        assert s[g.label] == [(1, 5)]
    for label in formats.TABLE4_CELL_LABELS.values():
        assert sorted(s[label]) == [(1, 1), (1, 1), (2, 1)]
    values = [td.text_content() for td in table.find("tbody").iter("td")]
    assert values == [str(v) for v in seed_report.table4]


def test_screen_reader_markup(tree):
    for key in ("table2", "table3", "table4"):
        table = _table(tree, key)
        assert table.find("caption") is not None
        for th in table.iter("th"):
            assert th.get("scope") in {"col", "colgroup", "row", "rowgroup"}
        for td in table.iter("td"):
            if "gk-num" in td.get("class", ""):
                ids = td.get("headers", "").split()
                assert ids, td.text_content()
                for ident in ids:
                    assert tree.get_element_by_id(ident).tag == "th"


def test_value_cell_headers_name_row_and_column(tree, seed_report):
    table = _table(tree, "table3")
    td = table.xpath(".//td[@class='gk-num']")[1]  # 本年新收 × 商业企业
    names = [collapse(tree.get_element_by_id(i).text_content()) for i in td.get("headers").split()]
    layout = seed_report.layout
    assert layout.table3_row(formats.RowKey.NEW).label in names
    assert formats.TABLE3_COLUMNS[1].label in names
    assert formats.TABLE3_ORG_GROUP_LABEL in names


def test_blank_cells_render_empty(seed_report):
    report = seed_report.with_cell("NEW", "BIZ", None).with_table2("regulation_issued", None)
    tree = lxml.html.document_fromstring(render_html(report))
    t3 = [td.text_content() for td in _table(tree, "table3").xpath(".//td[@class='gk-num']")]
    assert t3[:7] == ["6", "", "0", "0", "0", "0", "6"]
    t2 = [td.text_content() for td in _table(tree, "table2").xpath(".//td[@class='gk-num']")]
    assert t2[0] == ""


def test_fragment_embeds_without_document_wrapper(seed_report):
    fragment = render_html_fragment(seed_report, include_style=False, prefix="r1")
    assert "<html" not in fragment and "<style" not in fragment
    assert fragment.startswith('<article class="gk-report"')
    root = lxml.html.fragment_fromstring(fragment)
    assert root.get_element_by_id("r1-table3") is not None
    with_style = render_html(seed_report, fragment=True)
    assert with_style.startswith("<style>") and "<html" not in with_style
    assert ".gk-report" in stylesheet()


def test_findings_appendix(seed_report):
    checks = pytest.importorskip("gongkai.statutory.checks")
    finding = checks.Finding(
        rule="A-01",
        severity=checks.Severity.ERROR,
        message="总计不等于各列之和",
        location=checks.Location(table=checks.TableId.T3, row="（七）总计", column="总计"),
    )
    tree = lxml.html.document_fromstring(render_html(seed_report, [finding]))
    text = tree.text_content()
    assert "A-01" in text and "总计不等于各列之和" in text and "错误" in text
    assert formats.SECTIONS[2].heading + " · （七）总计 · 总计" in collapse(text)
    plain = render_html(seed_report)
    assert "检查结果" not in plain
