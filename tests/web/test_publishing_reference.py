"""Back-office pages of the 错敏词库 and the 主题分类: who sees and edits what, the "试一试"
box, validation messages, XLSX export and import through HTTP."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from gongkai.core.models import AuditEvent
from gongkai.ledger.publishing.models import TermRule, Topic

pytestmark = pytest.mark.django_db

TERMS = reverse("backoffice:publishing:terms")
TOPICS = reverse("backoffice:publishing:topics")
READERS = {"xian_admin", "sfj_clerk", "sfj_reviewer", "sfj_secrecy", "sfj_head", "sfj_admin"}


@pytest.fixture
def sfj(platform):
    from tests.ledger.publishing.conftest import ensure_reference_data

    ensure_reference_data()
    return platform["shifanxian-sfj"]


@pytest.fixture
def zrzyj(platform):
    return platform["shifanxian-zrzyj"]


@pytest.fixture
def sfj_rule(sfj):
    return TermRule.objects.create(agency=sfj, kind="sensitive", pattern="司法局内部代号")


@pytest.fixture
def zrzyj_rule(zrzyj, sfj):
    return TermRule.objects.create(agency=zrzyj, kind="error", pattern="自然资源局专用词")


@pytest.fixture
def platform_rule(sfj):
    return TermRule.objects.get(agency__isnull=True, pattern="行政复义")


def _edit(rule) -> str:
    return reverse("backoffice:publishing:term_edit", args=[rule.pk])


def _active(rule) -> str:
    return reverse("backoffice:publishing:term_active", args=[rule.pk])


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# -- who sees the pages --------------------------------------------------------------------------


@pytest.mark.parametrize("page", [TERMS, TOPICS])
@pytest.mark.parametrize("username", sorted(READERS | {"zwgkb"}))
def test_publishing_staff_see_the_reference_pages(client, login, sfj, page, username):
    login(username)
    response = client.get(page)
    assert response.status_code == (200 if username in READERS else 403)


@pytest.mark.parametrize("page", [TERMS, TOPICS])
def test_anonymous_visitors_are_sent_to_login(client, sfj, page):
    response = client.get(page)
    assert response.status_code == 302
    assert response.url.startswith(reverse("backoffice:login"))


def test_the_nav_links_to_the_new_pages(client, login, sfj):
    login("sfj_reviewer")
    html = client.get(reverse("backoffice:publishing:checks")).content.decode()
    assert f'href="{TERMS}"' in html and f'href="{TOPICS}"' in html


def test_the_pages_have_no_inline_script_or_style(client, login, sfj, sfj_rule):
    login("platform_admin")
    topic = Topic.objects.get(code="01")
    pages = [
        TERMS,
        reverse("backoffice:publishing:term_new"),
        _edit(sfj_rule),
        TOPICS,
        reverse("backoffice:publishing:topic_new"),
        reverse("backoffice:publishing:topic_edit", args=[topic.pk]),
    ]
    for page in pages:
        html = client.get(page).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), page
        assert " style=" not in html and "<style" not in html, page


# -- 错敏词库: scope --------------------------------------------------------------------------------


def test_the_list_shows_platform_wide_and_own_terms_only(client, login, sfj_rule, zrzyj_rule):
    login("sfj_clerk")
    html = client.get(TERMS).content.decode()
    assert "司法局内部代号" in html and "行政复义" in html
    assert "自然资源局专用词" not in html
    # a clerk may look, but edits nothing
    assert _edit(sfj_rule) not in html
    assert reverse("backoffice:publishing:term_new") not in html


def test_a_clerk_cannot_edit_platform_wide_terms(client, login, platform_rule):
    login("sfj_clerk")
    assert client.get(_edit(platform_rule)).status_code == 403
    assert client.post(_active(platform_rule), {"active": "0"}).status_code == 403
    assert client.post(_edit(platform_rule), {"pattern": "x", "kind": "error"}).status_code == 403
    platform_rule.refresh_from_db()
    assert platform_rule.is_active and platform_rule.pattern == "行政复义"


def test_an_agency_administrator_cannot_edit_platform_wide_terms(client, login, platform_rule):
    login("sfj_admin")
    html = client.get(TERMS).content.decode()
    assert _edit(platform_rule) not in html and "全平台词条由平台管理员维护" in html
    response = client.get(_edit(platform_rule))
    assert response.status_code == 403
    assert client.post(_active(platform_rule), {"active": "0"}).status_code == 403
    platform_rule.refresh_from_db()
    assert platform_rule.is_active


def test_an_agency_administrator_cannot_see_another_agencys_terms(client, login, zrzyj_rule):
    login("sfj_admin")
    assert client.get(_edit(zrzyj_rule)).status_code == 404
    assert client.post(_active(zrzyj_rule), {"active": "0"}).status_code == 404
    assert client.get(TERMS, {"scope": zrzyj_rule.agency_id}).context["page"].paginator.count == 0
    zrzyj_rule.refresh_from_db()
    assert zrzyj_rule.is_active


def test_an_agency_administrator_edits_and_deactivates_own_terms(client, login, sfj_rule):
    login("sfj_admin")
    html = client.get(TERMS).content.decode()
    assert _edit(sfj_rule) in html
    response = client.post(
        _edit(sfj_rule),
        {"kind": "sensitive", "pattern": "司法局内部代号", "suggestion": "删除", "is_active": "on"},
    )
    assert response.status_code == 302
    sfj_rule.refresh_from_db()
    assert sfj_rule.suggestion == "删除" and sfj_rule.blocking is False
    response = client.post(_active(sfj_rule), {"active": "0"}, follow=True)
    sfj_rule.refresh_from_db()
    assert not sfj_rule.is_active
    assert any("已停用" in m for m in _messages(response))
    assert AuditEvent.objects.filter(action="term_rule.deactivated", subject_id=str(sfj_rule.pk))
    # the edit page shows who changed what
    html = client.get(_edit(sfj_rule)).content.decode()
    history = client.get(_edit(sfj_rule)).context["history"]
    assert [row["action"] for row in history] == ["停用", "修改"]
    assert history[0]["event"].actor_label == "吴管理"
    assert ("阻止发布", "是") in history[1]["before"] and ("阻止发布", "否") in history[1]["after"]
    assert "吴管理" in html


def test_a_platform_administrator_edits_platform_wide_terms(client, login, platform_rule):
    login("platform_admin")
    response = client.post(_active(platform_rule), {"active": "0"})
    assert response.status_code == 302
    platform_rule.refresh_from_db()
    assert not platform_rule.is_active


def test_the_list_filters(client, login, sfj_rule, sfj):
    login("sfj_admin")
    page = client.get(TERMS, {"scope": sfj.pk}).context["page"]
    assert [r.pk for r in page] == [sfj_rule.pk]
    page = client.get(TERMS, {"scope": "platform", "kind": "sensitive"}).context["page"]
    assert page.paginator.count > 0
    assert all(r.agency_id is None and r.kind == "sensitive" for r in page)
    assert client.get(TERMS, {"q": "内部代号"}).context["page"].paginator.count == 1
    assert client.get(TERMS, {"active": "0"}).context["page"].paginator.count == 0


# -- 错敏词库: create and validation ----------------------------------------------------------------


def test_an_invalid_regex_gets_a_clear_message_not_a_traceback(client, login, sfj):
    login("sfj_admin")
    response = client.post(
        reverse("backoffice:publishing:term_new"),
        {"scope": str(sfj.pk), "kind": "error", "pattern": "司法(局", "is_regex": "on"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "正则表达式有误，第3个字符处：圆括号“(”没有对应的“)”" in html
    assert "Traceback" not in html and "re.error" not in html
    assert not TermRule.objects.filter(pattern="司法(局").exists()


def test_a_duplicate_term_is_refused_with_a_message(client, login, sfj_rule, sfj):
    login("sfj_admin")
    response = client.post(
        reverse("backoffice:publishing:term_new"),
        {"scope": str(sfj.pk), "kind": "sensitive", "pattern": "司法局内部代号"},
    )
    assert response.status_code == 200
    assert "示范县司法局已有敏感内容“司法局内部代号”，不能重复添加" in response.content.decode()
    assert TermRule.objects.filter(pattern="司法局内部代号").count() == 1


def test_an_agency_administrator_is_not_offered_the_platform_scope(client, login, sfj):
    login("sfj_admin")
    form = client.get(reverse("backoffice:publishing:term_new")).context["form"]
    assert "platform" not in dict(form.fields["scope"].choices)
    response = client.post(
        reverse("backoffice:publishing:term_new"),
        {"scope": "platform", "kind": "error", "pattern": "偷加的平台词"},
    )
    assert response.status_code == 200
    assert not TermRule.objects.filter(pattern="偷加的平台词").exists()


def test_an_agency_administrator_adds_a_term(client, login, sfj):
    login("sfj_admin")
    response = client.post(
        reverse("backoffice:publishing:term_new"),
        {"scope": str(sfj.pk), "kind": "error", "pattern": "法律援助中新", "blocking": "on"},
    )
    assert response.status_code == 302
    rule = TermRule.objects.get(pattern="法律援助中新")
    assert rule.agency == sfj and rule.blocking and not rule.is_regex
    assert AuditEvent.objects.get(action="term_rule.created", subject_id=str(rule.pk)).agency == sfj


def test_a_clerk_cannot_add_terms(client, login, sfj):
    login("sfj_clerk")
    assert client.get(reverse("backoffice:publishing:term_new")).status_code == 403


# -- 试一试 ----------------------------------------------------------------------------------------


def test_the_try_box_highlights_the_terms_it_finds(client, login, sfj, sfj_rule):
    login("sfj_clerk")
    text = "请于三日内提出行政复义申请。\n司法局内部代号不公开。"
    response = client.post(
        reverse("backoffice:publishing:terms_try"), {"text": text, "agency": str(sfj.pk)}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(
        r'<mark class="finding blocking" title="错误用语：行政复议">行政复义</mark>', html
    )
    assert re.search(r'<mark class="finding blocking"[^>]*>司法局内部代号</mark>', html)
    assert "发现 2 处，其中 2 处会阻止送审和发布" in html
    # the same text checked against the platform-wide terms only
    response = client.post(reverse("backoffice:publishing:terms_try"), {"text": text, "agency": ""})
    html = response.content.decode()
    assert ">行政复义</mark>" in html and ">司法局内部代号</mark>" not in html


def test_the_try_box_escapes_what_is_pasted(client, login, sfj):
    login("sfj_clerk")
    response = client.post(
        reverse("backoffice:publishing:terms_try"),
        {"text": "<script>alert(1)</script>行政复义", "agency": str(sfj.pk)},
    )
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_try_box_says_when_nothing_is_found(client, login, sfj):
    login("sfj_reviewer")
    response = client.post(
        reverse("backoffice:publishing:terms_try"),
        {"text": "一切正常的文字", "agency": str(sfj.pk)},
    )
    assert "未发现错敏词" in response.content.decode()
    assert client.get(reverse("backoffice:publishing:terms_try")).status_code == 405


# -- XLSX --------------------------------------------------------------------------------------


def _upload(rows) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(["类型", "词语或正则表达式", "正则表达式", "建议", "阻止发布", "启用", "适用范围"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(
        "词库.xlsx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def test_export_gives_the_visible_terms_as_xlsx(client, login, sfj_rule, zrzyj_rule, sfj):
    login("sfj_clerk")
    response = client.get(reverse("backoffice:publishing:terms_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    patterns = [row[1] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert "司法局内部代号" in patterns and "行政复义" in patterns
    assert "自然资源局专用词" not in patterns
    # with the list's filters
    response = client.get(reverse("backoffice:publishing:terms_export"), {"scope": sfj.pk})
    book = load_workbook(io.BytesIO(response.content))
    assert [r[1] for r in book.worksheets[0].iter_rows(min_row=2, values_only=True)] == [
        "司法局内部代号"
    ]


def test_import_through_the_page_is_all_or_nothing(client, login, sfj):
    login("sfj_admin")
    count = TermRule.objects.count()
    response = client.post(
        reverse("backoffice:publishing:terms_import"),
        {
            "scope": str(sfj.pk),
            "file": _upload(
                [
                    ["错误用语", "好词一", "", "", "", "", ""],
                    ["错误用语", "[坏", "是", "", "", "", ""],
                ]
            ),
        },
        follow=True,
    )
    assert TermRule.objects.count() == count
    [message] = _messages(response)
    assert message.startswith("导入失败：第3行“词语或正则表达式”：正则表达式有误")
    assert "未导入任何词条" in message

    response = client.post(
        reverse("backoffice:publishing:terms_import"),
        {"scope": str(sfj.pk), "file": _upload([["错误用语", "好词一", "", "", "", "", ""]])},
        follow=True,
    )
    assert TermRule.objects.get(pattern="好词一").agency == sfj
    assert "新增 1 条" in _messages(response)[0]


def test_a_clerk_cannot_import(client, login, sfj):
    login("sfj_clerk")
    response = client.post(
        reverse("backoffice:publishing:terms_import"),
        {"scope": str(sfj.pk), "file": _upload([["错误用语", "好词", "", "", "", "", ""]])},
    )
    assert response.status_code == 403
    assert not TermRule.objects.filter(pattern="好词").exists()


# -- 主题分类 ------------------------------------------------------------------------------------


def test_the_topic_tree_lists_both_levels(client, login, sfj):
    login("sfj_clerk")
    response = client.get(TOPICS)
    tree = response.context["tree"]
    first, children = tree[0]
    assert first.parent_id is None and children and all(c.parent_id == first.pk for c in children)
    html = response.content.decode()
    assert "国民经济管理、国有资产监管" in html and "宏观经济" in html
    assert reverse("backoffice:publishing:topic_new") not in html  # read-only for publishing staff


@pytest.mark.parametrize("username", ["xian_admin", "sfj_admin", "sfj_clerk"])
def test_only_platform_administrators_edit_topics(client, login, sfj, username):
    login(username)
    topic = Topic.objects.get(code="01.01")
    assert client.get(reverse("backoffice:publishing:topic_new")).status_code == 403
    edit = reverse("backoffice:publishing:topic_edit", args=[topic.pk])
    assert client.get(edit).status_code == 403
    active = reverse("backoffice:publishing:topic_active", args=[topic.pk])
    assert client.post(active, {"active": "0"}).status_code == 403
    topic.refresh_from_db()
    assert topic.is_active


def test_a_platform_administrator_adds_renames_and_reorders_topics(client, login, sfj):
    login("platform_admin")
    parent = Topic.objects.get(code="01")
    response = client.post(
        reverse("backoffice:publishing:topic_new"),
        {"name": "数字经济", "code": "", "parent": str(parent.pk), "is_active": "on"},
    )
    assert response.status_code == 302
    topic = Topic.objects.get(name="数字经济")
    assert topic.parent == parent and topic.code.startswith("01.")

    edit = reverse("backoffice:publishing:topic_edit", args=[topic.pk])
    response = client.post(
        edit,
        {
            "name": "数字经济发展",
            "code": topic.code,
            "parent": str(parent.pk),
            "position": "1",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.name == "数字经济发展" and topic.position == 1

    response = client.post(
        edit,
        {"name": "数字经济发展", "code": "01", "parent": str(parent.pk), "position": "1"},
    )
    assert "代码“01”已被分类“国民经济管理、国有资产监管”使用" in response.content.decode()

    move = reverse("backoffice:publishing:topic_move", args=[Topic.objects.get(code="02").pk])
    client.post(move, {"direction": "up"})
    firsts = [t.code for t, _ in client.get(TOPICS).context["tree"]]
    assert firsts[:2] == ["02", "01"]


def test_a_used_topic_cannot_be_deleted_only_deactivated(client, login, sfj):
    from django.contrib.auth import get_user_model

    from gongkai.ledger.publishing.demo import _ensure_columns
    from gongkai.ledger.publishing.services import publication_create

    topic = Topic.objects.get(code="01.01")
    clerk = get_user_model().objects.get(username="sfj_clerk")
    publication_create(
        actor=clerk, column=_ensure_columns(sfj)["通知公告"], title="标题", topic=topic
    )
    login("platform_admin")
    edit = reverse("backoffice:publishing:topic_edit", args=[topic.pk])
    html = client.get(edit).content.decode()
    assert "已被 1 条信息使用，不能删除" in html
    delete = reverse("backoffice:publishing:topic_delete", args=[topic.pk])
    response = client.post(delete, {"confirm": "1"}, follow=True)
    assert any("不能删除，只能停用" in m for m in _messages(response))
    assert Topic.objects.filter(pk=topic.pk).exists()

    active = reverse("backoffice:publishing:topic_active", args=[topic.pk])
    response = client.post(active, {"active": "0"}, follow=True)
    topic.refresh_from_db()
    assert not topic.is_active
    assert any("已使用该分类的 1 条信息保留原分类" in m for m in _messages(response))


def test_an_unused_topic_is_deleted_after_confirmation(client, login, sfj):
    login("platform_admin")
    topic = Topic.objects.create(name="临时", code="99", position=99)
    delete = reverse("backoffice:publishing:topic_delete", args=[topic.pk])
    client.post(delete, {})
    assert Topic.objects.filter(pk=topic.pk).exists()  # not confirmed
    client.post(delete, {"confirm": "1"})
    assert not Topic.objects.filter(pk=topic.pk).exists()
    assert AuditEvent.objects.filter(action="topic.deleted", subject_id=str(topic.pk)).exists()


def test_the_permission_matrix_says_the_same():
    from gongkai.core.permission_matrix import role_allows, rule_for
    from gongkai.core.roles import Role

    for name in ("topic_new", "topic_edit", "topic_delete"):
        rule = rule_for(
            f"backoffice:publishing:{name}", "POST" if name == "topic_delete" else "GET"
        )
        assert all(role_allows(rule, role) is False for role in Role), name
    terms = rule_for("backoffice:publishing:terms")
    assert role_allows(terms, Role.CLERK) and role_allows(terms, Role.CONFIDENTIALITY_REVIEWER)
    assert not role_allows(terms, Role.SUPERVISOR)
    edit = rule_for("backoffice:publishing:term_edit")
    assert role_allows(edit, Role.ADMINISTRATOR) and not role_allows(edit, Role.CLERK)


def test_the_django_admin_shows_terms_and_topics_read_only(client, platform):
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root-admin", password="x")
    client.force_login(root)
    assert client.get("/admin/publishing/termrule/").status_code == 200
    assert client.get("/admin/publishing/topic/").status_code == 200
    assert client.get("/admin/publishing/termrule/add/").status_code == 403
    assert client.get("/admin/publishing/topic/add/").status_code == 403
