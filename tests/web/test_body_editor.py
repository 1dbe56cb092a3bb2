"""The 正文 rich-text editor (django-prose-editor) on the back-office form: what it may produce is
what the server's sanitiser keeps, and the page it is on stays within the strict CSP (no inline
script, no import map, no inline style). The browser side is tests/e2e/test_rich_text.py."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse
from django_prose_editor.config import allowlist_from_extensions

from gongkai.ledger.publishing.text import (
    ALLOWED_ATTRIBUTE_VALUES,
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
)
from gongkai.web.backoffice.publishing.forms import BODY_EDITOR_EXTENSIONS, BodyEditorWidget


def test_every_tag_and_attribute_the_editor_can_write_is_allowed_by_sanitize_body():
    editor = allowlist_from_extensions(BODY_EDITOR_EXTENSIONS)
    assert editor["tags"] <= ALLOWED_TAGS
    for tag, attributes in editor["attributes"].items():
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | set(ALLOWED_ATTRIBUTE_VALUES.get(tag, {}))
        # rel is nh3's own: every link gets rel="noopener noreferrer"
        assert set(attributes) - {"rel"} <= allowed, tag
    assert not any("style" in attributes for attributes in editor["attributes"].values())


def test_the_editor_offers_what_government_items_need():
    assert {
        "Heading",
        "Bold",
        "Italic",
        "Underline",
        "BulletList",
        "OrderedList",
        "Link",
        "Table",
        "Blockquote",
        "HorizontalRule",
    } <= set(BODY_EDITOR_EXTENSIONS)
    assert BODY_EDITOR_EXTENSIONS["Heading"] == {"levels": [2, 3, 4]}


def test_the_widget_carries_its_configuration_in_a_data_attribute():
    html = BodyEditorWidget().render("body", "<p>正文</p>", {"id": "id_body"})
    match = re.search(r'data-django-prose-editor-gongkai="([^"]*)"', html)
    assert match
    config = json.loads(match.group(1).replace("&quot;", '"'))
    assert config["module"].endswith(".js") and "django_prose_editor/editor" in config["module"]
    assert config["extensions"]["Table"] is True
    assert "&lt;p&gt;正文&lt;/p&gt;</textarea>" in html  # a plain textarea without JavaScript


@pytest.mark.django_db
def test_the_form_page_has_no_inline_script_or_style(client, login, platform):
    from gongkai.ledger.publishing.demo import _ensure_columns

    _ensure_columns(platform["shifanxian-sfj"])
    login("sfj_clerk")
    response = client.get(reverse("backoffice:publishing:new"))
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "style-src 'self';" in csp
    assert "unsafe-inline" not in csp
    html = response.content.decode()
    assert '<script src="/static/publishing/body-editor.js" type="module"></script>' in html
    assert 'href="/static/publishing/body-editor.css"' in html
    assert "importmap" not in html
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts and all("src=" in tag for tag in scripts)
    assert not re.search(r"<style\b|\sstyle=", html)
