"""Body text helpers (no database): sanitising, plain text, links, dictionary findings."""

from __future__ import annotations

from gongkai.ledger.publishing.text import (
    Term,
    body_links,
    find_terms,
    highlight,
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


def test_snippet_marks_every_query_term():
    segments = snippet("本局开展人民调解工作，调解成功率高。", ["调解"], width=30)
    assert [s.text for s in segments if s.finding] == ["调解", "调解"]
