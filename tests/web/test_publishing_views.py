"""Views of proactive disclosure: who reaches which back-office page, the workflow through
HTTP, the stale-edit message, and the portal (catalogue, item page, search, feed, sitemap,
attachments) showing only what is published."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.ledger.publishing.models import Publication

pytestmark = pytest.mark.django_db

Status = Publication.Status
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def _empty_page_cache(monkeypatch):
    from gongkai.web.portal.publishing import cache

    monkeypatch.setenv("GONGKAI_PORTAL_GENERATION_TTL", "0")  # see every change at once
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def columns(platform):
    from gongkai.ledger.publishing.demo import _ensure_columns
    from tests.ledger.publishing.conftest import ensure_reference_data

    ensure_reference_data()
    return _ensure_columns(platform["shifanxian-sfj"])


@pytest.fixture
def users(platform):
    from django.contrib.auth import get_user_model

    return {u.username: u for u in get_user_model().objects.all()}


@pytest.fixture
def draft(columns, users):
    from gongkai.ledger.publishing.services import publication_create

    return publication_create(
        actor=users["sfj_clerk"],
        column=columns["通知公告"],
        title="关于法律援助值班安排的通知",
        body="<p>节假日期间法律援助值班律师安排如下。</p>",
    )


@pytest.fixture
def published(draft, users):
    from gongkai.ledger.publishing import actions

    item = actions.SubmitAction(draft, actor=users["sfj_clerk"]).execute()
    item = actions.FirstReviewAction(item, actor=users["sfj_reviewer"], proofread=True).execute()
    item = actions.SecondReviewAction(item, actor=users["sfj_reviewer2"], proofread=True).execute()
    item = actions.FinalReviewAction(item, actor=users["sfj_head"], proofread=True).execute()
    return actions.ConfidentialityReviewAction(item, actor=users["sfj_secrecy"]).execute()


STAFF = ["zwgkb", "xian_admin", "sfj_clerk", "sfj_reviewer", "sfj_secrecy", "sfj_head", "sfj_admin"]
# page -> who gets 200 (everyone else 403)
PAGES = {
    "backoffice:publishing:list": set(STAFF),
    "backoffice:publishing:new": {"sfj_clerk"},
    "backoffice:publishing:checks": set(STAFF),
    "backoffice:publishing:registers": set(STAFF),
    "backoffice:publishing:figures": set(STAFF),
    "backoffice:publishing:table2": set(STAFF),
}


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("username", STAFF)
def test_back_office_role_matrix(client, login, columns, page, username):
    login(username)
    assert client.get(reverse(page)).status_code == (200 if username in PAGES[page] else 403)


@pytest.mark.parametrize("page", list(PAGES))
def test_anonymous_staff_pages_redirect_to_login(client, platform, page):
    response = client.get(reverse(page))
    assert response.status_code == 302 and reverse("backoffice:login") in response.url


def test_another_agencys_item_is_not_found(client, login, draft):
    login("zrzyj_clerk")
    assert client.get(reverse("backoffice:publishing:detail", args=[draft.pk])).status_code == 404
    login("sfj_secrecy")
    assert client.get(reverse("backoffice:publishing:detail", args=[draft.pk])).status_code == 200


def _form(columns, **overrides):
    data = {
        "column": columns["通知公告"].pk,
        "title": "新建的通知",
        "summary": "",
        "body": "第一段",
        "category": "15",
        "topic": "",
        "doc_type": "ordinary",
        "interprets": "",
        "document_number": "",
        "written_on": "2025-03-01",
        "issuing_body": "",
        "register_kind": "",
        "scheduled_at": "",
        "channels": ["platform"],
        "other_channels": "县融媒体中心",
    }
    data.update(overrides)
    return data


def test_a_clerk_creates_and_edits_a_draft(client, login, columns):
    login("sfj_clerk")
    response = client.post(reverse("backoffice:publishing:new"), _form(columns))
    item = Publication.objects.get(title="新建的通知")
    assert response.status_code == 302 and response.url == reverse(
        "backoffice:publishing:detail", args=[item.pk]
    )
    assert item.body == "<p>第一段</p>"
    assert sorted(str(c) for c in item.channels.all()) == ["县融媒体中心", "政务公开云平台"]
    response = client.post(
        reverse("backoffice:publishing:edit", args=[item.pk]),
        _form(columns, title="改过的通知", version=item.version),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "改过的通知" and item.version == 2


def test_a_stale_edit_is_refused_with_a_chinese_message(client, login, columns, draft):
    login("sfj_clerk")
    url = reverse("backoffice:publishing:edit", args=[draft.pk])
    client.post(url, _form(columns, title="甲的修改", version=1))
    response = client.post(url, _form(columns, title="乙的修改", version=1))
    assert response.status_code == 409
    body = response.content.decode()
    assert "该信息已被他人修改（您编辑的是第 1 版，当前为第 2 版）" in body
    assert Publication.objects.get(pk=draft.pk).title == "甲的修改"


def test_the_workflow_through_http(client, login, draft):
    def post(username, name, data):
        login(username)
        return client.post(reverse(f"backoffice:publishing:{name}", args=[draft.pk]), data)

    def version():
        return Publication.objects.get(pk=draft.pk).version

    post("sfj_clerk", "submit", {"version": version()})
    for username in ("sfj_reviewer", "sfj_reviewer2", "sfj_head"):
        login(username)
        page = client.get(reverse("backoffice:publishing:detail", args=[draft.pk]))
        assert "意见</button>" in page.content.decode()
        post(username, "review", {"decision": "approve", "proofread": "on", "version": version()})
    post("sfj_secrecy", "review", {"decision": "approve", "version": version()})
    item = Publication.objects.get(pk=draft.pk)
    assert item.status == Status.PUBLISHED
    assert page.status_code == 200
    assert client.get(reverse("portal:publishing:detail", args=[item.pk])).status_code == 200


def test_the_detail_page_says_why_a_reviewer_cannot_review(client, login, draft, users):
    from django.contrib.auth.models import Group

    from gongkai.ledger.publishing.actions import SubmitAction

    users["sfj_reviewer"].groups.add(Group.objects.get(name="经办人"))
    login("sfj_reviewer")
    client.post(
        reverse("backoffice:publishing:edit", args=[draft.pk]),
        {**_form_for(draft), "title": "初审人改过的标题", "version": draft.version},
    )

    SubmitAction(Publication.objects.get(pk=draft.pk), actor=users["sfj_clerk"]).execute()
    page = client.get(reverse("backoffice:publishing:detail", args=[draft.pk])).content.decode()
    assert "不能审核本人起草或修改的信息" in page and "提交初审意见" not in page
    response = client.post(
        reverse("backoffice:publishing:review", args=[draft.pk]),
        {"decision": "approve", "proofread": "on", "version": draft.version + 2},
        follow=True,
    )
    assert "不能审核本人起草或修改的信息" in response.content.decode()
    assert Publication.objects.get(pk=draft.pk).status == Status.FIRST_REVIEW


def _form_for(item):
    return {
        "column": item.column_id,
        "title": item.title,
        "body": item.body,
        "category": item.category,
        "doc_type": item.doc_type,
        "channels": ["platform"],
    }


def test_dictionary_findings_are_highlighted_on_the_detail_page(client, login, columns, users):
    from gongkai.ledger.publishing.services import publication_create

    item = publication_create(
        actor=users["sfj_clerk"],
        column=columns["通知公告"],
        title="通知",
        body="<p>请于三审三教后报送，联系电话13812345678。</p>",
    )
    login("sfj_clerk")
    body = client.get(reverse("backoffice:publishing:detail", args=[item.pk])).content.decode()
    assert re.search(r'<mark class="finding blocking"[^>]*>三审三教</mark>', body)
    assert re.search(r'<mark class="finding blocking"[^>]*>13812345678</mark>', body)
    assert "错敏词检查：发现 2 处" in body


def test_attachments_upload_and_public_download(client, login, draft, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    login("sfj_clerk")
    client.post(
        reverse("backoffice:publishing:attachment_upload", args=[draft.pk]),
        {"file": SimpleUploadedFile("值班表.pdf", PDF), "version": draft.version},
    )
    response = client.post(
        reverse("backoffice:publishing:attachment_upload", args=[draft.pk]),
        {"file": SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00payload"), "version": 2},
        follow=True,
    )
    assert "附件未上传：不支持的附件类型" in response.content.decode()
    attachment = draft.attachments.get()
    url = reverse("portal:publishing:attachment", args=[draft.pk, attachment.pk])
    client.logout()
    assert client.get(url).status_code == 404  # not published yet
    from gongkai.ledger.publishing import actions

    item = actions.SubmitAction(
        Publication.objects.get(pk=draft.pk), actor=users["sfj_clerk"]
    ).execute()
    item = actions.FirstReviewAction(item, actor=users["sfj_reviewer"], proofread=True).execute()
    item = actions.SecondReviewAction(item, actor=users["sfj_reviewer2"], proofread=True).execute()
    item = actions.FinalReviewAction(item, actor=users["sfj_head"], proofread=True).execute()
    actions.ConfidentialityReviewAction(item, actor=users["sfj_secrecy"]).execute()
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]


def test_the_portal_shows_only_published_items(client, draft, published, columns, users):
    from gongkai.ledger.publishing.services import publication_create

    hidden = publication_create(
        actor=users["sfj_clerk"], column=columns["通知公告"], title="内部草稿标题"
    )
    catalogue = client.get(reverse("portal:publishing:catalogue")).content.decode()
    assert published.title in catalogue and "内部草稿标题" not in catalogue
    assert client.get(reverse("portal:publishing:detail", args=[hidden.pk])).status_code == 404
    page = client.get(reverse("portal:publishing:detail", args=[published.pk])).content.decode()
    for label in ("索引号", "分类", "发布机构", "成文日期", "发布日期", "文号", "有效性"):
        assert f'<th scope="row">{label}</th>' in page
    assert published.index_number in page


def test_withdrawn_items_leave_the_portal(client, published, users):
    from gongkai.ledger.publishing.actions import WithdrawAction

    WithdrawAction(published, actor=users["sfj_head"], reason="有误").execute()
    assert client.get(reverse("portal:publishing:detail", args=[published.pk])).status_code == 404
    assert (
        published.title not in client.get(reverse("portal:publishing:catalogue")).content.decode()
    )


def test_catalogue_filters(client, published, platform):
    base = reverse("portal:publishing:catalogue")
    assert (
        published.title in client.get(f"{base}?agency=shifanxian-sfj&category=15").content.decode()
    )
    assert published.title not in client.get(f"{base}?agency=shifanxian-zrzyj").content.decode()
    assert published.title not in client.get(f"{base}?category=01").content.decode()
    year = published.published_at.astimezone().year
    assert published.title in client.get(f"{base}?year={year}").content.decode()
    assert published.title not in client.get(f"{base}?year={year - 1}").content.decode()
    assert client.get(f"{base}?year=abc&topic=x&category=99").status_code == 200
    agency = client.get(reverse("portal:publishing:agency_catalogue", args=["shifanxian-sfj"]))
    assert published.index_number in agency.content.decode()


def test_search_finds_a_two_character_word(client, published):
    url = reverse("portal:publishing:search")
    body = client.get(url, {"q": "值班"}).content.decode()
    assert published.title in body and "<mark>值班</mark>" in body
    assert "找到 1 条结果" in body
    assert published.title not in client.get(url, {"q": "复议"}).content.decode()


def test_the_agency_and_home_pages_show_latest_items_and_links(client, published):
    home = client.get(reverse("portal:home")).content.decode()
    assert published.title in home
    agency = client.get(reverse("portal:agency", args=["shifanxian-sfj"])).content.decode()
    assert published.title in agency
    assert reverse("portal:publishing:guide", args=["shifanxian-sfj"]) in agency
    assert reverse("portal:publishing:agency_catalogue", args=["shifanxian-sfj"]) in agency
    guide = client.get(reverse("portal:publishing:guide", args=["shifanxian-sfj"])).content.decode()
    assert "政府信息公开指南" in guide and "示范县法治路8号" in guide


def test_rss_and_sitemap(client, published):
    feed = client.get(reverse("portal:publishing:feed"))
    assert feed["Content-Type"].startswith("application/rss+xml")
    assert published.title in feed.content.decode()
    agency_feed = client.get(reverse("portal:publishing:agency_feed", args=["shifanxian-zrzyj"]))
    assert published.title not in agency_feed.content.decode()
    index = client.get(reverse("portal:publishing:sitemap")).content.decode()
    year = published.published_at.astimezone().year
    part = reverse("portal:publishing:sitemap_part", args=[year, 1])
    assert f"http://testserver{part}" in index
    urls = client.get(part).content.decode()
    assert f"http://testserver/info/{published.pk}/" in urls
    assert (
        client.get(reverse("portal:publishing:sitemap_part", args=[year - 1, 1])).status_code == 404
    )


def test_table2_page_uses_the_statutory_labels(client, login, platform, users):
    from gongkai.ledger.publishing.services import register_entry_create

    sfj = platform["shifanxian-sfj"]
    register_entry_create(
        actor=users["sfj_clerk"],
        agency=sfj,
        kind="normative",
        title="办法",
        issued_on=dt.date(2025, 5, 1),
    )
    login("sfj_head")
    body = client.get(reverse("backoffice:publishing:table2_year", args=[2025])).content.decode()
    for label in (
        "第二十条第（一）项",
        "本年制发件数",
        "行政规范性文件",
        "本年收费金额（单位：万元）",
    ):
        assert label in body


def test_monthly_figures_form_and_xlsx_import(client, login, platform):
    import io

    from openpyxl import Workbook

    from gongkai.ledger.publishing.models import MonthlyFigures

    login("sfj_clerk")
    url = reverse("backoffice:publishing:figures_year", args=[2025])
    response = client.post(
        url, {"m1_licensing": "2", "m1_penalty": "0", "m1_coercion": "", "m1_fee": "0.5"}
    )
    assert response.status_code == 302
    row = MonthlyFigures.objects.get(year=2025, month=1)
    assert (row.licensing, str(row.fee_10k_yuan), row.source) == (2, "0.5000", "手工录入")
    book = Workbook()
    book.active.append(["月份", "行政许可", "行政处罚", "行政强制", "行政事业性收费（万元）"])
    book.active.append([2, 1, 1, 1, 0])
    stream = io.BytesIO()
    book.save(stream)
    response = client.post(
        reverse("backoffice:publishing:figures_import", args=[2025]),
        {"file": SimpleUploadedFile("二月.xlsx", stream.getvalue())},
        follow=True,
    )
    assert "已从 二月.xlsx 导入 1 个月的数据" in response.content.decode()
    login("sfj_secrecy")
    assert client.post(url, {"m1_licensing": "9"}).status_code == 403


def test_pages_carry_no_inline_script_or_style(client, published):
    for url in (
        reverse("portal:publishing:catalogue"),
        reverse("portal:publishing:detail", args=[published.pk]),
        reverse("portal:publishing:search") + "?q=值班",
    ):
        body = client.get(url).content.decode()
        assert "<script>" not in body and " style=" not in body


def test_cached_pages_show_a_new_item_at_once(client, published, draft, columns, users):
    from gongkai.ledger.publishing import actions
    from gongkai.ledger.publishing.services import publication_create

    url = reverse("portal:publishing:catalogue")
    first = client.get(url).content.decode()
    assert client.get(url).content.decode() == first  # served from the page cache
    item = publication_create(
        actor=users["sfj_clerk"], column=columns["通知公告"], title="刚刚发布的信息", body="正文"
    )
    assert "刚刚发布的信息" not in client.get(url).content.decode()
    item = actions.SubmitAction(item, actor=users["sfj_clerk"]).execute()
    item = actions.FirstReviewAction(item, actor=users["sfj_reviewer"], proofread=True).execute()
    item = actions.SecondReviewAction(item, actor=users["sfj_reviewer2"], proofread=True).execute()
    item = actions.FinalReviewAction(item, actor=users["sfj_head"], proofread=True).execute()
    actions.ConfidentialityReviewAction(item, actor=users["sfj_secrecy"]).execute()
    assert "刚刚发布的信息" in client.get(url).content.decode()
    actions.WithdrawAction(item, actor=users["sfj_head"], reason="误发").execute()
    assert "刚刚发布的信息" not in client.get(url).content.decode()


def test_requests_with_a_session_or_a_message_bypass_the_page_cache(client, published, monkeypatch):
    from gongkai.web.portal.publishing import cache

    calls = []
    original = cache._pages.set
    monkeypatch.setattr(cache._pages, "set", lambda *a, **k: calls.append(a) or original(*a, **k))
    url = reverse("portal:publishing:search") + "?q=值班"
    client.cookies["sessionid"] = "someone"
    client.get(url)
    client.cookies["messages"] = "x"
    client.get(url)
    assert calls == []
    del client.cookies["sessionid"]
    del client.cookies["messages"]
    client.get(url)
    assert len(calls) == 1
    monkeypatch.setenv("GONGKAI_PORTAL_CACHE_SECONDS", "0")
    client.get(url + "&page=1")
    assert len(calls) == 1


@pytest.fixture
def shared_file_cache(settings, tmp_path):
    """The production set-up: the shared tier is a file cache every worker reads."""
    from django.core.cache import caches

    settings.CACHES = {
        **settings.CACHES,
        "portal_pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "portal-pages"),
        },
    }
    caches["portal_pages"].close()
    del caches["portal_pages"]
    yield tmp_path / "portal-pages"
    del caches["portal_pages"]


def test_a_page_rendered_by_one_worker_is_served_by_the_others(
    client, published, shared_file_cache, monkeypatch
):
    from gongkai.web.portal.publishing import cache, views

    url = reverse("portal:publishing:catalogue") + "?page=1"
    first = client.get(url).content
    assert list(shared_file_cache.glob("*.djcache"))
    cache._pages.clear()  # another worker: its own memory is empty

    def must_not_render(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(views, "render", must_not_render)
    assert client.get(url).content == first
    cache.clear()  # nothing in either tier: the page is rendered (and fails here)
    with pytest.raises(AssertionError, match="rendered again"):
        client.get(url)


def test_a_broken_shared_cache_file_is_a_miss_not_an_error(client, published, shared_file_cache):
    from gongkai.web.portal.publishing import cache

    url = reverse("portal:publishing:catalogue")
    first = client.get(url).content.decode()
    cache._pages.clear()
    for path in shared_file_cache.glob("*.djcache"):
        path.write_bytes(b"not a pickle")
    response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode() == first


def test_agency_administrators_set_the_index_template_and_columns(client, login, columns, platform):
    from gongkai.core.models import AuditEvent
    from gongkai.ledger.publishing.models import Column, PublishingSettings

    url = reverse("backoffice:publishing:settings")
    login("sfj_clerk")
    assert client.get(url).status_code == 403
    login("sfj_admin")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "form": "settings",
            "index_template": "{uscc}/{name}-{seq:05}",
            "org_code": "",
            "dept_code": "",
            "interpretation_tolerance_days": 0,
        },
        follow=True,
    )
    assert "索引号模板含有未知字段：{name}" in response.content.decode()
    assert not PublishingSettings.objects.exists()
    client.post(
        url,
        {
            "form": "settings",
            "index_template": "{org_code}/{year}-{seq:04}",
            "org_code": "",
            "dept_code": "SFJ",
            "interpretation_tolerance_days": 3,
        },
    )
    saved = PublishingSettings.objects.get(agency=platform["shifanxian-sfj"])
    assert (saved.index_template, saved.dept_code, saved.interpretation_tolerance_days) == (
        "{org_code}/{year}-{seq:04}",
        "SFJ",
        3,
    )
    client.post(
        url,
        {
            "form": "column",
            "name": "双随机一公开",
            "update_class": "notice",
            "disclosure_class": "statutory",
            "position": 9,
            "is_active": "on",
        },
    )
    column = Column.objects.get(name="双随机一公开")
    prefix = f"c{columns['工作动态'].pk}"
    client.post(
        url,
        {
            "form": "column",
            "column_id": columns["工作动态"].pk,
            f"{prefix}-name": "工作动态",
            f"{prefix}-update_class": "dynamic",
            f"{prefix}-disclosure_class": "news",
            f"{prefix}-position": 0,
        },
    )
    assert not Column.objects.get(pk=columns["工作动态"].pk).is_active
    assert column.agency == platform["shifanxian-sfj"]
    assert (
        AuditEvent.objects.filter(
            action__in=["column.created", "column.updated", "publishing_settings.saved"]
        ).count()
        == 3
    )


def test_each_worker_rereads_the_generation_at_most_once_a_second(platform, monkeypatch):
    from gongkai.web.portal.publishing import cache

    monkeypatch.setenv("GONGKAI_PORTAL_GENERATION_TTL", "1")
    reads = []
    monkeypatch.setattr(cache, "portal_generation", lambda: reads.append(1) or f"g{len(reads)}")
    clock = iter([100.0, 100.5, 101.2])
    monkeypatch.setattr(cache.time, "monotonic", lambda: next(clock))
    assert [cache.current_generation() for _ in range(3)] == ["g1", "g1", "g2"]


def test_counts_and_facets_are_kept_per_generation(monkeypatch):
    from gongkai.web.portal.publishing import cache

    generation = ["g1"]
    monkeypatch.setattr(cache, "current_generation", lambda: generation[0])
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert cache.per_generation("count|/info/|", compute) == 1
    assert cache.per_generation("count|/info/|", compute) == 1  # same generation: kept
    assert cache.per_generation("count|/info/|agency=x", compute) == 2  # another list
    generation[0] = "g2"  # something was published or withdrawn
    assert cache.per_generation("count|/info/|", compute) == 3
    monkeypatch.setenv("GONGKAI_PORTAL_CACHE_SECONDS", "0")
    assert cache.per_generation("count|/info/|", compute) == 4  # cache off: always computed
    assert cache.per_generation("count|/info/|", compute) == 5


def test_every_page_of_a_list_shows_the_same_count_after_a_publish(
    client, published, columns, users
):
    from gongkai.ledger.publishing import actions
    from gongkai.ledger.publishing.services import publication_create

    url = reverse("portal:publishing:catalogue")
    before = client.get(url).content.decode()
    count = int(before.split("共 ", 1)[1].split(" 条", 1)[0])
    item = publication_create(
        actor=users["sfj_clerk"], column=columns["通知公告"], title="又一条信息", body="正文"
    )
    item = actions.SubmitAction(item, actor=users["sfj_clerk"]).execute()
    item = actions.FirstReviewAction(item, actor=users["sfj_reviewer"], proofread=True).execute()
    item = actions.SecondReviewAction(item, actor=users["sfj_reviewer2"], proofread=True).execute()
    item = actions.FinalReviewAction(item, actor=users["sfj_head"], proofread=True).execute()
    actions.ConfidentialityReviewAction(item, actor=users["sfj_secrecy"]).execute()
    for page_url in (url, url + "?page=1"):
        assert f"共 {count + 1} 条" in client.get(page_url).content.decode()
