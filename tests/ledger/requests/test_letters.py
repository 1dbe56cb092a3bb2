"""Every letter type renders as DOCX (East Asian fonts set) and PDF, with the required content."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from docx import Document

from gongkai.ledger.requests.letters.build import preview_letter
from gongkai.ledger.requests.letters.kinds import LETTER_KINDS, template_problems
from gongkai.ledger.requests.letters.render import render_docx, render_pdf
from gongkai.ledger.requests.models import Consultation

from .factories import register

pytestmark = pytest.mark.django_db


def test_default_templates_use_only_known_placeholders():
    for kind in LETTER_KINDS.values():
        assert template_problems(kind.title, kind.body) == [], kind.code


def test_every_letter_type_renders(frozen, sfj):
    app = register(sfj)
    Consultation.objects.create(
        application=app, kind="third_party", party="示范商贸有限公司", sent_on=date(2026, 3, 2)
    )
    pdf_sizes = {}
    for code, kind in LETTER_KINDS.items():
        if kind.reply_type is not None:
            app.reply_type = kind.reply_type.value
            app.legal_basis = ""
            app.reasons = "涉及第三方个人隐私" if kind.reply_type.value != "granted" else ""
            app.withheld_grounds = ["third_party"] if kind.reply_type.value == "partial" else []
            app.responsible_agency_name = "示范县自然资源局"
        letter = preview_letter(
            app,
            code,
            number="示司公开〔2026〕1号",
            extra={
                "party": "示范商贸有限公司",
                "amendment_items": "1. 写明年份",
                "amendment_deadline": "2026年3月16日",
            },
        )
        text = "".join(letter.paragraphs)
        assert letter.title and letter.paragraphs[0].endswith("："), code
        assert "${" not in text, code
        if kind.is_reply and kind.reply_type.spec.appealable:
            assert "六十日内向示范县人民政府申请行政复议" in text, code
            assert "六个月内向示范县人民法院提起行政诉讼" in text, code
            assert kind.reply_type.spec.basis in text or not kind.reply_type.spec.articles, code
        docx = render_docx(letter)
        doc = Document(io.BytesIO(docx))
        assert doc.paragraphs[0].text == letter.title
        xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
        assert 'w:eastAsia="仿宋"' in xml and 'w:eastAsia="方正小标宋简体"' in xml
        pdf = render_pdf(letter)
        assert pdf[:4] == b"%PDF"
        pdf_sizes[code] = len(pdf)
    assert len(pdf_sizes) == len(LETTER_KINDS) >= 30


def test_partial_reply_quotes_the_articles_and_the_withheld_grounds(frozen, sfj):
    app = register(sfj)
    app.reply_type = "partial"
    app.withheld_grounds = ["third_party", "process_info"]
    app.reasons = "部分内容涉及个人隐私，部分为讨论记录"
    letter = preview_letter(app, "reply_partial")
    text = "\n".join(letter.paragraphs)
    assert "第三十七条" in text and "第十五条" in text and "第十六条第二款" in text
    assert "不予公开的部分属于以下情形：保护第三方合法权益、属于四类过程性信息" in text
    assert "理由：部分内容涉及个人隐私" in text
