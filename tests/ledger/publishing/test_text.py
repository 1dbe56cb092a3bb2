"""Body text helpers (no database): sanitising, plain text, links, dictionary findings."""

from __future__ import annotations

import pytest

from gongkai.ledger.publishing.text import (
    Term,
    body_links,
    find_terms,
    highlight,
    pattern_is_slow,
    plain_text,
    sanitize_body,
    snippet,
)


def test_scripts_handlers_and_styles_are_removed():
    raw = (
        '<p style="color:red" onclick="x()">通知<script>alert(1)</script></p>'
        '<a href="javascript:alert(1)">坏链接</a><a href="https://www.gov.cn/">好链接</a>'
    )
    clean = sanitize_body(raw)
    assert "script" not in clean and "onclick" not in clean and "style" not in clean
    assert "javascript:" not in clean
    assert '<a href="https://www.gov.cn/" rel="noopener noreferrer">好链接</a>' in clean


# What the back-office editor (django-prose-editor / Tiptap) writes for each of its tools.
EDITOR_OUTPUT = (
    "<h2>一、总体要求</h2><h3>（一）工作目标</h3><h4>1. 具体任务</h4>"
    "<p>正文<strong>加粗</strong><em>倾斜</em><u>下划线</u><br>换行</p>"
    "<ul><li><p>甲</p></li><li><p>乙</p></li></ul>"
    '<ol data-type="lower-alpha" start="3" type="a"><li><p>丙</p></li></ol>'
    "<blockquote><p>引用</p></blockquote><hr>"
    '<p><a target="_blank" href="https://www.gov.cn/" title="中国政府网" rel="noopener noreferrer">'
    '中国政府网</a> <a href="/portal/x/" rel="noopener noreferrer">站内</a> '
    '<a href="mailto:xx@example.gov.cn" rel="noopener noreferrer">信箱</a> '
    '<a href="tel:0371-12345" rel="noopener noreferrer">电话</a></p>'
    '<table><tbody><tr><th colspan="1" rowspan="1"><p>项目</p></th>'
    '<th colspan="2" rowspan="1"><p>数量</p></th></tr>'
    '<tr><td colspan="1" rowspan="2"><p>许可</p></td><td colspan="1" rowspan="1"><p>1</p></td>'
    '<td colspan="1" rowspan="1"><p>2</p></td></tr></tbody></table>'
)


def test_everything_the_editor_writes_survives():
    assert sanitize_body(EDITOR_OUTPUT) == EDITOR_OUTPUT


def test_table_layout_styles_of_the_editor_are_dropped_but_the_table_stays():
    raw = (
        '<table style="min-width: 50px"><colgroup><col style="min-width: 25px">'
        '<col style="min-width: 25px"></colgroup><tbody><tr><th colspan="1" rowspan="1">'
        '<p>项目</p></th><td colspan="1" rowspan="1" style="background:red"><p>1</p></td></tr>'
        "</tbody></table>"
    )
    assert sanitize_body(raw) == (
        '<table><tbody><tr><th colspan="1" rowspan="1"><p>项目</p></th>'
        '<td colspan="1" rowspan="1"><p>1</p></td></tr></tbody></table>'
    )


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java&#x09;script:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
    ],
)
def test_links_keep_their_text_but_lose_a_dangerous_href(href):
    clean = sanitize_body(f'<p><a href="{href}" target="_blank">点此</a></p>')
    assert clean == '<p><a target="_blank" rel="noopener noreferrer">点此</a></p>'


def test_links_keep_safe_hrefs_and_only_a_blank_target():
    clean = sanitize_body(
        '<a href="https://www.gov.cn/" target="_blank" rel="opener" onclick="x()">甲</a>'
        '<a href="https://www.gov.cn/" target="_top">乙</a>'
    )
    assert clean == (
        '<a href="https://www.gov.cn/" target="_blank" rel="noopener noreferrer">甲</a>'
        '<a href="https://www.gov.cn/" rel="noopener noreferrer">乙</a>'
    )


def test_scripts_style_elements_and_attributes_are_removed_with_their_content():
    clean = sanitize_body(
        '<h2 style="color:red" class="x" id="y">标题</h2><script>alert("正文")</script>'
        '<style>h2{display:none}</style><p onmouseover="x()">段落</p>'
        '<ol type="disc" start="2" onclick="x()"><li>项</li></ol>'
        '<iframe src="https://evil.example/"></iframe><img src=x onerror="alert(1)">'
    )
    assert clean == ('<h2>标题</h2><p>段落</p><ol start="2"><li>项</li></ol><img src="x">')


def test_headings_outside_the_editor_levels_lose_the_heading_but_keep_the_text():
    assert sanitize_body("<h1>大标题</h1><h5>小标题</h5>") == "大标题小标题"


def test_plain_text_becomes_paragraphs():
    assert sanitize_body("第一段\n\n第二段 <不是标签") == "<p>第一段</p><p>第二段 &lt;不是标签</p>"


def test_plain_text_of_html_keeps_one_line_per_block():
    assert (
        plain_text("<p>一、&lt;总体&gt;</p><ul><li>甲</li><li>乙</li></ul>") == "一、<总体>\n甲\n乙"
    )


def test_body_links_are_distinct_and_ignore_anchors():
    html = '<a href="https://a.example/1">x</a><a href="#top">y</a><img src="/media/a.png"><a href="https://a.example/1">z</a>'
    assert body_links(html) == ["https://a.example/1", "/media/a.png"]


def test_findings_are_located_and_highlighted():
    terms = [
        Term("error", "错误用语", "条列", False, "条例", True),
        Term("sensitive", "敏感内容", r"1[3-9]\d{9}", True, "手机号", True),
    ]
    text = "依据条列，联系13800000000。"
    findings = find_terms({"正文": text}, terms)
    assert [(f.found, f.start) for f in findings] == [("条列", 2), ("13800000000", 7)]
    segments = highlight(text, findings)
    assert "".join(s.text for s in segments) == text
    assert [s.text for s in segments if s.finding] == ["条列", "13800000000"]


def test_a_bad_regex_in_the_dictionary_is_skipped():
    assert find_terms({"正文": "abc"}, [Term("error", "", "(", True, "", True)]) == []


def test_a_pattern_that_backtracks_forever_is_cut_off_and_the_others_still_count(monkeypatch):
    import time

    from gongkai.ledger.publishing import text as text_module

    monkeypatch.setattr(text_module, "TERM_TIMEOUT", 0.05)
    terms = [
        Term("error", "", "(a+)+$", True, "", True),
        Term("error", "", "条列", False, "条例", True),
    ]
    started = time.perf_counter()
    findings = find_terms({"正文": "a" * 5000 + "!条列"}, terms)
    assert time.perf_counter() - started < 5
    assert [f.found for f in findings] == ["条列"]


@pytest.mark.parametrize("pattern", ["(a+)+$", "(x+x+)+y", "(中+)+国"])
def test_nested_repetition_is_recognised_as_slow(pattern):
    assert pattern_is_slow(pattern)


@pytest.mark.parametrize(
    "pattern", ["中华人名共和国", r"1[3-9]\d{9}", r"\d{17}[\dXx]", "(中|中国)*!"]
)
def test_ordinary_patterns_are_not_slow(pattern):
    assert not pattern_is_slow(pattern)


def test_no_seed_dictionary_pattern_is_slow():
    import json
    from pathlib import Path

    from gongkai.ledger.publishing import text as text_module

    data = json.loads(
        (Path(text_module.__file__).parent / "data" / "terms.json").read_text(encoding="utf-8")
    )
    regexes = [t["pattern"] for t in data["terms"] if t.get("regex")]
    assert regexes
    assert [p for p in regexes if pattern_is_slow(p)] == []


def test_snippet_marks_every_query_term():
    segments = snippet("本局开展人民调解工作，调解成功率高。", ["调解"], width=30)
    assert [s.text for s in segments if s.finding] == ["调解", "调解"]


def test_the_catalogue_categories_are_the_fifteen_items_of_article_20():
    from gongkai.ledger.publishing.models import Category
    from gongkai.statutory.formats import ARTICLE_20_ITEMS

    assert len(ARTICLE_20_ITEMS) == 15
    assert [label for _value, label in Category.choices] == list(ARTICLE_20_ITEMS)
    assert Category.short_label("08") == "第二十条（八）"
